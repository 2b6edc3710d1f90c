import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addDays,
  addMonths,
  addYears,
  compareDates,
  completedYears,
  dayOfWeek,
  daysBetween,
  formatIso,
  fromDayNumber,
  isAmbiguousLeapBirthday,
  isIsoDate,
  lastDayOfMonth,
  minPeriodMet,
  monthEnd,
  monthKey,
  monthStart,
  parseIso,
  periodEnd,
  quarterEnd,
  quarterOf,
  quarterStart,
  toDayNumber,
  todayInShanghai,
  yearEnd,
  yearStart,
} from './dates.js';

/** Arbitrary valid IsoDate between 1880 and 2100. */
const isoDateArb = fc
  .integer({ min: toDayNumber('1880-01-01'), max: toDayNumber('2100-12-31') })
  .map(fromDayNumber);

describe('isIsoDate / parseIso / formatIso', () => {
  it.each([
    ['2026-01-01', true],
    ['2024-02-29', true],
    ['2026-02-29', false],
    ['2000-02-29', true],
    ['1900-02-29', false],
    ['2026-04-31', false],
    ['2026-13-01', false],
    ['2026-00-10', false],
    ['2026-1-01', false],
    ['20260101', false],
    [' 2026-01-01', false],
    ['', false],
    [20260101, false],
  ])('isIsoDate(%j) = %s', (s, expected) => {
    expect(isIsoDate(s)).toBe(expected);
  });

  it('parses and formats', () => {
    expect(parseIso('2026-03-09')).toEqual({ y: 2026, m: 3, d: 9 });
    expect(formatIso(2026, 3, 9)).toBe('2026-03-09');
    expect(formatIso(33, 1, 1)).toBe('0033-01-01');
  });

  it('throws on invalid input', () => {
    expect(() => parseIso('2026-02-30')).toThrow(RangeError);
    expect(() => formatIso(2026, 2, 30)).toThrow(/无效的日期/);
  });
});

describe('day numbers and arithmetic', () => {
  it.each([
    ['1970-01-01', 0],
    ['1970-01-02', 1],
    ['1969-12-31', -1],
    ['2000-03-01', 11017],
  ])('toDayNumber(%s) = %i', (d, n) => {
    expect(toDayNumber(d)).toBe(n);
    expect(fromDayNumber(n)).toBe(d);
  });

  it('agrees with Date.UTC for random dates', () => {
    fc.assert(
      fc.property(isoDateArb, (d) => {
        const { y, m, d: day } = parseIso(d);
        const utc = new Date(0);
        utc.setUTCFullYear(y, m - 1, day);
        expect(toDayNumber(d)).toBe(Math.floor(utc.getTime() / 86400000));
        expect(fromDayNumber(toDayNumber(d))).toBe(d);
      }),
    );
  });

  it.each([
    ['2026-02-28', 1, '2026-03-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2026-01-01', -1, '2025-12-31'],
    ['2026-03-01', 30, '2026-03-31'],
  ])('addDays(%s, %i) = %s', (d, n, expected) => {
    expect(addDays(d, n)).toBe(expected);
  });

  it.each([
    ['2026-01-31', 1, '2026-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2026-03-31', 1, '2026-04-30'],
    ['2026-01-15', 12, '2027-01-15'],
    ['2026-01-15', -1, '2025-12-15'],
    ['2026-03-31', -1, '2026-02-28'],
    ['2025-08-31', 6, '2026-02-28'],
    ['2026-11-30', 3, '2027-02-28'],
  ])('addMonths(%s, %i) = %s', (d, n, expected) => {
    expect(addMonths(d, n)).toBe(expected);
  });

  it.each([
    ['2024-02-29', 1, '2025-02-28'],
    ['2024-02-29', 4, '2028-02-29'],
    ['2026-07-01', -50, '1976-07-01'],
  ])('addYears(%s, %i) = %s', (d, n, expected) => {
    expect(addYears(d, n)).toBe(expected);
  });

  it.each([
    ['2026-01-01', '2026-01-02', 1],
    ['2026-01-02', '2026-01-01', -1],
    ['2024-01-01', '2025-01-01', 366],
  ])('daysBetween(%s, %s) = %i', (a, b, n) => {
    expect(daysBetween(a, b)).toBe(n);
  });

  it('compareDates', () => {
    expect(compareDates('2026-01-01', '2026-01-02')).toBe(-1);
    expect(compareDates('2026-01-02', '2026-01-02')).toBe(0);
    expect(compareDates('2026-10-01', '2026-09-30')).toBe(1);
    expect(() => compareDates('2026-02-30', '2026-01-01')).toThrow();
  });
});

