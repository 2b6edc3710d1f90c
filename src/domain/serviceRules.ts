/**
 * Serving the community (issue 19): volunteer hours, visits and pairings (结对), practical deeds
 * (我为群众办实事) and the consultation schedule (逢三说事). DOMAIN.md has no national numbers for any of
 * these, so every constant is a LOCAL convention with a default, exposed as a setting by the service
 * module; the date arithmetic follows DOMAIN.md §2.1a (Civil-Code month ends, the working-day
 * calendar). Pure: no clock, no database — callers pass today, the records and the calendar data.
 */
import { addDays, addMonths, compareDates, formatIso, lastDayOfMonth, type IsoDate } from './dates.js';
import { isWorkingDay, type CalendarData } from './calendar.js';
import type { RuleConstant, RuleSet, RuleStatus } from './ruleSets.js';

function rule<T>(value: T, source: string, status: RuleStatus, label: string): RuleConstant<T> {
  return { value, source, status, label };
}

// ─── Vocabularies ───────────────────────────────────────────────────────────

/** Default activity kinds; the list itself is a setting (`service.activityKinds`). */
export const DEFAULT_ACTIVITY_KINDS = ['环境整治', '助老', '宣讲', '文明创建', '疫情防控', '关爱儿童', '其他'] as const;

export const VISIT_KINDS = [
  { key: 'holidayCare', label: '节日慰问' },
  { key: 'hardship', label: '困难帮扶' },
  { key: 'illness', label: '看望病患' },
  { key: 'memberBirthday', label: '老党员生日慰问' },
  { key: 'pairing', label: '结对帮扶走访' },
  { key: 'other', label: '其他走访' },
] as const;
export type VisitKind = (typeof VISIT_KINDS)[number]['key'];
export const VISIT_KIND_KEYS = VISIT_KINDS.map((k) => k.key) as [VisitKind, ...VisitKind[]];

export const CARE_TAGS = [
  { key: 'elderlyAlone', label: '独居老人' },
  { key: 'disability', label: '残疾人' },
  { key: 'lowIncome', label: '低收入' },
  { key: 'veteran', label: '退役军人' },
  { key: 'hardshipMember', label: '困难党员' },
  { key: 'leftBehind', label: '留守人员' },
  { key: 'seriousIllness', label: '大病患者' },
] as const;
export type CareTag = (typeof CARE_TAGS)[number]['key'];
export const CARE_TAG_KEYS = CARE_TAGS.map((k) => k.key) as [CareTag, ...CareTag[]];

export const DEED_SOURCES = [
  { key: 'residentRequest', label: '群众诉求' },
  { key: 'visit', label: '走访发现' },
  { key: 'consultation', label: '协商议事' },
  { key: 'partnerProject', label: '共建项目' },
  { key: 'other', label: '其他' },
] as const;
export type DeedSource = (typeof DEED_SOURCES)[number]['key'];
export const DEED_SOURCE_KEYS = DEED_SOURCES.map((k) => k.key) as [DeedSource, ...DeedSource[]];

export const DEED_STATUSES = [
  { key: 'planned', label: '计划' },
  { key: 'inProgress', label: '推进中' },
  { key: 'done', label: '已办结' },
  { key: 'dropped', label: '已终止' },
] as const;
export type DeedStatus = (typeof DEED_STATUSES)[number]['key'];
export const DEED_STATUS_KEYS = DEED_STATUSES.map((k) => k.key) as [DeedStatus, ...DeedStatus[]];

export const PAIRING_FREQUENCIES = [
  { key: 'monthly', label: '每月', months: 1 },
  { key: 'quarterly', label: '每季度', months: 3 },
  { key: 'halfYearly', label: '每半年', months: 6 },
  { key: 'yearly', label: '每年', months: 12 },
] as const;
export type PairingFrequency = (typeof PAIRING_FREQUENCIES)[number]['key'];
export const PAIRING_FREQUENCY_KEYS = PAIRING_FREQUENCIES.map((k) => k.key) as [PairingFrequency, ...PairingFrequency[]];

export const labelIn = (list: readonly { key: string; label: string }[], key: string) => list.find((x) => x.key === key)?.label ?? key;

// ─── Rule set ───────────────────────────────────────────────────────────────

/**
 * `service-2026`: the project's conventions for community service. No national text fixes these
 * numbers (DOMAIN.md has no section on volunteer hours or visits), hence LOCAL: each one is the default
 * of a setting that a county changes to its own 志愿服务 or 结对帮扶 rules.
 */
