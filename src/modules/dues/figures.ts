import { sql, type SQL } from 'drizzle-orm';
import { one, rows } from '../../db/connection.js';
import { addMonths, monthStart } from '../../domain/dates.js';
import { lastEndedMonth, monthEndOf } from '../../domain/duesMonths.js';
import { DUES_CATEGORIES, ORG_KINDS } from '../../domain/vocab.js';
import { pathsHolding, registerFigure, rollUp, sumOf, type BreakdownItem, type EvidenceRow, type FigureContext, type FigureQuery, type FigureValue, type OrgFigureValue } from '../../platform/figures.js';
import { pathPredicate } from '../../platform/scope.js';
import { PAYMENT_CHANNELS } from './contract.js';
import { monthsSource, type MonthsSource } from './ledger.js';
import './settings.js';

/**
 * Dues figures (DOMAIN.md §1): amounts are integer fen. Flows over [from, to]: what fell due (by
 * month), what was paid, back payments, voluntary dues and hand-ins (by date). A reversal counts on
 * its own date with its negative amount, so a corrected payment nets to zero over any period holding
 * both. The on-time rate and members in arrears read the same member-month query as every screen.
 */
const monthsOf = (q: FigureQuery) => ({ from: monthStart(q.from), to: monthStart(q.to) });

async function hasRecords(ctx: FigureContext): Promise<boolean> {
  const r = await one<{ n: number }>(ctx.db, sql`select ((exists (select 1 from dues_payments x where x.tenant_id = ${ctx.scope.tenantId} and ${pathPredicate(sql`x.org_path`, ctx.scope)}))
      or (exists (select 1 from dues_bases b join people p on p.id = b.person_id where b.tenant_id = ${ctx.scope.tenantId} and ${pathPredicate(sql`p.org_path`, ctx.scope)})))::int as n`);
  return (r?.n ?? 0) > 0;
}
/** Batch form of hasRecords: the requested paths whose subtree holds a payment or a dues base. */
async function pathsWithRecords(ctx: FigureContext, paths: string[]): Promise<Set<string>> {
  const r = await rows<{ path: string }>(ctx.db, sql`select distinct x.org_path as path from dues_payments x where x.tenant_id = ${ctx.scope.tenantId} and ${pathPredicate(sql`x.org_path`, ctx.scope)}
    union select distinct p.org_path from dues_bases b join people p on p.id = b.person_id where b.tenant_id = ${ctx.scope.tenantId} and ${pathPredicate(sql`p.org_path`, ctx.scope)}`);
  return pathsHolding(paths, r.map((x) => x.path));
}
/** Batch: grouped rows (org path, key, value, evidence rows) summed to each requested path, shaped per path. */
async function byOrg(ctx: FigureContext, paths: string[], query: SQL, shape: (m: Map<string, number[]>, has: boolean) => OrgFigureValue) {
  const has = await pathsWithRecords(ctx, paths);
  const r = await rows<{ path: string; k: string | null; v: number; n: number }>(ctx.db, query);
  const sums = rollUp(paths, r.map((x) => ({ path: x.path, k: x.k ?? '', v: [Number(x.v), x.n] })));
  return new Map(paths.map((p) => [p, shape(sums.get(p)!, has.has(p))]));
}
const keyed = (m: Map<string, number[]>) => new Map([...m].map(([k, v]) => [k, v[0]!]));
const missing = (unit: FigureValue['unit']): FigureValue => ({ value: null, status: 'missing', unit });

function breakdownOf(keys: readonly { key: string; label: string }[], counts: Map<string, number>): BreakdownItem[] {
  const known = keys.map((k) => ({ key: k.key, label: k.label, value: counts.get(k.key) ?? 0 }));
  const unknown = [...counts.entries()].filter(([k]) => !keys.some((x) => x.key === k)).reduce((s, [, v]) => s + v, 0);
  return unknown ? [...known, { key: 'unknown', label: '未填写', value: unknown }] : known;
}

// ─── Payments: paid, back payments, voluntary ───────────────────────────────