describe('periodEnd and minPeriodMet (DOMAIN §2.1a)', () => {
  it.each([
    // event, length, last day of the period
    ['2025-07-01', { years: 1 }, '2026-07-01'],
    ['2026-01-31', { months: 1 }, '2026-02-28'],
    ['2024-01-31', { months: 1 }, '2024-02-29'],
    ['2024-02-29', { years: 1 }, '2025-02-28'],
    ['2025-08-31', { months: 6 }, '2026-02-28'],
    ['2026-03-01', { days: 30 }, '2026-03-31'],
    ['2026-03-01', { months: 1, days: 1 }, '2026-04-02'],
    ['2025-07-01', { years: 1, months: 6 }, '2027-01-01'],
    ['2025-07-01', {}, '2025-07-01'],
  ])('periodEnd(%s, %j) = %s', (event, length, expected) => {
    expect(periodEnd(event, length)).toBe(expected);
  });

  it.each([
    // activist on 2025-03-10, candidate needs ≥1 year: met on 2026-03-10 itself
    ['2025-03-10', '2026-03-09', { years: 1 }, false],
    ['2025-03-10', '2026-03-10', { years: 1 }, true],
    ['2025-03-10', '2026-03-11', { years: 1 }, true],
    // from 31 August, six months end on 28 February (month end)
    ['2025-08-31', '2026-02-27', { months: 6 }, false],
    ['2025-08-31', '2026-02-28', { months: 6 }, true],
  ])('minPeriodMet(%s, %s, %j) = %s', (event, step, length, expected) => {
    expect(minPeriodMet(event, step, length)).toBe(expected);
  });
});

describe('completedYears', () => {
  it.each([
    ['2008-05-20', '2026-05-19', 17],
    ['2008-05-20', '2026-05-20', 18], // the 18th birthday counts
    ['2008-05-20', '2026-05-21', 18],
    ['2008-02-29', '2026-02-27', 17],
    ['2008-02-29', '2026-02-28', 18], // chosen reading: reached on 28 Feb in a common year
    ['2008-02-29', '2026-03-01', 18],
    ['2008-02-29', '2028-02-28', 19], // leap year: reached on 29 Feb
    ['2008-02-29', '2028-02-29', 20],
    ['1976-07-01', '2026-07-01', 50],
    ['1976-07-02', '2026-07-01', 49],
    ['2026-01-01', '2026-01-01', 0],
    ['2026-01-02', '2026-01-01', -1],
  ])('completedYears(%s, %s) = %i', (from, on, expected) => {
    expect(completedYears(from, on)).toBe(expected);
  });

  it('is the largest k with addYears(from, k) <= on', () => {
    fc.assert(
      fc.property(isoDateArb, isoDateArb, (a, b) => {
        const k = completedYears(a, b);
        expect(addYears(a, k) <= b).toBe(true);
        expect(addYears(a, k + 1) > b).toBe(true);
      }),
    );
  });

  it.each([
    ['2008-02-29', '2026-02-28', true],
    ['2008-02-29', '2026-03-01', false],
    ['2008-02-29', '2028-02-28', false],
    ['2008-02-28', '2026-02-28', false],
    ['2008-02-29', '2008-02-28', false],
  ])('isAmbiguousLeapBirthday(%s, %s) = %s', (birth, on, expected) => {
    expect(isAmbiguousLeapBirthday(birth, on)).toBe(expected);
  });
});

describe('calendar periods', () => {
  it('months', () => {
    expect(lastDayOfMonth(2024, 2)).toBe(29);
    expect(lastDayOfMonth(2026, 2)).toBe(28);
    expect(lastDayOfMonth(2026, 4)).toBe(30);
    expect(lastDayOfMonth(2026, 12)).toBe(31);
    expect(monthKey('2026-03-15')).toBe('2026-03');
    expect(monthStart('2026-03-15')).toBe('2026-03-01');
    expect(monthEnd('2024-02-10')).toBe('2024-02-29');
  });

  it.each([
    ['2026-01-01', 1, '2026-01-01', '2026-03-31'],
    ['2026-05-31', 2, '2026-04-01', '2026-06-30'],
    ['2026-09-30', 3, '2026-07-01', '2026-09-30'],
    ['2026-12-31', 4, '2026-10-01', '2026-12-31'],
  ])('quarter of %s', (d, q, start, end) => {
    expect(quarterOf(d)).toBe(q);
    expect(quarterStart(d)).toBe(start);
    expect(quarterEnd(d)).toBe(end);
  });

  it('years', () => {
    expect(yearStart('2026-05-05')).toBe('2026-01-01');
    expect(yearEnd('2026-05-05')).toBe('2026-12-31');
    expect(yearStart(2025)).toBe('2025-01-01');
    expect(yearEnd(2025)).toBe('2025-12-31');
  });

  it.each([
    ['1970-01-01', 4],
    ['2026-01-01', 4], // Thursday
    ['2026-02-14', 6], // Saturday (a make-up working day in 2026)
    ['2026-07-01', 3],
    ['1949-10-01', 6],
    ['2000-01-01', 6],
  ])('dayOfWeek(%s) = %i', (d, w) => {
    expect(dayOfWeek(d)).toBe(w);
  });

  it('dayOfWeek agrees with Date for random dates', () => {
    fc.assert(
      fc.property(isoDateArb, (d) => {
        expect(dayOfWeek(d)).toBe(new Date(`${d}T00:00:00Z`).getUTCDay());
      }),
    );
  });
});

describe('todayInShanghai', () => {
  it.each([
    ['2026-06-30T15:59:59.999Z', '2026-06-30'],
    ['2026-06-30T16:00:00.000Z', '2026-07-01'],
    ['2026-12-31T16:00:00Z', '2027-01-01'],
    ['2026-01-01T00:00:00+08:00', '2026-01-01'],
  ])('%s → %s', (instant, expected) => {
    expect(todayInShanghai(new Date(instant))).toBe(expected);
  });

  it('rejects an invalid Date', () => {
    expect(() => todayInShanghai(new Date('nope'))).toThrow(RangeError);
  });
});
