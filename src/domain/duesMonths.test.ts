import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DUES_2017 } from './duesRules.js';
import {
  assessArrears, backPaymentMonths, backPaymentNeedsReason, endedPeriods, firstOwedMonth, isUnpaidOn, lastEndedMonth, monthFromIndex,
  monthIndex, monthsBetween, periodOf, periodsOfYear, toMonth, unpaidRuns, type MonthRecord,
} from './duesMonths.js';

const TODAY = '2026-11-20';
/** Months Jan..Oct 2026 with the listed ones unpaid (due 3000 fen), the rest paid. */
const year = (unpaid: string[], extra: Partial<Record<string, Partial<MonthRecord>>> = {}): MonthRecord[] =>
  monthsBetween('2026-01-01', '2026-11-01').map((month) => ({ month, dueFen: 3000, paid: !unpaid.includes(month.slice(0, 7)), ...(extra[month.slice(0, 7)] ?? {}) }));

describe('months owed (§1.7)', () => {
  it('the month of admittedOn owes a full month', () => {
    expect(firstOwedMonth('2026-03-31')).toBe('2026-03-01');
    expect(toMonth('2026-03')).toBe('2026-03-01');
    expect(monthsBetween('2025-11-01', '2026-02-01')).toEqual(['2025-11-01', '2025-12-01', '2026-01-01', '2026-02-01']);
    expect(monthFromIndex(monthIndex('2026-12-01') + 1)).toBe('2027-01-01');
  });

  it('an owed month is unpaid from the 1st of the next month; exempt (0) and no-base (null) months never are', () => {
    expect(isUnpaidOn({ month: '2026-10-01', dueFen: 100, paid: false }, '2026-10-31')).toBe(false);
    expect(isUnpaidOn({ month: '2026-10-01', dueFen: 100, paid: false }, '2026-11-01')).toBe(true);
    expect(isUnpaidOn({ month: '2026-10-01', dueFen: 0, paid: false }, TODAY)).toBe(false);
    expect(isUnpaidOn({ month: '2026-10-01', dueFen: null, paid: false }, TODAY)).toBe(false);
    expect(isUnpaidOn({ month: '2026-10-01', dueFen: 100, paid: true }, TODAY)).toBe(false);
    expect(lastEndedMonth(TODAY)).toBe('2026-10-01');
  });
});

describe('unpaid runs and arrears (§1.4, §1.7)', () => {
  it('3 consecutive unpaid months → level 3; the running month does not count yet', () => {
    const a = assessArrears(year(['2026-08', '2026-09', '2026-10', '2026-11']), TODAY, DUES_2017);
    expect(a.current).toEqual({ start: '2026-08-01', end: '2026-10-01', length: 3 });
    expect(a.level).toBe(3);
    expect(a.cases).toEqual([]);
  });

  it('4 → still 3; 5 → level 5; 6 → a case and no longer a finding level', () => {
    expect(assessArrears(year(['2026-07', '2026-08', '2026-09', '2026-10']), TODAY, DUES_2017).level).toBe(3);
    expect(assessArrears(year(['2026-06', '2026-07', '2026-08', '2026-09', '2026-10']), TODAY, DUES_2017).level).toBe(5);
    const six = assessArrears(year(['2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10']), TODAY, DUES_2017);
    expect(six.level).toBe(0);
    expect(six.cases).toEqual([{ start: '2026-05-01', end: '2026-10-01', length: 6 }]);
  });

  it('a back payment ends the run: paying the latest month leaves no current run', () => {
    const a = assessArrears(year(['2026-09', '2026-10']), TODAY, DUES_2017);
    expect(a.current?.length).toBe(2);
    expect(a.level).toBe(0);
    expect(assessArrears(year(['2026-07', '2026-08', '2026-09']), TODAY, DUES_2017).current).toBeNull();
  });

  it('an exempt month breaks a run; so does a missing month in sparse records', () => {
    const r = unpaidRuns(year(['2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07'], { '2026-04': { dueFen: 0 } }), TODAY);
    expect(r.map((x) => x.length)).toEqual([2, 3]);
    const sparse: MonthRecord[] = ['2026-01-01', '2026-02-01', '2026-04-01'].map((month) => ({ month, dueFen: 10, paid: false }));
    expect(unpaidRuns(sparse, TODAY).map((x) => x.length)).toEqual([2, 1]);
  });

  it('an old run of six stays a case even when later months are paid', () => {
    const a = assessArrears(year(['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06']), TODAY, DUES_2017);
    expect(a.current).toBeNull();
    expect(a.cases).toHaveLength(1);
  });

  it('property: run lengths add up to the unpaid months', () => {
    fc.assert(fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 30 }), (paid) => {
      const records = paid.map((p, i) => ({ month: monthFromIndex(monthIndex('2024-01-01') + i), dueFen: 100, paid: p }));
      const total = unpaidRuns(records, '2030-01-01').reduce((s, r) => s + r.length, 0);
      return total === paid.filter((p) => !p).length;
    }));
  });
});

describe('back payments (§1.4 第十二条, §1.7)', () => {
  it('are measured by the months they cover; more than 6 needs a reason', () => {
    const months = monthsBetween('2026-03-01', '2026-11-01');
    expect(backPaymentMonths(months, '2026-11-05')).toHaveLength(8);
    expect(backPaymentMonths(['2026-11-01', '2026-12-01'], '2026-11-05')).toEqual([]);
    expect(backPaymentNeedsReason(6, DUES_2017)).toBe(false);
    expect(backPaymentNeedsReason(7, DUES_2017)).toBe(true);
  });
});

describe('hand-in periods (§1.5, LOCAL)', () => {
  it('monthly, quarterly and half-yearly periods with Chinese labels', () => {
    expect(periodOf('2026-08-15', 'quarterly')).toEqual({ start: '2026-07-01', end: '2026-09-30', label: '2026年第三季度' });
    expect(periodOf('2026-08-15', 'halfYearly')).toEqual({ start: '2026-07-01', end: '2026-12-31', label: '2026年下半年' });
    expect(periodOf('2026-02-15', 'monthly')).toEqual({ start: '2026-02-01', end: '2026-02-28', label: '2026年2月' });
    expect(periodsOfYear(2026, 'quarterly').map((p) => p.end)).toEqual(['2026-03-31', '2026-06-30', '2026-09-30', '2026-12-31']);
    expect(endedPeriods(TODAY, 'quarterly', 4).map((p) => p.start)).toEqual(['2025-10-01', '2026-01-01', '2026-04-01', '2026-07-01']);
  });
});