/**
 * Payment rows of a kind with paid_on in [from, to], including the reversals of such rows (the kind and
 * the `extra` condition are the original's). The original is looked up only for a reversal row: a
 * join of every payment to its original cost a hash self-join of all payments per figure (issue 18).
 */
function paymentsWhere(ctx: FigureContext, q: FigureQuery, kind: 'due' | 'voluntary', extra: (alias: 'x' | 'orig') => SQL = () => sql`true`): SQL {
  return sql`x.tenant_id = ${ctx.scope.tenantId} and ${pathPredicate(sql`x.org_path`, ctx.scope)} and x.paid_on between ${q.from} and ${q.to}
    and (case when x.reversal_of is null then x.kind = ${kind} and ${extra('x')}
      else exists (select 1 from dues_payments orig where orig.id = x.reversal_of and orig.kind = ${kind} and coalesce(${extra('orig')}, ${extra('x')})) end)`;
}
const PAY_FROM = sql`from dues_payments x`;
const PAY_FROM_NAMED = sql`${PAY_FROM} join people p on p.id = x.person_id`;

function paymentFigure(id: string, label: string, definition: string, kind: 'due' | 'voluntary', extra: (alias: 'x' | 'orig') => SQL = () => sql`true`) {
  const where = (ctx: FigureContext, q: FigureQuery) => paymentsWhere(ctx, q, kind, extra);
  registerFigure({
    id, label, definition, unit: 'fen', kind: 'flow', source: 'DOMAIN.md §1.4', dimensions: { channel: '缴费方式' },
    async compute(ctx, q) {
      if (!(await hasRecords(ctx))) return missing('fen');
      if (!q.by) {
        const r = await one<{ fen: number }>(ctx.db, sql`select coalesce(sum(x.amount_fen), 0)::float8 as fen ${PAY_FROM} where ${where(ctx, q)}`);
        return { value: Number(r?.fen ?? 0), status: 'ok', unit: 'fen' };
      }
      const r = await rows<{ k: string; fen: number }>(ctx.db, sql`select x.channel as k, sum(x.amount_fen)::float8 as fen ${PAY_FROM} where ${where(ctx, q)} group by 1`);
      const counts = new Map(r.map((x) => [x.k, Number(x.fen)]));
      return { value: r.reduce((s, x) => s + Number(x.fen), 0), status: 'ok', unit: 'fen', breakdown: breakdownOf(PAYMENT_CHANNELS, counts) };
    },
    async computeByOrg(ctx, q, paths) {
      return byOrg(ctx, paths, sql`select x.org_path as path, ${q.by ? sql`x.channel` : sql`''`} as k, sum(x.amount_fen)::float8 as v, count(*)::int as n ${PAY_FROM} where ${where(ctx, q)} group by 1, 2`, (m, has) => {
        const evidenceCount = sumOf(m, 1);
        if (!has) return { ...missing('fen'), evidenceCount };
        if (!q.by) return { value: sumOf(m), status: 'ok', unit: 'fen', evidenceCount };
        return { value: sumOf(m), status: 'ok', unit: 'fen', breakdown: breakdownOf(PAYMENT_CHANNELS, keyed(m)), evidenceCount };
      });
    },
    async evidence(ctx, q, page) {
      const total = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n ${PAY_FROM} where ${where(ctx, q)}`);
      const items = await rows<{ id: number; version: number; paid_on: string; org_id: number; name: string; month: string; kind: string; amount_fen: number }>(ctx.db,
        sql`select x.id, x.version, x.paid_on::text as paid_on, x.org_id, p.name, x.month::text as month, x.kind, x.amount_fen ${PAY_FROM_NAMED} where ${where(ctx, q)}
            order by x.paid_on, x.id limit ${page.limit} offset ${page.offset}`);
      return {
        total: total?.n ?? 0,
        items: items.map((r): EvidenceRow => ({
          entity: 'duesPayment', id: r.id, version: r.version, date: r.paid_on, orgId: r.org_id, contributes: r.amount_fen,
          label: `${r.name} ${r.month.slice(0, 7)}${r.kind === 'reversal' ? ' 冲正' : ''}`,
        })),
      };
    },
  });
}

paymentFigure('dues.paid.amount', '实缴党费', '统计期内（按缴费日期）本组织（含下级）收缴的按月党费金额，含补交，冲正记录按冲正日期冲减；不含自愿多交党费。', 'due');
paymentFigure('dues.backPayment.amount', '补交党费', '统计期内（按缴费日期）收缴的补交党费金额（所属月份已过后交纳的按月党费），冲正按冲正日期冲减。', 'due', (a) => sql`${sql.raw(a)}.back_payment`);
paymentFigure('dues.voluntary.amount', '自愿多交党费', '统计期内（按缴费日期）收缴的自愿多交党费金额（含超出应缴部分），冲正按冲正日期冲减。', 'voluntary');

/**
 * Back payments as records: due payments flagged 补交 with paid_on in [from, to] that were not reversed
 * by `to` (a reversal dated later does not change the count as of `to`). One evidence row per payment.
 */
const backCountWhere = (ctx: FigureContext, q: FigureQuery): SQL =>
  sql`x.tenant_id = ${ctx.scope.tenantId} and ${pathPredicate(sql`x.org_path`, ctx.scope)} and x.kind = 'due' and x.back_payment
    and x.paid_on between ${q.from} and ${q.to}
    and not exists (select 1 from dues_payments rv where rv.id = x.reversed_by and rv.paid_on <= ${q.to})`;

registerFigure({
  id: 'dues.backPayment.count', label: '补交党费笔数', unit: 'count', kind: 'flow', source: 'DOMAIN.md §1.4',
  definition: '统计期内（按缴费日期）本组织（含下级）收缴的补交党费（所属月份已过后交纳的按月党费）笔数，截至统计期末已被冲正的不计。',
  dimensions: { channel: '缴费方式' },
  async compute(ctx, q) {
    if (!(await hasRecords(ctx))) return missing('count');
    const r = await rows<{ k: string; n: number }>(ctx.db, sql`select x.channel as k, count(*)::int as n from dues_payments x where ${backCountWhere(ctx, q)} group by 1`);
    const value = r.reduce((s, x) => s + x.n, 0);
    if (!q.by) return { value, status: 'ok', unit: 'count' };
    return { value, status: 'ok', unit: 'count', breakdown: breakdownOf(PAYMENT_CHANNELS, new Map(r.map((x) => [x.k, x.n]))) };
  },
  async computeByOrg(ctx, q, paths) {
    return byOrg(ctx, paths, sql`select x.org_path as path, x.channel as k, count(*)::int as v, count(*)::int as n from dues_payments x where ${backCountWhere(ctx, q)} group by 1, 2`, (m, has) => {
      const value = sumOf(m);
      if (!has) return { ...missing('count'), evidenceCount: value };
      if (!q.by) return { value, status: 'ok', unit: 'count', evidenceCount: value };
      return { value, status: 'ok', unit: 'count', breakdown: breakdownOf(PAYMENT_CHANNELS, keyed(m)), evidenceCount: value };
    });
  },
  async evidence(ctx, q, page) {
    const total = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n from dues_payments x where ${backCountWhere(ctx, q)}`);
    const items = await rows<{ id: number; version: number; paid_on: string; org_id: number; name: string; month: string; amount_fen: number }>(ctx.db,
      sql`select x.id, x.version, x.paid_on::text as paid_on, x.org_id, p.name, x.month::text as month, x.amount_fen from dues_payments x join people p on p.id = x.person_id
          where ${backCountWhere(ctx, q)} order by x.paid_on, x.id limit ${page.limit} offset ${page.offset}`);
    return {
      total: total?.n ?? 0,
      items: items.map((r): EvidenceRow => ({ entity: 'duesPayment', id: r.id, version: r.version, date: r.paid_on, orgId: r.org_id, contributes: 1, label: `${r.name} 补交${r.month.slice(0, 7)}党费${(r.amount_fen / 100).toFixed(2)}元` })),
    };
  },
});

