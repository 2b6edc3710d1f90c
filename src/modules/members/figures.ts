import { sql, type SQL } from 'drizzle-orm';
import { one, rows } from '../../db/connection.js';
import { AGE_BANDS, PARTY_AGE_BANDS, ADMISSION_PERIOD_BANDS, DEVELOPMENT_AGE_BANDS, ageBandCutoffs, partyAgeBandCutoffs, type BandCutoff, type DateBand } from '../../domain/bands.js';
import { EDUCATION_LEVELS, ETHNICITIES, GENDERS, MEMBER_STAGES, OCCUPATIONS } from '../../domain/vocab.js';
import { pathsHolding, registerFigure, rollUp, sumOf, type BreakdownItem, type FigureContext, type FigureQuery, type FigureValue, type OrgFigureValue } from '../../platform/figures.js';
import { pathPredicate } from '../../platform/scope.js';

/**
 * Member stock figures (DOMAIN.md §6, the statistics communiqué dimensions). A stock as of `to`:
 * membership periods valid on that date, stage probationary or full, state active or lostContact,
 * at an org inside the requested subtree ∩ the caller's scope. Bands compare dates with cutoffs
 * precomputed for `to` (STACK.md), never age() per row.
 */
export function stockFrom(ctx: FigureContext, to: string): SQL {
  return sql`from membership_periods m join people p on p.id = m.person_id join orgs o on o.id = m.org_id
    where m.tenant_id = ${ctx.scope.tenantId} and m.valid_from <= ${to} and (m.valid_to is null or m.valid_to > ${to})
      and m.stage in ('probationary','full') and m.state in ('active','lostContact') and ${pathPredicate(sql`o.path`, ctx.scope)}`;
}

function bandCase(column: SQL, cutoffs: BandCutoff[]): SQL {
  const whens = cutoffs.map((c) => {
    const conds: SQL[] = [];
    if (c.from) conds.push(sql`${column} >= ${c.from}`);
    if (c.to) conds.push(sql`${column} <= ${c.to}`);
    const range = conds.length ? sql.join(conds, sql` and `) : sql`true`;
    return sql`when ${c.includesNull ? sql`(${column} is null or (${range}))` : sql`(${column} is not null and ${range})`} then ${c.key}`;
  });
  return sql`(case ${sql.join(whens, sql` `)} else 'unknown' end)`;
}

interface Dimension {
  label: string;
  expr(to: string): SQL;
  keys(to: string): { key: string; label: string }[];
}

const vocabDim = (label: string, column: SQL, vocab: readonly { key: string; label: string }[]): Dimension => ({
  label,
  expr: () => sql`coalesce(${column}, 'unknown')`,
  keys: () => [...vocab.map((v) => ({ key: v.key, label: v.label })), { key: 'unknown', label: '未填写' }],
});

/** 大专及以上 (研究生, 大学本科, 大学专科) against the rest: the split the reports quote. */
export const COLLEGE_PLUS_KEYS = ['graduate', 'bachelor', 'college'] as const;
export const collegePlusExpr = (column: SQL): SQL =>
  sql`(case when ${column} is null then 'unknown' when ${column} in ('graduate','bachelor','college') then 'collegePlus' else 'belowCollege' end)`;
export const COLLEGE_PLUS_DIM_KEYS = [{ key: 'collegePlus', label: '大专及以上' }, { key: 'belowCollege', label: '中专及以下' }, { key: 'unknown', label: '未填写' }];

