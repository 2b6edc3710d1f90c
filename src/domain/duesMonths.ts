/**
 * Dues months (DOMAIN.md §1.4, §1.7): which months a member owes, when an owed month becomes
 * unpaid, runs of consecutive unpaid months (3 and 5 → findings, 6 → a case for the 支部大会), back
 * payments measured by the months they cover, and hand-in periods. A month is written as its first
 * day, 'YYYY-MM-01'.
 */
import { addMonths, compareDates, formatIso, lastDayOfMonth, monthStart, parseIso, type IsoDate } from './dates.js';
import type { DuesRuleSet } from './duesRules.js';

/** Months since year 0: consecutive months differ by one. */
export function monthIndex(month: IsoDate): number {
  const { y, m } = parseIso(month);
  return y * 12 + (m - 1);
}

export function monthFromIndex(i: number): IsoDate {
  return formatIso(Math.floor(i / 12), (i % 12) + 1, 1);
}

/** 'YYYY-MM' or any date → 'YYYY-MM-01'. */
export function toMonth(value: string): IsoDate {
  return /^\d{4}-\d{2}$/.test(value) ? monthStart(`${value}-01`) : monthStart(value);
}

/** Every month from `from` to `to`, both included (empty when to < from). */
export function monthsBetween(from: IsoDate, to: IsoDate): IsoDate[] {
  const out: IsoDate[] = [];
  for (let i = monthIndex(from); i <= monthIndex(to); i++) out.push(monthFromIndex(i));
  return out;
}

export function monthEndOf(month: IsoDate): IsoDate {
  const { y, m } = parseIso(month);
  return formatIso(y, m, lastDayOfMonth(y, m));
}

/** The month of admittedOn owes a full month's due (第八条, §1.7). */
export function firstOwedMonth(admittedOn: IsoDate): IsoDate {
  return monthStart(admittedOn);
}

/** The last month that has ended by `today` (an owed month is unpaid from the 1st of the next month). */
export function lastEndedMonth(today: IsoDate): IsoDate {
  return addMonths(monthStart(today), -1);
}

/** An owed month whose due is above zero, without an effective payment, after it ended. */
export function isUnpaidOn(r: MonthRecord, today: IsoDate): boolean {
  return r.dueFen !== null && r.dueFen > 0 && !r.paid && compareDates(addMonths(r.month, 1), today) <= 0;
}

export interface MonthRecord {
  month: IsoDate;
  /** null: no base in effect (nothing known to be owed); 0: exempt or not owed. */
  dueFen: number | null;
  paid: boolean;
}

export interface UnpaidRun {
  start: IsoDate;
  end: IsoDate;
  length: number;
}

/**
 * Runs of consecutive unpaid months, oldest first. Records may be sparse: a month that is absent,
 * paid, exempt or still running breaks a run — a back payment for a month splits or ends its run.
 */
export function unpaidRuns(records: readonly MonthRecord[], today: IsoDate): UnpaidRun[] {
  const idx = [...new Set(records.filter((r) => isUnpaidOn(r, today)).map((r) => monthIndex(r.month)))].sort((a, b) => a - b);
  const runs: UnpaidRun[] = [];
  for (const i of idx) {
    const last = runs[runs.length - 1];
    if (last && monthIndex(last.end) === i - 1) {
      last.end = monthFromIndex(i);
      last.length += 1;
    } else runs.push({ start: monthFromIndex(i), end: monthFromIndex(i), length: 1 });
  }
  return runs;
}

export interface ArrearsAssessment {
  /** The run ending with the last ended month, if any. */
  current: UnpaidRun | null;
  /** 0, or the finding level reached by the current run (3 or 5) below the case threshold. */
  level: 0 | 3 | 5;
  /** Every run of at least SELF_LAPSE_MONTHS: each is a case for the 支部大会, never automatic. */
  cases: UnpaidRun[];
}

export function assessArrears(records: readonly MonthRecord[], today: IsoDate, set: DuesRuleSet): ArrearsAssessment {
  const runs = unpaidRuns(records, today);
  const lapse = set.constants.SELF_LAPSE_MONTHS.value;
  const [first, second] = set.constants.ARREARS_FINDING_MONTHS.value;
  const lastEnded = lastEndedMonth(today);
  const current = runs.find((r) => r.end === lastEnded) ?? null;
  const len = current?.length ?? 0;
  const level = len >= lapse ? 0 : len >= second ? 5 : len >= first ? 3 : 0;
  return { current, level, cases: runs.filter((r) => r.length >= lapse) };
}

/** Months a payment made on `paidOn` covers after they ended: a back payment (补交). */
export function backPaymentMonths(months: readonly IsoDate[], paidOn: IsoDate): IsoDate[] {
  const current = monthIndex(monthStart(paidOn));
  return months.filter((m) => monthIndex(m) < current);
}

/** More back months than BACK_PAYMENT_MAX_MONTHS needs a recorded reason and raises a finding (§1.7). */
export function backPaymentNeedsReason(backMonths: number, set: DuesRuleSet): boolean {
  return backMonths > set.constants.BACK_PAYMENT_MAX_MONTHS.value;
}

// ─── Hand-in periods (DOMAIN.md §1.5, LOCAL) ────────────────────────────────

export const HAND_IN_FREQUENCIES = [
  { key: 'monthly', label: '按月', months: 1 },
  { key: 'quarterly', label: '按季度', months: 3 },
  { key: 'halfYearly', label: '每半年', months: 6 },
] as const;
export type HandInFrequency = (typeof HAND_IN_FREQUENCIES)[number]['key'];

export interface Period {
  start: IsoDate;
  end: IsoDate;
  label: string;
}

const periodMonths = (f: HandInFrequency) => HAND_IN_FREQUENCIES.find((x) => x.key === f)!.months;

export function periodOf(date: IsoDate, f: HandInFrequency): Period {
  const n = periodMonths(f);
  const { y, m } = parseIso(date);
  const firstMonth = Math.floor((m - 1) / n) * n + 1;
  const start = formatIso(y, firstMonth, 1);
  const end = monthEndOf(addMonths(start, n - 1));
  const k = (firstMonth - 1) / n + 1;
  const label = f === 'monthly' ? `${y}年${m}月` : f === 'quarterly' ? `${y}年第${'一二三四'[k - 1]}季度` : `${y}年${k === 1 ? '上' : '下'}半年`;
  return { start, end, label };
}

/** The periods of a year, in order. */
export function periodsOfYear(year: number, f: HandInFrequency): Period[] {
  const out: Period[] = [];
  for (let m = 1; m <= 12; m += periodMonths(f)) out.push(periodOf(formatIso(year, m, 1), f));
  return out;
}

/** Periods that ended on or before `today`, the most recent `count` of them, oldest first. */
export function endedPeriods(today: IsoDate, f: HandInFrequency, count: number): Period[] {
  const out: Period[] = [];
  let p = periodOf(today, f);
  while (out.length < count) {
    p = periodOf(addMonths(p.start, -1), f);
    out.unshift(p);
  }
  return out;
}
