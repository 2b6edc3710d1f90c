import type { FastifyInstance } from 'fastify';
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { one } from '../../db/connection.js';
import type { AppContext } from '../context.js';
import { auditActor, scopeOf, typed } from '../http.js';
import { forbidden } from '../errors.js';
import { write } from '../write.js';
import { attachmentDisposition } from '../xlsx.js';
import { checkpointPaths, readCheckpoints } from '../audit.js';
import { AUDIT_EXPORT_README, AUDIT_VERIFY_SCRIPT, auditRowsForExport, tenantRootPath } from '../auditExport.js';

/**
 * Export of the tenant's whole audit chain with its checkpoints for an external auditor (issue 17,
 * 等保 profile): one NDJSON bundle — readme, verify script, heads, rows, signed checkpoints — that
 * `node verify.mjs bundle.ndjson` checks offline with the audit key. The chain is exported whole (a
 * part of it could not be verified), so the permission must be held at the tenant's top org.
 */
export function auditExportRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = typed(app);
  r.get('/api/audit/export.ndjson', {
    config: { auth: 'audit.export', writes: true },
    schema: { summary: '导出审计日志及库外检查点（供外部审计离线校验）', tags: ['audit'] },
  }, async (req, reply) => {
    const scope = scopeOf(req, 'audit.export');
    const root = await tenantRootPath(ctx.db, scope.tenantId);
    if (!root || !scope.paths.includes(root)) throw forbidden('导出审计日志须在顶层党委持有“导出审计日志”权限（审计链须整体导出才能校验）');
    const total = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n from audit_log where tenant_id = ${scope.tenantId}`);
    await write(ctx, scope.tenantId, auditActor(req), async (w) => {
      w.audit({ action: 'export', entity: 'audit', meta: { rows: (total?.n ?? 0) + 1, format: 'ndjson' } });
    });
    const file = checkpointPaths()[0];
    const checkpoints = file ? readCheckpoints(file).valid.filter((c) => c.tenantId === scope.tenantId) : [];
    const db = ctx.db;
    async function* lines() {
      yield `${JSON.stringify({ type: 'readme', text: AUDIT_EXPORT_README })}\n`;
      yield `${JSON.stringify({ type: 'verifyScript', name: 'verify.mjs', text: AUDIT_VERIFY_SCRIPT })}\n`;
      for await (const item of auditRowsForExport(db, [scope.tenantId])) {
        yield `${JSON.stringify('head' in item ? { type: 'head', head: item.head } : { type: 'row', row: item.row })}\n`;
      }
      for (const c of checkpoints) yield `${JSON.stringify({ type: 'checkpoint', checkpoint: c })}\n`;
    }
    return reply
      .header('content-type', 'application/x-ndjson; charset=utf-8')
      .header('content-disposition', attachmentDisposition('审计日志导出.ndjson', 'audit-export.ndjson'))
      .send(Readable.from(lines()));
  });
}
