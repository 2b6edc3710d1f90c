import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CALENDAR_2026, addWorkingDays, isWorkingDay, publicNoticeEnd, validateYearCalendar, workingDaysInclusive,
  yearCalendarOf, yearsBetween, type CalendarData,
} from './calendar.js';
import { addDays, dayOfWeek, fromDayNumber, toDayNumber } from './dates.js';

/** Calendar data as the platform loads it: 2026 from DOMAIN.md §2.1a, nothing else. */
const DATA: CalendarData = { 2026: yearCalendarOf(CALENDAR_2026) };

describe('CALENDAR_2026 matches DOMAIN.md §2.1a', () => {
  // holidays 01-01–01-03, 02-15–02-23, 04-04–04-06, 05-01–05-05, 06-19–06-21, 09-25–09-27, 10-01–10-07
  it('has 3 + 9 + 3 + 5 + 3 + 3 + 7 holidays and 6 make-up working days', () => {
    expect(CALENDAR_2026.holidays).toHaveLength(33);
    expect(CALENDAR_2026.workdays.map((d) => d.day)).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    expect(CALENDAR_2026.mark).toBe('SECONDARY');
    expect(validateYearCalendar(2026, CALENDAR_2026.holidays.map((d) => d.day), CALENDAR_2026.workdays.map((d) => d.day))).toEqual([]);
  });
});

describe('isWorkingDay (2026)', () => {
  it.each([
    // date, working, why
    ['2026-01-01', false, '元旦 (Thursday)'],
    ['2026-01-03', false, '元旦 last day (Saturday)'],
    ['2026-01-04', true, 'make-up working day (Sunday)'],
    ['2026-01-05', true, 'ordinary Monday'],
    ['2026-01-10', false, 'ordinary Saturday'],
    ['2026-02-14', true, 'make-up working day (Saturday) before 春节'],
    ['2026-02-15', false, '春节 first day'],
    ['2026-02-23', false, '春节 last day (Monday)'],
    ['2026-02-24', true, 'first working day after 春节'],
    ['2026-02-28', true, 'make-up working day (Saturday)'],
    ['2026-04-06', false, '清明节 (Monday)'],
    ['2026-05-05', false, '劳动节 (Tuesday)'],
    ['2026-05-09', true, 'make-up working day (Saturday)'],
    ['2026-06-19', false, '端午节 (Friday)'],
    ['2026-09-20', true, 'make-up working day (Sunday)'],
    ['2026-09-25', false, '中秋节 (Friday)'],
    ['2026-10-07', false, '国庆节 (Wednesday)'],
    ['2026-10-08', true, 'after 国庆节'],
    ['2026-10-10', true, 'make-up working day (Saturday)'],
    ['2026-10-11', false, 'ordinary Sunday'],
  ] as const)('%s → %s (%s)', (date, working, _why) => {
    expect(isWorkingDay(date, DATA)).toEqual({ value: working, fallback: false, missingYears: [] });
  });

  it('falls back to Monday–Friday for a year without data and says so', () => {
    expect(isWorkingDay('2027-01-01', DATA)).toEqual({ value: true, fallback: true, missingYears: [2027] }); // a Friday
    expect(isWorkingDay('2027-01-02', DATA)).toEqual({ value: false, fallback: true, missingYears: [2027] });
    expect(isWorkingDay('2025-10-01', {})).toEqual({ value: true, fallback: true, missingYears: [2025] });
  });
});

