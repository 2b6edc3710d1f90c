import { sql, type SQL } from 'drizzle-orm';
import { one, rows } from '../../db/connection.js';
import { registerFigure, type FigureContext, type FigureQuery } from '../../platform/figures.js';
import { pathPredicate } from '../../platform/scope.js';

/**
 * Reports figures (issue 13): finalized reports and rectification items, over the requested subtree
 * ∩ the caller's scope. Evidence rows number exactly each count's value. A zero count is `missing`
 * only where no record exists at all; for these figures zero is a real answer, so it is `ok`.
 */
const finalWhere = (ctx: FigureContext, q: FigureQuery): SQL => sql`r.tenant_id = ${ctx.scope.tenantId} and ${pathPredicate(sql`r.org_path`, ctx.scope)}
  and r.status = 'final' and r.year between ${Number(q.from.slice(0, 4))} and ${Number(q.to.slice(0, 4))}
  and not exists (select 1 from reports n where n.previous_id = r.id and n.status = 'final')`;

registerFigure({
  id: 'reports.finalized',
  label: '已定稿报告数',
  definition: '报告年度落在统计期内、已定稿的述职报告和工作总结份数（同一报告有多个定稿版本时只计最新一版）。',
  unit: 'count', kind: 'flow', source: 'DOMAIN.md §9.1', dimensions: {},
  async compute(ctx, q) {
    const r = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n from reports r where ${finalWhere(ctx, q)}`);
    return { value: r?.n ?? 0, status: 'ok', unit: 'count' };
  },
  async evidence(ctx, q, p) {
    const total = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n from reports r where ${finalWhere(ctx, q)}`);
    const items = await rows<{ id: number; version: number; finalized_at: string; org_id: number; title: string }>(ctx.db, sql`
      select r.id, r.version, r.finalized_at, r.org_id, r.title from reports r where ${finalWhere(ctx, q)} order by r.org_path, r.id limit ${p.limit} offset ${p.offset}`);
    return { total: total?.n ?? 0, items: items.map((r) => ({ entity: 'report', id: Number(r.id), version: r.version, date: r.finalized_at?.slice(0, 10) ?? null, orgId: Number(r.org_id), label: r.title, contributes: 1 })) };
  },
});

const openWhere = (ctx: FigureContext, q: FigureQuery): SQL => sql`i.tenant_id = ${ctx.scope.tenantId} and ${pathPredicate(sql`i.org_path`, ctx.scope)}
  and substr(i.created_at, 1, 10) <= ${q.to} and (not i.closed or i.closed_on > ${q.to})`;
const closedWhere = (ctx: FigureContext, q: FigureQuery): SQL => sql`i.tenant_id = ${ctx.scope.tenantId} and ${pathPredicate(sql`i.org_path`, ctx.scope)}
  and i.closed and i.closed_on >= ${q.from} and i.closed_on <= ${q.to}`;

for (const which of ['open', 'closed'] as const) {
  const where = which === 'open' ? openWhere : closedWhere;
  registerFigure({
    id: `reports.rectification.${which}`,
    label: which === 'open' ? '未销号整改事项数' : '已销号整改事项数',
    definition: which === 'open'
      ? '截至统计期末，上级党组织在述职评议中提出、尚未销号的整改事项数（存量）。'
      : '统计期内按销号日期计，已上传整改材料并销号的整改事项数。',
    unit: 'count', kind: which === 'open' ? 'stock' : 'flow', source: 'DOMAIN.md §9.1', dimensions: {},
    async compute(ctx, q) {
      const r = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n from rectification_items i where ${where(ctx, q)}`);
      return { value: r?.n ?? 0, status: 'ok', unit: 'count' };
    },
    async evidence(ctx, q, p) {
      const total = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n from rectification_items i where ${where(ctx, q)}`);
      const items = await rows<{ id: number; version: number; deadline: string; closed_on: string | null; org_id: number; problem: string }>(ctx.db, sql`
        select i.id, i.version, i.deadline, i.closed_on, i.org_id, i.problem from rectification_items i where ${where(ctx, q)} order by i.org_path, i.id limit ${p.limit} offset ${p.offset}`);
      return {
        total: total?.n ?? 0,
        items: items.map((i) => ({ entity: 'rectificationItem', id: Number(i.id), version: i.version, date: which === 'open' ? i.deadline : i.closed_on, orgId: Number(i.org_id), label: i.problem, contributes: 1 })),
      };
    },
  });
}