// ─── What fell due ──────────────────────────────────────────────────────────

/** The owed member-months of [from, to] from the ledger (or the live query beyond its horizon). */
const sourceFor = (ctx: FigureContext, lastMonth: string) => monthsSource(ctx.db, ctx.scope.tenantId, ctx.scope, lastMonth);
const dueSql = (m: MonthsSource, q: FigureQuery, select: (m: MonthsSource) => SQL, people = false) =>
  m.rows({ ...monthsOf(q), select: select(m), where: sql`${m.due} is not null`, people });

registerFigure({
  id: 'dues.due.amount', label: '应缴党费', unit: 'fen', kind: 'flow', source: 'DOMAIN.md §1.2、§1.3',
  definition: '统计期内各月（按所属月份），本组织（含下级）党员按核定基数应交纳的党费合计；减交按减交后金额，免交为0，未核定基数的月份不计。',
  dimensions: { category: '党费类别' },
  async compute(ctx, q) {
    if (!(await hasRecords(ctx))) return missing('fen');
    if (!q.by) {
      const m = await sourceFor(ctx, monthsOf(q).to);
      const r = await one<{ fen: number }>(ctx.db, sql`select coalesce(sum(t.due), 0)::float8 as fen from (${dueSql(m, q, (s) => sql`${s.due} as due`)}) t`);
      return { value: Number(r?.fen ?? 0), status: 'ok', unit: 'fen' };
    }
    const m = await sourceFor(ctx, monthsOf(q).to);
    const r = await rows<{ k: string; fen: number }>(ctx.db, sql`select t.k, sum(t.due)::float8 as fen from (${dueSql(m, q, (s) => sql`${s.category} as k, ${s.due} as due`)}) t group by 1`);
    const counts = new Map(r.map((x) => [x.k, Number(x.fen)]));
    return { value: r.reduce((s, x) => s + Number(x.fen), 0), status: 'ok', unit: 'fen', breakdown: breakdownOf(DUES_CATEGORIES, counts) };
  },
  async evidence(ctx, q, page) {
    const m = await sourceFor(ctx, monthsOf(q).to);
    const per = sql`select t.person_id, max(t.name) as name, max(t.version)::int as version, max(t.month)::text as date, (array_agg(t.org_id order by t.month desc))[1] as org_id,
        count(*)::int as months, sum(t.due)::float8 as fen
      from (${dueSql(m, q, (s) => sql`mm.person_id, p.name, p.version, mm.month, mm.org_id, ${s.due} as due`, true)}) t group by t.person_id having sum(t.due) <> 0`;
    const total = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n from (${per}) e`);
    const items = await rows<{ person_id: number; name: string; version: number; date: string; org_id: number; months: number; fen: number }>(ctx.db,
      sql`select * from (${per}) e order by e.name, e.person_id limit ${page.limit} offset ${page.offset}`);
    return {
      total: total?.n ?? 0,
      items: items.map((r) => ({ entity: 'person', id: r.person_id, version: r.version, date: r.date, orgId: r.org_id, label: `${r.name}（${r.months}个月应缴）`, contributes: Number(r.fen) })),
    };
  },
});

// ─── On time ────────────────────────────────────────────────────────────────

/** Owed months that ended by `to`: paid on time when the effective payment is dated by the month's last day. */
async function onTimeSql(ctx: FigureContext, q: FigureQuery, select: (m: MonthsSource) => SQL, evidence = false): Promise<SQL | null> {
  const last = monthEndOf(monthStart(q.to)) <= q.to ? monthStart(q.to) : lastEndedMonth(q.to);
  const from = monthStart(q.from);
  if (last < from) return null;
  const m = await sourceFor(ctx, last);
  return m.rows({ from, to: last, select: select(m), where: sql`${m.due} > 0`, people: evidence, payment: evidence ? 'row' : 'value' });
}
const onTime = (m: MonthsSource) => sql`(${m.paymentId} is not null and ${m.paidOn} <= (mm.month + interval '1 month' - interval '1 day')::date)`;
const pct = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 1000) / 10);

registerFigure({
  id: 'dues.onTime.rate', label: '按时交纳率', unit: 'percent', kind: 'flow', source: 'DOMAIN.md §1.4',
  definition: '统计期内已结束的各月中，应交纳党费（应缴额大于0）的党员月份里，在当月最后一天前（含）交纳的比例；分子为按时交纳的党员月份数，分母为应交纳的党员月份数。',
  dimensions: {},
  async compute(ctx, q) {
    if (!(await hasRecords(ctx))) return missing('percent');
    const s = await onTimeSql(ctx, q, (m) => sql`${onTime(m)} as ok`);
    if (!s) return missing('percent');
    const r = await one<{ n: number; d: number }>(ctx.db, sql`select count(*) filter (where t.ok)::int as n, count(*)::int as d from (${s}) t`);
    const n = r?.n ?? 0;
    const d = r?.d ?? 0;
    if (d === 0) return missing('percent');
    return { value: pct(n, d), status: 'ok', unit: 'percent', numerator: n, denominator: d };
  },
  async evidence(ctx, q, page) {
    const s = await onTimeSql(ctx, q, (m) => sql`mm.person_id, p.name, mm.month, mm.org_id, coalesce(${m.paymentVersion}, 0) as version, ${m.paidOn} as paid_on, ${onTime(m)} as ok`, true);
    if (!s) return { total: 0, items: [] };
    const total = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n from (${s}) t`);
    const items = await rows<{ person_id: number; name: string; month: string; org_id: number; version: number; paid_on: string | null; ok: boolean }>(ctx.db,
      sql`select t.person_id, t.name, t.month::text as month, t.org_id, t.version, t.paid_on::text as paid_on, t.ok from (${s}) t order by t.month, t.name, t.person_id limit ${page.limit} offset ${page.offset}`);
    return {
      total: total?.n ?? 0,
      items: items.map((r) => ({
        entity: 'personMonth', id: `${r.person_id}:${r.month.slice(0, 7)}`, version: r.version, date: r.paid_on ?? r.month, orgId: r.org_id, contributes: r.ok ? 1 : 0,
        label: `${r.name} ${r.month.slice(0, 7)}${r.ok ? ' 按时' : r.paid_on ? ` 逾期（${r.paid_on}）` : ' 未缴'}`,
      })),
    };
  },
});

