import { sql } from 'drizzle-orm';
import { rows } from '../../db/connection.js';
import { registerFigure, type FigureContext, type FigureQuery } from '../../platform/figures.js';
import { pathPredicate } from '../../platform/scope.js';

/**
 * Assessment figures (issue 16 §7): grades confirmed in finished sessions, by the scored org's subtree
 * ∩ the caller's scope and the session year within [from, to]. One evidence row per scored org.
 */
const gradedRows = (ctx: FigureContext, q: FigureQuery) => rows<{ id: number; version: number; year: number; finished_at: string; org_id: number; name: string; grade: string; total: string; title: string }>(ctx.db, sql`
  select a.id, a.version, a.year, a.finished_at, o.id as org_id, o.name, e->>'grade' as grade, e->>'total' as total, a.title
  from assessment_sessions a cross join lateral jsonb_array_elements(a.result->'orgs') e join orgs o on o.id = (e->'org'->>'id')::int
  where a.tenant_id = ${ctx.scope.tenantId} and a.status = 'final' and a.year between ${Number(q.from.slice(0, 4))} and ${Number(q.to.slice(0, 4))}
    and ${pathPredicate(sql`o.path`, ctx.scope)} order by a.year, a.id, o.path`);

registerFigure({
  id: 'assessment.graded',
  label: '述职评议考核评定等次的组织数',
  definition: '考核年度落在统计期内、已完成的述职评议考核中评定了等次的组织数（一个组织在同一年度多次考核时各计一次），可按等次分列。',
  unit: 'count', kind: 'flow', source: 'DOMAIN.md §9.1', dimensions: { grade: '等次' },
  async compute(ctx, q) {
    const list = await gradedRows(ctx, q);
    const by = new Map<string, number>();
    for (const r of list) by.set(r.grade, (by.get(r.grade) ?? 0) + 1);
    return { value: list.length, status: 'ok', unit: 'count', breakdown: q.by === 'grade' ? [...by].map(([k, v]) => ({ key: k, label: k, value: v })) : undefined };
  },
  async evidence(ctx, q, p) {
    const list = await gradedRows(ctx, q);
    return {
      total: list.length,
      items: list.slice(p.offset, p.offset + p.limit).map((r) => ({
        entity: 'assessmentSession', id: `${r.id}:${r.org_id}`, version: r.version, date: r.finished_at?.slice(0, 10) ?? null, orgId: Number(r.org_id),
        label: `${r.year}年度 ${r.title}：${r.name} ${r.total}分，${r.grade}`, contributes: 1,
      })),
    };
  },
});