export const MEMBER_DIMENSIONS: Record<string, Dimension> = {
  gender: vocabDim('性别', sql`p.gender`, GENDERS),
  ethnicity: vocabDim('民族', sql`p.ethnicity`, ETHNICITIES),
  minority: {
    label: '少数民族',
    expr: () => sql`(case when p.ethnicity = '汉族' then 'han' else 'minority' end)`,
    keys: () => [{ key: 'han', label: '汉族' }, { key: 'minority', label: '少数民族' }],
  },
  stage: vocabDim('人员类别', sql`m.stage`, MEMBER_STAGES.filter((s) => s.key === 'probationary' || s.key === 'full')),
  education: vocabDim('学历', sql`p.education`, EDUCATION_LEVELS),
  occupation: vocabDim('职业', sql`p.occupation`, OCCUPATIONS),
  collegePlus: { label: '学历层次', expr: () => collegePlusExpr(sql`p.education`), keys: () => COLLEGE_PLUS_DIM_KEYS },
  age35: {
    label: '是否35岁及以下',
    expr: (to) => bandCase(sql`p.birth_date`, ageBandCutoffs(DEVELOPMENT_AGE_BANDS, to)),
    keys: () => [...DEVELOPMENT_AGE_BANDS.map((b) => ({ key: b.key, label: b.label })), { key: 'unknown', label: '未填写' }],
  },
  ageBand: {
    label: '年龄段',
    expr: (to) => bandCase(sql`p.birth_date`, ageBandCutoffs(AGE_BANDS, to)),
    keys: () => [...AGE_BANDS.map((b) => ({ key: b.key, label: b.label })), { key: 'unknown', label: '未填写' }],
  },
  partyAgeBand: {
    label: '党龄段',
    // Probationary members have no 党龄 and fall in their own key, so the breakdown still sums.
    expr: (to) => sql`(case when m.stage = 'probationary' then 'probationary' else ${bandCase(sql`p.full_on`, partyAgeBandCutoffs(to))} end)`,
    keys: () => [...PARTY_AGE_BANDS.map((b) => ({ key: b.key, label: b.label })), { key: 'unknown', label: '未填写' }],
  },
  admissionPeriod: {
    label: '入党时间',
    expr: () => {
      const whens = (ADMISSION_PERIOD_BANDS as readonly DateBand[]).map((b) => {
        const c: SQL[] = [];
        if (b.from) c.push(sql`p.admitted_on >= ${b.from}`);
        if (b.to) c.push(sql`p.admitted_on <= ${b.to}`);
        return sql`when ${c.length ? sql.join(c, sql` and `) : sql`true`} then ${b.key}`;
      });
      return sql`(case when p.admitted_on is null then 'unknown' ${sql.join(whens, sql` `)} else 'unknown' end)`;
    },
    keys: () => [...ADMISSION_PERIOD_BANDS.map((b) => ({ key: b.key, label: b.label })), { key: 'unknown', label: '未填写' }],
  },
};

