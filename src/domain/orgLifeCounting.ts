/**
 * Counting rules of organizational life (DOMAIN.md §3.3–§3.4): quorum of a member assembly and the
 * committee-meeting majority (through the one vote function, domain/votes.ts), attendance rates,
 * absence runs, heart-talk coverage and study hours. Pure functions over plain data.
 */
import { addMonths, type IsoDate } from './dates.js';
import { ORG_LIFE_2018, type AttendanceStatus } from './orgLifeRules.js';
import { hasQuorum } from './votes.js';

const C = ORG_LIFE_2018.constants;

// ─── Quorum and majority ────────────────────────────────────────────────────

export interface QuorumResult {
  /** Voting members (assembly) or committee members (committee meeting) who should attend. */
  should: number;
  present: number;
  /** Fewest present that make a quorum under the setting. */
  presentNeeded: number;
  exactlyHalfIsQuorum: boolean;
  met: boolean;
  /** Chinese explanation; for an unmet quorum, the reason the record is not valid. */
  reason: string;
}

function quorum(should: number, present: number, exactlyHalfIsQuorum: boolean, who: string, consequence: string): QuorumResult {
  const presentNeeded = exactlyHalfIsQuorum ? Math.ceil(should / 2) : Math.floor(should / 2) + 1;
  const met = hasQuorum(should, present, exactlyHalfIsQuorum);
  const rule = exactlyHalfIsQuorum ? '未达到半数' : '未超过半数';
  const reason = should === 0
    ? `没有应到会的${who}，${consequence}`
    : met
      ? `应到会${who}${should}人，实到${present}人，达到法定人数`
      : `应到会${who}${should}人，实到${present}人，${rule}（至少需${presentNeeded}人），${consequence}`;
  return { should, present, presentNeeded: should === 0 ? 1 : presentNeeded, exactlyHalfIsQuorum, met: should > 0 && met, reason };
}

/**
 * 党员大会 quorum (DOMAIN.md §3.3, 第十一条): voting members — full members whose formal relation is
 * with the org on that date; probationary members have no vote — present must be more than half (or
 * at least half under the setting). Below quorum the meeting still counts as held, but its votes and
 * decisions are invalid (§3.4).
 */
export function assemblyQuorum(votingShould: number, votingPresent: number, exactlyHalfIsQuorum = false): QuorumResult {
  return quorum(votingShould, votingPresent, exactlyHalfIsQuorum, '有表决权的党员', '不足法定人数，会议表决和决定无效');
}

/**
 * 支委会 (DOMAIN.md §3.3 第十二条, §3.4): more than half of the committee must be present, else the
 * meeting is recorded but does not count as held. The same exactly-half setting applies.
 */
export function committeeMajority(committeeShould: number, committeePresent: number, exactlyHalfIsQuorum = false): QuorumResult {
  return quorum(committeeShould, committeePresent, exactlyHalfIsQuorum, '支委会委员', '支委会不能进行，不计入已召开的支委会');
}

// ─── Attendance ─────────────────────────────────────────────────────────────

export interface AttendanceEntry {
  status: AttendanceStatus;
  /** Suspended members (停止党籍) never count (DOMAIN.md §3.4). */
  suspended?: boolean;
}

export interface Rate {
  numerator: number;
  denominator: number;
  /** Percent 0–100 with one decimal; null without a denominator. */
  percent: number | null;
}

export const percentOf = (numerator: number, denominator: number): number | null =>
  denominator === 0 ? null : Math.round((numerator * 1000) / denominator) / 10;

/** Present ÷ should attend; members on leave stay in the denominator; suspended members never count. */
export function attendanceRate(entries: readonly AttendanceEntry[]): Rate {
  const counted = entries.filter((e) => !e.suspended);
  const present = counted.filter((e) => e.status === 'present').length;
  return { numerator: present, denominator: counted.length, percent: percentOf(present, counted.length) };
}

// ─── Absence runs ───────────────────────────────────────────────────────────

/** A member's record at one meeting they were expected at (of an expected kind, counted as held). */
export interface ExpectedAttendance {
  heldOn: IsoDate;
  status: AttendanceStatus;
}

export type MonthClass = 'attended' | 'absent' | 'leave' | 'none';

/**
 * DOMAIN.md §3.4: a month is an absence month when meetings the member was expected at were held and
 * the member attended none of them and was not on approved leave. A month with leave, or with no such
 * meeting, is not an absence month (and ends a run).
 */
export function classifyMonth(records: readonly ExpectedAttendance[]): MonthClass {
  if (records.length === 0) return 'none';
  if (records.some((r) => r.status === 'present')) return 'attended';
  if (records.some((r) => r.status === 'onLeave')) return 'leave';
  return 'absent';
}

/** 'YYYY-MM' keys from `fromMonth` to `toMonth` inclusive. */
export function monthsBetween(fromMonth: string, toMonth: string): string[] {
  const out: string[] = [];
  for (let d = `${fromMonth}-01`; d.slice(0, 7) <= toMonth; d = addMonths(d, 1)) out.push(d.slice(0, 7));
  return out;
}

export interface AbsenceRun {
  /** First and last absence month ('YYYY-MM') of the run. */
  fromMonth: string;
  toMonth: string;
  months: number;
}

