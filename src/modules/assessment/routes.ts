import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { auditActor, scopeOf, typed } from '../../platform/http.js';
import { write } from '../../platform/write.js';
import { attachmentDisposition, XLSX_MIME } from '../../platform/xlsx.js';
import { evidenceQuery, finishInput, scoreInput, sessionCreateInput, sessionListQuery, treeKey, treeSaveInput, weakOrgCloseInput, weakOrgListQuery, weakOrgPlanInput, weakOrgProgressInput } from './contract.js';
import { announcementDocx, sheetXlsx } from './exports.js';
import { addProgress, closeEntry, createPlan, ledger } from './weakOrgs.js';
import { createSession, finishSession, listSessions, scoreEvidence, sessionSheet, setInput } from './sessions.js';
import { getTree, listTrees, saveTree } from './trees.js';

/**
 * Assessment routes (issue 16): reading needs `assessment.read`, trees, sessions, inputs and finishing
 * `assessment.write`. Every write goes through write() (one transaction, audited); ids outside the
 * caller's scope answer 404.
 */
const idParam = z.object({ id: z.coerce.number().int().positive() });
const tags = ['assessment'];
const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export function assessmentRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = typed(app);

  r.get('/api/assessment-trees', { config: { auth: 'assessment.read' }, schema: { summary: '考核指标体系列表（各体系最新版本）', tags } },
    async (req) => listTrees(ctx.db, scopeOf(req, 'assessment.read').tenantId));

  r.get('/api/assessment-trees/:key', {
    config: { auth: 'assessment.read' },
    schema: { summary: '考核指标体系（默认最新版本）', tags, params: z.object({ key: treeKey }), querystring: z.object({ version: z.coerce.number().int().min(0).optional() }) },
  }, async (req) => getTree(ctx.db, scopeOf(req, 'assessment.read').tenantId, req.params.key, req.query.version));

  r.post('/api/assessment-trees', {
    config: { auth: 'assessment.write', writes: true },
    schema: { summary: '保存考核指标体系（新建或保存为新版本）', tags, body: treeSaveInput },
  }, async (req, reply) => {
    const scope = scopeOf(req, 'assessment.write');
    return reply.status(201).send(await write(ctx, scope.tenantId, auditActor(req), (w) => saveTree(w, req.body)));
  });

  r.get('/api/assessment-sessions', { config: { auth: 'assessment.read' }, schema: { summary: '述职评议考核列表', tags, querystring: sessionListQuery } },
    async (req) => listSessions(ctx.db, scopeOf(req, 'assessment.read'), req.query));

  r.post('/api/assessment-sessions', {
    config: { auth: 'assessment.write', writes: true },
    schema: { summary: '新建述职评议考核（年度、参加考核的下级组织、指标体系）', tags, body: sessionCreateInput },
  }, async (req, reply) => {
    const scope = scopeOf(req, 'assessment.write');
    return reply.status(201).send(await write(ctx, scope.tenantId, auditActor(req), (w) => createSession(w, scope, req.body)));
  });

  r.get('/api/assessment-sessions/:id', { config: { auth: 'assessment.read' }, schema: { summary: '考核评分表（未完成时按当前记录计算，完成后冻结）', tags, params: idParam } },
    async (req) => sessionSheet(ctx.db, scopeOf(req, 'assessment.read'), req.params.id, ctx.clock.today()));

  r.get('/api/assessment-sessions/:id/evidence', {
    config: { auth: 'assessment.read' },
    schema: { summary: '某项得分的依据（数据项明细记录、评分说明）', tags, params: idParam, querystring: evidenceQuery },
  }, async (req) => scoreEvidence(ctx.db, scopeOf(req, 'assessment.read'), req.params.id, req.query, ctx.clock.today()));

  r.get('/api/assessment-sessions/:id/sheet.xlsx', {
    config: { auth: 'assessment.read' },
    schema: { summary: '下载考核评分表（xlsx，各组织并列，含得分说明）', tags, params: idParam },
  }, async (req, reply) => {
    const out = await sheetXlsx(ctx.db, scopeOf(req, 'assessment.read'), req.params.id, ctx.clock.today());
    return reply.header('content-type', XLSX_MIME).header('content-disposition', attachmentDisposition(out.filename, `assessment-${req.params.id}.xlsx`)).send(out.buffer);
  });

  r.get('/api/assessment-sessions/:id/announcement.docx', {
    config: { auth: 'assessment.read' },
    schema: { summary: '下载考核等次通报（Word，GB/T 9704 版式；考核完成后）', tags, params: idParam },
  }, async (req, reply) => {
    const out = await announcementDocx(ctx.db, scopeOf(req, 'assessment.read'), req.params.id, ctx.clock.today());
    return reply.header('content-type', DOCX_MIME).header('content-disposition', attachmentDisposition(out.filename, `assessment-${req.params.id}.docx`)).send(out.buffer);
  });

  r.put('/api/assessment-sessions/:id/inputs', {
    config: { auth: 'assessment.write', writes: true },
    schema: { summary: '录入现场测评票数或人工评分（须写明理由）', tags, params: idParam, body: scoreInput },
  }, async (req) => {
    const scope = scopeOf(req, 'assessment.write');
    return write(ctx, scope.tenantId, auditActor(req), (w) => setInput(w, scope, req.params.id, req.body));
  });

  r.post('/api/assessment-sessions/:id/finish', {
    config: { auth: 'assessment.write', writes: true },
    schema: { summary: '确定等次并完成考核（分数和依据冻结）', tags, params: idParam, body: finishInput },
  }, async (req) => {
    const scope = scopeOf(req, 'assessment.write');
    return write(ctx, scope.tenantId, auditActor(req), (w) => finishSession(w, scope, req.params.id, req.body));
  });

  r.get('/api/weak-orgs', { config: { auth: 'assessment.read' }, schema: { summary: '软弱涣散党组织台账（整顿方案、进展、销号）', tags, querystring: weakOrgListQuery } },
    async (req) => ledger(ctx.db, scopeOf(req, 'assessment.read'), req.query));

  r.post('/api/weak-orgs', {
    config: { auth: 'assessment.write', writes: true },
    schema: { summary: '为已认定的软弱涣散党组织制定整顿方案', tags, body: weakOrgPlanInput },
  }, async (req, reply) => {
    const scope = scopeOf(req, 'assessment.write');
    return reply.status(201).send(await write(ctx, scope.tenantId, auditActor(req), (w) => createPlan(w, scope, req.body)));
  });

  r.post('/api/weak-orgs/:id/progress', {
    config: { auth: 'assessment.write', writes: true },
    schema: { summary: '记录整顿进展', tags, params: idParam, body: weakOrgProgressInput },
  }, async (req, reply) => {
    const scope = scopeOf(req, 'assessment.write');
    return reply.status(201).send(await write(ctx, scope.tenantId, auditActor(req), (w) => addProgress(w, scope, req.params.id, req.body)));
  });

  r.post('/api/weak-orgs/:id/close', {
    config: { auth: 'assessment.write', writes: true },
    schema: { summary: '整顿销号（上级党组织决定及整顿材料）', tags, params: idParam, body: weakOrgCloseInput },
  }, async (req) => {
    const scope = scopeOf(req, 'assessment.write');
    return write(ctx, scope.tenantId, auditActor(req), (w) => closeEntry(w, scope, req.params.id, req.body));
  });
}