describe('addWorkingDays: a deadline after an event starts the next day (§2.1a)', () => {
  it.each([
    // start, n, expected, why
    ['2026-03-02', 0, '2026-03-02', 'zero days is the event day'],
    ['2026-03-02', 1, '2026-03-03', 'Monday + 1 → Tuesday (the event day is not counted)'],
    ['2026-03-06', 1, '2026-03-09', 'Friday + 1 → Monday'],
    ['2026-03-07', 1, '2026-03-09', 'Saturday event → Monday'],
    ['2026-03-02', 5, '2026-03-09', 'a working week'],
    ['2026-09-30', 1, '2026-10-08', '国庆节 10-01…10-07 skipped'],
    ['2026-09-30', 3, '2026-10-10', 'make-up Saturday 10-10 counts'],
    ['2026-02-13', 1, '2026-02-14', 'make-up Saturday 02-14 counts'],
    ['2026-02-13', 2, '2026-02-24', '春节 02-15…02-23 skipped'],
    ['2025-12-31', 1, '2026-01-04', '元旦 01-01…01-03 skipped, make-up Sunday 01-04 counts'],
    ['2026-09-18', 5, '2026-09-24', 'make-up Sunday 09-20 counts: 09-20, 21, 22, 23, 24'],
  ] as const)('%s + %i → %s (%s)', (start, n, expected, _why) => {
    const r = addWorkingDays(start, n, DATA);
    expect(r.value).toBe(expected);
  });

  it('marks a result that crossed into a year without data', () => {
    expect(addWorkingDays('2026-12-30', 3, DATA)).toEqual({ value: '2027-01-04', fallback: true, missingYears: [2027] });
    expect(addWorkingDays('2026-12-28', 3, DATA)).toEqual({ value: '2026-12-31', fallback: false, missingYears: [] });
  });

  it('does not mark the start year when only the event day lies in it', () => {
    // 2025-12-31 is never examined: counting starts on 2026-01-01
    expect(addWorkingDays('2025-12-31', 1, DATA).fallback).toBe(false);
  });

  it('refuses a negative or fractional count', () => {
    expect(() => addWorkingDays('2026-03-02', -1, DATA)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-03-02', 1.5, DATA)).toThrow(RangeError);
  });
});

describe('workingDaysInclusive: a 公示 counts both ends (§2.2)', () => {
  it.each([
    ['2026-03-02', '2026-03-06', 5, 'Monday…Friday'],
    ['2026-03-02', '2026-03-02', 1, 'one day'],
    ['2026-03-06', '2026-03-02', 0, 'reversed range'],
    ['2026-09-28', '2026-10-09', 5, '09-28…09-30, 10-08, 10-09 (国庆节 and the weekend excluded)'],
    ['2026-09-28', '2026-10-10', 6, 'make-up Saturday 10-10 included'],
    ['2026-02-09', '2026-02-27', 10, '02-09…02-13, 02-14 make-up, 02-24…02-27'],
    // 261 weekdays − 19 weekday holidays (元旦 2, 春节 6, 清明 1, 劳动 3, 端午 1, 中秋 1, 国庆 5) + 6 make-up days
    ['2026-01-01', '2026-12-31', 248, 'the whole of 2026'],
  ] as const)('%s…%s → %i (%s)', (first, last, n, _why) => {
    expect(workingDaysInclusive(first, last, DATA)).toEqual({ value: n, fallback: false, missingYears: [] });
  });

  it('marks ranges that touch a year without data', () => {
    expect(workingDaysInclusive('2026-12-28', '2027-01-08', DATA)).toEqual({ value: 10, fallback: true, missingYears: [2027] });
    expect(workingDaysInclusive('2024-12-30', '2027-01-01', DATA).missingYears).toEqual([2024, 2025, 2027]);
  });
});

describe('publicNoticeEnd (§2.2, §2.5: default 5 working days)', () => {
  it.each([
    ['2026-03-02', 5, 'workingDays', '2026-03-06', 'Monday start, both ends counted'],
    ['2026-03-04', 5, 'workingDays', '2026-03-10', 'Wednesday start runs over the weekend'],
    ['2026-03-07', 5, 'workingDays', '2026-03-13', 'Saturday start: counting begins on Monday'],
    ['2026-09-28', 5, 'workingDays', '2026-10-09', '09-28…09-30, then 国庆节 skipped: 10-08, 10-09'],
    ['2026-09-29', 5, 'workingDays', '2026-10-10', 'make-up Saturday 10-10 is day 5'],
    ['2026-02-12', 5, 'workingDays', '2026-02-25', '02-12, 02-13, 02-14 (make-up), 02-24, 02-25'],
    ['2026-09-28', 7, 'calendarDays', '2026-10-04', 'calendar days ignore holidays'],
    ['2026-03-02', 1, 'calendarDays', '2026-03-02', 'one calendar day is the first day'],
  ] as const)('%s, %i %s → %s (%s)', (first, length, unit, last, _why) => {
    const r = publicNoticeEnd(first, length, unit, DATA);
    expect(r.value).toBe(last);
    expect(r.fallback).toBe(false);
  });

  it('the notice it returns is exactly `length` working days long', () => {
    const last = publicNoticeEnd('2026-09-28', 5, 'workingDays', DATA).value;
    expect(workingDaysInclusive('2026-09-28', last, DATA).value).toBe(5);
  });

  it('marks a notice running into a year without data; calendar days never fall back', () => {
    expect(publicNoticeEnd('2026-12-29', 5, 'workingDays', DATA)).toEqual({ value: '2027-01-04', fallback: true, missingYears: [2027] });
    expect(publicNoticeEnd('2026-12-29', 7, 'calendarDays', DATA).fallback).toBe(false);
  });

  it('refuses a length below 1', () => {
    expect(() => publicNoticeEnd('2026-03-02', 0, 'workingDays', DATA)).toThrow(RangeError);
  });
});

describe('validateYearCalendar', () => {
  it.each([
    [['2026-05-01'], ['2026-05-09'], []],
    [['2027-05-01'], [], ['放假日期2027-05-01不在2026年内']],
    [['2026-02-30'], [], ['放假日期“2026-02-30”不是有效日期（应为 YYYY-MM-DD）']],
    [['2026-05-01', '2026-05-01'], [], ['放假日期2026-05-01重复']],
    [['2026-05-09'], ['2026-05-09'], ['2026-05-09不能同时是放假日和调休上班日']],
    [[], ['2026-05-08'], ['调休上班日期2026-05-08不是周六或周日']],
  ])('%j / %j → %j', (holidays, workdays, errors) => {
    expect(validateYearCalendar(2026, holidays, workdays)).toEqual(errors);
  });
});

describe('properties', () => {
  const day = fc.integer({ min: toDayNumber('2024-01-01'), max: toDayNumber('2028-12-31') }).map(fromDayNumber);

  it('without any data, working days are exactly Monday–Friday and every result is marked', () => {
    fc.assert(fc.property(day, (d) => {
      const r = isWorkingDay(d, {});
      const w = dayOfWeek(d);
      return r.value === (w >= 1 && w <= 5) && r.fallback;
    }));
  });

  it('addWorkingDays lands on a working day n working days later', () => {
    fc.assert(fc.property(day, fc.integer({ min: 1, max: 40 }), (d, n) => {
      const r = addWorkingDays(d, n, DATA);
      return isWorkingDay(r.value, DATA).value && workingDaysInclusive(addDays(d, 1), r.value, DATA).value === n;
    }));
  });

  it('publicNoticeEnd in working days spans exactly `length` working days', () => {
    fc.assert(fc.property(day, fc.integer({ min: 1, max: 30 }), (d, n) => {
      const last = publicNoticeEnd(d, n, 'workingDays', DATA).value;
      return workingDaysInclusive(d, last, DATA).value === n && isWorkingDay(last, DATA).value;
    }));
  });

  it('yearsBetween lists each year once, ascending', () => {
    expect(yearsBetween('2025-12-31', '2027-01-01')).toEqual([2025, 2026, 2027]);
    expect(yearsBetween('2026-03-01', '2026-03-01')).toEqual([2026]);
  });
});
