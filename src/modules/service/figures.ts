import { sql, type SQL } from 'drizzle-orm';
import { one, rows } from '../../db/connection.js';
import { DEED_SOURCES, VISIT_KINDS } from '../../domain/serviceRules.js';
import { pathsHolding, registerFigure, rollUp, sumOf, type BreakdownItem, type FigureContext, type FigureQuery, type FigureUnit, type FigureValue } from '../../platform/figures.js';
import { pathPredicate } from '../../platform/scope.js';
import './settings.js';

/**
 * Community-service figures (issue 19). Each figure is one SQL "items" query whose rows are exactly its
 * evidence (entity, id, version, date, org, label, contributes, breakdown key k): a count is the number
 * of rows, a sum the total of `contributes`, a breakdown groups the rows by k, so value, breakdown and
 * evidence cannot disagree. Activities and visits are counted by the day they took place. A figure is
 * `missing` when the subtree holds no record of its kind at all (nobody has recorded any activity, visit
 * or deed there), and 0 when records exist but none fall in the period.
 */
type Kind = 'activity' | 'visit' | 'deed';
const KIND_TABLE: Record<Kind, string> = { activity: 'service_activities', visit: 'service_visits', deed: 'service_deeds' };

async function hasRecords(ctx: FigureContext, kind: Kind): Promise<boolean> {
  const r = await one<{ n: number }>(ctx.db, sql`select (exists (select 1 from ${sql.raw(KIND_TABLE[kind])} x where x.tenant_id = ${ctx.scope.tenantId} and ${pathPredicate(sql`x.org_path`, ctx.scope)}))::int as n`);
  return (r?.n ?? 0) > 0;
}

interface ItemRow { entity: string; id: number; version: number; date: string | null; org_id: number; org_path: string; label: string; contributes: number; k: string }

interface Def {
  id: string; label: string; definition: string; unit: FigureUnit; kind: 'stock' | 'flow'; records: Kind;
  /** The dimension offered as `by` and its keys (the rows' k). */
  dimension?: { key: string; label: string; keys: readonly { key: string; label: string }[] | null };
  sum?: boolean;
  /** Whether rows belong to one org each, so grouped sums roll up (false for distinct counts). */
  rollable: boolean;
  items(ctx: FigureContext, q: FigureQuery): SQL;
}

function breakdownOf(keys: readonly { key: string; label: string }[] | null, m: Map<string, number>): BreakdownItem[] {
  if (!keys) return [...m].sort(([a], [b]) => a.localeCompare(b)).map(([key, value]) => ({ key, label: key, value }));
  const known = keys.map((k) => ({ key: k.key, label: k.label, value: m.get(k.key) ?? 0 }));
  const unknown = [...m].filter(([k]) => !keys.some((x) => x.key === k)).reduce((s, [, v]) => s + v, 0);
  return unknown ? [...known, { key: 'unknown', label: '其他', value: unknown }] : known;
}

const round = (x: number) => Math.round(x * 100) / 100;

