/**
 * Organizational life (组织生活): the versioned rule set `orgLife-2018` as data, and the pure
 * obligation functions of the compliance engine (DOMAIN.md §3.3 三会一课 and §3.4 project conventions).
 *
 * Nothing here reads a clock or a database: callers pass today, the org's facts, its meetings and the
 * tenant's settings. Counting and attendance rules (quorum, absence runs, heart talks, study hours) are
 * in orgLifeCounting.ts.
 */
import {
  addDays, addMonths, compareDates, formatIso, lastDayOfMonth, monthEnd, parseIso, quarterEnd, quarterOf, quarterStart, type IsoDate,
} from './dates.js';
import type { RuleConstant, RuleSet, RuleStatus } from './ruleSets.js';
import type { OrgKind } from './vocab.js';

function rule<T>(value: T, source: string, status: RuleStatus, label: string): RuleConstant<T> {
  return { value, source, status, label };
}

// ─── Vocabulary ─────────────────────────────────────────────────────────────

/** Meeting kinds (GLOSSARY.md "Organizational life"; workMeeting is 党建工作会议). */
export const MEETING_KINDS = [
  { key: 'memberAssembly', label: '支部党员大会' },
  { key: 'committeeMeeting', label: '支委会' },
  { key: 'groupMeeting', label: '党小组会' },
  { key: 'partyLecture', label: '党课' },
  { key: 'themedPartyDay', label: '主题党日' },
  { key: 'orgLifeMeeting', label: '组织生活会' },
  { key: 'memberReview', label: '民主评议党员' },
  { key: 'studySession', label: '集中学习' },
  { key: 'seminar', label: '专题研讨' },
  { key: 'workMeeting', label: '党建工作会议' },
] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number]['key'];
export const MEETING_KIND_KEYS = MEETING_KINDS.map((k) => k.key) as [MeetingKind, ...MeetingKind[]];
export const meetingKindLabel = (k: string) => MEETING_KINDS.find((x) => x.key === k)?.label ?? k;

export const ATTENDANCE_STATUSES = [
  { key: 'present', label: '出席' },
  { key: 'onLeave', label: '请假' },
  { key: 'absent', label: '缺席' },
] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number]['key'];

/**
 * `twiceYearly` is one per half-year; `perYear` is N per calendar year, at any time in it (a LOCAL
 * "每年两次党课" is met by two lectures in the first half). N comes from the settings (`timesPerYear`).
 */
export type Frequency = 'monthly' | 'quarterly' | 'twiceYearly' | 'yearly' | 'perYear';
export const FREQUENCY_LABELS: Record<Frequency, string> = { monthly: '每月', quarterly: '每季度', twiceYearly: '每半年', yearly: '每年', perYear: '每年N次' };

/** Branch 党课 frequency options (DOMAIN.md §3.3: none is the national default; the others LOCAL). */
export const PARTY_LECTURE_OPTIONS = ['none', 'quarterly', 'twiceYearly', 'perYear'] as const;
export type PartyLectureFrequency = (typeof PARTY_LECTURE_OPTIONS)[number];

/** Kinds whose obligations are yearly and carry `forYear` (DOMAIN.md §3.4). */
export const YEARLY_KINDS: readonly MeetingKind[] = ['orgLifeMeeting', 'memberReview'];

// ─── The rule set ───────────────────────────────────────────────────────────

/**
 * 《中国共产党支部工作条例（试行）》 (2018-10) 第十一至十七条 and the project conventions of DOMAIN.md
 * §3.4. Values that are LOCAL or UNVERIFIED are the defaults of settings (modules/orgLife/settings.ts).
 */
