import { sql, type SQL } from 'drizzle-orm';
import { one, rows } from '../../db/connection.js';
import { percentOf } from '../../domain/orgLifeCounting.js';
import { MEETING_KINDS, ORG_LIFE_2018, meetingKindLabel, periodLabel, type ObligationResult } from '../../domain/orgLifeRules.js';
import { registerFigure, rollUp, sumOf, type BreakdownItem, type EvidenceRow, type FigureContext, type FigureQuery, type OrgFigureValue } from '../../platform/figures.js';
import { pathPredicate } from '../../platform/scope.js';
import { isCounted, loadCompliance } from './compliance.js';
import { settingsResolver } from './settings.js';
import { heartTalkCoverageFor } from './talks.js';

/**
 * Organizational-life figures (issue 4 §6), each over the requested subtree ∩ the caller's scope and a
 * period [from, to], each with evidence whose rows number exactly a count's value (or whose
 * `contributes` add up to a sum; for a percent, to its numerator over the denominator's rows).
 */
const KIND_DIM = { kind: '会议类型' };
const kindKeys = MEETING_KINDS.map((k) => ({ key: k.key, label: k.label }));
/** A count lists every kind (0 is a true count, so a report can say "0次"); a percent only the kinds it has a denominator for. */
const byKindBreakdown = (counts: Map<string, { n: number; d?: number }>, percent = false): BreakdownItem[] =>
  kindKeys.filter((k) => !percent || counts.has(k.key)).map((k) => {
    const c = counts.get(k.key) ?? { n: 0 };
    return percent ? { ...k, value: percentOf(c.n, c.d ?? 0) ?? 0, numerator: c.n, denominator: c.d ?? 0 } : { ...k, value: c.n };
  });
/** Batch helper: grouped rows (org path, key, numbers) summed to each requested path, then shaped per path. */
async function byOrg(ctx: FigureContext, paths: string[], query: SQL, shape: (m: Map<string, number[]>) => OrgFigureValue): Promise<Map<string, OrgFigureValue>> {
  const r = await rows<{ path: string; k: string | null; n: number; d?: number }>(ctx.db, query);
  const sums = rollUp(paths, r.map((x) => ({ path: x.path, k: x.k ?? '', v: x.d === undefined ? [x.n] : [x.n, x.d] })));
  return new Map(paths.map((p) => [p, shape(sums.get(p)!)]));
}
const firsts = (m: Map<string, number[]>) => new Map([...m].map(([k, v]) => [k, { n: v[0]!, d: v[1] }]));
const page = <T,>(list: T[], p: { offset: number; limit: number }) => list.slice(p.offset, p.offset + p.limit);

// ─── meetings held ──────────────────────────────────────────────────────────

const heldWhere = (ctx: FigureContext, q: FigureQuery): SQL =>
  sql`m.tenant_id = ${ctx.scope.tenantId} and ${pathPredicate(sql`m.org_path`, ctx.scope)} and m.counts_as_held and m.held_on >= ${q.from} and m.held_on <= ${q.to}`;