/**
 * The run of consecutive absence months ending at `lastMonth` (the last complete month), or null when
 * `lastMonth` is not an absence month. Months before `firstMonth` are not looked at.
 */
export function currentAbsenceRun(records: readonly ExpectedAttendance[], firstMonth: string, lastMonth: string): AbsenceRun | null {
  const byMonth = new Map<string, ExpectedAttendance[]>();
  for (const r of records) {
    const k = r.heldOn.slice(0, 7);
    byMonth.set(k, [...(byMonth.get(k) ?? []), r]);
  }
  const months = monthsBetween(firstMonth, lastMonth);
  let n = 0;
  for (let i = months.length - 1; i >= 0; i -= 1) {
    if (classifyMonth(byMonth.get(months[i]) ?? []) !== 'absent') break;
    n += 1;
  }
  if (n === 0) return null;
  return { fromMonth: months[months.length - n], toMonth: lastMonth, months: n };
}

export type AbsenceSeverity = 'finding' | 'case' | null;

/** 3 consecutive absence months raise a finding, 6 a case for the branch to decide (never automatic). */
export function absenceSeverity(months: number): AbsenceSeverity {
  if (months >= C.ABSENCE_CASE_MONTHS.value) return 'case';
  if (months >= C.ABSENCE_FINDING_MONTHS.value) return 'finding';
  return null;
}

// ─── Heart-talk coverage ────────────────────────────────────────────────────

export interface TalkPair {
  a: number;
  b: number;
}

export interface CoverageItem {
  /** A required pair (a, b), or a member `a` who must talk with at least one committee member (b null). */
  a: number;
  b: number | null;
  covered: boolean;
}

export interface Coverage {
  required: number;
  covered: number;
  percent: number | null;
  /** Every required item, covered or not (the evidence of a coverage figure). */
  items: CoverageItem[];
  /** Pairs (committee–committee, or committee–member under the every-pair setting) with no talk. */
  missingPairs: TalkPair[];
  /** Members (not on the committee) who talked with no committee member. */
  missingMembers: number[];
}

const pairKey = (a: number, b: number) => (a < b ? `${a}:${b}` : `${b}:${a}`);

/**
 * DOMAIN.md §3.4: each pair of committee members, and each member with at least one committee member,
 * once a year; under the setting "every committee member with every member", each such pair.
 */
export function heartTalkCoverage(committee: readonly number[], members: readonly number[], talks: readonly TalkPair[], everyPair = false): Coverage {
  const done = new Set(talks.map((t) => pairKey(t.a, t.b)));
  const cset = new Set(committee);
  const others = [...new Set(members)].filter((m) => !cset.has(m));
  const comm = [...cset];
  const items: CoverageItem[] = [];
  for (let i = 0; i < comm.length; i += 1) {
    for (let j = i + 1; j < comm.length; j += 1) items.push({ a: comm[i], b: comm[j], covered: done.has(pairKey(comm[i], comm[j])) });
  }
  for (const m of others) {
    if (everyPair) for (const c of comm) items.push({ a: c, b: m, covered: done.has(pairKey(c, m)) });
    else if (comm.length > 0) items.push({ a: m, b: null, covered: comm.some((c) => done.has(pairKey(c, m))) });
  }
  const covered = items.filter((x) => x.covered).length;
  return {
    required: items.length, covered, percent: percentOf(covered, items.length), items,
    missingPairs: items.filter((x) => !x.covered && x.b !== null).map((x) => ({ a: x.a, b: x.b! })),
    missingMembers: items.filter((x) => !x.covered && x.b === null).map((x) => x.a),
  };
}

// ─── Study hours ────────────────────────────────────────────────────────────

/** Minutes between 'HH:MM' times on one day; null when either is missing or the end is not later. */
export function durationMinutes(start: string | null | undefined, end: string | null | undefined): number | null {
  const m = (t: string) => /^(\d{2}):(\d{2})$/.exec(t);
  const a = start ? m(start) : null;
  const b = end ? m(end) : null;
  if (!a || !b) return null;
  const d = Number(b[1]) * 60 + Number(b[2]) - (Number(a[1]) * 60 + Number(a[2]));
  return d > 0 ? d : null;
}

/** 学时 from minutes (1 学时 = 45 minutes by default, a setting), two decimals. */
export function studyHoursOf(minutes: number, minutesPerStudyHour: number = C.MINUTES_PER_STUDY_HOUR.value): number {
  return Math.round((minutes / minutesPerStudyHour) * 100) / 100;
}

/** Minutes recorded for `days` full training days (1 day = 8 学时). */
export function trainingDayMinutes(days: number, minutesPerStudyHour: number = C.MINUTES_PER_STUDY_HOUR.value): number {
  return Math.round(days * C.STUDY_HOURS_PER_TRAINING_DAY.value * minutesPerStudyHour);
}

/** The yearly target: 56 for secretaries and committee members, 32 for other members (settings). */
export function studyTarget(isLeader: boolean, s: { studyTargetMember: number; studyTargetLeader: number }): number {
  return isLeader ? s.studyTargetLeader : s.studyTargetMember;
}