export const SERVICE_2026 = {
  id: 'service-2026',
  area: 'service',
  effectiveFrom: '2026-01-01',
  title: '志愿服务、走访慰问、结对帮扶与我为群众办实事工作约定（本地规则，可在设置中修改）',
  constants: {
    HOURS_MAX_PER_ACTIVITY: rule(12, 'DOMAIN.md §2.1a（计日规则）；本地约定', 'LOCAL', '单次活动每人可确认的服务时长上限（小时）'),
    HOURS_STEP_MINUTES: rule(30, '本地约定', 'LOCAL', '服务时长计量单位（分钟）'),
    CONFIRM_WITHIN_DAYS: rule(30, 'DOMAIN.md §2.1a（期间自次日起算）；本地约定', 'LOCAL', '活动结束后确认服务时长的期限（天）'),
    PAIRING_FREQUENCY: rule<PairingFrequency>('quarterly', 'DOMAIN.md §2.1a（月末规则、工作日）；本地约定', 'LOCAL', '结对帮扶走访频次（默认每季度至少一次）'),
    CONSULTATION_DAYS: rule<number[]>([3, 13, 23], 'DOMAIN.md §2.1a（工作日）；逢三说事本地做法', 'LOCAL', '协商议事日（每月几号；遇节假日、周末顺延至下一个工作日）'),
  },
} as const satisfies RuleSet;

// ─── Volunteer hours ────────────────────────────────────────────────────────