export const ORG_LIFE_2018 = {
  id: 'orgLife-2018',
  area: 'orgLife',
  effectiveFrom: '2018-10-01',
  title: '《中国共产党支部工作条例（试行）》“三会一课”等组织生活制度',
  constants: {
    BRANCH_FREQUENCY: rule(
      { memberAssembly: 'quarterly', committeeMeeting: 'monthly', themedPartyDay: 'monthly', orgLifeMeeting: 'yearly', memberReview: 'yearly' } as Partial<Record<MeetingKind, Frequency>>,
      'DOMAIN.md §3.3', 'VERIFIED', '党支部（联合党支部）：党员大会每季度、支委会每月、主题党日每月、组织生活会和民主评议党员每年',
    ),
    PARTY_GROUP_FREQUENCY: rule({ groupMeeting: 'monthly' } as Partial<Record<MeetingKind, Frequency>>, 'DOMAIN.md §3.3, §3.4', 'VERIFIED', '党小组：党小组会每月'),
    TEMPORARY_BRANCH_FREQUENCY: rule({ themedPartyDay: 'monthly' } as Partial<Record<MeetingKind, Frequency>>, 'DOMAIN.md §3.4', 'VERIFIED', '临时党支部：主题党日每月'),
    PARTY_LECTURE_DEFAULT: rule('none' as PartyLectureFrequency, 'DOMAIN.md §3.3', 'LOCAL', '党支部党课频次（默认不作要求；可设每季度、每半年或每年N次）'),
    PARTY_LECTURES_PER_YEAR_DEFAULT: rule(2, 'DOMAIN.md §3.3', 'LOCAL', '党课频次为“每年N次”时每年应讲党课次数'),
    COMMITTEE_MIN_POSTS: rule(3, 'DOMAIN.md §3.4', 'VERIFIED', '当月1日在任支委职务达到此数视为设有支委会（个）'),
    MAJORITY_EXACTLY_HALF_DEFAULT: rule(false, 'DOMAIN.md §3.3', 'SECONDARY', '恰好半数到会是否视为达到法定人数（默认否：须超过半数）'),
    YEARLY_DUE_MONTH_DAY: rule('03-31', 'DOMAIN.md §3.4', 'LOCAL', '年度组织生活会、民主评议党员的截止日（次年月-日）'),
    YEARLY_DUE_SOON_FROM: rule('12-01', 'DOMAIN.md §3.4', 'LOCAL', '年度组织生活会、民主评议党员“即将到期”起始日（当年月-日）'),
    YEARLY_FOR_PREVIOUS_UNTIL_MONTH: rule(3, 'DOMAIN.md §3.4', 'LOCAL', '1月至此月召开的年度会议可计入上一年度（月）'),
    LATE_ENTRY_DAYS: rule(30, 'DOMAIN.md §3.4', 'LOCAL', '会议召开后超过此天数录入的标记为补录（天）'),
    LATE_ENTRY_COUNTS_DEFAULT: rule(true, 'DOMAIN.md §3.3', 'LOCAL', '补录的会议是否计入完成情况（默认是）'),
    ABSENCE_FINDING_MONTHS: rule(3, 'DOMAIN.md §3.4', 'LOCAL', '连续不参加组织生活达到此月数提示预警（月）'),
    ABSENCE_CASE_MONTHS: rule(6, 'DOMAIN.md §1.4, §3.4', 'VERIFIED', '连续不参加组织生活达到此月数提交组织认定（月）'),
    ABSENCE_EXPECTED_KINDS: rule(
      ['memberAssembly', 'themedPartyDay', 'partyLecture', 'orgLifeMeeting', 'groupMeeting'] as MeetingKind[],
      'DOMAIN.md §3.4', 'VERIFIED', '计算连续缺席月数时党员应参加的会议类型',
    ),
    HEART_TALK_EVERY_PAIR_DEFAULT: rule(false, 'DOMAIN.md §3.3, §3.4', 'SECONDARY', '谈心谈话是否要求每名支委与每名党员都谈（默认否）'),
    MINUTES_PER_STUDY_HOUR: rule(45, 'DOMAIN.md §3.4', 'UNVERIFIED', '1学时折合分钟数'),
    STUDY_HOURS_PER_TRAINING_DAY: rule(8, 'DOMAIN.md §3.4', 'SECONDARY', '脱产培训1天折合学时'),
    STUDY_HOURS_TARGET: rule({ member: 32, leader: 56 }, 'DOMAIN.md §3.3', 'SECONDARY', '年度学习培训学时：党员不少于32学时，基层党组织书记和班子成员不少于56学时'),
    /** Project convention: meetings whose attended duration counts as study (not 支委会 or 工作会议). */
    STUDY_KINDS: rule(
      ['memberAssembly', 'groupMeeting', 'partyLecture', 'themedPartyDay', 'orgLifeMeeting', 'memberReview', 'studySession', 'seminar'] as MeetingKind[],
      'DOMAIN.md §3.4', 'LOCAL', '按出席时长计入学时的会议类型',
    ),
    REVIEW_GRADES: rule(['优秀', '合格', '基本合格', '不合格'], 'DOMAIN.md §3.3', 'LOCAL', '民主评议党员等次'),
  },
} as const satisfies RuleSet;