// ─── Members in arrears (a stock as of `to`) ───────────────────────────────

const ARREARS_BANDS = [{ key: '1-2', label: '1至2个月' }, { key: '3-5', label: '3至5个月' }, { key: '6+', label: '6个月及以上' }] as const;

/** Unpaid as of `to`: no due payment dated by `to` that was not reversed by `to` (reproducible later). */
async function arrearsSql(ctx: FigureContext, to: string): Promise<SQL> {
  const last = lastEndedMonth(to);
  const from = addMonths(monthStart(to), -12);
  const m = await sourceFor(ctx, last);
  const inner = m.rows({ from, to: last, people: true, select: sql`mm.person_id, p.name, p.version, mm.month, mm.org_id`, where: sql`${m.due} > 0 and not ${m.paidAsOf(to)}` });
  return sql`select t.person_id, max(t.name) as name, max(t.version)::int as version, min(t.month)::text as first, count(*)::int as months,
      (array_agg(t.org_id order by t.month desc))[1] as org_id,
      case when count(*) >= 6 then '6+' when count(*) >= 3 then '3-5' else '1-2' end as band
    from (${inner}) t group by t.person_id`;
}

registerFigure({
  id: 'dues.arrears.count', label: '欠缴党费党员数', unit: 'count', kind: 'stock', source: 'DOMAIN.md §1.4、§1.7',
  definition: '截至统计日期，近12个月中在本组织（含下级）期间有应缴未缴月份（当月已结束、截至该日无有效缴费记录）的党员人数。',
  dimensions: { arrearsMonths: '欠缴月数' },
  async compute(ctx, q) {
    if (!(await hasRecords(ctx))) return missing('count');
    const s = await arrearsSql(ctx, q.to);
    if (!q.by) {
      const r = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n from (${s}) a`);
      return { value: r?.n ?? 0, status: 'ok', unit: 'count' };
    }
    const r = await rows<{ k: string; n: number }>(ctx.db, sql`select a.band as k, count(*)::int as n from (${s}) a group by 1`);
    return { value: r.reduce((x, y) => x + y.n, 0), status: 'ok', unit: 'count', breakdown: breakdownOf(ARREARS_BANDS, new Map(r.map((x) => [x.k, x.n]))) };
  },
  async evidence(ctx, q, page) {
    const s = await arrearsSql(ctx, q.to);
    const total = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n from (${s}) a`);
    const items = await rows<{ person_id: number; name: string; version: number; first: string; months: number; org_id: number }>(ctx.db,
      sql`select * from (${s}) a order by a.name, a.person_id limit ${page.limit} offset ${page.offset}`);
    return {
      total: total?.n ?? 0,
      items: items.map((r) => ({ entity: 'person', id: r.person_id, version: r.version, date: r.first, orgId: r.org_id, label: `${r.name}（欠缴${r.months}个月）`, contributes: 1 })),
    };
  },
});

