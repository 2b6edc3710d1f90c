import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { one } from '../../db/connection.js';
import { parseIso } from '../../domain/dates.js';
import { percentOf } from '../../domain/orgLifeCounting.js';
import type { AppContext } from '../../platform/context.js';
import { invalid } from '../../platform/errors.js';
import { auditActor, scopeOf, typed } from '../../platform/http.js';
import { attachmentDisposition } from '../../platform/importer.js';
import { narrowToOrg, type Scope } from '../../platform/scope.js';
import { write } from '../../platform/write.js';
import { attendanceSummary } from './attendance.js';
import { complianceMatrix, loadCompliance, toObligationRows } from './compliance.js';
import { complianceQuery, expectedQuery, matrixQuery, meetingInput, meetingListQuery, meetingUpdate, rangeQuery } from './contract.js';
import { expectedAttendees, listMeetings, meetingDetail, orgOf } from './meetingQueries.js';
import { createMeeting, updateMeeting } from './meetings.js';
import { meetingRecordDocx, meetingRecordHtml } from './record.js';
import { orgLifeLedgerRoutes } from './ledgerRoutes.js';

/**
 * Organizational-life routes (issue 4). Reading needs `orgLife.read`, recording `orgLife.write`, the ledger
 * import `orgLife.import` (the module's own permissions, platform/permissions.ts); every
 * writing route goes through write() (one transaction, findings re-evaluated, audited). Ids and orgs
 * outside the caller's scope answer 404.
 */
const idParam = z.object({ id: z.coerce.number().int().positive() });
const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** The caller's scope narrowed to `org` (404 outside), with a period defaulting to the year to date. */
export async function scopeAndRange(ctx: AppContext, scope: Scope, q: { org?: number; from?: string; to?: string }) {
  const s = q.org ? await narrowToOrg(ctx.db, scope, q.org) : scope;
  const to = q.to ?? ctx.clock.today();
  const from = q.from ?? `${to.slice(0, 4)}-01-01`;
  if (from > to) throw invalid('开始日期不能晚于结束日期', { from: '开始日期不能晚于结束日期' });
  parseIso(from);
  parseIso(to);
  return { scope: s, from, to };
}

async function orgLabel(ctx: AppContext, orgId: number | undefined) {
  if (!orgId) return null;
  const o = await one<{ id: number; name: string; kind: string }>(ctx.db, sql`select id, name, kind from orgs where id = ${orgId}`);
  return o ? { id: Number(o.id), name: o.name, kind: o.kind } : null;
}