export const ORG_LIFE_RULE_SETS: readonly RuleSet[] = [ORG_LIFE_2018];
const C = ORG_LIFE_2018.constants;

// ─── Settings values the pure functions need ────────────────────────────────

export interface OrgLifeSettings {
  partyLecture: PartyLectureFrequency;
  /** N of a `perYear` 党课 frequency. */
  partyLecturesPerYear: number;
  lateEntryCounts: boolean;
  exactlyHalfIsQuorum: boolean;
  /** 'MM-DD' of year Y+1 on which the yearly obligation of year Y is due. */
  yearlyDueMonthDay: string;
  dueSoonDays: number;
  heartTalkEveryPair: boolean;
  minutesPerStudyHour: number;
  studyTargetMember: number;
  studyTargetLeader: number;
}

export const DEFAULT_ORG_LIFE_SETTINGS: OrgLifeSettings = {
  partyLecture: C.PARTY_LECTURE_DEFAULT.value,
  partyLecturesPerYear: C.PARTY_LECTURES_PER_YEAR_DEFAULT.value,
  lateEntryCounts: C.LATE_ENTRY_COUNTS_DEFAULT.value,
  exactlyHalfIsQuorum: C.MAJORITY_EXACTLY_HALF_DEFAULT.value,
  yearlyDueMonthDay: C.YEARLY_DUE_MONTH_DAY.value,
  dueSoonDays: 7,
  heartTalkEveryPair: C.HEART_TALK_EVERY_PAIR_DEFAULT.value,
  minutesPerStudyHour: C.MINUTES_PER_STUDY_HOUR.value,
  studyTargetMember: C.STUDY_HOURS_TARGET.value.member,
  studyTargetLeader: C.STUDY_HOURS_TARGET.value.leader,
};

// ─── Frequencies ────────────────────────────────────────────────────────────

/** What an org of this kind owes, by meeting kind (DOMAIN.md §3.4). Committees above branch level owe none. */
export function requiredFrequencies(kind: OrgKind | string, s: Pick<OrgLifeSettings, 'partyLecture'>): Partial<Record<MeetingKind, Frequency>> {
  switch (kind) {
    case 'branch':
    case 'jointBranch': {
      const out: Partial<Record<MeetingKind, Frequency>> = { ...C.BRANCH_FREQUENCY.value };
      if (s.partyLecture !== 'none') out.partyLecture = s.partyLecture;
      return out;
    }
    case 'partyGroup':
      return { ...C.PARTY_GROUP_FREQUENCY.value };
    case 'temporaryBranch':
      return { ...C.TEMPORARY_BRANCH_FREQUENCY.value };
    default:
      return {};
  }
}

// ─── Periods ────────────────────────────────────────────────────────────────