async function hasAnyRecords(ctx: FigureContext): Promise<boolean> {
  const r = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n from (select 1 from people p where p.tenant_id = ${ctx.scope.tenantId} and ${pathPredicate(sql`p.org_path`, ctx.scope)} limit 1) x`);
  return (r?.n ?? 0) > 0;
}

/** Batch form of hasAnyRecords: the requested paths whose subtree holds any person. */
async function pathsWithRecords(ctx: FigureContext, paths: string[]): Promise<Set<string>> {
  const r = await rows<{ path: string }>(ctx.db, sql`select distinct p.org_path as path from people p where p.tenant_id = ${ctx.scope.tenantId} and ${pathPredicate(sql`p.org_path`, ctx.scope)}`);
  return pathsHolding(paths, r.map((x) => x.path));
}

/** A breakdown keeps only keys with a value, except that declared keys are kept even at zero. */
function toBreakdown(dim: Dimension, to: string, counts: Map<string, number>): BreakdownItem[] {
  return dim.keys(to).filter((k) => k.key !== 'unknown' || (counts.get('unknown') ?? 0) > 0).map((k) => ({ key: k.key, label: k.label, value: counts.get(k.key) ?? 0 }));
}

registerFigure({
  id: 'members.count',
  label: '党员人数',
  definition: '截至统计日期，组织关系在本组织（含下级）的正式党员和预备党员人数（含失联，不含停止党籍和已出党人员）。',
  unit: 'count',
  kind: 'stock',
  source: 'DOMAIN.md §6',
  dimensions: Object.fromEntries(Object.entries(MEMBER_DIMENSIONS).map(([k, d]) => [k, d.label])),
  async compute(ctx, q: FigureQuery) {
    if (!(await hasAnyRecords(ctx))) return { value: null, status: 'missing', unit: 'count' };
    if (!q.by) {
      const r = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n ${stockFrom(ctx, q.to)}`);
      return { value: r?.n ?? 0, status: 'ok', unit: 'count' };
    }
    const dim = MEMBER_DIMENSIONS[q.by];
    const r = await rows<{ k: string; n: number }>(ctx.db, sql`select ${dim.expr(q.to)} as k, count(*)::int as n ${stockFrom(ctx, q.to)} group by 1`);
    const counts = new Map(r.map((x) => [x.k, x.n]));
    const total = r.reduce((s, x) => s + x.n, 0);
    return { value: total, status: 'ok', unit: 'count', breakdown: toBreakdown(dim, q.to, counts) };
  },
  /** One scan with GROUPING SETS instead of one query per dimension. */
  async computeMany(ctx, q, dims) {
    if (!(await hasAnyRecords(ctx))) return Object.fromEntries(dims.map((d) => [d, { value: null, status: 'missing' as const, unit: 'count' as const }]));
    const cols = dims.map((d, i) => sql`${MEMBER_DIMENSIONS[d].expr(q.to)} as ${sql.raw(`d${i}`)}`);
    const names = dims.map((_, i) => sql.raw(`d${i}`));
    const r = await rows<Record<string, unknown> & { g: number; n: number }>(
      ctx.db,
      sql`select ${sql.join(names, sql`, `)}, grouping(${sql.join(names, sql`, `)})::int as g, count(*)::int as n
          from (select ${sql.join(cols, sql`, `)} ${stockFrom(ctx, q.to)}) x
          group by grouping sets (${sql.join(names.map((n) => sql`(${n})`), sql`, `)})`,
    );
    const out: Record<string, FigureValue> = {};
    dims.forEach((d, i) => {
      // grouping() sets bit (k-1-i) for every column NOT in the set; the set of dim i has only its own bit clear
      const mask = ((1 << dims.length) - 1) & ~(1 << (dims.length - 1 - i));
      const mine = r.filter((x) => x.g === mask);
      const counts = new Map(mine.map((x) => [String(x[`d${i}`]), x.n]));
      out[d] = { value: mine.reduce((s, x) => s + x.n, 0), status: 'ok', unit: 'count', breakdown: toBreakdown(MEMBER_DIMENSIONS[d], q.to, counts) };
    });
    return out;
  },
  /** Batch: one scan grouped by org path (and the dimension), summed up to each requested subtree. */
  async computeByOrg(ctx, q, paths) {
    const has = await pathsWithRecords(ctx, paths);
    const dim = q.by ? MEMBER_DIMENSIONS[q.by] : null;
    const r = await rows<{ path: string; k: string; n: number }>(ctx.db,
      sql`select o.path, ${dim ? dim.expr(q.to) : sql`''`} as k, count(*)::int as n ${stockFrom(ctx, q.to)} group by 1, 2`);
    const sums = rollUp(paths, r.map((x) => ({ path: x.path, k: x.k, v: [x.n] })));
    const out = new Map<string, OrgFigureValue>();
    for (const path of paths) {
      const m = sums.get(path)!;
      const total = sumOf(m);
      if (!has.has(path)) out.set(path, { value: null, status: 'missing', unit: 'count', evidenceCount: total });
      else if (!dim) out.set(path, { value: total, status: 'ok', unit: 'count', evidenceCount: total });
      else out.set(path, { value: total, status: 'ok', unit: 'count', breakdown: toBreakdown(dim, q.to, new Map([...m].map(([k, v]) => [k, v[0]!]))), evidenceCount: total });
    }
    return out;
  },
  async evidence(ctx, q, page) {
    const total = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n ${stockFrom(ctx, q.to)}`);
    const keyLabel = new Map(q.by ? MEMBER_DIMENSIONS[q.by].keys(q.to).map((k) => [k.key, k.label] as const) : []);
    const items = await rows<{ id: number; version: number; date: string; org_id: number; name: string; k: string | null }>(
      ctx.db,
      sql`select p.id, p.version, m.valid_from as date, m.org_id, p.name, ${q.by ? MEMBER_DIMENSIONS[q.by].expr(q.to) : sql`null`} as k
          ${stockFrom(ctx, q.to)} order by p.name, p.id limit ${page.limit} offset ${page.offset}`,
    );
    return {
      total: total?.n ?? 0,
      items: items.map((r) => ({ entity: 'person', id: r.id, version: r.version, date: r.date, orgId: r.org_id, label: r.k ? `${r.name}（${keyLabel.get(r.k) ?? r.k}）` : r.name, contributes: 1 })),
    };
  },
});

// ─── New members (发展党员) ────────────────────────────────────────────────

/**
 * People admitted (接收为预备党员) with 入党日期 in [from, to], counted at the org that holds their
 * 组织关系 now (people.org_path), whatever happened since (转正, 转出 to another org in scope, exit).
 */
const admittedFrom = (ctx: FigureContext, q: FigureQuery): SQL =>
  sql`from people p where p.tenant_id = ${ctx.scope.tenantId} and ${pathPredicate(sql`p.org_path`, ctx.scope)}
    and p.admitted_on is not null and p.admitted_on >= ${q.from} and p.admitted_on <= ${q.to}`;

/** Bands of the admitted: 35岁及以下 is measured on the 入党日期 (DOMAIN.md §6, §2.5). */
const ADMITTED_DIMENSIONS: Record<string, { label: string; expr: SQL; keys: { key: string; label: string }[] }> = {
  gender: { label: '性别', expr: sql`coalesce(p.gender, 'unknown')`, keys: [...GENDERS.map((g) => ({ key: g.key, label: g.label })), { key: 'unknown', label: '未填写' }] },
  age35: {
    label: '入党时是否35岁及以下',
    expr: sql`(case when p.birth_date is null then 'unknown' when p.birth_date > (p.admitted_on - interval '36 years')::date then 'le35' else 'ge36' end)`,
    keys: [...DEVELOPMENT_AGE_BANDS.map((b) => ({ key: b.key, label: b.label })), { key: 'unknown', label: '未填写' }],
  },
  collegePlus: { label: '学历层次', expr: collegePlusExpr(sql`p.education`), keys: COLLEGE_PLUS_DIM_KEYS },
};

registerFigure({
  id: 'members.admitted.count',
  label: '发展党员人数',
  definition: '统计期内（按入党日期）接收为预备党员的人数，按其当前组织关系所在组织（含下级）统计；此后转正、转出或出党的仍计入。可按性别、入党时是否35岁及以下、学历层次分组。',
  unit: 'count',
  kind: 'flow',
  source: 'DOMAIN.md §2.5, §6',
  dimensions: Object.fromEntries(Object.entries(ADMITTED_DIMENSIONS).map(([k, d]) => [k, d.label])),
  async compute(ctx, q) {
    if (!(await hasAnyRecords(ctx))) return { value: null, status: 'missing', unit: 'count' };
    if (!q.by) {
      const r = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n ${admittedFrom(ctx, q)}`);
      return { value: r?.n ?? 0, status: 'ok', unit: 'count' };
    }
    const dim = ADMITTED_DIMENSIONS[q.by];
    const r = await rows<{ k: string; n: number }>(ctx.db, sql`select ${dim.expr} as k, count(*)::int as n ${admittedFrom(ctx, q)} group by 1`);
    const counts = new Map(r.map((x) => [x.k, x.n]));
    return {
      value: r.reduce((s, x) => s + x.n, 0), status: 'ok', unit: 'count',
      breakdown: dim.keys.filter((k) => k.key !== 'unknown' || counts.has('unknown')).map((k) => ({ ...k, value: counts.get(k.key) ?? 0 })),
    };
  },
  async computeByOrg(ctx, q, paths) {
    const has = await pathsWithRecords(ctx, paths);
    const dim = q.by ? ADMITTED_DIMENSIONS[q.by] : null;
    const r = await rows<{ path: string; k: string; n: number }>(ctx.db,
      sql`select p.org_path as path, ${dim ? dim.expr : sql`''`} as k, count(*)::int as n ${admittedFrom(ctx, q)} group by 1, 2`);
    const sums = rollUp(paths, r.map((x) => ({ path: x.path, k: x.k, v: [x.n] })));
    const out = new Map<string, OrgFigureValue>();
    for (const path of paths) {
      const m = sums.get(path)!;
      const total = sumOf(m);
      if (!has.has(path)) out.set(path, { value: null, status: 'missing', unit: 'count', evidenceCount: total });
      else if (!dim) out.set(path, { value: total, status: 'ok', unit: 'count', evidenceCount: total });
      else {
        const counts = new Map([...m].map(([k, v]) => [k, v[0]!]));
        out.set(path, { value: total, status: 'ok', unit: 'count', breakdown: dim.keys.filter((k) => k.key !== 'unknown' || counts.has('unknown')).map((k) => ({ ...k, value: counts.get(k.key) ?? 0 })), evidenceCount: total });
      }
    }
    return out;
  },
  async evidence(ctx, q, page) {
    const total = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n ${admittedFrom(ctx, q)}`);
    const items = await rows<{ id: number; version: number; admitted_on: string; org_id: number; name: string }>(ctx.db,
      sql`select p.id, p.version, p.admitted_on::text as admitted_on, p.org_id, p.name ${admittedFrom(ctx, q)} order by p.admitted_on, p.id limit ${page.limit} offset ${page.offset}`);
    return { total: total?.n ?? 0, items: items.map((r) => ({ entity: 'person', id: r.id, version: r.version, date: r.admitted_on, orgId: r.org_id, label: `${r.name}（${r.admitted_on}入党）`, contributes: 1 })) };
  },
});
