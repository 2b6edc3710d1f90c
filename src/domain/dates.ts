/**
 * Business dates: calendar days written 'YYYY-MM-DD', meaning a day in Asia/Shanghai.
 *
 * Everything here is plain arithmetic on the proleptic Gregorian calendar. No function reads the
 * clock or the process time zone; `todayInShanghai` is the only one that takes an instant (Date).
 *
 * Counting periods follows DOMAIN.md §2.1a (the Civil Code, 民法典 第二百零一、二百零二条, by analogy):
 * a period starts the day after the event and, when counted in months or years, ends on the
 * corresponding day of the last month, or on that month's last day when there is no such day.
 */

/** A calendar date 'YYYY-MM-DD' (years 0001–9999). */
export type IsoDate = string;

export interface YMD {
  y: number;
  m: number;
  d: number;
}

/** A length of time; all parts are optional integers and may be combined. */
export interface PeriodLength {
  years?: number;
  months?: number;
  days?: number;
}

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function lastDayOfMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function isValidYmd(y: number, m: number, d: number): boolean {
  return (
    Number.isInteger(y) && Number.isInteger(m) && Number.isInteger(d) &&
    y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= lastDayOfMonth(y, m)
  );
}

/** True for a string 'YYYY-MM-DD' naming a day that exists (no 2026-02-29, no 2026-13-01). */
export function isIsoDate(s: unknown): s is IsoDate {
  if (typeof s !== 'string') return false;
  const match = ISO_RE.exec(s);
  return match !== null && isValidYmd(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** Splits a valid IsoDate; throws RangeError on anything else (a programming error, not user input). */
export function parseIso(s: IsoDate): YMD {
  const match = ISO_RE.exec(s);
  if (match) {
    const y = Number(match[1]);
    const m = Number(match[2]);
    const d = Number(match[3]);
    if (isValidYmd(y, m, d)) return { y, m, d };
  }
  throw new RangeError(`无效的日期：“${String(s)}”（应为存在的 YYYY-MM-DD 日期）`);
}

export function formatIso(y: number, m: number, d: number): IsoDate {
  if (!isValidYmd(y, m, d)) throw new RangeError(`无效的日期：${y}-${m}-${d}`);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** -1, 0 or 1. Valid IsoDates order as strings, but parse anyway so bad input fails loudly. */
export function compareDates(a: IsoDate, b: IsoDate): -1 | 0 | 1 {
  parseIso(a);
  parseIso(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

export function minDate(a: IsoDate, b: IsoDate): IsoDate {
  return compareDates(a, b) <= 0 ? a : b;
}

export function maxDate(a: IsoDate, b: IsoDate): IsoDate {
  return compareDates(a, b) >= 0 ? a : b;
}

/**
 * Days since 1970-01-01 (negative before). Howard Hinnant's days_from_civil: exact for the whole
 * proleptic Gregorian calendar, independent of Date and time zones.
 */
export function toDayNumber(date: IsoDate): number {
  const { y: y0, m, d } = parseIso(date);
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Inverse of toDayNumber (civil_from_days). */
export function fromDayNumber(n: number): IsoDate {
  if (!Number.isInteger(n)) throw new RangeError(`日序号必须为整数：${n}`);
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return formatIso(y, m, d);
}

export function addDays(date: IsoDate, n: number): IsoDate {
  return fromDayNumber(toDayNumber(date) + n);
}

/**
 * Adds calendar months; a day that does not exist in the target month becomes that month's last
 * day (DOMAIN.md §2.1a month-end rule): 2026-01-31 + 1 month = 2026-02-28.
 */
export function addMonths(date: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n)) throw new RangeError(`月数必须为整数：${n}`);
  const { y, m, d } = parseIso(date);
  const index = y * 12 + (m - 1) + n;
  const ty = Math.floor(index / 12);
  const tm = index - ty * 12 + 1;
  return formatIso(ty, tm, Math.min(d, lastDayOfMonth(ty, tm)));
}

/** Adds calendar years with the same month-end rule: 2024-02-29 + 1 year = 2025-02-28. */
export function addYears(date: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n)) throw new RangeError(`年数必须为整数：${n}`);
  return addMonths(date, n * 12);
}

/**
 * The LAST DAY (inclusive) of a period that follows an event on `event` (DOMAIN.md §2.1a).
 *
 * The event day itself is not counted; the period runs from the next day. So:
 * - months/years: the day in the final month that corresponds to the event day, or that month's
 *   last day when it has no such day: periodEnd('2025-07-01', {years: 1}) = '2026-07-01',
 *   periodEnd('2026-01-31', {months: 1}) = '2026-02-28';
 * - days: event + n: periodEnd('2026-03-01', {days: 30}) = '2026-03-31' (30 days: 03-02 … 03-31).
 * Years and months are applied together first (as 12·years + months), then days.
 *
 * Read the result as: a deadline "within N" is kept by a step dated on or before it; a minimum
 * period "at least N" is met on it (see minPeriodMet); probation counted from 2025-07-01 ends on
 * 2026-07-01, which is also the 转正 date (§5).
 */
export function periodEnd(event: IsoDate, length: PeriodLength): IsoDate {
  const months = (length.years ?? 0) * 12 + (length.months ?? 0);
  return addDays(addMonths(event, months), length.days ?? 0);
}

/**
 * Whether a step dated `stepDate` respects a minimum period ("≥1 year", "≥6 months") counted from
 * `eventDate`. The minimum is met on its last day (DOMAIN.md §2.1a): a step on periodEnd complies.
 */
export function minPeriodMet(eventDate: IsoDate, stepDate: IsoDate, length: PeriodLength): boolean {
  return compareDates(stepDate, periodEnd(eventDate, length)) >= 0;
}

/**
 * Completed years from `from` (a birth date, a fullOn date) to `on`: the largest k with
 * addYears(from, k) ≤ on. The 18th birthday counts as 18 (DOMAIN.md §2.1a "reached on the 18th
 * birthday"). A 29 February birthday in a common year is reached on 28 February (the month-end rule,
 * the project's chosen reading); flag those days with isAmbiguousLeapBirthday. Negative when on < from.
 */
export function completedYears(from: IsoDate, on: IsoDate): number {
  const k = parseIso(on).y - parseIso(from).y;
  return compareDates(addYears(from, k), on) <= 0 ? k : k - 1;
}

/**
 * True when `on` is 28 February of a common year and `birth` is a 29 February: the one day on which
 * the two readings (28 Feb vs 1 Mar, DOMAIN.md §2.1a) give different completed years. A rule that
 * depends on the age on such a day must answer 待人工确认, never a violation.
 */
export function isAmbiguousLeapBirthday(birth: IsoDate, on: IsoDate): boolean {
  const b = parseIso(birth);
  const o = parseIso(on);
  return b.m === 2 && b.d === 29 && o.m === 2 && o.d === 28 && !isLeapYear(o.y) && o.y > b.y;
}

/** 'YYYY-MM' */
export function monthKey(date: IsoDate): string {
  parseIso(date);
  return date.slice(0, 7);
}

export function monthStart(date: IsoDate): IsoDate {
  const { y, m } = parseIso(date);
  return formatIso(y, m, 1);
}

export function monthEnd(date: IsoDate): IsoDate {
  const { y, m } = parseIso(date);
  return formatIso(y, m, lastDayOfMonth(y, m));
}

/** 1–4 */
export function quarterOf(date: IsoDate): 1 | 2 | 3 | 4 {
  return (Math.floor((parseIso(date).m - 1) / 3) + 1) as 1 | 2 | 3 | 4;
}

/** First day of the quarter containing `date`. */
export function quarterStart(date: IsoDate): IsoDate {
  const { y } = parseIso(date);
  return formatIso(y, (quarterOf(date) - 1) * 3 + 1, 1);
}

/** Last day of the quarter containing `date`. */
export function quarterEnd(date: IsoDate): IsoDate {
  const { y } = parseIso(date);
  const m = quarterOf(date) * 3;
  return formatIso(y, m, lastDayOfMonth(y, m));
}

function yearOf(dateOrYear: IsoDate | number): number {
  return typeof dateOrYear === 'number' ? dateOrYear : parseIso(dateOrYear).y;
}

/** 1 January of the year of a date, or of a year number. */
export function yearStart(dateOrYear: IsoDate | number): IsoDate {
  return formatIso(yearOf(dateOrYear), 1, 1);
}

/** 31 December of the year of a date, or of a year number. */
export function yearEnd(dateOrYear: IsoDate | number): IsoDate {
  return formatIso(yearOf(dateOrYear), 12, 31);
}

/** b − a in days: daysBetween('2026-01-01', '2026-01-02') = 1. */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return toDayNumber(b) - toDayNumber(a);
}

/** 0 = Sunday … 6 = Saturday. 1970-01-01 was a Thursday. */
export function dayOfWeek(date: IsoDate): 0 | 1 | 2 | 3 | 4 | 5 | 6 {
  return ((((toDayNumber(date) + 4) % 7) + 7) % 7) as 0 | 1 | 2 | 3 | 4 | 5 | 6;
}

/**
 * The Asia/Shanghai calendar date of an instant. China has used UTC+8 without daylight saving since
 * 1991, so a fixed offset is exact for any instant the application handles and needs no tz data.
 */
export function todayInShanghai(now: Date): IsoDate {
  const t = now.getTime();
  if (Number.isNaN(t)) throw new RangeError('无效的时间');
  const shifted = new Date(t + 8 * 3600 * 1000);
  return formatIso(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, shifted.getUTCDate());
}