export interface Period {
  /** '2026-09', '2026-Q3', '2026-H2', '2026' */
  key: string;
  start: IsoDate;
  end: IsoDate;
}

export function periodOf(freq: Frequency, date: IsoDate): Period {
  const { y, m } = parseIso(date);
  switch (freq) {
    case 'monthly':
      return { key: date.slice(0, 7), start: formatIso(y, m, 1), end: monthEnd(date) };
    case 'quarterly':
      return { key: `${y}-Q${quarterOf(date)}`, start: quarterStart(date), end: quarterEnd(date) };
    case 'twiceYearly':
      return m <= 6
        ? { key: `${y}-H1`, start: formatIso(y, 1, 1), end: formatIso(y, 6, 30) }
        : { key: `${y}-H2`, start: formatIso(y, 7, 1), end: formatIso(y, 12, 31) };
    case 'yearly':
    case 'perYear':
      return { key: String(y), start: formatIso(y, 1, 1), end: formatIso(y, 12, 31) };
  }
}

/**
 * Every period of `freq` overlapping [from, to], in order. Memoized: the compliance engine asks the same
 * question for thousands of orgs (the result is frozen, so sharing it is safe).
 */
const periodMemo = new Map<string, readonly Period[]>();
export function periodsBetween(freq: Frequency, from: IsoDate, to: IsoDate): readonly Period[] {
  const key = `${freq}|${from}|${to}`;
  const hit = periodMemo.get(key);
  if (hit) return hit;
  const out: Period[] = [];
  for (let p = periodOf(freq, from); compareDates(p.start, to) <= 0; p = periodOf(freq, addDays(p.end, 1))) out.push(Object.freeze(p));
  if (periodMemo.size > 1000) periodMemo.clear();
  periodMemo.set(key, Object.freeze(out));
  return out;
}

/** The due date of a period's obligation and the first day it is "due soon" (ARCHITECTURE.md "Findings"). */
const dueMemo = new Map<string, { dueOn: IsoDate; dueSoonFrom: IsoDate }>();
export function dueDates(freq: Frequency, p: Period, s: Pick<OrgLifeSettings, 'yearlyDueMonthDay' | 'dueSoonDays'>): { dueOn: IsoDate; dueSoonFrom: IsoDate } {
  const key = `${freq}|${p.key}|${s.yearlyDueMonthDay}|${s.dueSoonDays}`;
  let hit = dueMemo.get(key);
  if (!hit) {
    if (dueMemo.size > 5000) dueMemo.clear();
    dueMemo.set(key, (hit = computeDueDates(freq, p, s)));
  }
  return hit;
}

function computeDueDates(freq: Frequency, p: Period, s: Pick<OrgLifeSettings, 'yearlyDueMonthDay' | 'dueSoonDays'>): { dueOn: IsoDate; dueSoonFrom: IsoDate } {
  if (freq === 'yearly') {
    const y = Number(p.key);
    const [mm, dd] = s.yearlyDueMonthDay.split('-').map(Number);
    const dueOn = formatIso(y + 1, mm, Math.min(dd, lastDayOfMonth(y + 1, mm)));
    const [sm, sd] = C.YEARLY_DUE_SOON_FROM.value.split('-').map(Number);
    return { dueOn, dueSoonFrom: formatIso(y, sm, sd) };
  }
  return { dueOn: p.end, dueSoonFrom: addDays(p.end, -s.dueSoonDays) };
}

// ─── Facts ──────────────────────────────────────────────────────────────────

export interface PostInterval {
  validFrom: IsoDate;
  /** Exclusive, like membership periods; null = still held. */
  validTo: IsoDate | null;
}

export const heldOn = (t: PostInterval, d: IsoDate) => t.validFrom <= d && (t.validTo === null || t.validTo > d);

/** A branch "has a committee" on a date when at least 3 committee posts are held (DOMAIN.md §3.4). */
export function hasCommitteeOn(committeePosts: readonly PostInterval[], d: IsoDate): boolean {
  return committeePosts.filter((t) => heldOn(t, d)).length >= C.COMMITTEE_MIN_POSTS.value;
}

