/**
 * The working-day calendar (DOMAIN.md §2.1a, §2.2; ARCHITECTURE.md "Time"): one calendar shared by
 * 公示 and by request deadlines. "Working days" follow the State Council's yearly holiday notice:
 * a weekday is a working day unless it is a holiday; a weekend day is one only when it is a make-up
 * working day (调休上班). The notice is data, per year, editable by sysAdmin.
 *
 * A year without data falls back to Monday–Friday; every result computed over such a year carries
 * `fallback: true` and names the missing years, so the UI can say the figure is approximate.
 *
 * Pure: reads no clock and no database. The platform layer loads the years a computation needs.
 */
import { addDays, dayOfWeek, formatIso, isIsoDate, parseIso, toDayNumber, type IsoDate } from './dates.js';

/** One year's notice: the holidays (放假) and the make-up working days (调休上班). */
export interface YearCalendar {
  readonly holidays: ReadonlySet<IsoDate>;
  readonly workdays: ReadonlySet<IsoDate>;
}

/** Calendar data by year; a year that is absent or undefined has no data (Monday–Friday fallback). */
export type CalendarData = { readonly [year: number]: YearCalendar | undefined };

/** Every calendar answer says whether any year it touched had no data. */
export interface CalendarResult<T> {
  value: T;
  /** True when at least one year touched had no data, so Monday–Friday was used for it. */
  fallback: boolean;
  /** The years without data that the computation touched, ascending. */
  missingYears: number[];
}

export type NoticeUnit = 'workingDays' | 'calendarDays';

export interface CalendarDay {
  day: IsoDate;
  name: string;
}

/** A year's calendar as shipped or entered, with its source (DOMAIN.md status labels). */
export interface CalendarYearDef {
  year: number;
  source: string;
  mark: 'VERIFIED' | 'SECONDARY' | 'UNVERIFIED' | 'LOCAL';
  holidays: CalendarDay[];
  workdays: CalendarDay[];
}

function span(first: IsoDate, last: IsoDate, name: string): CalendarDay[] {
  const out: CalendarDay[] = [];
  for (let d = first; d <= last; d = addDays(d, 1)) out.push({ day: d, name });
  return out;
}

/**
 * 2026, DOMAIN.md §2.1a: 国务院办公厅 notice of 2025-11-04 as reported by third parties (SECONDARY —
 * re-check against the official notice). The notice does not say which holiday each make-up day
 * belongs to in the copy we have, so those carry a neutral name.
 */
export const CALENDAR_2026: CalendarYearDef = {
  year: 2026,
  source: '国务院办公厅关于2026年部分节假日安排的通知（2025-11-04，转引，待核对原文）；DOMAIN.md §2.1a',
  mark: 'SECONDARY',
  holidays: [
    ...span('2026-01-01', '2026-01-03', '元旦'),
    ...span('2026-02-15', '2026-02-23', '春节'),
    ...span('2026-04-04', '2026-04-06', '清明节'),
    ...span('2026-05-01', '2026-05-05', '劳动节'),
    ...span('2026-06-19', '2026-06-21', '端午节'),
    ...span('2026-09-25', '2026-09-27', '中秋节'),
    ...span('2026-10-01', '2026-10-07', '国庆节'),
  ],
  workdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'].map((day) => ({ day, name: '调休上班' })),
};

export function yearCalendarOf(def: Pick<CalendarYearDef, 'holidays' | 'workdays'>): YearCalendar {
  return { holidays: new Set(def.holidays.map((d) => d.day)), workdays: new Set(def.workdays.map((d) => d.day)) };
}

/**
 * Check a year's entry before it is stored; returns Chinese messages (empty when valid). A day may
 * not be both a holiday and a make-up working day, and a make-up working day is by definition a
 * Saturday or Sunday (a weekday is a working day already, so listing one is a typing error).
 */
