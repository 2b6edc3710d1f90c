/**
 * Data and hand-written SQL for the dues benchmark (bench/dues.ts): a year of dues added to the
 * benchmark county with set-based SQL, a 50-member branch, and the baselines written by hand.
 */
import { sql } from 'drizzle-orm';
import { one, rows, type Db } from '../src/db/connection.js';
import type { BenchDb } from './setup.js';

export const MONTH = '2026-10-01';
export const YEAR_FROM = '2026-01-01';

/** Whole-base brackets in SQL, only to give the bench plausible amounts (the rule itself lives in src/domain). */
const DUE_OF = (base: string) => sql.raw(`(case when ${base} <= 300000 then round(${base} * 0.005) when ${base} <= 500000 then round(${base} * 0.01)
  when ${base} <= 1000000 then round(${base} * 0.015) else least(round(${base} * 0.02), 100000) end)::int`);

export async function seedDues(b: BenchDb): Promise<{ branch: number; branchPath: string }> {
  const t0 = performance.now();
  const db = b.handle.db;
  await db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    const now = '2026-11-20T00:00:00.000Z';
    await tx.execute(sql`insert into dues_bases (tenant_id, org_id, person_id, effective_month, category, base_fen, monthly_due_fen, rule_set, rounding, created_at, updated_at)
      select p.tenant_id, p.org_id, p.id, greatest('2025-11-01'::date, date_trunc('month', p.admitted_on)::date),
        case when p.occupation = 'retired' then 'retired' else 'inService' end, x.base, ${DUE_OF('x.base')}, 'dues-2017', '{"unit":"fen","mode":"halfUp"}'::jsonb, ${now}, ${now}
      from people p cross join lateral (select 250000 + (p.id * 7919) % 1200000 as base) x where p.tenant_id = ${b.tenantId}`);
    // monthly payments 2025-11 … 2026-10; every 25th member stops paying in August (arrears), a few back payments
    await tx.execute(sql`insert into dues_payments (tenant_id, org_id, org_path, person_id, month, kind, amount_fen, paid_on, channel, back_payment, created_at, updated_at)
      select p.tenant_id, p.org_id, p.org_path, p.id, m.month, 'due', bs.monthly_due_fen,
        case when p.id % 40 = 0 and m.month between '2026-05-01' and '2026-06-01' then '2026-09-15'::date else m.month + ((p.id % 20) + 4) end,
        (array['wechat','cash','bankTransfer','alipay'])[1 + p.id % 4], p.id % 40 = 0 and m.month between '2026-05-01' and '2026-06-01', ${now}, ${now}
      from people p join dues_bases bs on bs.person_id = p.id
      join lateral (select gs::date as month from generate_series(bs.effective_month, ${MONTH}::date, interval '1 month') gs) m on true
      where p.tenant_id = ${b.tenantId} and not (p.id % 25 = 0 and m.month >= '2026-08-01')`);
    await tx.execute(sql`insert into dues_payments (tenant_id, org_id, org_path, person_id, month, kind, amount_fen, paid_on, channel, created_at, updated_at)
      select tenant_id, org_id, org_path, id, '2026-07-01', 'voluntary', case when id % 1000 = 0 then 200000 else 5000 end, '2026-07-10', 'bankTransfer', ${now}, ${now}
      from people where tenant_id = ${b.tenantId} and id % 97 = 0`);
    await tx.execute(sql`insert into dues_hand_ins (tenant_id, org_id, org_path, to_org_id, period_start, period_end, amount_fen, handed_on, receipt_no, created_at, updated_at)
      select x.tenant_id, x.org_id, x.org_path, o.parent_id, q.s, q.e, sum(x.amount_fen)::int, q.e + 10, 'BENCH-' || x.org_id || '-' || q.s, ${now}, ${now}
      from dues_payments x join orgs o on o.id = x.org_id
      join (values ('2026-01-01'::date, '2026-03-31'::date), ('2026-04-01'::date, '2026-06-30'::date), ('2026-07-01'::date, '2026-09-30'::date)) q(s, e) on x.paid_on between q.s and q.e
      where x.tenant_id = ${b.tenantId} group by x.tenant_id, x.org_id, x.org_path, o.parent_id, q.s, q.e`);
  });
  // a 50-member branch: members of sibling branches move into the first branch (people and membership periods)
  const br = (await one<{ id: number; path: string; parent_id: number }>(db, sql`select id, path, parent_id from orgs where tenant_id = ${b.tenantId} and kind = 'branch' order by id limit 1`))!;
  const have = (await one<{ n: number }>(db, sql`select count(*)::int as n from people where org_id = ${br.id}`))!.n;
  if (have < 50) {
    const movers = await rows<{ id: number }>(db, sql`select p.id from people p where p.tenant_id = ${b.tenantId} and p.org_id <> ${br.id}
      order by p.id desc limit ${50 - have}`);
    const ids = sql`${`{${movers.map((m) => m.id).join(',')}}`}::int[]`;
    await db.execute(sql`update people set org_id = ${br.id}, org_path = ${br.path} where id = any(${ids})`);
    await db.execute(sql`update membership_periods set org_id = ${br.id} where person_id = any(${ids})`);
  }
  await db.execute(sql`analyze`);
  const counts = await one<{ p: number; b: number }>(db, sql`select (select count(*) from dues_payments)::int as p, (select count(*) from dues_bases)::int as b`);
  console.log(`dues seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${counts!.b} bases, ${counts!.p} payments`);
  return { branch: br.id, branchPath: br.path };
}

