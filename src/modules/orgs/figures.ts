import { sql, type SQL } from 'drizzle-orm';
import { one, rows } from '../../db/connection.js';
import { z } from 'zod';
import { ORG_KINDS, POSTS, UNIT_TYPES } from '../../domain/vocab.js';
import { registerFigure, rollUp, sumOf, type FigureContext, type FigureQuery, type OrgFigureValue } from '../../platform/figures.js';
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
  /** Batch: one scan grouped by org path (and the dimension), summed up to each requested subtree. */
  async computeByOrg(ctx, q, paths) {
    const d = q.by ? DIMS[q.by] : null;
    const r = await rows<{ path: string; k: string; n: number }>(ctx.db, sql`select o.path, ${d ? d.expr : sql`''`} as k, count(*)::int as n ${orgStock(ctx, q.to)} group by 1, 2`);
    const sums = rollUp(paths, r.map((x) => ({ path: x.path, k: x.k, v: [x.n] })));
    return new Map(paths.map((path): [string, OrgFigureValue] => {
      const m = sums.get(path)!;
      const total = sumOf(m);
      if (!d) return [path, { value: total, status: 'ok', unit: 'count', evidenceCount: total }];
      const counts = new Map([...m].map(([k, v]) => [k, v[0]!]));
      return [path, { value: total, status: 'ok', unit: 'count', breakdown: d.keys.filter((k) => k.key !== 'unknown' || counts.has('unknown')).map((k) => ({ ...k, value: counts.get(k.key) ?? 0 })), evidenceCount: total }];
    }));
  },
  async evidence(ctx, q, page) {
    const total = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n ${orgStock(ctx, q.to)}`);
    const items = await rows<{ id: number; version: number; established_on: string | null; name: string }>(
      ctx.db, sql`select o.id, o.version, o.established_on, o.name ${orgStock(ctx, q.to)} order by o.path limit ${page.limit} offset ${page.offset}`,
    );
    return { total: total?.n ?? 0, items: items.map((r) => ({ entity: 'org', id: r.id, version: r.version, date: r.established_on, orgId: r.id, label: r.name, contributes: 1 })) };
  },
});

// ─── Posts (职务): committee members and secretaries ─────────────────────────

const POST_KEYS = POSTS.map((p) => p.key) as [string, ...string[]];
const postParams = z.object({ post: z.enum(POST_KEYS, { message: '职务不存在' }).optional() });

/** Post terms at orgs in scope that are not dissolved by `to` (the county committee's own posts included). */
const postScope = (ctx: FigureContext, to: string): SQL =>
  sql`from post_terms t join orgs o on o.id = t.org_id join people p on p.id = t.person_id
    where t.tenant_id = ${ctx.scope.tenantId} and ${pathPredicate(sql`o.path`, ctx.scope)} and (o.dissolved_on is null or o.dissolved_on > ${to})`;

async function hasPostTerms(ctx: FigureContext): Promise<boolean> {
  const r = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n from (select 1 from post_terms t join orgs o on o.id = t.org_id
    where t.tenant_id = ${ctx.scope.tenantId} and ${pathPredicate(sql`o.path`, ctx.scope)} limit 1) x`);
  return (r?.n ?? 0) > 0;
}

const postFilter = (params: Record<string, unknown>): SQL => (params.post ? sql`and t.post = ${String(params.post)}` : sql``);
const POST_DIMS: Record<string, { label: string; expr: SQL; keys: { key: string; label: string }[] }> = {
  post: { label: '职务', expr: sql`t.post`, keys: POSTS.map((p) => ({ key: p.key, label: p.label })) },
  collegePlus: {
    label: '学历层次',
    expr: sql`(case when p.education is null then 'unknown' when p.education in ('graduate','bachelor','college') then 'collegePlus' else 'belowCollege' end)`,
    keys: [{ key: 'collegePlus', label: '大专及以上' }, { key: 'belowCollege', label: '中专及以下' }, { key: 'unknown', label: '未填写' }],
  },
};