export interface OrgFacts {
  orgId: number;
  kind: OrgKind | string;
  /** null = existed before any period we look at. */
  establishedOn: IsoDate | null;
  dissolvedOn: IsoDate | null;
  committeePosts: readonly PostInterval[];
}

export interface MeetingFacts {
  id: number;
  kind: string;
  alsoCountsAs: readonly string[];
  heldOn: IsoDate;
  forYear: number | null;
  countsAsHeld: boolean;
  lateEntry: boolean;
}

export interface Obligation {
  orgId: number;
  kind: MeetingKind;
  frequency: Frequency;
  /** Meetings the period needs: 1, or N for a `perYear` frequency. */
  times: number;
  period: Period;
  dueOn: IsoDate;
  dueSoonFrom: IsoDate;
}

export type ObligationStatus = 'done' | 'dueSoon' | 'overdue' | 'notYetDue';
export const OBLIGATION_STATUS_LABELS: Record<ObligationStatus, string> = { done: '已完成', dueSoon: '即将到期', overdue: '已逾期', notYetDue: '未到期' };

export interface ObligationResult extends Obligation {
  status: ObligationStatus;
  /** Ids of the meetings that satisfy it (main kind or "also counts as"). */
  satisfiedBy: number[];
}

/**
 * The obligations of an org for every period overlapping [from, to] (DOMAIN.md §3.4): owed only if the
 * org existed on the period's first day and was not dissolved by its last; a committee meeting only for
 * months in which the org has a committee on the month's first day.
 */
export function obligationsFor(org: OrgFacts, from: IsoDate, to: IsoDate, s: OrgLifeSettings, yearlyFrom: IsoDate = from): Obligation[] {
  parseIso(from);
  parseIso(to);
  const out: Obligation[] = [];
  const freqs = requiredFrequencies(org.kind, s);
  for (const [kind, freq] of Object.entries(freqs) as [MeetingKind, Frequency][]) {
    for (const p of periodsBetween(freq, freq === 'yearly' ? yearlyFrom : from, to)) {
      if (org.establishedOn && org.establishedOn > p.start) continue;
      if (org.dissolvedOn && org.dissolvedOn <= p.end) continue;
      if (kind === 'committeeMeeting' && !hasCommitteeOn(org.committeePosts, p.start)) continue;
      out.push({ orgId: org.orgId, kind, frequency: freq, times: timesFor(kind, freq, s), period: p, ...dueDates(freq, p, s) });
    }
  }
  return out;
}

/** How many meetings of `kind` one period of `freq` needs: N for `perYear` (only 党课 has a setting), else 1. */
export function timesFor(kind: MeetingKind, freq: Frequency, s: Pick<OrgLifeSettings, 'partyLecturesPerYear'>): number {
  if (freq !== 'perYear') return 1;
  return kind === 'partyLecture' ? Math.max(1, s.partyLecturesPerYear) : 1;
}

/** The `forYear` a yearly meeting counts for: as recorded, else the year it was held. */
export const forYearOf = (m: Pick<MeetingFacts, 'forYear' | 'heldOn'>) => m.forYear ?? parseIso(m.heldOn).y;

/** Whether a meeting counts toward an obligation of `kind` for `period`. */
export function satisfies(m: MeetingFacts, ob: Pick<Obligation, 'kind' | 'frequency' | 'period'>, s: Pick<OrgLifeSettings, 'lateEntryCounts'>): boolean {
  if (m.kind !== ob.kind && !m.alsoCountsAs.includes(ob.kind)) return false;
  if (!m.countsAsHeld) return false;
  if (m.lateEntry && !s.lateEntryCounts) return false;
  if (ob.frequency === 'yearly' && YEARLY_KINDS.includes(ob.kind)) return String(forYearOf(m)) === ob.period.key;
  // valid ISO dates order as strings (compareDates would re-parse both on this hot path)
  return ob.period.start <= m.heldOn && m.heldOn <= ob.period.end;
}

