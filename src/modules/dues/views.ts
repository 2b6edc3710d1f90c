import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../../db/connection.js';
import { addMonths } from '../../domain/dates.js';
import { isCentralGift } from '../../domain/duesRules.js';
import type { BaseView, MonthStatus, PaymentView, ReductionView } from './contract.js';
import type { MemberMonthRow } from './queries.js';

/** Shapes shared by the dues views: payment rows, base rows and the status of a member-month. */
export const money = (fen: number) => `${(fen / 100).toFixed(2)}元`;
export const monthLabel = (month: string) => `${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月`;
export const monthText = (month: string) => month.slice(0, 7);

/** The status of an owed member-month on `today` (DOMAIN.md §1.7: unpaid from the 1st of the next month). */
export function monthStatus(r: Pick<MemberMonthRow, 'month' | 'due_fen' | 'payment_id' | 'amount_fen'>, today: string): MonthStatus {
  if (r.payment_id) return r.due_fen !== null && (r.amount_fen ?? 0) < r.due_fen ? 'partial' : 'paid';
  if (r.due_fen === null) return 'noBase';
  if (r.due_fen === 0) return 'exempt';
  return addMonths(r.month, 1) <= today ? 'unpaid' : 'pending';
}

interface PaymentDbRow {
  id: number; person_id: number; person_name: string; month: string; kind: string; amount_fen: number; paid_on: string; channel: string;
  receipt_no: string | null; back_payment: boolean; reason: string | null; reversal_of: number | null; reversed_by: number | null; org_id: number; org_name: string;
}

export async function paymentViews(db: Db, where: SQL, order: SQL = sql`order by x.paid_on, x.id`): Promise<PaymentView[]> {
  const r = await rows<PaymentDbRow>(db, sql`select x.id, x.person_id, p.name as person_name, x.month::text as month, x.kind, x.amount_fen, x.paid_on::text as paid_on,
      x.channel, x.receipt_no, x.back_payment, x.reason, x.reversal_of, x.reversed_by, x.org_id, o.name as org_name
    from dues_payments x join people p on p.id = x.person_id join orgs o on o.id = x.org_id where ${where} ${order}`);
  return r.map(toPaymentView);
}

export function toPaymentView(r: PaymentDbRow): PaymentView {
  return {
    id: r.id, personId: r.person_id, personName: r.person_name, month: monthText(r.month), kind: r.kind as PaymentView['kind'], amountFen: r.amount_fen,
    paidOn: r.paid_on, channel: r.channel, receiptNo: r.receipt_no, backPayment: r.back_payment, reason: r.reason, reversalOf: r.reversal_of,
    reversedBy: r.reversed_by, orgId: r.org_id, orgName: r.org_name, centralGift: r.kind === 'voluntary' && r.reversed_by === null && isCentralGift(r.amount_fen),
  };
}

interface BaseDbRow {
  id: number; person_id: number; effective_month: string; category: string; base_fen: number | null; pay_slip: unknown; quarter_incomes: unknown; flat_fen: number | null;
  monthly_due_fen: number; rule_set: string; rounding: unknown; reason: string | null; version: number;
}

const parseJson = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);

export async function baseViews(db: Db, where: SQL): Promise<BaseView[]> {
  const r = await rows<BaseDbRow>(db, sql`select id, person_id, effective_month::text as effective_month, category, base_fen, pay_slip, quarter_incomes, flat_fen, monthly_due_fen,
      rule_set, rounding, reason, version from dues_bases where ${where} order by person_id, effective_month`);
  return r.map((b) => ({
    id: b.id, personId: b.person_id, effectiveMonth: monthText(b.effective_month), category: b.category, baseFen: b.base_fen, paySlip: parseJson(b.pay_slip),
    quarterIncomes: (parseJson(b.quarter_incomes) as BaseView['quarterIncomes']) ?? null,
    flatFen: b.flat_fen, monthlyDueFen: b.monthly_due_fen, ruleSet: b.rule_set, rounding: parseJson(b.rounding) as BaseView['rounding'], reason: b.reason, version: b.version,
  }));
}

export async function reductionViews(db: Db, where: SQL): Promise<ReductionView[]> {
  const r = await rows<{ id: number; person_id: number; kind: string; from_month: string; to_month: string | null; monthly_fen: number | null; decision: unknown }>(
    db, sql`select id, person_id, kind, from_month::text as from_month, to_month::text as to_month, monthly_fen, decision from dues_reductions where ${where} order by person_id, from_month`,
  );
  return r.map((x) => ({
    id: x.id, personId: x.person_id, kind: x.kind as ReductionView['kind'], fromMonth: monthText(x.from_month), toMonth: x.to_month ? monthText(x.to_month) : null,
    monthlyFen: x.monthly_fen, decision: parseJson(x.decision) as ReductionView['decision'],
  }));
}