function postFigure(id: string, label: string, definition: string, kind: 'stock' | 'flow', dims: string[], where: (q: FigureQuery) => SQL, dateOf: SQL) {
  registerFigure({
    id, label, definition, unit: 'count', kind, source: 'DOMAIN.md §3.1',
    dimensions: Object.fromEntries(dims.map((d) => [d, POST_DIMS[d].label])),
    params: postParams,
    async compute(ctx, q) {
      if (!(await hasPostTerms(ctx))) return { value: null, status: 'missing', unit: 'count' };
      const base = sql`${postScope(ctx, q.to)} and ${where(q)} ${postFilter(q.params)}`;
      if (!q.by) {
        const r = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n ${base}`);
        return { value: r?.n ?? 0, status: 'ok', unit: 'count' };
      }
      const d = POST_DIMS[q.by];
      const r = await rows<{ k: string; n: number }>(ctx.db, sql`select ${d.expr} as k, count(*)::int as n ${base} group by 1`);
      const m = new Map(r.map((x) => [x.k, x.n]));
      return {
        value: r.reduce((s, x) => s + x.n, 0), status: 'ok', unit: 'count',
        breakdown: d.keys.filter((k) => k.key !== 'unknown' || m.has('unknown')).map((k) => ({ ...k, value: m.get(k.key) ?? 0 })),
      };
    },
    async evidence(ctx, q, page) {
      const base = sql`${postScope(ctx, q.to)} and ${where(q)} ${postFilter(q.params)}`;
      const total = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n ${base}`);
      const items = await rows<{ id: number; version: number; d: string; org_id: number; org: string; name: string; post: string }>(ctx.db,
        sql`select t.id, t.version, ${dateOf}::text as d, t.org_id, o.name as org, p.name, t.post ${base} order by o.path, t.post, t.id limit ${page.limit} offset ${page.offset}`);
      const postLabel = new Map(POSTS.map((x) => [x.key as string, x.label as string]));
      return { total: total?.n ?? 0, items: items.map((r) => ({ entity: 'postTerm', id: r.id, version: r.version, date: r.d, orgId: r.org_id, label: `${r.org} ${postLabel.get(r.post) ?? r.post}：${r.name}`, contributes: 1 })) };
    },
  });
}

postFigure(
  'orgs.postHolder.count', '在任职务人数',
  '截至统计日期，本组织及下级未撤销的党组织中在任的职务（书记、副书记、委员、党小组组长等）人次；参数post限定某一职务，可按职务、学历层次（大专及以上）分组。',
  'stock', ['post', 'collegePlus'],
  (q) => sql`t.valid_from <= ${q.to} and (t.valid_to is null or t.valid_to > ${q.to})`, sql`t.valid_from`,
);
postFigure(
  'orgs.postAppointed.count', '新任职务人次',
  '统计期内（按任职起始日期）本组织及下级党组织新任书记、副书记、委员等职务的人次；参数post限定某一职务，可按职务分组。',
  'flow', ['post'],
  (q) => sql`t.valid_from >= ${q.from} and t.valid_from <= ${q.to}`, sql`t.valid_from`,
);

// ─── Organizations established in the period ────────────────────────────────

const establishedFrom = (ctx: FigureContext, q: FigureQuery): SQL =>
  sql`from orgs o where o.tenant_id = ${ctx.scope.tenantId} and ${pathPredicate(sql`o.path`, ctx.scope)}
    and o.established_on is not null and o.established_on >= ${q.from} and o.established_on <= ${q.to}
    and o.kind not in ('partyCommittee','organizationDept')`;

registerFigure({
  id: 'orgs.established.count',
  label: '新成立党组织数',
  definition: '统计期内（按成立日期）本组织下级新成立的党组织个数（含此后已撤销的，如任务完成后撤销的临时党支部；不含县（区）委和组织部本身），可按组织类型、单位类型分组。',
  unit: 'count',
  kind: 'flow',
  source: 'DOMAIN.md §6',
  dimensions: Object.fromEntries(Object.entries(DIMS).map(([k, d]) => [k, d.label])),
  async compute(ctx, q) {
    if (!q.by) {
      const r = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n ${establishedFrom(ctx, q)}`);
      return { value: r?.n ?? 0, status: 'ok', unit: 'count' };
    }
    const d = DIMS[q.by];
    const r = await rows<{ k: string; n: number }>(ctx.db, sql`select ${d.expr} as k, count(*)::int as n ${establishedFrom(ctx, q)} group by 1`);
    const m = new Map(r.map((x) => [x.k, x.n]));
    return {
      value: r.reduce((s, x) => s + x.n, 0), status: 'ok', unit: 'count',
      breakdown: d.keys.filter((k) => k.key !== 'unknown' || m.has('unknown')).map((k) => ({ ...k, value: m.get(k.key) ?? 0 })),
    };
  },
  async evidence(ctx, q, page) {
    const total = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n ${establishedFrom(ctx, q)}`);
    const items = await rows<{ id: number; version: number; established_on: string; name: string }>(
      ctx.db, sql`select o.id, o.version, o.established_on::text as established_on, o.name ${establishedFrom(ctx, q)} order by o.established_on, o.id limit ${page.limit} offset ${page.offset}`,
    );
    return { total: total?.n ?? 0, items: items.map((r) => ({ entity: 'org', id: r.id, version: r.version, date: r.established_on, orgId: r.id, label: `${r.name}（${r.established_on}成立）`, contributes: 1 })) };
  },
});