registerFigure({
  id: 'orgLife.meeting.held',
  label: '召开会议次数',
  definition: '统计期内按召开日期计，本组织（含下级）召开并计为已召开的各类组织生活会议次数（不足半数委员到会的支委会不计；每次会议按主要类型计一次）。',
  unit: 'count', kind: 'flow', source: 'DOMAIN.md §3.3, §3.4', dimensions: KIND_DIM,
  async compute(ctx, q) {
    const r = await rows<{ k: string; n: number }>(ctx.db, sql`select m.kind as k, count(*)::int as n from meetings m where ${heldWhere(ctx, q)} group by 1`);
    const total = r.reduce((s, x) => s + x.n, 0);
    if (total === 0) return { value: null, status: 'missing', unit: 'count' };
    return { value: total, status: 'ok', unit: 'count', breakdown: q.by ? byKindBreakdown(new Map(r.map((x) => [x.k, { n: x.n }]))) : undefined };
  },
  async computeByOrg(ctx, q, paths) {
    return byOrg(ctx, paths, sql`select m.org_path as path, m.kind as k, count(*)::int as n from meetings m where ${heldWhere(ctx, q)} group by 1, 2`, (m) => {
      const total = sumOf(m);
      if (total === 0) return { value: null, status: 'missing', unit: 'count', evidenceCount: 0 };
      return { value: total, status: 'ok', unit: 'count', breakdown: q.by ? byKindBreakdown(firsts(m)) : undefined, evidenceCount: total };
    });
  },
  async evidence(ctx, q, p) {
    const total = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n from meetings m where ${heldWhere(ctx, q)}`);
    const items = await rows<{ id: number; version: number; held_on: string; org_id: number; kind: string; topic: string }>(
      ctx.db, sql`select m.id, m.version, m.held_on, m.org_id, m.kind, m.topic from meetings m where ${heldWhere(ctx, q)} order by m.held_on, m.id limit ${p.limit} offset ${p.offset}`,
    );
    return { total: total?.n ?? 0, items: items.map((m) => ({ entity: 'meeting', id: Number(m.id), version: m.version, date: m.held_on, orgId: Number(m.org_id), label: `${meetingKindLabel(m.kind)}：${m.topic}`, contributes: 1 })) };
  },
});

// ─── obligations ────────────────────────────────────────────────────────────

/** Obligations due in [from, to] that are done or overdue (open ones not yet due are not counted). */
async function countedObligations(ctx: FigureContext, q: FigureQuery) {
  const data = await loadCompliance(ctx.db, ctx.scope.tenantId, ctx.scope.paths, q.from, q.to, ctx.today, { mode: 'due' });
  const names = new Map(data.orgs.map((o) => [o.id, o.name]));
  const list = data.results.filter(isCounted)
    .sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.orgId - b.orgId || a.kind.localeCompare(b.kind) || a.period.key.localeCompare(b.period.key));
  return { owing: data.orgs.length > 0, list, names };
}

const obligationRow = (r: ObligationResult, names: Map<number, string>, contributes: number): EvidenceRow => ({
  entity: 'obligation', id: `${r.orgId}:${r.kind}:${r.period.key}`, version: 1, date: r.dueOn, orgId: r.orgId,
  label: `${names.get(r.orgId) ?? ''} ${periodLabel(r.period)}${meetingKindLabel(r.kind)}（${r.status === 'done' ? '已完成' : '已逾期'}）`, contributes,
  ...(r.satisfiedBy.length ? { refs: r.satisfiedBy.map((id) => ({ entity: 'meeting', id })) } : {}),
});

function countBy(list: ObligationResult[]) {
  const m = new Map<string, { n: number; d: number }>();
  for (const r of list) {
    const c = m.get(r.kind) ?? { n: 0, d: 0 };
    c.d += 1;
    if (r.status === 'done') c.n += 1;
    m.set(r.kind, c);
  }
  return m;
}

for (const which of ['due', 'met'] as const) {
  registerFigure({
    id: `orgLife.obligation.${which}`,
    label: which === 'due' ? '应完成组织生活事项数' : '已完成组织生活事项数',
    definition: which === 'due'
      ? '截止日在统计期内、已到期或已完成的组织生活应尽事项数（党员大会每季度、支委会每月、主题党日每月、党小组会每月、组织生活会和民主评议党员每年等，按组织类型和本地设置确定）。'
      : '截止日在统计期内的应尽事项中，已由按期召开并计为已召开的会议完成的事项数。',
    unit: 'count', kind: 'flow', source: 'DOMAIN.md §3.3, §3.4', dimensions: KIND_DIM,
    async compute(ctx, q) {
      const { owing, list } = await countedObligations(ctx, q);
      if (!owing) return { value: null, status: 'missing', unit: 'count' };
      const mine = which === 'due' ? list : list.filter((r) => r.status === 'done');
      const m = new Map<string, { n: number }>();
      for (const r of mine) m.set(r.kind, { n: (m.get(r.kind)?.n ?? 0) + 1 });
      return { value: mine.length, status: 'ok', unit: 'count', breakdown: q.by ? byKindBreakdown(m) : undefined };
    },
    async evidence(ctx, q, p) {
      const { list, names } = await countedObligations(ctx, q);
      const mine = which === 'due' ? list : list.filter((r) => r.status === 'done');
      return { total: mine.length, items: page(mine, p).map((r) => obligationRow(r, names, 1)) };
    },
  });
}

registerFigure({
  id: 'orgLife.compliance.rate',
  label: '组织生活完成率',
  definition: '已完成组织生活事项数 ÷ 应完成组织生活事项数 × 100%（截止日在统计期内、已到期或已完成的事项）。',
  unit: 'percent', kind: 'flow', source: 'DOMAIN.md §3.3, §3.4', dimensions: KIND_DIM,
  async compute(ctx, q) {
    const { owing, list } = await countedObligations(ctx, q);
    if (!owing || list.length === 0) return { value: null, status: 'missing', unit: 'percent' };
    const met = list.filter((r) => r.status === 'done').length;
    return { value: percentOf(met, list.length), status: 'ok', unit: 'percent', numerator: met, denominator: list.length, breakdown: q.by ? byKindBreakdown(countBy(list), true) : undefined };
  },
  async evidence(ctx, q, p) {
    const { list, names } = await countedObligations(ctx, q);
    return { total: list.length, items: page(list, p).map((r) => obligationRow(r, names, r.status === 'done' ? 1 : 0)) };
  },
});

// ─── attendance ─────────────────────────────────────────────────────────────

const attFrom = (ctx: FigureContext, q: FigureQuery) => sql`from meeting_attendance a join meetings m on m.id = a.meeting_id where ${heldWhere(ctx, q)}`;

registerFigure({
  id: 'orgLife.attendance.rate',
  label: '组织生活出勤率',
  definition: '统计期内计为已召开的会议中，出席人次 ÷ 应到人次 × 100%（应到为会议当日应参加人员，请假人员计入应到，停止党籍人员不计）。',
  unit: 'percent', kind: 'flow', source: 'DOMAIN.md §3.4', dimensions: KIND_DIM,
  async compute(ctx, q) {
    const r = await rows<{ k: string; n: number; d: number }>(ctx.db, sql`select m.kind as k, count(*) filter (where a.status = 'present')::int as n, count(*)::int as d ${attFrom(ctx, q)} group by 1`);
    const n = r.reduce((s, x) => s + x.n, 0);
    const d = r.reduce((s, x) => s + x.d, 0);
    if (d === 0) return { value: null, status: 'missing', unit: 'percent' };
    return { value: percentOf(n, d), status: 'ok', unit: 'percent', numerator: n, denominator: d, breakdown: q.by ? byKindBreakdown(new Map(r.map((x) => [x.k, { n: x.n, d: x.d }])), true) : undefined };
  },
  async computeByOrg(ctx, q, paths) {
    return byOrg(ctx, paths, sql`select m.org_path as path, m.kind as k, count(*) filter (where a.status = 'present')::int as n, count(*)::int as d ${attFrom(ctx, q)} group by 1, 2`, (m) => {
      const n = sumOf(m, 0);
      const d = sumOf(m, 1);
      if (d === 0) return { value: null, status: 'missing', unit: 'percent', evidenceCount: 0 };
      return { value: percentOf(n, d), status: 'ok', unit: 'percent', numerator: n, denominator: d, breakdown: q.by ? byKindBreakdown(firsts(m), true) : undefined, evidenceCount: d };
    });
  },
  async evidence(ctx, q, p) {
    const total = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n ${attFrom(ctx, q)}`);
    const items = await rows<{ id: number; version: number; held_on: string; org_id: number; kind: string; status: string; name: string }>(ctx.db,
      sql`select a.id, a.version, m.held_on, m.org_id, m.kind, a.status, (select name from people where id = a.person_id) as name ${attFrom(ctx, q)}
          order by m.held_on, a.id limit ${p.limit} offset ${p.offset}`);
    const st: Record<string, string> = { present: '出席', onLeave: '请假', absent: '缺席' };
    return { total: total?.n ?? 0, items: items.map((a) => ({ entity: 'meetingAttendance', id: Number(a.id), version: a.version, date: a.held_on, orgId: Number(a.org_id), label: `${a.name} ${meetingKindLabel(a.kind)}：${st[a.status] ?? a.status}`, contributes: a.status === 'present' ? 1 : 0 })) };
  },
});

