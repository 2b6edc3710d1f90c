/**
 * Shapes and helpers of the working-day calendar page. GET/PUT /api/calendar/:year answer a
 * CalendarYearView (src/platform/calendar.ts); day arithmetic comes from src/domain/dates.ts.
 */
import type { CalendarDay } from '../../../../src/domain/calendar';
import { addDays, dayOfWeek, parseIso, type IsoDate } from '../../../../src/domain/dates';

export type { CalendarDay };

export interface CalendarYearView {
  year: number;
  /** False: nothing entered for the year; working days are counted Monday–Friday. */
  hasData: boolean;
  source: string | null;
  holidays: CalendarDay[];
  workdays: CalendarDay[];
}

export interface CalendarDraft {
  source: string;
  holidays: CalendarDay[];
  workdays: CalendarDay[];
}

export const WEEKDAY_SHORT = ['日', '一', '二', '三', '四', '五', '六'] as const;
export const isWeekend = (d: IsoDate) => {
  const w = dayOfWeek(d);
  return w === 0 || w === 6;
};

/** "2月15日" */
export const monthDay = (d: IsoDate) => {
  const { m, d: day } = parseIso(d);
  return `${m}月${day}日`;
};
/** "2月15日（周日）" */
export const monthDayWeek = (d: IsoDate) => `${monthDay(d)}（周${WEEKDAY_SHORT[dayOfWeek(d)]}）`;

export interface Run {
  first: IsoDate;
  last: IsoDate;
  name: string;
  days: IsoDate[];
}

/** Consecutive days with the same name, in date order: 春节 2月15日—2月23日. */
export function runsOf(list: readonly CalendarDay[]): Run[] {
  const sorted = [...list].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  const out: Run[] = [];
  for (const d of sorted) {
    const prev = out[out.length - 1];
    if (prev && prev.name === d.name && addDays(prev.last, 1) === d.day) {
      prev.last = d.day;
      prev.days.push(d.day);
    } else {
      out.push({ first: d.day, last: d.day, name: d.name, days: [d.day] });
    }
  }
  return out;
}

export const runLabel = (r: Run) => (r.first === r.last ? monthDayWeek(r.first) : `${monthDay(r.first)}—${monthDay(r.last)}`);

/** Stored sources look like "[SECONDARY] 国务院办公厅……；DOMAIN.md §2.1a": a mark, the text, a project reference. */
const MARKS: Record<string, { label: string; color: string; hint: string }> = {
  VERIFIED: { label: '已核对原文', color: 'green', hint: '已对照国务院办公厅通知原文核对。' },
  PRIMARY: { label: '已核对原文', color: 'green', hint: '已对照国务院办公厅通知原文核对。' },
  SECONDARY: { label: '转引资料', color: 'gold', hint: '依据转载的通知内容录入，建议对照国务院办公厅原文核对。' },
  UNVERIFIED: { label: '待核实', color: 'red', hint: '尚未核实，请对照国务院办公厅通知原文核对。' },
  LOCAL: { label: '地方规定', color: 'orange', hint: '按地方规定录入。' },
};

export function parseSource(raw: string | null): { text: string; mark: { key: string; label: string; color: string; hint: string } | null } {
  if (!raw) return { text: '', mark: null };
  let text = raw.trim();
  let mark = null;
  const m = /^\[([A-Z]+)\]\s*/.exec(text);
  if (m) {
    const key = m[1]!;
    mark = { key, ...(MARKS[key] ?? { label: key, color: 'default', hint: '' }) };
    text = text.slice(m[0].length);
  }
  text = text.replace(/[；;，,]?\s*(DOMAIN|ARCHITECTURE)\.md\s*(§\s*[\d.]+[a-z]?|“[^”]*”)?/g, '').trim();
  return { text: text || raw, mark };
}

/** Common names for the name box (the State Council notice uses these). */
export const HOLIDAY_NAMES = ['元旦', '春节', '清明节', '劳动节', '端午节', '中秋节', '国庆节', '中秋节、国庆节'];
