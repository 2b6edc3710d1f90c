import { sql, type SQL } from 'drizzle-orm';
import { one, type Db } from '../../db/connection.js';
import { extendDuesLedger } from '../../platform/jobs.js';
import { pathPredicate, type Scope } from '../../platform/scope.js';
import { DUE_EXPR, memberMonthsSql } from './queries.js';

/**
 * The member-month ledger `dues_member_months` (issue 18; README "Member-month ledger"): the owed
 * member-months that have a due, stored and kept current by triggers (migration 0012), so the dues
 * figures are grouped sums over one table instead of ~700,000 member-months derived per query. It
 * holds months through its horizon (system_meta 'dues_ledger_through', moved by the daily job); a
 * figure that reads a later month uses the live query instead — same rows, same values.
 */
export async function ledgerThrough(db: Db): Promise<string | null> {
  const r = await one<{ through: string | null }>(db, sql`select dues_ledger_through()::text as through`);
  return r?.through ?? null;
}

/** Move the horizon to the month of `today` (never back) and recompute; the daily job 'dues.ledger'. */
export const extendLedger = extendDuesLedger;

export interface MonthRowsOptions {
  from: string;
  to: string;
  select: SQL;
  where: SQL;
  /** Join `people p` (name, version). */
  people?: boolean;
  /** Reads the effective due payment: 'value' its id and date, 'row' also `pay.version`. */
  payment?: 'value' | 'row';
}

/**
 * Where the figures read owed member-months from, with the expressions for the due, the base's
 * category and the effective due payment. Both give the rows of memberMonthsSql with a due (the
 * member-month `mm`: person_id, month, org_id; `p` the person).
 */
export interface MonthsSource {
  rows(o: MonthRowsOptions): SQL;
  due: SQL;
  category: SQL;
  paymentId: SQL;
  paidOn: SQL;
  paymentVersion: SQL;
  /** Paid as of `to`: a due payment dated by `to` that was not reversed by `to` (reproducible later). */
  paidAsOf(to: string): SQL;
}

const liveSource = (tenantId: number, scope: Scope): MonthsSource => ({
  rows: (o) => memberMonthsSql({ tenantId, orgPredicate: pathPredicate(sql`o.path`, scope), from: o.from, to: o.to, select: o.select, where: o.where, withPayment: !!o.payment }),
  due: DUE_EXPR,
  category: sql`b.category`,
  paymentId: sql`pay.id`,
  paidOn: sql`pay.paid_on`,
  paymentVersion: sql`pay.version`,
  paidAsOf: (to) => sql`exists (select 1 from dues_payments x left join dues_payments rv on rv.id = x.reversed_by
      where x.person_id = mm.person_id and x.month = mm.month and x.kind = 'due' and x.paid_on <= ${to} and (rv.id is null or rv.paid_on > ${to}))`,
});

const ledgerSource = (tenantId: number, scope: Scope): MonthsSource => ({
  // A month with several orgs in the scope (a transfer inside the month) counts once, at the latest of them.
  rows: (o) => sql`select ${o.select} from dues_member_months mm
      ${o.people ? sql`join people p on p.id = mm.person_id` : sql``}
      ${o.payment === 'row' ? sql`left join dues_payments pay on pay.id = mm.payment_id` : sql``}
    where mm.tenant_id = ${tenantId} and mm.month between ${o.from} and ${o.to} and ${pathPredicate(sql`mm.org_path`, scope)}
      and (mm.seq = 1 or not exists (select 1 from dues_member_months m2 where m2.person_id = mm.person_id and m2.month = mm.month and m2.seq < mm.seq
        and ${pathPredicate(sql`m2.org_path`, scope)}))
      and ${o.where}`,
  due: sql`mm.due_fen`,
  category: sql`mm.category`,
  paymentId: sql`mm.payment_id`,
  paidOn: sql`mm.paid_on`,
  paymentVersion: sql`pay.version`,
  // the effective payment (at most one) dated by `to`, or a reversed one whose reversal came after `to`
  paidAsOf: (to) => sql`(coalesce(mm.paid_on <= ${to}, false) or exists (select 1 from dues_payments x join dues_payments rv on rv.id = x.reversed_by
      where x.person_id = mm.person_id and x.month = mm.month and x.kind = 'due' and x.paid_on <= ${to} and rv.paid_on > ${to}))`,
});

/** The ledger when it holds every month up to `lastMonth`, else the live query. */
export async function monthsSource(db: Db, tenantId: number, scope: Scope, lastMonth: string): Promise<MonthsSource> {
  const through = await ledgerThrough(db);
  return through !== null && lastMonth <= through ? ledgerSource(tenantId, scope) : liveSource(tenantId, scope);
}

/** For tests and benchmarks: force one source. */
export const MONTHS_SOURCES = { live: liveSource, ledger: ledgerSource };