// ─── heart talks ────────────────────────────────────────────────────────────

const talkWhere = (ctx: FigureContext, q: FigureQuery) => sql`t.tenant_id = ${ctx.scope.tenantId} and ${pathPredicate(sql`t.org_path`, ctx.scope)} and t.held_on >= ${q.from} and t.held_on <= ${q.to}`;

registerFigure({
  id: 'orgLife.heartTalk.count',
  label: '谈心谈话次数',
  definition: '统计期内本组织（含下级）记录的谈心谈话次数（每次两人之间的一次谈话计一次）。',
  unit: 'count', kind: 'flow', source: 'DOMAIN.md §3.3, §3.4', dimensions: {},
  async compute(ctx, q) {
    const r = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n from heart_talks t where ${talkWhere(ctx, q)}`);
    return r?.n ? { value: r.n, status: 'ok', unit: 'count' } : { value: null, status: 'missing', unit: 'count' };
  },
  async computeByOrg(ctx, q, paths) {
    return byOrg(ctx, paths, sql`select t.org_path as path, null as k, count(*)::int as n from heart_talks t where ${talkWhere(ctx, q)} group by 1`, (m) => {
      const n = sumOf(m);
      return n ? { value: n, status: 'ok', unit: 'count', evidenceCount: n } : { value: null, status: 'missing', unit: 'count', evidenceCount: 0 };
    });
  },
  async evidence(ctx, q, p) {
    const total = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n from heart_talks t where ${talkWhere(ctx, q)}`);
    const items = await rows<{ id: number; version: number; held_on: string; org_id: number; a: string; b: string; topic: string }>(ctx.db,
      sql`select t.id, t.version, t.held_on, t.org_id, pa.name as a, pb.name as b, t.topic from heart_talks t join people pa on pa.id = t.person_a_id join people pb on pb.id = t.person_b_id
          where ${talkWhere(ctx, q)} order by t.held_on, t.id limit ${p.limit} offset ${p.offset}`);
    return { total: total?.n ?? 0, items: items.map((t) => ({ entity: 'heartTalk', id: Number(t.id), version: t.version, date: t.held_on, orgId: Number(t.org_id), label: `${t.a}与${t.b}：${t.topic}`, contributes: 1 })) };
  },
});