/**
 * The collection screen by hand, same meaning as the service: members whose active membership period
 * overlaps the month at an org of the branch's subtree, from the month of admittedOn; the base in
 * effect; a reduction; the effective due payment; the month's voluntary dues. One statement.
 */
export const handCollection = (tenantId: number, branchPath: string) => sql`select distinct on (p.name, p.id) p.id, p.name, mp.stage, p.is_mobile, b.category,
    case when r.kind = 'exemption' then 0 when r.kind = 'reduction' then r.monthly_fen else b.monthly_due_fen end as due_fen,
    pay.id as payment_id, pay.amount_fen, pay.paid_on, pay.channel, pay.receipt_no, pay.back_payment, pay.org_id,
    (select coalesce(sum(v.amount_fen), 0) from dues_payments v where v.person_id = p.id and v.month = ${MONTH} and v.kind = 'voluntary' and v.reversed_by is null) as voluntary
  from orgs o
  join membership_periods mp on mp.org_id = o.id and mp.valid_from < ${MONTH}::date + interval '1 month' and (mp.valid_to is null or mp.valid_to > ${MONTH})
    and mp.stage in ('probationary','full') and mp.state in ('active','lostContact')
  join people p on p.id = mp.person_id and date_trunc('month', p.admitted_on) <= ${MONTH}
  left join lateral (select x.category, x.monthly_due_fen from dues_bases x where x.person_id = p.id and x.effective_month <= ${MONTH} order by x.effective_month desc limit 1) b on true
  left join dues_reductions r on r.person_id = p.id and r.from_month <= ${MONTH} and (r.to_month is null or r.to_month >= ${MONTH})
  left join dues_payments pay on pay.person_id = p.id and pay.month = ${MONTH} and pay.kind = 'due' and pay.reversed_by is null
  where o.tenant_id = ${tenantId} and o.path like ${`${branchPath}%`}
  order by p.name, p.id, mp.valid_from desc`;

/**
 * The seven county figures by hand, each from its definition: member-months from the membership
 * periods, the base in effect as a range (lead over each member's bases), reductions, payments.
 */
