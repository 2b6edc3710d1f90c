import { sql } from 'drizzle-orm';
import { one, rows, type Db } from '../../db/connection.js';
import { indicatorsOf, toHundredths } from '../../domain/assessmentRules.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { evidenceDigest, getFigure } from '../../platform/figures.js';
import { narrowToOrg, pathPredicate, type Scope } from '../../platform/scope.js';
import { getSetting } from '../../platform/settings.js';
import type { WriteCtx } from '../../platform/write.js';
import type { FinishInput, OrgSheet, ScoreInput } from './contract.js';
import { computeSheet, figureEvidence, type SessionRow } from './score.js';
import { ASSESSMENT_SETTINGS } from './settings.js';
import { getTree } from './trees.js';

/**
 * Sessions (述职评议考核, DOMAIN.md §9.1): a committee scores a set of orgs in its subtree for a year
 * from an indicator tree. A draft's figure-based scores follow the records; finishing it (the committee
 * confirms each grade, a change from the proposal needs a reason) freezes the sheet like a finalized
 * report, with every figure's evidence digest.
 */
const intArray = (v: unknown): number[] => (Array.isArray(v) ? v : String(v ?? '').replace(/[{}]/g, '').split(',').filter(Boolean)).map(Number);

export async function loadSession(db: Db, scope: Scope, id: number, lock = false): Promise<SessionRow> {
  const s = await one<SessionRow>(db, sql`select * from assessment_sessions where id = ${id} and tenant_id = ${scope.tenantId} and ${pathPredicate(sql`org_path`, scope)} ${lock ? sql`for update` : sql``}`);
  if (!s) throw notFound('考核');
  return { ...s, id: Number(s.id), org_id: Number(s.org_id), tenant_id: Number(s.tenant_id), org_ids: intArray(s.org_ids) };
}

export async function createSession(w: WriteCtx, scope: Scope, input: { org: number; year: number; title: string; treeKey: string; treeVersion?: number; orgIds: number[] }) {
  const s = await narrowToOrg(w.tx, scope, input.org);
  if (s.paths.length !== 1 || s.paths[0] !== s.orgPath) throw notFound('组织');
  const tree = await getTree(w.tx, w.tenantId, input.treeKey, input.treeVersion);
  const ids = [...new Set(input.orgIds)];
  const found = await rows<{ id: number }>(w.tx, sql`select id from orgs where tenant_id = ${w.tenantId} and id in (${sql.join(ids.map((x) => sql`${x}`), sql`, `)})
    and path like ${`${s.orgPath}%`} and path <> ${s.orgPath}`);
  if (found.length !== ids.length) throw invalid('参加考核的组织应是本组织的下级组织', { orgIds: '组织不在本组织下级' });
  const row = await one<{ id: number }>(w.tx, sql`insert into assessment_sessions (tenant_id, org_id, org_path, year, title, tree_key, tree_version, tree, org_ids, status, created_at, updated_at)
    values (${w.tenantId}, ${input.org}, ${s.orgPath}, ${input.year}, ${input.title}, ${tree.key}, ${tree.version}, ${JSON.stringify(tree.tree)}::jsonb,
      ${`{${ids.join(',')}}`}::int[], 'draft', ${w.now}, ${w.now}) returning id`);
  w.audit({ action: 'create', entity: 'assessmentSession', entityId: row!.id, orgId: input.org, after: { ...input, treeVersion: tree.version } });
  return { id: Number(row!.id) };
}

export async function listSessions(db: Db, scope: Scope, q: { org?: number; year?: number }) {
  const s = q.org ? await narrowToOrg(db, scope, q.org) : scope;
  const list = await rows<{ id: number; org_id: number; org_name: string; year: number; title: string; status: string; tree_key: string; tree_version: number; org_ids: unknown; finished_at: string | null }>(db, sql`
    select a.id, a.org_id, o.name as org_name, a.year, a.title, a.status, a.tree_key, a.tree_version, a.org_ids, a.finished_at from assessment_sessions a join orgs o on o.id = a.org_id
    where a.tenant_id = ${scope.tenantId} and ${pathPredicate(sql`a.org_path`, s)} ${q.year ? sql`and a.year = ${q.year}` : sql``} order by a.year desc, a.id desc limit 500`);
  return list.map((a) => ({ id: Number(a.id), orgId: Number(a.org_id), orgName: a.org_name, year: a.year, title: a.title, status: a.status, treeKey: a.tree_key, treeVersion: a.tree_version, orgCount: intArray(a.org_ids).length, finishedAt: a.finished_at }));
}

