import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { actorOf, auditActor, scopeOf, typed } from '../../platform/http.js';
import { XLSX_MIME, attachmentDisposition, errorReportXlsx, getImportRun, startImportRun } from '../../platform/importer.js';
import { receiveSpreadsheet } from '../../platform/uploadLimits.js';
import { canViewPersonalDataAt, hasPermission } from '../../platform/scope.js';
import { exportMembers, memberExportQuery, memberTemplateXlsx } from './export.js';
import { importMembers } from './import.js';

/**
 * Member import and export over HTTP. An import answers 202 with a run id at once and runs in the
 * background; the client polls GET /api/imports/:runId for rows done / total and the row errors.
 * The run takes its database handle when it starts, so a test that hands the app a transaction
 * keeps the whole run inside it (await it with awaitImportRun before rolling back).
 */
const runParam = z.object({ runId: z.string().min(1).max(64) });
const MAX_ERRORS_IN_ANSWER = 500;

export function memberImportRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = typed(app);

  r.get('/api/members/import/template', {
    config: { auth: 'members.import' },
    schema: { summary: '下载党员导入模板（xlsx）', tags: ['members'] },
  }, async (_req, reply) => {
    const buffer = await memberTemplateXlsx();
    return reply.header('content-type', XLSX_MIME)
      .header('content-disposition', attachmentDisposition('党员信息导入模板.xlsx', 'member-import-template.xlsx'))
      .send(buffer);
  });

  r.post('/api/members/import', {
    config: { auth: 'members.import', writes: true },
    schema: {
      summary: '导入党员（multipart 字段 file：.xlsx 或 .csv；可选字段 org：所在党组织为空时使用的党组织 id，须在 file 之前）',
      tags: ['members'],
      consumes: ['multipart/form-data'],
    },
  }, async (req, reply) => {
    const actor = actorOf(req);
    const scope = scopeOf(req, 'members.import');
    const { file, buffer, maxConcurrent } = await receiveSpreadsheet(req, ctx.db, actor.tenantId);
    const orgField = file.fields.org as { value?: unknown } | undefined;
    const defaultOrgId = orgField?.value ? Number(orgField.value) : undefined;
    if (defaultOrgId !== undefined && !(Number.isInteger(defaultOrgId) && defaultOrgId > 0)) throw invalid('org 应为党组织编号', { org: '应为党组织编号' });
    const runCtx: AppContext = { ...ctx, db: ctx.db };
    const info = {
      tenantId: actor.tenantId,
      actor: auditActor(req),
      scope,
      readScope: hasPermission(actor, 'members.read') ? scopeOf(req, 'members.read') : undefined,
    };
    const run = startImportRun(
      { kind: 'members', tenantId: actor.tenantId, userId: actor.userId, filename: file.filename || '导入文件', nowIso: ctx.clock.nowIso(), dataDir: ctx.dataDir, maxConcurrent },
      async (onProgress) => importMembers(runCtx, info, { buffer, filename: file.filename || '导入文件', defaultOrgId }, onProgress),
    );
    return reply.status(202).send({ runId: run.id });
  });

  r.get('/api/imports/:runId', {
    config: { auth: 'members.import' },
    schema: { summary: '导入进度与错误（已处理行数 / 总行数）', tags: ['members'], params: runParam },
  }, async (req) => {
    const run = getImportRun(req.params.runId, actorOf(req).userId, ctx.dataDir);
    if (!run) throw notFound('导入任务');
    return {
      id: run.id,
      status: run.status,
      done: run.done,
      total: run.total,
      imported: run.imported,
      errorCount: run.errors.length,
      errors: run.errors.slice(0, MAX_ERRORS_IN_ANSWER),
      warningCount: run.warnings?.length ?? 0,
      warnings: (run.warnings ?? []).slice(0, MAX_ERRORS_IN_ANSWER),
      message: run.message,
    };
  });

  r.get('/api/imports/:runId/errors.xlsx', {
    config: { auth: 'members.import' },
    schema: { summary: '下载导入错误报告（原始列 + 错误原因）', tags: ['members'], params: runParam },
  }, async (req, reply) => {
    const run = getImportRun(req.params.runId, actorOf(req).userId, ctx.dataDir);
    if (!run) throw notFound('导入任务');
    if (!['done', 'rejected', 'failed'].includes(run.status)) throw conflict('导入尚未结束，请稍后再下载错误报告');
    if (run.errors.length === 0) throw notFound('错误报告');
    const buffer = await errorReportXlsx(run.report, run.errors);
    return reply.header('content-type', XLSX_MIME)
      .header('content-disposition', attachmentDisposition('导入错误报告.xlsx', 'import-errors.xlsx'))
      .send(buffer);
  });

  r.get('/api/members/export', {
    config: { auth: 'members.export', writes: true },
    schema: { summary: '导出党员名单（xlsx；默认隐藏完整身份证号和手机号，unmask=1 且有权限时导出完整信息，均留痕）', tags: ['members'], querystring: memberExportQuery },
  }, async (req, reply) => {
    const actor = actorOf(req);
    const { unmask, ...query } = req.query;
    const out = await exportMembers(ctx, {
      tenantId: actor.tenantId,
      actor: auditActor(req),
      scope: scopeOf(req, 'members.export'),
      canViewAt: (path) => canViewPersonalDataAt(actor, path),
      query,
      unmask: unmask === '1' || unmask === 'true',
    });
    return reply.header('content-type', XLSX_MIME)
      .header('content-disposition', attachmentDisposition(out.filename, 'members.xlsx'))
      .send(out.buffer);
  });
}