export async function handFigures(db: Db, tenantId: number, root: string, to: string) {
  const like = `${root}%`;
  const owed = (from: string, upTo: string, extra = sql``) => sql`with m as (select generate_series(${from}::date, ${upTo}::date, interval '1 month')::date as month),
    mm as (select distinct on (mp.person_id, m.month) mp.person_id, m.month from m
      join membership_periods mp on mp.valid_from < m.month + interval '1 month' and (mp.valid_to is null or mp.valid_to > m.month)
      join orgs o on o.id = mp.org_id
      where mp.tenant_id = ${tenantId} and mp.stage in ('probationary','full') and mp.state in ('active','lostContact') and o.path like ${like}
      order by mp.person_id, m.month, mp.valid_from desc),
    b as (select person_id, effective_month, monthly_due_fen, lead(effective_month) over (partition by person_id order by effective_month) as next from dues_bases where tenant_id = ${tenantId})
    select mm.person_id, mm.month, coalesce(case when r.kind = 'exemption' then 0 when r.kind = 'reduction' then r.monthly_fen end, b.monthly_due_fen) as due ${extra}
    from mm join people p on p.id = mm.person_id and mm.month >= date_trunc('month', p.admitted_on)
    left join b on b.person_id = mm.person_id and b.effective_month <= mm.month and (b.next is null or b.next > mm.month)
    left join dues_reductions r on r.person_id = mm.person_id and r.from_month <= mm.month and (r.to_month is null or r.to_month >= mm.month)`;
  const lastEnded = '2026-10-01';
  const due = await one<{ v: number }>(db, sql`select coalesce(sum(due), 0)::float8 as v from (${owed(YEAR_FROM, `${to.slice(0, 7)}-01`)}) o where due is not null`);
  const onTime = await one<{ n: number; d: number }>(db, sql`select count(*) filter (where paid_on <= (month + interval '1 month' - interval '1 day')::date)::int as n, count(*)::int as d
    from (${owed(YEAR_FROM, lastEnded, sql`, (select x.paid_on from dues_payments x where x.person_id = mm.person_id and x.month = mm.month and x.kind = 'due' and x.reversed_by is null) as paid_on`)}) o where due > 0`);
  const pays = await one<{ paid: number; back: number; vol: number }>(db, sql`select
      coalesce(sum(x.amount_fen) filter (where coalesce(o.kind, x.kind) = 'due'), 0)::float8 as paid,
      coalesce(sum(x.amount_fen) filter (where coalesce(o.kind, x.kind) = 'due' and coalesce(o.back_payment, x.back_payment)), 0)::float8 as back,
      coalesce(sum(x.amount_fen) filter (where coalesce(o.kind, x.kind) = 'voluntary'), 0)::float8 as vol
    from dues_payments x left join dues_payments o on o.id = x.reversal_of where x.tenant_id = ${tenantId} and x.org_path like ${like} and x.paid_on between ${YEAR_FROM} and ${to}`);
  const arrears = await one<{ n: number }>(db, sql`select count(distinct o.person_id)::int as n from (${owed('2025-11-01', lastEnded)}) o
    where o.due > 0 and not exists (select 1 from dues_payments x left join dues_payments rv on rv.id = x.reversed_by
      where x.person_id = o.person_id and x.month = o.month and x.kind = 'due' and x.paid_on <= ${to} and (rv.id is null or rv.paid_on > ${to}))`);
  const handIn = await one<{ v: number }>(db, sql`select coalesce(sum(amount_fen), 0)::float8 as v from dues_hand_ins where tenant_id = ${tenantId} and org_path like ${like} and handed_on between ${YEAR_FROM} and ${to}`);
  return {
    'dues.due.amount': Number(due!.v), 'dues.paid.amount': Number(pays!.paid), 'dues.onTime.rate': Math.round((onTime!.n / onTime!.d) * 1000) / 10,
    'dues.arrears.count': arrears!.n, 'dues.backPayment.amount': Number(pays!.back), 'dues.voluntary.amount': Number(pays!.vol), 'dues.handIn.amount': Number(handIn!.v),
  } as Record<string, number>;
}


/**
 * The best plain-SQL shape found for the same seven numbers (issue 18 baseline): one statement that
 * builds the owed member-months once over the union of the three month ranges (13 months), joins the
 * effective payment and the as-of-`to` payment by hash, and reads every member-month figure from it
 * with FILTER clauses; the payment flows and hand-ins as in the hand SQL (one scan each).
 */
