import { sql } from 'drizzle-orm';
import { one, rows, type Db } from '../../db/connection.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { getFigure } from '../../platform/figures.js';
import { roleHas } from '../../platform/permissions.js';
import { narrowToOrg, pathPredicate, type Scope, type SessionActor } from '../../platform/scope.js';
import type { WriteCtx } from '../../platform/write.js';
import { scopeForPath } from './engine.js';
import { gradeList, loadReport } from './service.js';

/**
 * Review upward (述职评议, DOMAIN.md §9.1): the reviewing org reads its direct subordinates' reports
 * side by side, comments and grades them (grades from the `reports.grades` setting), and raises
 * rectification items, which stay findings of the subordinate org until closed (销号) with evidence.
 */
const KEY_FIGURES = [
  { id: 'members.count', label: '党员数', period: 'cumulative' as const },
  { id: 'orgLife.meeting.held', label: '召开会议次数', period: 'year' as const },
  { id: 'orgLife.compliance.rate', label: '组织生活完成率', period: 'year' as const },
  { id: 'reports.rectification.open', label: '未销号整改事项', period: 'cumulative' as const },
];

export async function reviewList(db: Db, scope: Scope, q: { org: number; year: number }, today: string) {
  const s = await narrowToOrg(db, scope, q.org);
  const children = await rows<{ id: number; name: string; path: string; kind: string }>(db, sql`
    select id, name, path, kind from orgs where tenant_id = ${scope.tenantId} and parent_id = ${q.org} and kind <> 'partyGroup'
    and (dissolved_on is null or dissolved_on >= ${`${q.year}-01-01`}) and ${pathPredicate(sql`path`, s)} order by sort_order, id`);
  const reports = await rows<{ id: number; org_id: number; status: string; title: string; report_version: number; finalized_at: string | null }>(db, sql`
    select distinct on (org_id) id, org_id, status, title, report_version, finalized_at from reports
    where tenant_id = ${scope.tenantId} and year = ${q.year} and org_id in (select id from orgs where parent_id = ${q.org}) and ${pathPredicate(sql`org_path`, s)}
    order by org_id, (status = 'final') desc, report_version desc`);
  const comments = await rows<{ report_id: number; grade: string }>(db, sql`
    select report_id, grade from report_comments where tenant_id = ${scope.tenantId} and year = ${q.year} and ${pathPredicate(sql`org_path`, s)} order by id`);
  const byOrg = new Map(reports.map((r) => [Number(r.org_id), r]));
  const gradeOf = new Map(comments.map((c) => [Number(c.report_id), c.grade]));
  const out = [];
  for (const c of children) {
    const figures: Record<string, { label: string; value: number | null }> = {};
    for (const f of KEY_FIGURES) {
      const def = getFigure(f.id);
      if (!def) continue;
      const from = f.period === 'year' ? `${q.year}-01-01` : '1900-01-01';
      const v = await def.compute({ db, scope: scopeForPath(scope.tenantId, c.path), today }, { from, to: `${q.year}-12-31`, params: {} });
      figures[f.id] = { label: def.label, value: v.status === 'ok' ? v.value : null };
    }
    const r = byOrg.get(Number(c.id));
    out.push({
      org: { id: Number(c.id), name: c.name, kind: c.kind },
      report: r ? { id: Number(r.id), status: r.status, title: r.title, reportVersion: r.report_version, finalizedAt: r.finalized_at, grade: gradeOf.get(Number(r.id)) ?? null } : null,
      figures,
    });
  }
  return { org: q.org, year: q.year, grades: await gradeList(db, scope.tenantId, s.orgPath), items: out };
}

/** The deepest org at which the actor holds reports.review over `path`, strictly above it. */
async function reviewerOrg(db: Db, actor: SessionActor, path: string) {
  const g = actor.grants.filter((x) => roleHas(x.role, 'reports.review') && path.startsWith(x.path) && path !== x.path)
    .sort((a, b) => b.path.length - a.path.length)[0];
  if (!g) throw conflict('只能点评下级组织的报告');
  const o = await one<{ id: number; name: string }>(db, sql`select id, name from orgs where id = ${g.orgId}`);
  return { id: Number(o!.id), name: o!.name };
}

export async function addComment(w: WriteCtx, scope: Scope, actor: SessionActor, reportId: number, input: { strengths: string; problems: string; grade: string }) {
  const r = await loadReport(w.tx, scope, reportId);
  if (r.status !== 'final') throw conflict('只能点评已定稿的报告');
  const grades = await gradeList(w.tx, w.tenantId, r.org_path);
  if (!grades.includes(input.grade)) throw invalid(`评定等次应为：${grades.join('、')}`, { grade: '等次不正确' });
  const reviewer = await reviewerOrg(w.tx, actor, r.org_path);
  const c = await one<{ id: number }>(w.tx, sql`insert into report_comments (tenant_id, report_id, org_id, org_path, year, reviewer_org_id, reviewer_label, strengths, problems, grade, created_at, updated_at)
    values (${w.tenantId}, ${r.id}, ${r.org_id}, ${r.org_path}, ${r.year}, ${reviewer.id}, ${reviewer.name}, ${input.strengths}, ${input.problems}, ${input.grade}, ${w.now}, ${w.now}) returning id`);
  w.audit({ action: 'create', entity: 'reportComment', entityId: c!.id, orgId: r.org_id, after: { reportId: r.id, ...input, reviewer: reviewer.name } });
  return { id: Number(c!.id) };
}

