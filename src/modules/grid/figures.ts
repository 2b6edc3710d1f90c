import { sql, type SQL } from 'drizzle-orm';
import { one, rows } from '../../db/connection.js';
import { registerFigure, type FigureContext, type FigureQuery } from '../../platform/figures.js';
import { pathPredicate } from '../../platform/scope.js';

/**
 * Grid figures (DOMAIN.md §10): stocks as of `to` — a grid or household counts from the business day
 * it was recorded (`recorded_on`). `missing` when the subtree has no grid at all.
 */

function stock(id: string, label: string, definition: string, table: 'grids' | 'households', entity: string, labelSql: SQL) {
  const where = (ctx: FigureContext, q: FigureQuery) => sql`x.tenant_id = ${ctx.scope.tenantId} and ${pathPredicate(sql`x.org_path`, ctx.scope)} and x.recorded_on <= ${q.to}`;
  registerFigure({
    id, label, definition, unit: 'count', kind: 'stock', source: 'DOMAIN.md §10', dimensions: {},
    async compute(ctx, q) {
      const any = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n from grids x where x.tenant_id = ${ctx.scope.tenantId} and ${pathPredicate(sql`x.org_path`, ctx.scope)}`);
      if (!any?.n) return { value: null, status: 'missing', unit: 'count' };
      const r = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n from ${sql.raw(table)} x where ${where(ctx, q)}`);
      return { value: r?.n ?? 0, status: 'ok', unit: 'count' };
    },
    async evidence(ctx, q, page) {
      const total = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n from ${sql.raw(table)} x where ${where(ctx, q)}`);
      const items = await rows<{ id: number; version: number; date: string; orgId: number; label: string }>(ctx.db, sql`select x.id, x.version, x.recorded_on::text as date,
          x.org_id as "orgId", ${labelSql} as label from ${sql.raw(table)} x where ${where(ctx, q)} order by x.id limit ${page.limit} offset ${page.offset}`);
      return { total: total?.n ?? 0, items: items.map((i) => ({ entity, id: i.id, version: i.version, date: i.date, orgId: i.orgId, label: i.label, contributes: 1 })) };
    },
  });
}

stock('grid.count', '网格数', '截至期末已划分的网格数（综合网格与专属网格）。', 'grids', 'grid', sql`x.name`);
stock('grid.household.count', '网格内住户数', '截至期末各网格登记的住户数。', 'households', 'household', sql`x.building || '-' || coalesce(x.unit || '-', '') || x.room`);