export function statusOf(ob: Omit<Obligation, 'times'> & { times?: number }, meetings: readonly MeetingFacts[], today: IsoDate, s: OrgLifeSettings): ObligationResult {
  parseIso(today);
  const satisfiedBy: number[] = [];
  for (const m of meetings) if (satisfies(m, ob, s)) satisfiedBy.push(m.id);
  let status: ObligationStatus;
  if (satisfiedBy.length >= (ob.times ?? 1)) status = 'done';
  else if (today > ob.dueOn) status = 'overdue';
  else if (today >= ob.dueSoonFrom) status = 'dueSoon';
  else status = 'notYetDue';
  return { ...ob, times: ob.times ?? 1, status, satisfiedBy };
}

/** Obligations of an org over [from, to] with their status as of `today`. */
export function complianceFor(org: OrgFacts, meetings: readonly MeetingFacts[], from: IsoDate, to: IsoDate, today: IsoDate, s: OrgLifeSettings): ObligationResult[] {
  // each obligation only looks at meetings that can count for its kind
  return judge(obligationsFor(org, from, to, s), meetings, today, s);
}

function judge(obs: Obligation[], meetings: readonly MeetingFacts[], today: IsoDate, s: OrgLifeSettings): ObligationResult[] {
  const byKind = new Map<string, MeetingFacts[]>();
  for (const m of meetings) {
    for (const k of [m.kind, ...m.alsoCountsAs]) {
      const list = byKind.get(k);
      if (list) list.push(m);
      else byKind.set(k, [m]);
    }
  }
  return obs.map((ob) => statusOf(ob, byKind.get(ob.kind) ?? [], today, s));
}

/**
 * Obligations whose DUE DATE falls in [from, to] (figures, the month matrix), with their status: a
 * yearly obligation of year Y is due in Y+1, so its periods are looked for a year earlier.
 */
export function complianceDueBetween(org: OrgFacts, meetings: readonly MeetingFacts[], from: IsoDate, to: IsoDate, today: IsoDate, s: OrgLifeSettings): ObligationResult[] {
  const obs = obligationsFor(org, from, to, s, addMonths(from, -12)).filter((o) => o.dueOn >= from && o.dueOn <= to);
  return judge(obs, meetings, today, s);
}

/** Chinese name of a period: 2026年9月, 2026年第三季度, 2026年下半年, 2026年度. */
export function periodLabel(p: Pick<Period, 'key'>): string {
  const k = p.key;
  let m = /^(\d{4})-(\d{2})$/.exec(k);
  if (m) return `${m[1]}年${Number(m[2])}月`;
  m = /^(\d{4})-Q([1-4])$/.exec(k);
  if (m) return `${m[1]}年第${'一二三四'[Number(m[2]) - 1]}季度`;
  m = /^(\d{4})-H([12])$/.exec(k);
  if (m) return `${m[1]}年${m[2] === '1' ? '上' : '下'}半年`;
  return `${k}年度`;
}

/** Whether a meeting entered on `enteredOn` for `heldOn` is a late entry (补录, DOMAIN.md §3.4). */
export function isLateEntry(heldOn: IsoDate, enteredOn: IsoDate): boolean {
  return compareDates(enteredOn, addDays(heldOn, C.LATE_ENTRY_DAYS.value)) > 0;
}

/**
 * Which forYear values a yearly meeting held on `heldOn` may carry: its own year, or the previous one
 * when held January–March (DOMAIN.md §3.4).
 */
export function allowedForYears(heldOn: IsoDate): number[] {
  const { y, m } = parseIso(heldOn);
  return m <= C.YEARLY_FOR_PREVIOUS_UNTIL_MONTH.value ? [y, y - 1] : [y];
}