export async function listComments(db: Db, scope: Scope, reportId: number) {
  const r = await loadReport(db, scope, reportId);
  const list = await rows<{ id: number; reviewer_label: string; strengths: string; problems: string; grade: string; created_at: string }>(db, sql`
    select id, reviewer_label, strengths, problems, grade, created_at from report_comments where report_id = ${r.id} order by id`);
  return list.map((c) => ({ id: Number(c.id), reviewer: c.reviewer_label, strengths: c.strengths, problems: c.problems, grade: c.grade, createdAt: c.created_at }));
}

export async function createRectification(w: WriteCtx, scope: Scope, actor: SessionActor, input: { reportId: number; commentId?: number; problem: string; ownerName: string; deadline: string; evidenceRequired: string }) {
  const r = await loadReport(w.tx, scope, input.reportId);
  await reviewerOrg(w.tx, actor, r.org_path);
  if (input.commentId) {
    const c = await one(w.tx, sql`select id from report_comments where id = ${input.commentId} and report_id = ${r.id}`);
    if (!c) throw notFound('点评意见');
  }
  if (input.deadline < w.today) throw invalid('整改期限不能早于今天', { deadline: '整改期限不能早于今天' });
  const i = await one<{ id: number }>(w.tx, sql`insert into rectification_items (tenant_id, report_id, comment_id, org_id, org_path, year, problem, owner_name, deadline, evidence_required, created_at, updated_at)
    values (${w.tenantId}, ${r.id}, ${input.commentId ?? null}, ${r.org_id}, ${r.org_path}, ${r.year}, ${input.problem}, ${input.ownerName}, ${input.deadline}, ${input.evidenceRequired}, ${w.now}, ${w.now}) returning id`);
  w.audit({ action: 'create', entity: 'rectificationItem', entityId: i!.id, orgId: r.org_id, after: input });
  w.touch('rectificationItem', r.org_path);
  return { id: Number(i!.id) };
}

export async function listRectifications(db: Db, scope: Scope, q: { org?: number; year?: number; status?: 'open' | 'closed' }) {
  const s = q.org ? await narrowToOrg(db, scope, q.org) : scope;
  const list = await rows<Record<string, any>>(db, sql`select i.*, o.name as org_name from rectification_items i join orgs o on o.id = i.org_id
    where i.tenant_id = ${scope.tenantId} and ${pathPredicate(sql`i.org_path`, s)} ${q.year ? sql`and i.year = ${q.year}` : sql``}
    ${q.status === 'open' ? sql`and not i.closed` : q.status === 'closed' ? sql`and i.closed` : sql``} order by i.deadline, i.id limit 1000`);
  return list.map((i) => ({
    id: Number(i.id), reportId: Number(i.report_id), commentId: i.comment_id ? Number(i.comment_id) : null, orgId: Number(i.org_id), orgName: i.org_name,
    year: i.year, problem: i.problem, ownerName: i.owner_name, deadline: i.deadline, evidenceRequired: i.evidence_required,
    status: i.closed ? 'closed' : 'open', closedOn: i.closed_on, closedBy: i.closed_by, closeNote: i.close_note, attachmentIds: (i.attachment_ids ?? []).map(Number), version: i.version,
  }));
}

/** 销号: the org's partyWorker/orgAdmin closes the item with a note and at least one attachment in scope. */
export async function closeRectification(w: WriteCtx, scope: Scope, id: number, input: { note: string; attachmentIds: number[] }) {
  const i = await one<{ id: number; org_id: number; org_path: string; closed: boolean }>(w.tx, sql`
    select id, org_id, org_path, closed from rectification_items where id = ${id} and tenant_id = ${w.tenantId} and ${pathPredicate(sql`org_path`, scope)} for update`);
  if (!i) throw notFound('整改事项');
  if (i.closed) throw conflict('该整改事项已销号');
  const ids = [...new Set(input.attachmentIds)];
  const found = await one<{ n: number }>(w.tx, sql`select count(*)::int as n from attachments where tenant_id = ${w.tenantId} and id in (${sql.join(ids.map((x) => sql`${x}`), sql`, `)}) and ${pathPredicate(sql`org_path`, scope)}`);
  if ((found?.n ?? 0) !== ids.length) throw notFound('附件');
  await w.tx.execute(sql`update rectification_items set closed = true, closed_on = ${w.today}, closed_by = ${w.actor.label}, close_note = ${input.note},
    attachment_ids = ${`{${ids.join(',')}}`}::int[], version = version + 1, updated_at = ${w.now} where id = ${id}`);
  w.audit({ action: 'update', entity: 'rectificationItem', entityId: id, orgId: Number(i.org_id), meta: { change: 'close' }, after: { note: input.note, attachmentIds: ids } });
  w.touch('rectificationItem', i.org_path);
  return { id, status: 'closed' as const, closedOn: w.today };
}
