import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { actorOf, auditActor, scopeOf, typed } from '../../platform/http.js';
import { XLSX_MIME, attachmentDisposition, startImportRun } from '../../platform/importer.js';
import { receiveSpreadsheet } from '../../platform/uploadLimits.js';
import { narrowToOrg } from '../../platform/scope.js';
import { write } from '../../platform/write.js';
import { heartTalkInput, reviewOpenInput, reviewSaveInput, studyPlanInput, studyRecordInput, yearQuery } from './contract.js';
import { importLedger, ledgerTemplateXlsx } from './ledgerImport.js';
import { listReviews, openReview, reviewDetail, saveReview } from './reviews.js';
import { myOrgLife, createStudyRecord, saveStudyPlan, studyHours } from './study.js';
import { createHeartTalk, heartTalkCoverageFor, listHeartTalks } from './talks.js';

/** The ledgers (台账) beside meetings: heart talks, member review, study hours, the member's own view and the ledger import (issue 4 §3–§5, §9). */
const idParam = z.object({ id: z.coerce.number().int().positive() });

export function orgLifeLedgerRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = typed(app);
  const yearOf = (y?: number) => y ?? Number(ctx.clock.today().slice(0, 4));
  const narrowed = async (req: { query: { org?: number } }, scope: ReturnType<typeof scopeOf>) => (req.query.org ? narrowToOrg(ctx.db, scope, req.query.org) : scope);

  r.get('/api/orgLife/talks', {
    config: { auth: 'orgLife.read' },
    schema: { summary: '谈心谈话记录与年度覆盖情况', tags: ['orgLife'], querystring: yearQuery },
  }, async (req) => {
    const s = await narrowed(req, scopeOf(req, 'orgLife.read'));
    const year = yearOf(req.query.year);
    const coverage = await heartTalkCoverageFor(ctx.db, s.tenantId, s.paths, year, ctx.clock.today());
    return {
      year,
      talks: await listHeartTalks(ctx.db, s.tenantId, s.paths, year),
      coverage: coverage.map((c) => ({
        orgId: c.orgId, orgName: c.orgName, talks: c.talks, required: c.coverage.required, covered: c.coverage.covered, percent: c.coverage.percent,
        missingPairs: c.coverage.missingPairs.map((p) => ({ a: c.names.get(p.a) ?? String(p.a), b: c.names.get(p.b) ?? String(p.b) })),
        missingMembers: c.coverage.missingMembers.map((m) => c.names.get(m) ?? String(m)),
      })),
    };
  });

  r.post('/api/orgLife/talks', {
    config: { auth: 'orgLife.write', writes: true },
    schema: { summary: '记录谈心谈话', tags: ['orgLife'], body: heartTalkInput },
  }, async (req, reply) => {
    const scope = scopeOf(req, 'orgLife.write');
    return reply.status(201).send(await write(ctx, scope.tenantId, auditActor(req), (w) => createHeartTalk(w, scope, req.body)));
  });

  r.get('/api/orgLife/reviews', { config: { auth: 'orgLife.read' }, schema: { summary: '民主评议党员（各支部各年度）', tags: ['orgLife'], querystring: yearQuery } }, async (req) => {
    const s = await narrowed(req, scopeOf(req, 'orgLife.read'));
    return listReviews(ctx.db, s.tenantId, s.paths, req.query.year);
  });

  r.get('/api/orgLife/reviews/:id', { config: { auth: 'orgLife.read' }, schema: { summary: '民主评议详情', tags: ['orgLife'], params: idParam } },
    async (req) => reviewDetail(ctx.db, scopeOf(req, 'orgLife.read'), req.params.id));

  r.post('/api/orgLife/reviews', {
    config: { auth: 'orgLife.write', writes: true },
    schema: { summary: '开展年度民主评议（名单为该年度党支部党员）', tags: ['orgLife'], body: reviewOpenInput },
  }, async (req, reply) => {
    const scope = scopeOf(req, 'orgLife.write');
    return reply.status(201).send(await write(ctx, scope.tenantId, auditActor(req), (w) => openReview(w, scope, req.body)));
  });

  r.put('/api/orgLife/reviews/:id', {
    config: { auth: 'orgLife.write', writes: true },
    schema: { summary: '保存自评、互评票数和评定等次（conclude=true 结束评议）', tags: ['orgLife'], params: idParam, body: reviewSaveInput },
  }, async (req) => {
    const scope = scopeOf(req, 'orgLife.write');
    return write(ctx, scope.tenantId, auditActor(req), (w) => saveReview(w, scope, req.params.id, req.body));
  });

  r.get('/api/orgLife/study', { config: { auth: 'orgLife.read' }, schema: { summary: '党员年度学习学时', tags: ['orgLife'], querystring: yearQuery } }, async (req) => {
    const s = await narrowed(req, scopeOf(req, 'orgLife.read'));
    const year = yearOf(req.query.year);
    const members = await studyHours(ctx.db, s.tenantId, s.paths, year);
    return { year, members, metCount: members.filter((m) => m.met).length };
  });

  r.post('/api/orgLife/study/records', {
    config: { auth: 'orgLife.write', writes: true },
    schema: { summary: '记录自学、培训学时（分钟数，或脱产培训天数：1天计8学时）', tags: ['orgLife'], body: studyRecordInput },
  }, async (req, reply) => {
    const scope = scopeOf(req, 'orgLife.write');
    return reply.status(201).send(await write(ctx, scope.tenantId, auditActor(req), (w) => createStudyRecord(w, scope, req.body)));
  });

  r.put('/api/orgLife/study/plans', {
    config: { auth: 'orgLife.write', writes: true },
    schema: { summary: '保存党员个人年度学习计划', tags: ['orgLife'], body: studyPlanInput },
  }, async (req) => {
    const scope = scopeOf(req, 'orgLife.write');
    return write(ctx, scope.tenantId, auditActor(req), (w) => saveStudyPlan(w, scope, req.body));
  });

  r.get('/api/orgLife/me', {
    config: { auth: 'self.read' },
    schema: { summary: '本人组织生活：出勤、学时和学习计划', tags: ['orgLife'], querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() }) },
  }, async (req) => {
    const actor = actorOf(req);
    const year = yearOf(req.query.year);
    if (!actor.personId) return { year, attendance: [], study: null, records: [] };
    return myOrgLife(ctx.db, actor.tenantId, actor.personId, year);
  });

  r.get('/api/orgLife/meetings/import/template', {
    config: { auth: 'orgLife.import' },
    schema: { summary: '下载会议台账导入模板（xlsx）', tags: ['orgLife'] },
  }, async (_req, reply) => reply.header('content-type', XLSX_MIME)
    .header('content-disposition', attachmentDisposition('会议台账导入模板.xlsx', 'meeting-ledger-template.xlsx'))
    .send(await ledgerTemplateXlsx()));

  r.post('/api/orgLife/meetings/import', {
    config: { auth: 'orgLife.import', writes: true },
    schema: { summary: '导入历史会议台账（multipart 字段 file：每行一次会议，出席人员为姓名列表；全部正确才导入）', tags: ['orgLife'], consumes: ['multipart/form-data'] },
  }, async (req, reply) => {
    const actor = actorOf(req);
    const scope = scopeOf(req, 'orgLife.import');
    const { file, buffer, maxConcurrent } = await receiveSpreadsheet(req, ctx.db, actor.tenantId);
    const runCtx: AppContext = { ...ctx, db: ctx.db };
    const filename = file.filename || '会议台账';
    const run = startImportRun(
      { kind: 'meetings', tenantId: actor.tenantId, userId: actor.userId, filename, nowIso: ctx.clock.nowIso(), dataDir: ctx.dataDir, maxConcurrent },
      async (onProgress) => importLedger(runCtx, { tenantId: actor.tenantId, actor: auditActor(req), scope }, { buffer, filename }, onProgress),
    );
    return reply.status(202).send({ runId: run.id });
  });
}