/** Coverage as of `to` for the year of `to`: one evidence row per required pair or member. */
async function coverageItems(ctx: FigureContext, q: FigureQuery) {
  const year = Number(q.to.slice(0, 4));
  const list = await heartTalkCoverageFor(ctx.db, ctx.scope.tenantId, ctx.scope.paths, year, q.to < ctx.today ? q.to : ctx.today);
  return list.flatMap((b) => b.coverage.items.map((x): EvidenceRow => ({
    entity: 'heartTalkRequirement', id: `${b.orgId}:${year}:${x.a}:${x.b ?? 'committee'}`, version: 1, date: null, orgId: b.orgId,
    label: x.b === null ? `${b.names.get(x.a) ?? x.a} 与至少一名支委谈话${x.covered ? '（已谈）' : '（未谈）'}` : `${b.names.get(x.a) ?? x.a} 与 ${b.names.get(x.b) ?? x.b}${x.covered ? '（已谈）' : '（未谈）'}`,
    contributes: x.covered ? 1 : 0,
  })));
}

registerFigure({
  id: 'orgLife.heartTalk.coverage',
  label: '谈心谈话覆盖率',
  definition: '截至统计日期，本年度党支部应开展的谈心谈话（支委之间两两、每名党员至少与一名支委；按本地设置可要求每名支委与每名党员）中已开展的比例。',
  unit: 'percent', kind: 'stock', source: 'DOMAIN.md §3.3, §3.4', dimensions: {},
  async compute(ctx, q) {
    const items = await coverageItems(ctx, q);
    if (items.length === 0) return { value: null, status: 'missing', unit: 'percent' };
    const n = items.filter((x) => x.contributes === 1).length;
    return { value: percentOf(n, items.length), status: 'ok', unit: 'percent', numerator: n, denominator: items.length };
  },
  async evidence(ctx, q, p) {
    const items = await coverageItems(ctx, q);
    return { total: items.length, items: page(items, p) };
  },
});

// ─── study hours ────────────────────────────────────────────────────────────

const STUDY_KINDS = ORG_LIFE_2018.constants.STUDY_KINDS.value;
const SOURCE_LABELS: Record<string, string> = { selfStudy: '自学', training: '脱产培训', online: '网络学习', other: '其他', meeting: '会议学习' };

