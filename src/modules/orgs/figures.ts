import { sql, type SQL } from 'drizzle-orm';
import { one, rows } from '../../db/connection.js';
import { ORG_KINDS, UNIT_TYPES } from '../../domain/vocab.js';
import { registerFigure, type FigureContext } from '../../platform/figures.js';
import { pathPredicate } from '../../platform/scope.js';

/** Organizations existing on `to` (established on or before, not dissolved by then), DOMAIN.md §6. */
function orgStock(ctx: FigureContext, to: string): SQL {
  return sql`from orgs o where o.tenant_id = ${ctx.scope.tenantId} and ${pathPredicate(sql`o.path`, ctx.scope)}
    and (o.established_on is null or o.established_on <= ${to}) and (o.dissolved_on is null or o.dissolved_on > ${to})
    and o.kind not in ('partyCommittee','organizationDept')`;
}

const DIMS: Record<string, { label: string; expr: SQL; keys: { key: string; label: string }[] }> = {
  kind: { label: '组织类型', expr: sql`o.kind`, keys: ORG_KINDS.map((k) => ({ key: k.key, label: k.label })) },
  unitType: { label: '单位类型', expr: sql`coalesce(o.unit_type, 'unknown')`, keys: [...UNIT_TYPES.map((k) => ({ key: k.key, label: k.label })), { key: 'unknown', label: '未填写' }] },
};

registerFigure({
  id: 'orgs.count',
  label: '党组织数',
  definition: '截至统计日期，本组织及下级中已成立且未撤销的党组织个数（不含县（区）委和组织部本身）。',
  unit: 'count',
  kind: 'stock',
  source: 'DOMAIN.md §6',
  dimensions: Object.fromEntries(Object.entries(DIMS).map(([k, d]) => [k, d.label])),
  async compute(ctx, q) {
    if (!q.by) {
      const r = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n ${orgStock(ctx, q.to)}`);
      return { value: r?.n ?? 0, status: 'ok', unit: 'count' };
    }
    const d = DIMS[q.by];
    const r = await rows<{ k: string; n: number }>(ctx.db, sql`select ${d.expr} as k, count(*)::int as n ${orgStock(ctx, q.to)} group by 1`);
    const m = new Map(r.map((x) => [x.k, x.n]));
    return {
      value: r.reduce((s, x) => s + x.n, 0), status: 'ok', unit: 'count',
      breakdown: d.keys.filter((k) => k.key !== 'unknown' || m.has('unknown')).map((k) => ({ ...k, value: m.get(k.key) ?? 0 })),
    };
  },
  async evidence(ctx, q, page) {
    const total = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n ${orgStock(ctx, q.to)}`);
    const items = await rows<{ id: number; version: number; established_on: string | null; name: string }>(
      ctx.db, sql`select o.id, o.version, o.established_on, o.name ${orgStock(ctx, q.to)} order by o.path limit ${page.limit} offset ${page.offset}`,
    );
    return { total: total?.n ?? 0, items: items.map((r) => ({ entity: 'org', id: r.id, version: r.version, date: r.established_on, orgId: r.id, label: r.name, contributes: 1 })) };
  },
});
