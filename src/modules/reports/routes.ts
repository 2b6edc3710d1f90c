import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { actorOf, auditActor, scopeOf, typed } from '../../platform/http.js';
import { allFigures, describeFigure } from '../../platform/figures.js';
import { narrowToOrg } from '../../platform/scope.js';
import { write } from '../../platform/write.js';
import {
  catalogueQuery, commentInput, evidenceQuery, fieldInput, rectificationCloseInput, rectificationInput, rectificationListQuery, reportJobInput, reviewQuery, narrativeInput, overrideInput, reportCreateInput, reportListQuery, templateCopyInput, templateKey, templateSaveInput,
} from './contract.js';
import {
  createReport, finalizeReport, getTemplate, listReports, listTemplates, newVersion, placeholderEvidence, refreshReport, reportDetail,
  saveTemplate, setField, setNarrative, setOverride, templateErrors,
} from './service.js';
import { addComment, closeRectification, createRectification, listComments, listRectifications, reviewList } from './review.js';
import { reportJobStatus, startReportJob } from './job.js';
import { renderReportDocx } from './render/docx.js';
import { convertDocxToPdf } from './render/pdf.js';
import { PRINT_CSP, renderReportHtml } from './render/print.js';
import { attachmentDisposition } from '../../platform/importer.js';
import { loadReport } from './service.js';

/**
 * Reports routes (issue 13). Reading needs `reports.read`, drafting/editing/finalizing `reports.write`,
 * templates `reports.templates`. Every write goes through write() (one transaction, audited); ids
 * outside the caller's scope answer 404.
 */