/** Study minutes in scope: recorded study plus attended study meetings with a start and end time. */
function studyRowsSql(ctx: FigureContext, q: FigureQuery): SQL {
  const kinds = sql.join(STUDY_KINDS.map((k) => sql`${k}`), sql`, `);
  return sql`select 'studyRecord' as entity, r.id, r.version, r.studied_on as date, r.org_id, r.person_id, r.minutes, r.source, r.title
      from study_records r where r.tenant_id = ${ctx.scope.tenantId} and ${pathPredicate(sql`r.org_path`, ctx.scope)} and r.studied_on >= ${q.from} and r.studied_on <= ${q.to}
    union all
    select 'meetingAttendance', a.id, a.version, m.held_on, m.org_id, a.person_id,
      (extract(epoch from (m.end_time::time - m.start_time::time)) / 60)::int, 'meeting', m.topic
      from meeting_attendance a join meetings m on m.id = a.meeting_id
      where ${heldWhere(ctx, q)} and a.status = 'present' and m.kind in (${kinds}) and m.start_time is not null and m.end_time is not null and m.end_time > m.start_time`;
}

registerFigure({
  id: 'orgLife.studyHours.total',
  label: '学习培训学时',
  definition: '统计期内党员自学、培训等学习记录与出席学习类会议（按会议起止时间）的学时合计；1学时按本地设置折合分钟（默认45分钟），脱产培训1天计8学时。',
  unit: 'studyHours', kind: 'flow', source: 'DOMAIN.md §3.3, §3.4', dimensions: { source: '学习方式' },
  async compute(ctx, q) {
    const mph = (await settingsResolver(ctx.db, ctx.scope.tenantId))(ctx.scope.paths.length === 1 ? ctx.scope.paths[0] : null).minutesPerStudyHour;
    const r = await rows<{ source: string; minutes: number }>(ctx.db, sql`select source, sum(minutes)::int as minutes from (${studyRowsSql(ctx, q)}) x group by 1`);
    const minutes = r.reduce((s, x) => s + x.minutes, 0);
    if (r.length === 0) return { value: null, status: 'missing', unit: 'studyHours' };
    const hours = (m: number) => Math.round((m / mph) * 100) / 100;
    return {
      value: hours(minutes), status: 'ok', unit: 'studyHours',
      breakdown: q.by ? Object.keys(SOURCE_LABELS).filter((k) => r.some((x) => x.source === k)).map((k) => ({ key: k, label: SOURCE_LABELS[k], value: hours(r.find((x) => x.source === k)!.minutes) })) : undefined,
    };
  },
  async evidence(ctx, q, p) {
    const mph = (await settingsResolver(ctx.db, ctx.scope.tenantId))(ctx.scope.paths.length === 1 ? ctx.scope.paths[0] : null).minutesPerStudyHour;
    const total = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n from (${studyRowsSql(ctx, q)}) x`);
    const items = await rows<{ entity: string; id: number; version: number; date: string; org_id: number; minutes: number; source: string; title: string; name: string }>(ctx.db,
      sql`select x.*, (select name from people where id = x.person_id) as name from (${studyRowsSql(ctx, q)}) x order by x.date, x.entity, x.id limit ${p.limit} offset ${p.offset}`);
    return { total: total?.n ?? 0, items: items.map((x) => ({ entity: x.entity, id: Number(x.id), version: x.version, date: x.date, orgId: Number(x.org_id), label: `${x.name} ${SOURCE_LABELS[x.source] ?? x.source}：${x.title}（${x.minutes}分钟）`, contributes: Math.round((x.minutes / mph) * 10000) / 10000 })) };
  },
});

// ─── member review ──────────────────────────────────────────────────────────

const reviewFrom = (ctx: FigureContext, q: FigureQuery) => sql`from member_review_results x join member_review_rounds r on r.id = x.round_id
  where r.tenant_id = ${ctx.scope.tenantId} and ${pathPredicate(sql`r.org_path`, ctx.scope)} and r.status = 'concluded' and x.grade is not null
    and r.concluded_on >= ${q.from} and r.concluded_on <= ${q.to}`;

registerFigure({
  id: 'orgLife.review.count',
  label: '民主评议党员人数',
  definition: '统计期内完成评定（按支部评定日期）的民主评议党员人数，可按评定等次分组。',
  unit: 'count', kind: 'flow', source: 'DOMAIN.md §3.3', dimensions: { grade: '评定等次' },
  async compute(ctx, q) {
    const r = await rows<{ k: string; n: number }>(ctx.db, sql`select x.grade as k, count(*)::int as n ${reviewFrom(ctx, q)} group by 1 order by 1`);
    const total = r.reduce((s, x) => s + x.n, 0);
    if (total === 0) return { value: null, status: 'missing', unit: 'count' };
    const grades: string[] = [...(await settingsResolver(ctx.db, ctx.scope.tenantId))(null).reviewGrades];
    for (const x of r) if (!grades.includes(x.k)) grades.push(x.k);
    return { value: total, status: 'ok', unit: 'count', breakdown: q.by ? grades.map((g) => ({ key: g, label: g, value: r.find((x) => x.k === g)?.n ?? 0 })) : undefined };
  },
  async computeByOrg(ctx, q, paths) {
    const configured: string[] = [...(await settingsResolver(ctx.db, ctx.scope.tenantId))(null).reviewGrades];
    return byOrg(ctx, paths, sql`select r.org_path as path, x.grade as k, count(*)::int as n ${reviewFrom(ctx, q)} group by 1, 2 order by 2`, (m) => {
      const total = sumOf(m);
      if (total === 0) return { value: null, status: 'missing', unit: 'count', evidenceCount: 0 };
      const grades = [...configured];
      for (const k of m.keys()) if (!grades.includes(k)) grades.push(k);
      return { value: total, status: 'ok', unit: 'count', breakdown: q.by ? grades.map((g) => ({ key: g, label: g, value: m.get(g)?.[0] ?? 0 })) : undefined, evidenceCount: total };
    });
  },
  async evidence(ctx, q, p) {
    const total = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n ${reviewFrom(ctx, q)}`);
    const items = await rows<{ id: number; version: number; date: string; org_id: number; name: string; grade: string; for_year: number }>(ctx.db,
      sql`select x.id, x.version, r.concluded_on as date, r.org_id, (select name from people where id = x.person_id) as name, x.grade, r.for_year
          ${reviewFrom(ctx, q)} order by r.concluded_on, x.id limit ${p.limit} offset ${p.offset}`);
    return { total: total?.n ?? 0, items: items.map((x) => ({ entity: 'memberReviewResult', id: Number(x.id), version: x.version, date: x.date, orgId: Number(x.org_id), label: `${x.name}（${x.for_year}年度）：${x.grade}`, contributes: 1 })) };
  },
});