export async function bestFigures(db: Db, tenantId: number, root: string, to: string) {
  const like = `${root}%`;
  const toMonth = `${to.slice(0, 7)}-01`;
  const lastEnded = '2026-10-01';
  const from = '2025-11-01';
  const r = await one<{ due: number; n: number; d: number; arrears: number }>(db, sql`with m as (select generate_series(${from}::date, ${toMonth}::date, interval '1 month')::date as month),
    mm as (select distinct on (mp.person_id, m.month) mp.person_id, m.month from m
      join membership_periods mp on mp.valid_from < m.month + interval '1 month' and (mp.valid_to is null or mp.valid_to > m.month)
      join orgs o on o.id = mp.org_id
      where mp.tenant_id = ${tenantId} and mp.stage in ('probationary','full') and mp.state in ('active','lostContact') and o.path like ${like}
      order by mp.person_id, m.month, mp.valid_from desc),
    b as (select person_id, effective_month, monthly_due_fen, lead(effective_month) over (partition by person_id order by effective_month) as next from dues_bases where tenant_id = ${tenantId}),
    owed as (select mm.person_id, mm.month, coalesce(case when r.kind = 'exemption' then 0 when r.kind = 'reduction' then r.monthly_fen end, b.monthly_due_fen) as due
      from mm join people p on p.id = mm.person_id and mm.month >= date_trunc('month', p.admitted_on)
      left join b on b.person_id = mm.person_id and b.effective_month <= mm.month and (b.next is null or b.next > mm.month)
      left join dues_reductions r on r.person_id = mm.person_id and r.from_month <= mm.month and (r.to_month is null or r.to_month >= mm.month)),
    pay as (select person_id, month, paid_on from dues_payments where tenant_id = ${tenantId} and kind = 'due' and reversed_by is null and month between ${from} and ${toMonth}),
    asof as (select x.person_id, x.month from dues_payments x left join dues_payments rv on rv.id = x.reversed_by
      where x.tenant_id = ${tenantId} and x.kind = 'due' and x.paid_on <= ${to} and x.month between ${from} and ${lastEnded} and (rv.id is null or rv.paid_on > ${to}) group by 1, 2)
    select coalesce(sum(o.due) filter (where o.month >= ${YEAR_FROM} and o.due is not null), 0)::float8 as due,
      count(*) filter (where o.month between ${YEAR_FROM} and ${lastEnded} and o.due > 0 and pay.paid_on <= (o.month + interval '1 month' - interval '1 day')::date)::int as n,
      count(*) filter (where o.month between ${YEAR_FROM} and ${lastEnded} and o.due > 0)::int as d,
      count(distinct o.person_id) filter (where o.month <= ${lastEnded} and o.due > 0 and a.person_id is null)::int as arrears
    from owed o left join pay on pay.person_id = o.person_id and pay.month = o.month left join asof a on a.person_id = o.person_id and a.month = o.month`);
  const pays = await one<{ paid: number; back: number; vol: number; hand_in: number }>(db, sql`select
      coalesce(sum(x.amount_fen) filter (where coalesce(o.kind, x.kind) = 'due'), 0)::float8 as paid,
      coalesce(sum(x.amount_fen) filter (where coalesce(o.kind, x.kind) = 'due' and coalesce(o.back_payment, x.back_payment)), 0)::float8 as back,
      coalesce(sum(x.amount_fen) filter (where coalesce(o.kind, x.kind) = 'voluntary'), 0)::float8 as vol,
      (select coalesce(sum(amount_fen), 0) from dues_hand_ins where tenant_id = ${tenantId} and org_path like ${like} and handed_on between ${YEAR_FROM} and ${to})::float8 as hand_in
    from dues_payments x left join dues_payments o on o.id = x.reversal_of where x.tenant_id = ${tenantId} and x.org_path like ${like} and x.paid_on between ${YEAR_FROM} and ${to}`);
  return {
    'dues.due.amount': Number(r!.due), 'dues.paid.amount': Number(pays!.paid), 'dues.onTime.rate': Math.round((r!.n / r!.d) * 1000) / 10,
    'dues.arrears.count': r!.arrears, 'dues.backPayment.amount': Number(pays!.back), 'dues.voluntary.amount': Number(pays!.vol), 'dues.handIn.amount': Number(pays!.hand_in),
  } as Record<string, number>;
}