export function validateYearCalendar(year: number, holidays: readonly IsoDate[], workdays: readonly IsoDate[]): string[] {
  const errors: string[] = [];
  const check = (list: readonly IsoDate[], label: string) => {
    const seen = new Set<string>();
    for (const d of list) {
      if (!isIsoDate(d)) errors.push(`${label}“${d}”不是有效日期（应为 YYYY-MM-DD）`);
      else if (parseIso(d).y !== year) errors.push(`${label}${d}不在${year}年内`);
      else if (seen.has(d)) errors.push(`${label}${d}重复`);
      seen.add(d);
    }
  };
  check(holidays, '放假日期');
  check(workdays, '调休上班日期');
  const holidaySet = new Set(holidays);
  for (const d of workdays) {
    if (holidaySet.has(d)) errors.push(`${d}不能同时是放假日和调休上班日`);
    else if (isIsoDate(d) && parseIso(d).y === year && !isWeekend(d)) errors.push(`调休上班日期${d}不是周六或周日`);
  }
  return errors;
}

const isWeekend = (d: IsoDate) => {
  const w = dayOfWeek(d);
  return w === 0 || w === 6;
};

/** Tracks the years a computation looked at, to report the fallback. */
class Touch {
  private readonly missing = new Set<number>();
  constructor(private readonly data: CalendarData) {}
  working(date: IsoDate): boolean {
    const year = parseIso(date).y;
    const cal = this.data[year];
    if (!cal) {
      this.missing.add(year);
      return !isWeekend(date);
    }
    if (cal.workdays.has(date)) return true;
    if (cal.holidays.has(date)) return false;
    return !isWeekend(date);
  }
  result<T>(value: T): CalendarResult<T> {
    const missingYears = [...this.missing].sort((a, b) => a - b);
    return { value, fallback: missingYears.length > 0, missingYears };
  }
}

/** Whether `date` is a working day: a weekday that is not a holiday, or a make-up working day. */
export function isWorkingDay(date: IsoDate, data: CalendarData): CalendarResult<boolean> {
  const t = new Touch(data);
  return t.result(t.working(date));
}

/**
 * The day on which a deadline of `n` working days after an event on `start` falls: the period starts
 * the next day (DOMAIN.md §2.1a), so the event day never counts even when it is a working day.
 * addWorkingDays('2026-09-30', 1) = 2026-10-08 (10-01…10-07 are 国庆节). n = 0 gives `start`.
 */
export function addWorkingDays(start: IsoDate, n: number, data: CalendarData): CalendarResult<IsoDate> {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`工作日数必须为非负整数：${n}`);
  parseIso(start);
  const t = new Touch(data);
  let day = start;
  for (let left = n; left > 0; ) {
    day = addDays(day, 1);
    if (t.working(day)) left -= 1;
  }
  return t.result(day);
}

/** Working days in [first, last], both ends counted (a 公示 counts both ends, DOMAIN.md §2.2); 0 when last < first. */
export function workingDaysInclusive(first: IsoDate, last: IsoDate, data: CalendarData): CalendarResult<number> {
  const t = new Touch(data);
  const end = toDayNumber(last);
  let count = 0;
  for (let n = toDayNumber(first), day = first; n <= end; n += 1, day = addDays(day, 1)) {
    if (t.working(day)) count += 1;
  }
  return t.result(count);
}

/**
 * The last day of a 公示 that starts on `first` and runs `length` units, both ends included
 * (DOMAIN.md §2.2). In working days, the first day counts only when it is a working day: a notice put
 * up on a Saturday starts counting on Monday. The step it precedes is dated no earlier than the day
 * after the returned date.
 */
export function publicNoticeEnd(first: IsoDate, length: number, unit: NoticeUnit, data: CalendarData): CalendarResult<IsoDate> {
  if (!Number.isInteger(length) || length < 1) throw new RangeError(`公示期长度必须为正整数：${length}`);
  if (unit === 'calendarDays') {
    const t = new Touch(data);
    return t.result(addDays(first, length - 1));
  }
  // The first day counts when it is a working day: count from the day before it.
  return addWorkingDays(addDays(first, -1), length, data);
}

/** The years a computation over [first, last] touches, for loading calendar data. */
export function yearsBetween(first: IsoDate, last: IsoDate): number[] {
  const a = parseIso(first).y;
  const b = parseIso(last).y;
  const out: number[] = [];
  for (let y = Math.min(a, b); y <= Math.max(a, b); y += 1) out.push(y);
  return out;
}

/** 1 January and 31 December of a year, for range queries. */
export const yearBounds = (year: number): [IsoDate, IsoDate] => [formatIso(year, 1, 1), formatIso(year, 12, 31)];