// ─── Hand-ins ───────────────────────────────────────────────────────────────

const handInWhere = (ctx: FigureContext, q: FigureQuery) =>
  sql`h.tenant_id = ${ctx.scope.tenantId} and ${pathPredicate(sql`h.org_path`, ctx.scope)} and h.handed_on between ${q.from} and ${q.to}`;

registerFigure({
  id: 'dues.handIn.amount', label: '上缴党费', unit: 'fen', kind: 'flow', source: 'DOMAIN.md §1.5',
  definition: '统计期内（按上缴日期）本组织及下级各级党组织向上级上缴党费的登记金额合计（逐级上缴时各级分别计入，可按组织类型分组查看）。',
  dimensions: { orgKind: '上缴组织类型' },
  async compute(ctx, q) {
    if (!(await hasRecords(ctx))) return missing('fen');
    const r = await rows<{ k: string; fen: number }>(ctx.db, sql`select o.kind as k, sum(h.amount_fen)::float8 as fen from dues_hand_ins h join orgs o on o.id = h.org_id
      where ${handInWhere(ctx, q)} group by 1`);
    const value = r.reduce((s, x) => s + Number(x.fen), 0);
    if (!q.by) return { value, status: 'ok', unit: 'fen' };
    return { value, status: 'ok', unit: 'fen', breakdown: breakdownOf(ORG_KINDS, new Map(r.map((x) => [x.k, Number(x.fen)]))).filter((b) => b.value !== 0) };
  },
  async computeByOrg(ctx, q, paths) {
    return byOrg(ctx, paths, sql`select h.org_path as path, o.kind as k, sum(h.amount_fen)::float8 as v, count(*)::int as n from dues_hand_ins h join orgs o on o.id = h.org_id
      where ${handInWhere(ctx, q)} group by 1, 2`, (m, has) => {
      const evidenceCount = sumOf(m, 1);
      if (!has) return { ...missing('fen'), evidenceCount };
      const value = sumOf(m);
      if (!q.by) return { value, status: 'ok', unit: 'fen', evidenceCount };
      return { value, status: 'ok', unit: 'fen', breakdown: breakdownOf(ORG_KINDS, keyed(m)).filter((b) => b.value !== 0), evidenceCount };
    });
  },
  async evidence(ctx, q, page) {
    const total = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n from dues_hand_ins h where ${handInWhere(ctx, q)}`);
    const items = await rows<{ id: number; version: number; handed_on: string; org_id: number; name: string; period_start: string; period_end: string; amount_fen: number }>(ctx.db,
      sql`select h.id, h.version, h.handed_on::text as handed_on, h.org_id, o.name, h.period_start::text as period_start, h.period_end::text as period_end, h.amount_fen
        from dues_hand_ins h join orgs o on o.id = h.org_id where ${handInWhere(ctx, q)} order by h.handed_on, h.id limit ${page.limit} offset ${page.offset}`);
    return {
      total: total?.n ?? 0,
      items: items.map((r) => ({ entity: 'duesHandIn', id: r.id, version: r.version, date: r.handed_on, orgId: r.org_id, contributes: r.amount_fen, label: `${r.name} ${r.period_start}至${r.period_end}` })),
    };
  },
});