function define(d: Def) {
  const measure = d.sum ? sql`coalesce(sum(i.contributes), 0)::float8` : sql`count(*)::int`;
  registerFigure({
    id: d.id, label: d.label, definition: d.definition, unit: d.unit, kind: d.kind, source: 'issue 19；DOMAIN.md §2.1a（日期）',
    dimensions: d.dimension ? { [d.dimension.key]: d.dimension.label } : {},
    async compute(ctx, q) {
      if (!(await hasRecords(ctx, d.records))) return { value: null, status: 'missing', unit: d.unit };
      const r = await rows<{ k: string; v: number }>(ctx.db, sql`select i.k, ${measure} as v from (${d.items(ctx, q)}) i group by i.k`);
      const m = new Map(r.map((x) => [x.k, Number(x.v)]));
      const value = round([...m.values()].reduce((s, v) => s + v, 0));
      const out: FigureValue = { value, status: 'ok', unit: d.unit };
      if (q.by && d.dimension) out.breakdown = breakdownOf(d.dimension.keys, m).map((b) => ({ ...b, value: round(b.value) }));
      return out;
    },
    computeByOrg: d.rollable ? async (ctx, q, paths) => {
      const has = await rows<{ path: string }>(ctx.db, sql`select distinct x.org_path as path from ${sql.raw(KIND_TABLE[d.records])} x where x.tenant_id = ${ctx.scope.tenantId} and ${pathPredicate(sql`x.org_path`, ctx.scope)}`);
      const holding = pathsHolding(paths, has.map((x) => x.path));
      const r = await rows<{ path: string; k: string; v: number; n: number }>(ctx.db, sql`select i.org_path as path, ${q.by ? sql`i.k` : sql`''`} as k, ${measure} as v, count(*)::int as n
        from (${d.items(ctx, q)}) i group by 1, 2`);
      const sums = rollUp(paths, r.map((x) => ({ path: x.path, k: x.k, v: [Number(x.v), x.n] })));
      return new Map(paths.map((p) => {
        const m = sums.get(p)!;
        const evidenceCount = sumOf(m, 1);
        if (!holding.has(p)) return [p, { value: null, status: 'missing' as const, unit: d.unit, evidenceCount }];
        const v: FigureValue & { evidenceCount: number } = { value: round(sumOf(m)), status: 'ok', unit: d.unit, evidenceCount };
        if (q.by && d.dimension) v.breakdown = breakdownOf(d.dimension.keys, new Map([...m].map(([k, x]) => [k, x[0]!]))).map((b) => ({ ...b, value: round(b.value) }));
        return [p, v];
      }));
    } : undefined,
    async evidence(ctx, q, page) {
      const total = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n from (${d.items(ctx, q)}) i`);
      const items = await rows<ItemRow>(ctx.db, sql`select * from (${d.items(ctx, q)}) i order by i.date, i.entity, i.id limit ${page.limit} offset ${page.offset}`);
      return {
        total: total?.n ?? 0,
        items: items.map((r) => ({ entity: r.entity, id: Number(r.id), version: Number(r.version), date: r.date, orgId: Number(r.org_id), label: r.label, contributes: Number(r.contributes) })),
      };
    },
  });
}

const inScope = (ctx: FigureContext, col: string) => sql`${sql.raw(col)} like any(${`{${ctx.scope.paths.map((p) => `${p}%`).join(',')}}`}::text[])`;
const scoped = (ctx: FigureContext, col: string) => (ctx.scope.paths.length ? sql`${sql`${sql.raw(col.split('.')[0]!)}.tenant_id = ${ctx.scope.tenantId}`} and ${inScope(ctx, col)}` : sql`false`);
const MEMBER_KINDS = [{ key: 'member', label: '党员' }, { key: 'nonMember', label: '群众志愿者' }] as const;

/** Check-ins at activities held in the period, one row per participation. */
const CHECKINS = (ctx: FigureContext, q: FigureQuery) => sql`from service_participations x join service_activities a on a.id = x.activity_id
  left join people pp on pp.id = x.person_id left join service_volunteers v on v.id = x.volunteer_id
  where ${scoped(ctx, 'a.org_path')} and a.held_on between ${q.from} and ${q.to} and x.checked_in_at is not null`;

define({
  id: 'service.activity.held', label: '志愿服务活动次数', unit: 'count', kind: 'flow', records: 'activity', rollable: true,
  definition: '统计期内（按活动日期）本组织（含下级）开展的志愿服务活动次数，每次活动计1次。',
  dimension: { key: 'activityKind', label: '活动类型', keys: null },
  items: (ctx, q) => sql`select 'serviceActivity' as entity, a.id, a.version, a.held_on::text as date, a.org_id, a.org_path, a.title as label, 1 as contributes, a.kind as k
    from service_activities a where ${scoped(ctx, 'a.org_path')} and a.held_on between ${q.from} and ${q.to}`,
});

define({
  id: 'service.volunteer.count', label: '参加志愿服务人数', unit: 'count', kind: 'flow', records: 'activity', rollable: false,
  definition: '统计期内（按活动日期）在本组织（含下级）志愿服务活动中签到的不同人数（党员与群众志愿者各按一人计，同一人多次参加计1人）。',
  dimension: { key: 'memberKind', label: '党员/群众', keys: MEMBER_KINDS },
  items: (ctx, q) => sql`select case when x.person_id is not null then 'person' else 'serviceVolunteer' end as entity, coalesce(x.person_id, x.volunteer_id) as id,
      max(coalesce(pp.version, v.version)) as version, min(a.held_on)::text as date, (array_agg(a.org_id order by a.held_on, a.id))[1] as org_id,
      (array_agg(a.org_path order by a.held_on, a.id))[1] as org_path, max(coalesce(pp.name, v.name)) as label, 1 as contributes,
      case when x.person_id is not null then 'member' else 'nonMember' end as k
    ${CHECKINS(ctx, q)} group by 1, 2, 9`,
});

define({
  id: 'service.participation.count', label: '志愿服务人次', unit: 'count', kind: 'flow', records: 'activity', rollable: true,
  definition: '统计期内（按活动日期）本组织（含下级）志愿服务活动的签到人次，每人每次活动计1人次。',
  dimension: { key: 'memberKind', label: '党员/群众', keys: MEMBER_KINDS },
  items: (ctx, q) => sql`select 'serviceParticipation' as entity, x.id, x.version, a.held_on::text as date, a.org_id, a.org_path, coalesce(pp.name, v.name) || ' ' || a.title as label,
      1 as contributes, case when x.person_id is not null then 'member' else 'nonMember' end as k ${CHECKINS(ctx, q)}`,
});

define({
  id: 'service.hours', label: '志愿服务时长', unit: 'hours', kind: 'flow', records: 'activity', rollable: true, sum: true,
  definition: '统计期内（按活动日期）本组织（含下级）志愿服务活动中经组织者确认的服务时长之和（小时）。',
  dimension: { key: 'memberKind', label: '党员/群众', keys: MEMBER_KINDS },
  items: (ctx, q) => sql`select 'serviceParticipation' as entity, x.id, x.version, a.held_on::text as date, a.org_id, a.org_path, coalesce(pp.name, v.name) || ' ' || a.title as label,
      x.minutes / 60.0 as contributes, case when x.person_id is not null then 'member' else 'nonMember' end as k ${CHECKINS(ctx, q)} and x.confirmed_at is not null and x.minutes > 0`,
});

const VISITS = (ctx: FigureContext, q: FigureQuery) => sql`from service_visits x join service_households h on h.id = x.household_id
  where ${scoped(ctx, 'x.org_path')} and x.visited_on between ${q.from} and ${q.to}`;

define({
  id: 'service.household.visited', label: '走访慰问户数', unit: 'count', kind: 'flow', records: 'visit', rollable: false,
  definition: '统计期内（按走访日期）本组织（含下级）走访慰问的不同群众户数，同一户多次走访计1户。',
  items: (ctx, q) => sql`select 'serviceHousehold' as entity, h.id, h.version, min(x.visited_on)::text as date, h.org_id, h.org_path, h.head_name || ' ' || h.address_masked as label,
      1 as contributes, '' as k ${VISITS(ctx, q)} group by h.id, h.version, h.org_id, h.org_path, h.head_name, h.address_masked`,
});

define({
  id: 'service.visit.count', label: '走访慰问人次', unit: 'count', kind: 'flow', records: 'visit', rollable: true,
  definition: '统计期内（按走访日期）本组织（含下级）的走访慰问次数，每条走访记录计1次。',
  dimension: { key: 'visitKind', label: '走访类型', keys: VISIT_KINDS },
  items: (ctx, q) => sql`select 'serviceVisit' as entity, x.id, x.version, x.visited_on::text as date, x.org_id, x.org_path, h.head_name as label, 1 as contributes, x.kind as k ${VISITS(ctx, q)}`,
});

define({
  id: 'service.visit.money', label: '走访慰问金额', unit: 'fen', kind: 'flow', records: 'visit', rollable: true, sum: true,
  definition: '统计期内（按走访日期）本组织（含下级）走访慰问送出的慰问金合计（分）。',
  dimension: { key: 'visitKind', label: '走访类型', keys: VISIT_KINDS },
  items: (ctx, q) => sql`select 'serviceVisit' as entity, x.id, x.version, x.visited_on::text as date, x.org_id, x.org_path, h.head_name as label, x.money_fen as contributes, x.kind as k
    ${VISITS(ctx, q)} and x.money_fen > 0`,
});

define({
  id: 'service.deed.done', label: '办结实事件数', unit: 'count', kind: 'flow', records: 'deed', rollable: true,
  definition: '统计期内（按办结日期）本组织（含下级）“我为群众办实事”项目办结件数。',
  dimension: { key: 'deedSource', label: '来源', keys: DEED_SOURCES },
  items: (ctx, q) => sql`select 'serviceDeed' as entity, d.id, d.version, d.done_on::text as date, d.org_id, d.org_path, d.item as label, 1 as contributes, d.source as k
    from service_deeds d where ${scoped(ctx, 'd.org_path')} and d.done_on between ${q.from} and ${q.to}`,
});

define({
  id: 'service.deed.open', label: '在办实事件数', unit: 'count', kind: 'stock', records: 'deed', rollable: true,
  definition: '截至统计期末，本组织（含下级）已列入清单（列入日期不晚于期末）且在期末尚未办结、未终止的“我为群众办实事”项目件数。',
  dimension: { key: 'deedSource', label: '来源', keys: DEED_SOURCES },
  items: (ctx, q) => sql`select 'serviceDeed' as entity, d.id, d.version, d.planned_on::text as date, d.org_id, d.org_path, d.item as label, 1 as contributes, d.source as k
    from service_deeds d where ${scoped(ctx, 'd.org_path')} and d.planned_on <= ${q.to}
      and not coalesce(d.done_on <= ${q.to}, false) and not coalesce(d.dropped_on <= ${q.to}, false)`,
});