const idParam = z.object({ id: z.coerce.number().int().positive() });
const tags = ['reports'];
const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export function reportRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = typed(app);

  r.get('/api/report-templates', { config: { auth: 'reports.read' }, schema: { summary: '报告模板列表（各模板最新版本）', tags } },
    async (req) => listTemplates(ctx.db, scopeOf(req, 'reports.read').tenantId));

  r.get('/api/report-templates/:key', {
    config: { auth: 'reports.read' },
    schema: { summary: '报告模板（默认最新版本）', tags, params: z.object({ key: templateKey }), querystring: z.object({ version: z.coerce.number().int().min(1).optional() }) },
  }, async (req) => getTemplate(ctx.db, scopeOf(req, 'reports.read').tenantId, req.params.key, req.query.version));

  r.post('/api/report-templates/validate', {
    config: { auth: 'reports.templates' },
    schema: { summary: '校验报告模板（只返回错误列表）', tags, body: z.unknown() },
  }, async (req) => ({ errors: templateErrors(req.body) }));

  r.post('/api/report-templates', {
    config: { auth: 'reports.templates', writes: true },
    schema: { summary: '保存报告模板（新建或保存为新版本）', tags, body: templateSaveInput },
  }, async (req, reply) => {
    const scope = scopeOf(req, 'reports.templates');
    return reply.status(201).send(await write(ctx, scope.tenantId, auditActor(req), (w) => saveTemplate(w, req.body)));
  });

  r.post('/api/report-templates/:key/copy', {
    config: { auth: 'reports.templates', writes: true },
    schema: { summary: '复制报告模板为新模板', tags, params: z.object({ key: templateKey }), body: templateCopyInput },
  }, async (req, reply) => {
    const scope = scopeOf(req, 'reports.templates');
    const out = await write(ctx, scope.tenantId, auditActor(req), async (w) => {
      const src = await getTemplate(w.tx, w.tenantId, req.params.key);
      return saveTemplate(w, { ...src, key: req.body.newKey, name: req.body.name, version: undefined }, `${src.key}@${src.version}`);
    });
    return reply.status(201).send(out);
  });

  r.get('/api/reports', { config: { auth: 'reports.read' }, schema: { summary: '报告列表', tags, querystring: reportListQuery } },
    async (req) => listReports(ctx.db, scopeOf(req, 'reports.read'), req.query));

  r.post('/api/reports', {
    config: { auth: 'reports.write', writes: true },
    schema: { summary: '按模板起草报告（逐项计算全部数据）', tags, body: reportCreateInput },
  }, async (req, reply) => {
    const scope = scopeOf(req, 'reports.write');
    return reply.status(201).send(await write(ctx, scope.tenantId, auditActor(req), (w) => createReport(w, scope, req.body)));
  });

  r.get('/api/reports/:id', { config: { auth: 'reports.read' }, schema: { summary: '报告详情（正文、占位符、叙述、填报项、候选问题）', tags, params: idParam } },
    async (req) => reportDetail(ctx.db, scopeOf(req, 'reports.read'), req.params.id, ctx.clock.today()));

  r.post('/api/reports/:id/refresh', {
    config: { auth: 'reports.write', writes: true }, schema: { summary: '重新计算草稿中的数据', tags, params: idParam },
  }, async (req) => {
    const scope = scopeOf(req, 'reports.write');
    return write(ctx, scope.tenantId, auditActor(req), (w) => refreshReport(w, scope, req.params.id));
  });

  r.put('/api/reports/:id/narratives/:nid', {
    config: { auth: 'reports.write', writes: true },
    schema: { summary: '撰写叙述段落', tags, params: idParam.extend({ nid: z.string().regex(/^n\d{1,4}$/, '段落编号不正确') }), body: narrativeInput },
  }, async (req) => {
    const scope = scopeOf(req, 'reports.write');
    return write(ctx, scope.tenantId, auditActor(req), (w) => setNarrative(w, scope, req.params.id, req.params.nid, req.body.html));
  });

  r.put('/api/reports/:id/fields/:name', {
    config: { auth: 'reports.write', writes: true },
    schema: { summary: '填写填报项', tags, params: idParam.extend({ name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,59}$/, '填报项名称不正确') }), body: fieldInput },
  }, async (req) => {
    const scope = scopeOf(req, 'reports.write');
    return write(ctx, scope.tenantId, auditActor(req), (w) => setField(w, scope, req.params.id, req.params.name, req.body));
  });

  r.put('/api/reports/:id/placeholders/:pid/override', {
    config: { auth: 'reports.write', writes: true },
    schema: { summary: '为无数据的指标填写数值（须说明来源）或删除该句', tags, params: idParam.extend({ pid: z.string().regex(/^(f\d{1,5}|cand-(finding|rect)-\d{1,12})$/, '占位符编号不正确') }), body: overrideInput },
  }, async (req) => {
    const scope = scopeOf(req, 'reports.write');
    return write(ctx, scope.tenantId, auditActor(req), (w) => setOverride(w, scope, req.params.id, req.params.pid, req.body));
  });

  r.post('/api/reports/:id/finalize', {
    config: { auth: 'reports.write', writes: true }, schema: { summary: '定稿（有缺项时拒绝并列出）', tags, params: idParam },
  }, async (req) => {
    const scope = scopeOf(req, 'reports.write');
    return write(ctx, scope.tenantId, auditActor(req), (w) => finalizeReport(w, scope, req.params.id));
  });

  r.post('/api/reports/:id/new-version', {
    config: { auth: 'reports.write', writes: true }, schema: { summary: '由定稿生成新版本草稿', tags, params: idParam },
  }, async (req, reply) => {
    const scope = scopeOf(req, 'reports.write');
    return reply.status(201).send(await write(ctx, scope.tenantId, auditActor(req), (w) => newVersion(w, scope, req.params.id)));
  });

  r.get('/api/reports/:id/placeholders/:pid/evidence', {
    config: { auth: 'reports.read' },
    schema: { summary: '占位符的证据（定稿报告另返回冻结摘要及是否仍一致）', tags, params: idParam.extend({ pid: z.string().max(40) }), querystring: evidenceQuery },
  }, async (req) => placeholderEvidence(ctx.db, scopeOf(req, 'reports.read'), req.params.id, req.params.pid, req.query, ctx.clock.today()));

  // ─── output: Word (GB/T 9704), PDF (LibreOffice), print ────────────────────
  const fileName = (r: { title: string; status: string; report_version: number }, ext: string) => `${r.title}${r.status === 'draft' ? '（草稿）' : ''}${r.report_version > 1 ? `（第${r.report_version}版）` : ''}.${ext}`;
  r.get('/api/reports/:id/docx', { config: { auth: 'reports.read' }, schema: { summary: '报告 Word 文档（GB/T 9704 版式）', tags, params: idParam } }, async (req, reply) => {
    const rep = await loadReport(ctx.db, scopeOf(req, 'reports.read'), req.params.id);
    const buf = await renderReportDocx(rep.rendered);
    return reply.header('content-type', DOCX_MIME).header('content-disposition', attachmentDisposition(fileName(rep, 'docx'), `report-${rep.id}.docx`)).send(buf);
  });
  r.get('/api/reports/:id/pdf', { config: { auth: 'reports.read' }, schema: { summary: '报告 PDF（需服务器安装 LibreOffice）', tags, params: idParam } }, async (req, reply) => {
    const rep = await loadReport(ctx.db, scopeOf(req, 'reports.read'), req.params.id);
    const pdf = await convertDocxToPdf(await renderReportDocx(rep.rendered));
    return reply.header('content-type', 'application/pdf').header('content-disposition', attachmentDisposition(fileName(rep, 'pdf'), `report-${rep.id}.pdf`)).send(pdf);
  });
  r.get('/api/reports/:id/print', { config: { auth: 'reports.read' }, schema: { summary: '报告打印视图（A4）', tags, params: idParam } }, async (req, reply) => {
    const rep = await loadReport(ctx.db, scopeOf(req, 'reports.read'), req.params.id);
    return reply.header('content-type', 'text/html; charset=utf-8').header('content-security-policy', PRINT_CSP).send(renderReportHtml(rep.rendered));
  });

  // ─── review upward ────────────────────────────────────────────────────────
  r.get('/api/report-reviews', {
    config: { auth: 'reports.review' }, schema: { summary: '下级组织报告汇总（状态与主要数据对照）', tags, querystring: reviewQuery },
  }, async (req) => reviewList(ctx.db, scopeOf(req, 'reports.review'), req.query, ctx.clock.today()));

  r.post('/api/reports/:id/comments', {
    config: { auth: 'reports.review', writes: true }, schema: { summary: '点评下级报告并评定等次', tags, params: idParam, body: commentInput },
  }, async (req, reply) => {
    const scope = scopeOf(req, 'reports.review');
    return reply.status(201).send(await write(ctx, scope.tenantId, auditActor(req), (w) => addComment(w, scope, actorOf(req), req.params.id, req.body)));
  });

  r.get('/api/reports/:id/comments', { config: { auth: 'reports.read' }, schema: { summary: '报告的点评意见', tags, params: idParam } },
    async (req) => listComments(ctx.db, scopeOf(req, 'reports.read'), req.params.id));

  // ─── rectification ────────────────────────────────────────────────────────
  r.post('/api/rectifications', {
    config: { auth: 'reports.review', writes: true }, schema: { summary: '提出整改事项', tags, body: rectificationInput },
  }, async (req, reply) => {
    const scope = scopeOf(req, 'reports.review');
    return reply.status(201).send(await write(ctx, scope.tenantId, auditActor(req), (w) => createRectification(w, scope, actorOf(req), req.body)));
  });

  r.get('/api/rectifications', { config: { auth: 'reports.read' }, schema: { summary: '整改事项列表', tags, querystring: rectificationListQuery } },
    async (req) => listRectifications(ctx.db, scopeOf(req, 'reports.read'), req.query));

  r.post('/api/rectifications/:id/close', {
    config: { auth: 'rectification.close', writes: true }, schema: { summary: '整改事项销号（须上传整改材料）', tags, params: idParam, body: rectificationCloseInput },
  }, async (req) => {
    const scope = scopeOf(req, 'rectification.close');
    return write(ctx, scope.tenantId, auditActor(req), (w) => closeRectification(w, scope, req.params.id, req.body));
  });

  // ─── county job ───────────────────────────────────────────────────────────
  r.post('/api/report-jobs', {
    config: { auth: 'reports.write', writes: true }, schema: { summary: '批量起草下级组织报告（后台任务）', tags, body: reportJobInput },
  }, async (req, reply) => {
    const scope = scopeOf(req, 'reports.write');
    return reply.status(202).send(await startReportJob(ctx, scope, auditActor(req), req.body));
  });

  r.get('/api/report-jobs/:id', { config: { auth: 'reports.write' }, schema: { summary: '批量起草任务进度', tags, params: idParam } },
    async (req) => reportJobStatus(ctx, scopeOf(req, 'reports.write'), req.params.id));

  // ─── figure catalogue ─────────────────────────────────────────────────────
  r.get('/api/figures/catalogue', {
    config: { auth: 'figures.read' }, schema: { summary: '数据项目录（含参数与本组织本年度示例值）', tags: ['figures'], querystring: catalogueQuery },
  }, async (req) => {
    let scope = scopeOf(req, 'figures.read');
    if (req.query.org) scope = await narrowToOrg(ctx.db, scope, req.query.org);
    const today = ctx.clock.today();
    const out = [];
    for (const def of allFigures()) {
      const params = def.params ? (() => { try { return z.toJSONSchema(def.params!); } catch { return null; } })() : null;
      const sample = def.params && !def.params.safeParse({}).success ? null
        : await def.compute({ db: ctx.db, scope, today }, { from: `${today.slice(0, 4)}-01-01`, to: today, params: def.params ? def.params.parse({}) : {} });
      out.push({ ...describeFigure(def), module: def.id.split('.')[0], params, sample: sample ? { value: sample.value, status: sample.status } : null });
    }
    return out;
  });
}