export function orgLifeRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = typed(app);

  r.get('/api/orgLife/meetings', { config: { auth: 'orgLife.read' }, schema: { summary: '会议记录列表', tags: ['orgLife'], querystring: meetingListQuery } },
    async (req) => listMeetings(ctx.db, scopeOf(req, 'orgLife.read'), req.query));

  r.get('/api/orgLife/meetings/expected', {
    config: { auth: 'orgLife.read' },
    schema: { summary: '会议当日应参加人员（出勤名单默认值）', tags: ['orgLife'], querystring: expectedQuery },
  }, async (req) => {
    const scope = scopeOf(req, 'orgLife.read');
    const org = await orgOf(ctx.db, scope, req.query.org);
    return { org: { id: org.id, name: org.name, kind: org.kind }, people: await expectedAttendees(ctx.db, scope.tenantId, org, req.query.kind, req.query.date) };
  });

  r.post('/api/orgLife/meetings', {
    config: { auth: 'orgLife.write', writes: true },
    schema: { summary: '记录会议（出勤名单省略时按当日应参加人员全部出席记录）', tags: ['orgLife'], body: meetingInput },
  }, async (req, reply) => {
    const scope = scopeOf(req, 'orgLife.write');
    const out = await write(ctx, scope.tenantId, auditActor(req), (w) => createMeeting(w, scope, req.body));
    return reply.status(201).send(out);
  });

  r.get('/api/orgLife/meetings/:id', { config: { auth: 'orgLife.read' }, schema: { summary: '会议记录详情', tags: ['orgLife'], params: idParam } },
    async (req) => meetingDetail(ctx.db, scopeOf(req, 'orgLife.read'), req.params.id));

  r.put('/api/orgLife/meetings/:id', {
    config: { auth: 'orgLife.write', writes: true },
    schema: { summary: '修改会议记录', tags: ['orgLife'], params: idParam, body: meetingUpdate },
  }, async (req) => {
    const scope = scopeOf(req, 'orgLife.write');
    return write(ctx, scope.tenantId, auditActor(req), (w) => updateMeeting(w, scope, req.params.id, req.body));
  });

  r.get('/api/orgLife/meetings/:id/record.docx', {
    config: { auth: 'orgLife.read' },
    schema: { summary: '会议记录（Word，GB/T 9704 版式）', tags: ['orgLife'], params: idParam },
  }, async (req, reply) => {
    const m = await meetingDetail(ctx.db, scopeOf(req, 'orgLife.read'), req.params.id);
    const buffer = await meetingRecordDocx(m);
    return reply.header('content-type', DOCX_MIME)
      .header('content-disposition', attachmentDisposition(`${m.orgName}${m.heldOn}会议记录.docx`, `meeting-${m.id}.docx`))
      .send(buffer);
  });

  r.get('/api/orgLife/meetings/:id/print', {
    config: { auth: 'orgLife.read' },
    schema: { summary: '会议记录（打印页）', tags: ['orgLife'], params: idParam },
  }, async (req, reply) => {
    const m = await meetingDetail(ctx.db, scopeOf(req, 'orgLife.read'), req.params.id);
    return reply.header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'")
      .header('x-content-type-options', 'nosniff')
      .send(meetingRecordHtml(m));
  });

  r.get('/api/orgLife/compliance', {
    config: { auth: 'orgLife.read' },
    schema: { summary: '组织生活应尽事项完成情况（期间内各事项：已完成／即将到期／已逾期，及完成该事项的会议）', tags: ['orgLife'], querystring: complianceQuery },
  }, async (req) => {
    const { scope, from, to } = await scopeAndRange(ctx, scopeOf(req, 'orgLife.read'), req.query);
    const data = await loadCompliance(ctx.db, scope.tenantId, scope.paths, from, to, ctx.clock.today(), { withTopics: true, mode: req.query.mode });
    const obligations = toObligationRows(data);
    const count = (s: string) => obligations.filter((o) => o.status === s).length;
    const done = count('done');
    const overdue = count('overdue');
    return {
      org: await orgLabel(ctx, req.query.org), from, to, today: ctx.clock.today(),
      summary: { total: obligations.length, done, overdue, dueSoon: count('dueSoon'), notYetDue: count('notYetDue'), rate: percentOf(done, done + overdue) },
      obligations,
    };
  });

  r.get('/api/orgLife/matrix', {
    config: { auth: 'orgLife.read' },
    schema: { summary: '下级党支部组织生活完成情况（组织 × 月份，热力图）', tags: ['orgLife'], querystring: matrixQuery },
  }, async (req) => {
    const base = scopeOf(req, 'orgLife.read');
    const s = req.query.org ? await narrowToOrg(ctx.db, base, req.query.org) : base;
    const month = req.query.month ?? ctx.clock.today().slice(0, 7);
    const org = await orgLabel(ctx, req.query.org);
    return complianceMatrix(ctx.db, s.tenantId, s.paths, month, ctx.clock.today(), org ? { id: org.id, name: org.name } : null);
  });

  r.get('/api/orgLife/attendance', {
    config: { auth: 'orgLife.read' },
    schema: { summary: '出勤情况（按会议、按党员、按组织）及连续未参加组织生活的党员', tags: ['orgLife'], querystring: rangeQuery },
  }, async (req) => {
    const { scope, from, to } = await scopeAndRange(ctx, scopeOf(req, 'orgLife.read'), req.query);
    return { from, to, ...(await attendanceSummary(ctx.db, scope.tenantId, scope.paths, from, to, ctx.clock.today())) };
  });

  orgLifeLedgerRoutes(app, ctx);
}
