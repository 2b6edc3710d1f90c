import { sql, type SQL } from 'drizzle-orm';
import { one, rows, type Db } from '../../db/connection.js';
import { notFound } from '../../platform/errors.js';
import { inScope, narrowToOrg, pathPredicate, type Scope } from '../../platform/scope.js';
import { monthFromIndex, monthIndex } from '../../domain/duesMonths.js';

/**
 * The one member-month query every dues view shares (collection screen, ledgers, disclosure, figures,
 * arrears rules), so a month means the same everywhere: a member owes a month when an active
 * membership period (probationary or full) overlaps it, from the month of admittedOn on; the org is
 * the one of the latest such period; the due is the base in effect that month unless a reduction or
 * exemption covers it; the payment is the effective `due` payment (at most one, by the partial
 * unique index). All set-based: bases become ranges with lead(), no per-row subqueries.
 */
export interface MemberMonthRow {
  person_id: number;
  name: string;
  month: string;
  org_id: number;
  org_path: string;
  stage: string;
  is_mobile: boolean;
  base_id: number | null;
  base_version: number | null;
  category: string | null;
  base_due_fen: number | null;
  reduction_id: number | null;
  reduction_kind: string | null;
  due_fen: number | null;
  payment_id: number | null;
  payment_version: number | null;
  amount_fen: number | null;
  paid_on: string | null;
  channel: string | null;
  receipt_no: string | null;
  back_payment: boolean | null;
  payment_org_id: number | null;
  voluntary_fen?: number;
}

export interface MemberMonthsOptions {
  tenantId: number;
  /** Predicate over the member-month's org path (`o.path`). */
  orgPredicate: SQL;
  from: string;
  to: string;
  personId?: number;
  /** Extra condition on the final rows (e.g. only owed and unpaid). */
  where?: SQL;
  /** Columns to select instead of the full row (aggregates). */
  select?: SQL;
  /** Only members who have at least one dues base (cheap filter for tenant-wide rules). */
  withBasesOnly?: boolean;
  /** Add `voluntary_fen`: the member-month's effective voluntary dues. */
  withVoluntary?: boolean;
  /** Join the effective due payment as `pay` (default true); figures that do not read it skip the join. */
  withPayment?: boolean;
}

export const DUE_EXPR = sql`(case when r.kind = 'exemption' then 0 when r.kind = 'reduction' then r.monthly_fen else b.monthly_due_fen end)`;

export function memberMonthsSql(o: MemberMonthsOptions): SQL {
  const person = o.personId ? sql`and mp.person_id = ${o.personId}` : sql``;
  const withBases = o.withBasesOnly ? sql`and exists (select 1 from dues_bases xb where xb.person_id = mp.person_id)` : sql``;
  const select = o.select ?? sql`mm.person_id, p.name, mm.month::text as month, mm.org_id, mm.org_path, mm.stage, p.is_mobile,
      b.id as base_id, b.version as base_version, b.category, b.monthly_due_fen as base_due_fen,
      r.id as reduction_id, r.kind as reduction_kind, ${DUE_EXPR} as due_fen,
      pay.id as payment_id, pay.version as payment_version, pay.amount_fen, pay.paid_on::text as paid_on, pay.channel, pay.receipt_no,
      pay.back_payment, pay.org_id as payment_org_id`;
  const count = Math.max(0, monthIndex(o.to) - monthIndex(o.from) + 1);
  // Months as literal rows (first day, next month's first day): the planner knows how many there are
  // (a date series is estimated at 1000 rows on PostgreSQL 15) and compares plain dates.
  const monthRows = Array.from({ length: count }, (_, i) => {
    const m = monthFromIndex(monthIndex(o.from) + i);
    return sql`(${m}::date, ${monthFromIndex(monthIndex(m) + 1)}::date)`;
  });
  return sql`with months (month, next) as (
      values ${sql.join(monthRows, sql`, `)}
    ), mm as (
      select distinct on (mp.person_id, months.month) mp.person_id, months.month, mp.org_id, o.path as org_path, mp.stage
      from membership_periods mp
      join orgs o on o.id = mp.org_id
      join months on mp.valid_from < months.next and (mp.valid_to is null or mp.valid_to > months.month)
      where mp.tenant_id = ${o.tenantId} and mp.stage in ('probationary','full') and mp.state in ('active','lostContact')
        and ${o.orgPredicate} ${person} ${withBases}
      order by mp.person_id, months.month, mp.valid_from desc
    )${count === 1 ? sql`` : sql`, b as (
      select b.id, b.person_id, b.effective_month, b.category, b.monthly_due_fen, b.version,
        lead(b.effective_month) over (partition by b.person_id order by b.effective_month) as next_month
      from dues_bases b where b.tenant_id = ${o.tenantId} and b.person_id in (
        -- the people of the scope, not of mm: mm then stays a plain subquery the planner can inline
        select mp.person_id from membership_periods mp join orgs o on o.id = mp.org_id
        where mp.tenant_id = ${o.tenantId} and ${o.orgPredicate} ${person})
    )`}
    select ${select}${o.withVoluntary ? sql`, (select coalesce(sum(v.amount_fen), 0) from dues_payments v where v.person_id = mm.person_id and v.month = mm.month
      and v.kind = 'voluntary' and v.reversed_by is null)::int as voluntary_fen` : sql``}
    from mm
    join people p on p.id = mm.person_id and mm.month >= date_trunc('month', p.admitted_on)::date
    ${count === 1
      // One month: the base in effect is one index probe per member (a window over every base costs more).
      ? sql`left join lateral (select x.id, x.category, x.monthly_due_fen, x.version from dues_bases x
          where x.person_id = mm.person_id and x.effective_month <= mm.month order by x.effective_month desc limit 1) b on true`
      : sql`left join b on b.person_id = mm.person_id and b.effective_month <= mm.month and (b.next_month is null or b.next_month > mm.month)`}
    left join dues_reductions r on r.person_id = mm.person_id and r.from_month <= mm.month and (r.to_month is null or r.to_month >= mm.month)
    ${o.withPayment === false ? sql`` : sql`left join dues_payments pay on pay.person_id = mm.person_id and pay.month = mm.month and pay.kind = 'due' and pay.reversed_by is null`}
    ${o.where ? sql`where ${o.where}` : sql``}`;
}

