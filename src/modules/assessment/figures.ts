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

// ─── 软弱涣散 ledger ─────────────────────────────────────────────────────────

for (const which of ['identified', 'rectified'] as const) {
  const where = (ctx: FigureContext, q: FigureQuery) => which === 'identified'
    ? sql`w.tenant_id = ${ctx.scope.tenantId} and ${pathPredicate(sql`w.org_path`, ctx.scope)} and w.year between ${Number(q.from.slice(0, 4))} and ${Number(q.to.slice(0, 4))}`
    : sql`w.tenant_id = ${ctx.scope.tenantId} and ${pathPredicate(sql`w.org_path`, ctx.scope)} and w.status = 'closed' and w.closed_on between ${q.from} and ${q.to}`;
  const list = (ctx: FigureContext, q: FigureQuery) => rows<{ id: number; version: number; org_id: number; name: string; year: number; closed_on: string | null; created_at: string }>(ctx.db, sql`
    select w.id, w.version, w.org_id, o.name, w.year, w.closed_on, w.created_at from weak_orgs w join orgs o on o.id = w.org_id where ${where(ctx, q)} order by w.org_path, w.id`);
  registerFigure({
    id: `assessment.weakOrg.${which}`,
    label: which === 'identified' ? '认定的软弱涣散党组织数' : '整顿销号的软弱涣散党组织数',
    definition: which === 'identified'
      ? '排查年度落在统计期内、经组织认定并列入整顿台账的软弱涣散基层党组织数（候选未经认定或被排除的不计）。'
      : '统计期内按销号日期计，经上级党组织决定并上传整顿材料销号的软弱涣散基层党组织数。',
    unit: 'count', kind: 'flow', source: 'DOMAIN.md §9.2', dimensions: {},
    async compute(ctx, q) {
      return { value: (await list(ctx, q)).length, status: 'ok', unit: 'count' };
    },
    async evidence(ctx, q, p) {
      const all = await list(ctx, q);
      return {
        total: all.length,
        items: all.slice(p.offset, p.offset + p.limit).map((r) => ({
          entity: 'weakOrg', id: Number(r.id), version: r.version, date: which === 'identified' ? r.created_at.slice(0, 10) : r.closed_on, orgId: Number(r.org_id),
          label: `${r.year}年 ${r.name}${which === 'identified' ? '列入软弱涣散党组织整顿' : '整顿销号'}`, contributes: 1,
        })),
      };
    },
  });
}