/** The score sheet: frozen for a finished session, computed from today's records for a draft. */
export async function sessionSheet(db: Db, scope: Scope, id: number, today: string) {
  const s = await loadSession(db, scope, id);
  const orgs: OrgSheet[] = s.status === 'final' ? s.result!.orgs : await computeSheet(db, s, today, { digests: false });
  const grades = (await getSetting(db, s.tenant_id, s.org_path, ASSESSMENT_SETTINGS.gradeCutoffs)).map((c) => c.grade);
  return {
    id: s.id, orgId: s.org_id, year: s.year, title: s.title, status: s.status, treeKey: s.tree_key, treeVersion: s.tree_version, tree: s.tree,
    finishedAt: s.finished_at, finishedBy: s.finished_by, grades, orgs,
  };
}

export async function setInput(w: WriteCtx, scope: Scope, id: number, input: ScoreInput) {
  const s = await loadSession(w.tx, scope, id, true);
  if (s.status !== 'draft') throw conflict('考核已完成，分数已冻结，不能修改');
  if (!s.org_ids.includes(input.org)) throw notFound('参加考核的组织');
  const ind = indicatorsOf(s.tree).find((i) => i.key === input.indicator);
  if (!ind) throw notFound('考核指标');
  const score = input.score ?? null;
  if (score !== null && score > ind.maxScore) throw invalid(`得分不能超过满分 ${ind.maxScore} 分`, { score: '得分超过满分' });
  if (score !== null && Math.abs(toHundredths(score) - score * 100) > 1e-6) throw invalid('得分最多两位小数', { score: '得分最多两位小数' });
  if (score !== null && !input.note?.trim()) throw invalid('人工评分须写明评分理由', { note: '请填写评分理由' });
  if (ind.rule.kind === 'manual' && score === null) throw invalid('请填写得分', { score: '请填写得分' });
  let ratings: Record<string, number> | null = null;
  if (input.ratings) {
    if (ind.rule.kind !== 'rating') throw invalid('该指标不是现场测评指标', { ratings: '该指标不是现场测评指标' });
    const weights = await getSetting(w.tx, w.tenantId, s.org_path, ASSESSMENT_SETTINGS.ratingWeights);
    const unknown = Object.keys(input.ratings).filter((g) => !(g in weights));
    if (unknown.length) throw invalid(`测评等次应为：${Object.keys(weights).join('、')}`, { ratings: '测评等次不正确' });
    ratings = input.ratings;
  }
  const org = await one<{ path: string }>(w.tx, sql`select path from orgs where id = ${input.org}`);
  const row = await one<{ id: number; version: number }>(w.tx, sql`insert into assessment_inputs (tenant_id, session_id, org_id, org_path, indicator_key, score, ratings, note, attachment_ids, created_at, updated_at)
    values (${w.tenantId}, ${s.id}, ${input.org}, ${org!.path}, ${input.indicator}, ${score === null ? null : toHundredths(score)}, ${ratings ? JSON.stringify(ratings) : null}::jsonb,
      ${input.note ?? null}, ${`{${(input.attachmentIds ?? []).join(',')}}`}::int[], ${w.now}, ${w.now})
    on conflict (session_id, org_id, indicator_key) do update set score = excluded.score, ratings = excluded.ratings, note = excluded.note,
      attachment_ids = excluded.attachment_ids, version = assessment_inputs.version + 1, updated_at = excluded.updated_at returning id, version`);
  w.audit({ action: row!.version > 1 ? 'update' : 'create', entity: 'assessmentInput', entityId: row!.id, orgId: input.org, after: { sessionId: s.id, ...input } });
  return { id: Number(row!.id), version: row!.version };
}