export interface HoursCheck {
  /** The activity's date and, when known, its start and end time (HH:MM, same day). */
  activityDate: IsoDate;
  startTime?: string | null;
  endTime?: string | null;
  minutes: number;
  checkedIn: boolean;
  today: IsoDate;
  maxHours: number;
  stepMinutes: number;
  confirmWithinDays: number;
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The activity's length in minutes when both times are known, else null. */
export function activityMinutes(startTime?: string | null, endTime?: string | null): number | null {
  if (!startTime || !endTime) return null;
  const d = toMinutes(endTime) - toMinutes(startTime);
  return d > 0 ? d : null;
}

/**
 * Whether an organizer may confirm `minutes` of service for one person: only a person checked in, not
 * before the activity day, at most `confirmWithinDays` after it (the period starts the next day,
 * DOMAIN.md §2.1a, so the last allowed day is activityDate + N), a positive multiple of the step, not
 * longer than the activity itself and not above the per-activity cap. Returns a Chinese reason or null.
 */
export function hoursConfirmationError(c: HoursCheck): string | null {
  if (!c.checkedIn) return '未签到的人员不能确认服务时长';
  if (compareDates(c.today, c.activityDate) < 0) return '活动尚未开始，不能确认服务时长';
  const last = addDays(c.activityDate, c.confirmWithinDays);
  if (compareDates(c.today, last) > 0) return `已超过确认期限（活动后${c.confirmWithinDays}天，截至${last}）`;
  if (!Number.isInteger(c.minutes) || c.minutes <= 0) return '服务时长应大于0';
  if (c.minutes % c.stepMinutes !== 0) return `服务时长应按${c.stepMinutes}分钟计`;
  if (c.minutes > c.maxHours * 60) return `单次活动服务时长不超过${c.maxHours}小时`;
  const length = activityMinutes(c.startTime, c.endTime);
  if (length !== null && c.minutes > length) return `服务时长不能超过活动时长（${formatHours(length)}小时）`;
  return null;
}

/** Minutes as hours with at most two decimals (90 → 1.5). */
export const formatHours = (minutes: number) => String(Math.round((minutes / 60) * 100) / 100);

// ─── Pairings (结对帮扶) ─────────────────────────────────────────────────────

export interface PairingWindow {
  from: IsoDate;
  /** Last calendar day of the window. */
  to: IsoDate;
  /** The day by which a visit must be recorded: `to`, moved to the next working day when it is not one. */
  deadline: IsoDate;
  /** True when the calendar had no data for a year the deadline touched (Monday–Friday was used). */
  fallback: boolean;
}

export const frequencyMonths = (f: PairingFrequency) => PAIRING_FREQUENCIES.find((x) => x.key === f)!.months;

/** The next working day on or after `day` (a deadline falling on a holiday or weekend moves on). */
export function onOrNextWorkingDay(day: IsoDate, data: CalendarData): { day: IsoDate; fallback: boolean } {
  let d = day;
  let fallback = false;
  for (let i = 0; i < 40; i += 1) {
    const r = isWorkingDay(d, data);
    fallback ||= r.fallback;
    if (r.value) return { day: d, fallback };
    d = addDays(d, 1);
  }
  throw new RangeError(`${day} 之后40天内没有工作日，请检查节假日数据`);
}

/**
 * The visit windows of a pairing that have started by `today`: consecutive periods of the frequency's
 * months from the start (month-end rule of DOMAIN.md §2.1a: from 31 January one month ends 28/29
 * February), the last one cut at the pairing's end. A window ending on a holiday or weekend is due on
 * the next working day.
 */
export function pairingWindows(start: IsoDate, end: IsoDate | null, frequency: PairingFrequency, today: IsoDate, data: CalendarData): PairingWindow[] {
  const k = frequencyMonths(frequency);
  const out: PairingWindow[] = [];
  for (let i = 0; i < 1200; i += 1) {
    const from = addMonths(start, i * k);
    if (compareDates(from, today) > 0 || (end && compareDates(from, end) > 0)) break;
    let to = addDays(addMonths(start, (i + 1) * k), -1);
    if (end && compareDates(to, end) > 0) to = end;
    const d = onOrNextWorkingDay(to, data);
    out.push({ from, to, deadline: d.day, fallback: d.fallback });
  }
  return out;
}

/**
 * The windows past their deadline (today is after it) with no visit dated in [from, deadline]. A visit
 * on the working day after a window that ended on a holiday still counts for that window.
 */
export function overduePairingWindows(start: IsoDate, end: IsoDate | null, frequency: PairingFrequency, visits: readonly IsoDate[], today: IsoDate, data: CalendarData): PairingWindow[] {
  return pairingWindows(start, end, frequency, today, data).filter(
    (w) => compareDates(today, w.deadline) > 0 && !visits.some((v) => compareDates(v, w.from) >= 0 && compareDates(v, w.deadline) <= 0),
  );
}

// ─── Consultation schedule (逢三说事) ─────────────────────────────────────────

/**
 * The consultation days of a month: each configured day of the month (a day beyond the month's end
 * is its last day), moved to the next working day when it falls on a weekend or holiday; duplicates
 * after moving are kept once. `fallback` is true when a year without calendar data was used.
 */
export function consultationDays(year: number, month: number, days: readonly number[], data: CalendarData): { days: IsoDate[]; fallback: boolean } {
  const last = lastDayOfMonth(year, month);
  const out = new Set<IsoDate>();
  let fallback = false;
  for (const d of [...days].sort((a, b) => a - b)) {
    const r = onOrNextWorkingDay(formatIso(year, month, Math.min(d, last)), data);
    fallback ||= r.fallback;
    out.add(r.day);
  }
  return { days: [...out].sort(), fallback };
}

// ─── Practical deeds (我为群众办实事) ──────────────────────────────────────────

const DEED_NEXT: Record<DeedStatus, DeedStatus[]> = {
  planned: ['inProgress', 'done', 'dropped'],
  inProgress: ['done', 'dropped'],
  done: [],
  dropped: [],
};

/**
 * Whether a deed may move from one status to the next: planned → in progress → done, or dropped with
 * a reason; done needs evidence (text or an attachment) and a date not after today. A Chinese reason
 * or null.
 */
export function deedTransitionError(from: DeedStatus, to: DeedStatus, input: { reason?: string | null; evidence?: string | null; attachments?: number; on: IsoDate; today: IsoDate }): string | null {
  if (!DEED_NEXT[from].includes(to)) return `“${labelIn(DEED_STATUSES, from)}”的事项不能改为“${labelIn(DEED_STATUSES, to)}”`;
  if (compareDates(input.on, input.today) > 0) return '日期不能晚于今天';
  if (to === 'dropped' && !input.reason?.trim()) return '终止办理须填写原因';
  if (to === 'done' && !input.evidence?.trim() && !(input.attachments && input.attachments > 0)) return '办结须有佐证材料（文字说明或附件）';
  return null;
}

/** A deed is overdue from the day after its deadline while it is neither done nor dropped. */
export function deedOverdue(status: DeedStatus, deadline: IsoDate | null, today: IsoDate): boolean {
  return !!deadline && (status === 'planned' || status === 'inProgress') && compareDates(today, deadline) > 0;
}
