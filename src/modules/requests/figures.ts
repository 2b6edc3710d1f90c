import { sql } from 'drizzle-orm';
import { one, rows } from '../../db/connection.js';
import { RATING_LABELS, REQUEST_KIND_LABELS, REQUEST_STATE_LABELS, REQUEST_STATES, REQUEST_KINDS } from '../../domain/requestWorkflow.js';
import { registerFigure, type BreakdownItem, type FigureContext, type FigureQuery } from '../../platform/figures.js';
import { pathPredicate } from '../../platform/scope.js';

/**
 * Request figures (DOMAIN.md §10.1). `requests.request.count` is a flow of requests submitted in
 * [from, to], by current state or kind; `requests.satisfaction.rate` = (满意 + 基本满意) ÷ rated,
 * counted by rating date. `missing` when the subtree has no request at all (nobody has used it yet).
 */
const base = (ctx: FigureContext) => sql`r.tenant_id = ${ctx.scope.tenantId} and ${pathPredicate(sql`r.org_path`, ctx.scope)}`;
async function hasRecords(ctx: FigureContext) {
  return !!(await one(ctx.db, sql`select 1 from resident_requests r where ${base(ctx)} limit 1`));
}
const submitted = (ctx: FigureContext, q: FigureQuery) => sql`${base(ctx)} and r.submitted_on between ${q.from} and ${q.to}`;
const rated = (ctx: FigureContext, q: FigureQuery) => sql`${base(ctx)} and r.rating is not null and r.rated_on between ${q.from} and ${q.to}`;
const SATISFIED = sql`r.rating in ('satisfied', 'basicallySatisfied')`;

async function requestEvidence(ctx: FigureContext, where: ReturnType<typeof sql>, dateCol: string, contributes: ReturnType<typeof sql>, page: { offset: number; limit: number }) {
  const total = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n from resident_requests r where ${where}`);
  const items = await rows<{ id: number; version: number; date: string; orgId: number; kind: string; state: string; rating: string | null; c: number }>(ctx.db, sql`select r.id, r.version,
      ${sql.raw(dateCol)}::text as date, r.org_id as "orgId", r.kind, r.state, r.rating, ${contributes} as c
    from resident_requests r where ${where} order by ${sql.raw(dateCol)}, r.id limit ${page.limit} offset ${page.offset}`);
  return {
    total: total?.n ?? 0,
    items: items.map((i) => ({
      entity: 'residentRequest', id: i.id, version: i.version, date: i.date, orgId: i.orgId, contributes: Number(i.c),
      label: `${REQUEST_KIND_LABELS[i.kind as never] ?? i.kind}（${REQUEST_STATE_LABELS[i.state as never] ?? i.state}${i.rating ? `，${RATING_LABELS[i.rating as never]}` : ''}）`,
    })),
  };
}

registerFigure({
  id: 'requests.request.count', label: '群众诉求数', definition: '期间内提交的群众诉求（含微心愿）件数，可按当前状态或类别分列。',
  unit: 'count', kind: 'flow', source: 'DOMAIN.md §10.1', dimensions: { state: '办理状态', kind: '诉求类别' },
  async compute(ctx, q) {
    if (!(await hasRecords(ctx))) return { value: null, status: 'missing', unit: 'count' };
    if (q.by !== 'state' && q.by !== 'kind') {
      const r = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n from resident_requests r where ${submitted(ctx, q)}`);
      return { value: r?.n ?? 0, status: 'ok', unit: 'count' };
    }
    const col = sql.raw(q.by === 'state' ? 'r.state' : 'r.kind');
    const r = await rows<{ k: string; n: number }>(ctx.db, sql`select ${col} as k, count(*)::int as n from resident_requests r where ${submitted(ctx, q)} group by 1`);
    const keys: readonly string[] = q.by === 'state' ? REQUEST_STATES : REQUEST_KINDS;
    const labels: Record<string, string> = q.by === 'state' ? REQUEST_STATE_LABELS : REQUEST_KIND_LABELS;
    const breakdown: BreakdownItem[] = keys.map((k) => ({ key: k, label: labels[k]!, value: r.find((x) => x.k === k)?.n ?? 0 }));
    return { value: r.reduce((s, x) => s + x.n, 0), status: 'ok', unit: 'count', breakdown };
  },
  evidence: (ctx, q, page) => requestEvidence(ctx, submitted(ctx, q), 'r.submitted_on', sql`1`, page),
});

registerFigure({
  id: 'requests.satisfaction.rate', label: '群众满意率', definition: '期间内评价的诉求中，评价为“满意”或“基本满意”的比例（按评价日期统计）。',
  unit: 'percent', kind: 'flow', source: 'DOMAIN.md §10.1', dimensions: {},
  async compute(ctx, q) {
    const r = await one<{ n: number; d: number }>(ctx.db, sql`select count(*) filter (where ${SATISFIED})::int as n, count(*)::int as d from resident_requests r where ${rated(ctx, q)}`);
    const d = r?.d ?? 0;
    if (d === 0) return { value: null, status: 'missing', unit: 'percent', numerator: 0, denominator: 0 };
    const n = r?.n ?? 0;
    return { value: Math.round((n / d) * 1000) / 10, status: 'ok', unit: 'percent', numerator: n, denominator: d };
  },
  evidence: (ctx, q, page) => requestEvidence(ctx, rated(ctx, q), 'r.rated_on', sql`(case when ${SATISFIED} then 1 else 0 end)`, page),
});