export async function finishSession(w: WriteCtx, scope: Scope, id: number, input: FinishInput) {
  const s = await loadSession(w.tx, scope, id, true);
  if (s.status !== 'draft') throw conflict('该考核已经完成');
  const sheet = await computeSheet(w.tx, s, w.today, { digests: true });
  const incomplete = sheet.filter((o) => o.total === null).map((o) => `${o.org.name}（${o.cells.filter((c) => c.score === null).map((c) => c.label).join('、')}）`);
  if (incomplete.length) throw conflict(`以下组织还有未得分的指标：${incomplete.join('；')}`);
  const grades = (await getSetting(w.tx, w.tenantId, s.org_path, ASSESSMENT_SETTINGS.gradeCutoffs)).map((c) => c.grade);
  const given = new Map(input.grades.map((g) => [g.org, g]));
  for (const o of sheet) {
    const g = given.get(o.org.id);
    if (!g) throw invalid(`请确定${o.org.name}的等次`, { grades: '有组织未确定等次' });
    if (!grades.includes(g.grade)) throw invalid(`等次应为：${grades.join('、')}`, { grades: '等次不正确' });
    if (g.grade !== o.proposed && !g.reason?.trim()) throw invalid(`${o.org.name}的等次与按分数线建议的“${o.proposed}”不同，须写明理由`, { grades: '调整等次须写明理由' });
    o.grade = g.grade;
    o.gradeReason = g.grade !== o.proposed ? g.reason!.trim() : null;
  }
  await w.tx.execute(sql`update assessment_sessions set status = 'final', result = ${JSON.stringify({ orgs: sheet })}::jsonb, finished_at = ${w.now}, finished_by = ${w.actor.label},
    version = version + 1, updated_at = ${w.now} where id = ${s.id}`);
  w.audit({ action: 'update', entity: 'assessmentSession', entityId: s.id, orgId: s.org_id, meta: { change: 'finish' }, after: { grades: sheet.map((o) => ({ org: o.org.id, total: o.total, proposed: o.proposed, grade: o.grade })) } });
  w.touch('assessmentSession', s.org_path);
  return { id: s.id, status: 'final' as const };
}

/** The evidence behind one score: the rows of its figure (and of the figure it subtracts), today and as frozen. */
export async function scoreEvidence(db: Db, scope: Scope, id: number, q: { org: number; indicator: string; offset: number; limit: number }, today: string) {
  const s = await loadSession(db, scope, id);
  if (!s.org_ids.includes(q.org)) throw notFound('参加考核的组织');
  const ind = indicatorsOf(s.tree).find((i) => i.key === q.indicator);
  if (!ind) throw notFound('考核指标');
  const org = await one<{ path: string; name: string }>(db, sql`select path, name from orgs where id = ${q.org}`);
  const r = ind.rule;
  const inputRow = await one<{ note: string | null; ratings: unknown; attachment_ids: unknown }>(db, sql`select note, ratings, attachment_ids from assessment_inputs where session_id = ${s.id} and org_id = ${q.org} and indicator_key = ${q.indicator}`);
  const input = inputRow ? { note: inputRow.note, ratings: inputRow.ratings, attachmentIds: intArray(inputRow.attachment_ids) } : null;
  if (r.kind !== 'deductPer' && r.kind !== 'awardPer' && r.kind !== 'percent') return { org: { id: q.org, name: org!.name }, indicator: ind, figures: [], input };
  const refs = [r.figure, ...(r.kind === 'deductPer' && r.minus ? [r.minus] : [])];
  const frozen = s.status === 'final' ? s.result!.orgs.find((o) => o.org.id === q.org)?.cells.find((c) => c.indicator === q.indicator)?.digest ?? null : null;
  const figures = [];
  const all = [];
  for (const ref of refs) {
    const items = await figureEvidence(db, s.tenant_id, org!.path, s.year, today, ref);
    all.push(...items);
    figures.push({ id: ref.id, label: getFigure(ref.id)?.label ?? ref.id, key: ref.key ?? null, total: items.length, items: items.slice(q.offset, q.offset + q.limit) });
  }
  return { org: { id: q.org, name: org!.name }, indicator: ind, figures, input, frozenDigest: frozen, changedSinceFinish: frozen === null ? null : frozen !== evidenceDigest(all) };
}
