/**
 * Reading a date cell from an import (xlsx via ExcelJS, or CSV text) into an IsoDate.
 *
 * Accepted:
 * - Excel serial numbers in the 1900 date system (1 = 1900-01-01). Excel counts a 1900-02-29 that
 *   never existed as serial 60, so serials 1–59 are one day "early" and 60 is refused. A fractional
 *   part (time of day) is dropped.
 * - An 8-digit number 18000101–21991231 is read as YYYYMMDD, not as a serial (serials stop at
 *   2958465 = 9999-12-31, so the two never overlap).
 * - Date objects: ExcelJS returns date cells as a Date at UTC midnight, so the UTC calendar date is
 *   taken (no time-zone shift).
 * - Strings, after NFKC (full-width digits and punctuation) and trimming: 2020-07-01, 2020-7-1,
 *   2020.07.01, 2020/7/1, 2020年7月1日, 20200701, optionally followed by a time (" 00:00:00").
 *
 * Years are limited to 1800–2199: everything this application records (birth dates, 入党时间 since
 * 1921, meetings) lies inside, and a typo like 0202 is caught.
 */
import { formatIso, fromDayNumber, isIsoDate, lastDayOfMonth, parseIso, type IsoDate } from './dates.js';

export type DateInputResult = { ok: true; date: IsoDate } | { ok: false; reason: string };

export const DATE_INPUT_MIN_YEAR = 1800;
export const DATE_INPUT_MAX_YEAR = 2199;

/** Largest serial Excel accepts (9999-12-31). */
const EXCEL_MAX_SERIAL = 2958465;
/** Day number (days since 1970-01-01) of 1899-12-30, Excel's effective epoch for serials ≥ 61. */
const EXCEL_EPOCH_DAY = -25569;

const TIME_SUFFIX = String.raw`(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?`;
const SEPARATED_RE = new RegExp(String.raw`^(\d{4})([-./])(\d{1,2})\2(\d{1,2})${TIME_SUFFIX}$`);
const CHINESE_RE = /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$/;
const COMPACT_RE = /^(\d{4})(\d{2})(\d{2})$/;
const MONTH_ONLY_RE = /^(\d{4})\s*(?:[-./年])\s*(\d{1,2})\s*月?$/;

function fail(reason: string): DateInputResult {
  return { ok: false, reason };
}

function pad(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Checks the parts of a date and builds the result with a Chinese reason when it is impossible. */
function fromParts(y: number, m: number, d: number): DateInputResult {
  if (y < DATE_INPUT_MIN_YEAR || y > DATE_INPUT_MAX_YEAR) {
    return fail(`日期“${pad(y, m, d)}”的年份超出范围（${DATE_INPUT_MIN_YEAR}—${DATE_INPUT_MAX_YEAR}年）`);
  }
  if (m < 1 || m > 12 || d < 1 || d > lastDayOfMonth(y, m)) {
    return fail(`日期“${pad(y, m, d)}”不存在`);
  }
  return { ok: true, date: formatIso(y, m, d) };
}

function fromDayNumberChecked(day: number): DateInputResult {
  const { y, m, d } = parseIso(fromDayNumber(day));
  return fromParts(y, m, d);
}

/** Excel 1900-system serial → date. */
export function excelSerialToDate(serial: number): DateInputResult {
  if (!Number.isFinite(serial)) return fail('无法识别的日期数值');
  const whole = Math.floor(serial);
  if (whole < 1 || whole > EXCEL_MAX_SERIAL) return fail(`Excel 日期序号 ${serial} 超出有效范围`);
  if (whole === 60) return fail('Excel 日期序号 60 对应不存在的日期“1900-02-29”');
  // Serials below 60 precede Excel's phantom leap day, so they sit one day later in the count.
  return fromDayNumberChecked(EXCEL_EPOCH_DAY + whole + (whole < 60 ? 1 : 0));
}

function parseNumber(value: number): DateInputResult {
  if (Number.isInteger(value) && value >= 18000101 && value <= 21991231) {
    const s = String(value);
    return fromParts(Number(s.slice(0, 4)), Number(s.slice(4, 6)), Number(s.slice(6, 8)));
  }
  return excelSerialToDate(value);
}

function parseDate(value: Date): DateInputResult {
  if (Number.isNaN(value.getTime())) return fail('无效的日期');
  return fromParts(value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate());
}

function parseString(raw: string): DateInputResult {
  const s = raw.normalize('NFKC').trim();
  if (s === '') return fail('日期为空');
  if (isIsoDate(s)) return fromParts(Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10)));
  const match = SEPARATED_RE.exec(s);
  if (match) return fromParts(Number(match[1]), Number(match[3]), Number(match[4]));
  const chinese = CHINESE_RE.exec(s);
  if (chinese) return fromParts(Number(chinese[1]), Number(chinese[2]), Number(chinese[3]));
  const compact = COMPACT_RE.exec(s);
  if (compact) return fromParts(Number(compact[1]), Number(compact[2]), Number(compact[3]));
  if (MONTH_ONLY_RE.test(s)) return fail(`日期“${s}”缺少日，请填写完整的年月日`);
  return fail(`无法识别的日期“${s}”，请使用“2020-07-01”或“2020年7月1日”格式`);
}

/** Reads one import cell as a date; never throws. */
export function parseDateInput(value: unknown): DateInputResult {
  if (value === null || value === undefined) return fail('日期为空');
  if (value instanceof Date) return parseDate(value);
  if (typeof value === 'number') return parseNumber(value);
  if (typeof value === 'string') return parseString(value);
  return fail('无法识别的日期');
}