export async function memberMonths(db: Db, o: MemberMonthsOptions, order = sql`order by p.name, mm.person_id, mm.month`): Promise<MemberMonthRow[]> {
  return rows<MemberMonthRow>(db, sql`${memberMonthsSql(o)} ${order}`);
}

export interface OrgRow {
  id: number;
  name: string;
  kind: string;
  path: string;
  parent_id: number | null;
  depth: number;
}

/** An org inside the scope, else 404. */
export async function orgInScope(db: Db, scope: Scope, orgId: number, lock = false): Promise<OrgRow> {
  const org = await one<OrgRow>(db, sql`select id, name, kind, path, parent_id, depth from orgs where id = ${orgId} and tenant_id = ${scope.tenantId} ${lock ? sql`for update` : sql``}`);
  if (!org || !inScope(scope, org.path)) throw notFound('党组织');
  return org;
}

export interface PersonRow {
  id: number;
  name: string;
  org_id: number;
  org_path: string;
  stage: string;
  state: string;
  admitted_on: string | null;
  is_mobile: boolean;
  version: number;
}

/** A member inside the scope (or the actor's own record for `self.*`), else 404. */
export async function personInScope(db: Db, scope: Scope, personId: number, opts: { allowMobile?: boolean; lock?: boolean } = {}): Promise<PersonRow & { outOfScopeMobile: boolean }> {
  const p = await one<PersonRow>(db, sql`select id, name, org_id, org_path, stage, state, admitted_on::text as admitted_on, is_mobile, version
      from people where id = ${personId} and tenant_id = ${scope.tenantId} ${opts.lock ? sql`for update` : sql``}`);
  if (!p) throw notFound('党员');
  const mine = inScope(scope, p.org_path) || scope.personId === personId;
  // A mobile member may pay at the host org (第九条): the host records it under its own org.
  if (!mine && !(opts.allowMobile && p.is_mobile)) throw notFound('党员');
  return { ...p, outOfScopeMobile: !mine };
}

/** The scope narrowed to an org (404 outside), with the org row. */
export async function narrowed(db: Db, scope: Scope, orgId: number): Promise<{ scope: Scope; org: OrgRow }> {
  const org = await one<OrgRow>(db, sql`select id, name, kind, path, parent_id, depth from orgs where id = ${orgId} and tenant_id = ${scope.tenantId}`);
  if (!org) throw notFound('党组织');
  // Inside the scope the intersection is the org's subtree; otherwise the scope helper decides (404 or the roots below it).
  if (inScope(scope, org.path)) return { scope: { ...scope, paths: [org.path] }, org };
  return { scope: await narrowToOrg(db, scope, orgId), org };
}

export const orgPathPredicate = (scope: Scope) => pathPredicate(sql`o.path`, scope);

/** Name and org name of people, by id. */
export async function peopleNames(db: Db, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const r = await rows<{ id: number; name: string }>(db, sql`select id, name from people where id = any(${`{${ids.join(',')}}`}::int[])`);
  return new Map(r.map((x) => [x.id, x.name]));
}