// ─── study plans ────────────────────────────────────────────────────────────

/** Personal study plans of the years that [from, to] touches, at the org holding the member now. */
const planFrom = (ctx: FigureContext, q: FigureQuery) => sql`from study_plans s join people p on p.id = s.person_id
  where s.tenant_id = ${ctx.scope.tenantId} and ${pathPredicate(sql`p.org_path`, ctx.scope)}
    and s.year >= ${Number(q.from.slice(0, 4))} and s.year <= ${Number(q.to.slice(0, 4))}`;

registerFigure({
  id: 'orgLife.studyPlan.count',
  label: '个人学习计划份数',
  definition: '统计期所在年度内，组织关系现在本组织（含下级）的党员制定的个人学习计划份数（每名党员每年一份；统计期跨年时各年分别计）。',
  unit: 'count', kind: 'flow', source: 'DOMAIN.md §3.4', dimensions: {},
  async compute(ctx, q) {
    const r = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n ${planFrom(ctx, q)}`);
    return r?.n ? { value: r.n, status: 'ok', unit: 'count' } : { value: null, status: 'missing', unit: 'count' };
  },
  async computeByOrg(ctx, q, paths) {
    return byOrg(ctx, paths, sql`select p.org_path as path, null as k, count(*)::int as n ${planFrom(ctx, q)} group by 1`, (m) => {
      const n = sumOf(m);
      return n ? { value: n, status: 'ok', unit: 'count', evidenceCount: n } : { value: null, status: 'missing', unit: 'count', evidenceCount: 0 };
    });
  },
  async evidence(ctx, q, p) {
    const total = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n ${planFrom(ctx, q)}`);
    const items = await rows<{ id: number; version: number; year: number; org_id: number; name: string }>(ctx.db,
      sql`select s.id, s.version, s.year, p.org_id, p.name ${planFrom(ctx, q)} order by s.year, p.name, s.id limit ${p.limit} offset ${p.offset}`);
    return { total: total?.n ?? 0, items: items.map((x) => ({ entity: 'studyPlan', id: Number(x.id), version: x.version, date: `${x.year}-01-01`, orgId: Number(x.org_id), label: `${x.name} ${x.year}年个人学习计划`, contributes: 1 })) };
  },
});
