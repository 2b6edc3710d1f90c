/**
 * The pure check of a development timeline (DOMAIN.md §2.1–§2.5): given a record's dated step entries
 * and the rule set it keeps, say which rules a step breaks. A `refusal` means the step may not be
 * recorded (a minimum period not met, a step skipped, two introducers missing); a `flag` means the step
 * is recorded but late (a deadline passed); `confirm` means 待人工确认 (a 29 February birthday, a
 * calendar year without data), never a violation. Every issue carries the rule id and its Chinese text.
 *
 * Periods follow DOMAIN.md §2.1a (dates.ts periodEnd / minPeriodMet); 公示 counts working days with the
 * working-day calendar (calendar.ts), both ends included, and the step it precedes is dated after it.
 */
import { publicNoticeEnd, workingDaysInclusive, type CalendarData, type NoticeUnit } from './calendar.js';
import { addDays, compareDates, daysBetween, completedYears, isAmbiguousLeapBirthday, minPeriodMet, periodEnd, type IsoDate } from './dates.js';
import { DEVELOPMENT_STEPS, stepOf, stepTitle } from './developmentSteps.js';
import type { DevelopmentRuleKey, DevelopmentRuleSet } from './ruleSets.js';

export type IssueKind = 'refusal' | 'flag' | 'confirm';

export interface DevelopmentIssue {
  /** `<rule set id>.<constant>`, e.g. development-2014.ACTIVIST_MIN_MONTHS */
  ruleId: string;
  rule: DevelopmentRuleKey;
  kind: IssueKind;
  step: number;
  /** Chinese: what is wrong, then the rule's text and source. */
  message: string;
  source: string;
}

/** A contact person or introducer, with the module's verdict on whether they qualify. */
export interface StepPerson {
  personId: number;
  name: string;
  /** Full member in good standing (正式党员, 状态正常, not under 留党察看). */
  eligible: boolean;
}

export interface StepEntry {
  step: number;
  date: IsoDate;
  decision?: 'approved' | 'rejected' | null;
  contactPersons?: readonly StepPerson[];
  introducers?: readonly StepPerson[];
  trainingDays?: number | null;
  trainingHours?: number | null;
  /** 公示 before the step, first and last day (both counted). */
  publicity?: { first: IsoDate; last: IsoDate } | null;
  /** Approval steps: the date the branch's resolution reached the committee (default: the assembly date). */
  reachedCommitteeOn?: IsoDate | null;
  /** A recorded special reason (approval after 3 months; admission though leaving the unit). */
  specialReason?: string | null;
  /** 预审 (step 13): the date the person will leave the unit, when known. */
  leavesUnitOn?: IsoDate | null;
  /** Assembly steps (15, 23): the meeting's date and the result of the vote on this person. */
  vote?: { heldOn: IsoDate; passed: boolean | null } | null;
}

/** LOCAL items (settings with defaults, modules/development/settings.ts). */
export interface LocalDevelopmentRules {
  minMonthsToActivist: number;
  /** Under development-2014 公示 before 发展对象 is LOCAL (off by default); 2026 requires it. */
  publicityBeforeCandidate: boolean;
  publicityLength: number;
  publicityUnit: NoticeUnit;
}

export interface DevelopmentCheckContext {
  rules: DevelopmentRuleSet;
  birthDate: IsoDate;
  calendar: CalendarData;
  local: LocalDevelopmentRules;
}

export const DEFAULT_LOCAL_DEVELOPMENT: LocalDevelopmentRules = { minMonthsToActivist: 0, publicityBeforeCandidate: false, publicityLength: 5, publicityUnit: 'workingDays' };

const UNIT_LABEL: Record<NoticeUnit, string> = { workingDays: '个工作日', calendarDays: '天' };

function issue(ctx: DevelopmentCheckContext, rule: DevelopmentRuleKey, kind: IssueKind, step: number, what: string): DevelopmentIssue {
  const c = ctx.rules.constants[rule];
  return { ruleId: `${ctx.rules.id}.${rule}`, rule, kind, step, message: `${what}（${c.label}；${c.source}）`, source: c.source };
}

/** The latest entry of each step (repeatable steps: all entries are kept in `all`). */
function index(entries: readonly StepEntry[]) {
  const last = new Map<number, StepEntry>();
  for (const e of entries) {
    const cur = last.get(e.step);
    if (!cur || compareDates(e.date, cur.date) >= 0) last.set(e.step, e);
  }
  return last;
}

const required = (no: number) => !stepOf(no).repeatable;

/** The first step not yet recorded (repeatable steps do not block), or null when all 25 are. */
export function nextStep(entries: readonly StepEntry[]): number | null {
  const done = new Set(entries.map((e) => e.step));
  return DEVELOPMENT_STEPS.find((s) => required(s.no) && !done.has(s.no))?.no ?? null;
}

/** The end of the probation: one year from the admission assembly (step 15), DOMAIN.md §2.3. */
export function probationEnd(ctx: DevelopmentCheckContext, assemblyOn: IsoDate): IsoDate {
  return periodEnd(assemblyOn, { months: ctx.rules.constants.PROBATION_MONTHS.value });
}

function voteIssues(ctx: DevelopmentCheckContext, e: StepEntry): DevelopmentIssue[] {
  if (!e.vote) return [issue(ctx, 'ASSEMBLY_VOTE_PASSED', 'refusal', e.step, `${stepTitle(e.step)}须关联支部党员大会对本人的表决记录`)];
  if (e.vote.heldOn !== e.date) return [issue(ctx, 'ASSEMBLY_VOTE_PASSED', 'refusal', e.step, `所关联的党员大会召开日期（${e.vote.heldOn}）与本步骤日期不一致`)];
  if (e.vote.passed === null) return [issue(ctx, 'ASSEMBLY_VOTE_PASSED', 'refusal', e.step, '所关联的党员大会未达到法定人数，表决无效')];
  if (!e.vote.passed) return [issue(ctx, 'ASSEMBLY_VOTE_PASSED', 'refusal', e.step, '支部大会表决未通过')];
  return [];
}

function peopleIssues(ctx: DevelopmentCheckContext, e: StepEntry, rule: 'CONTACT_PERSONS' | 'INTRODUCERS', list: readonly StepPerson[] | undefined, min: number, max: number, what: string): DevelopmentIssue[] {
  const people = list ?? [];
  const out: DevelopmentIssue[] = [];
  const distinct = new Set(people.map((p) => p.personId)).size;
  if (distinct < min || distinct > max || distinct !== people.length) {
    out.push(issue(ctx, rule, 'refusal', e.step, `${what}应为${min === max ? `${min}` : `${min}至${max}`}名，现为${distinct}名`));
  }
  for (const p of people) if (!p.eligible) out.push(issue(ctx, rule, 'refusal', e.step, `${p.name}不是正常状态的正式党员，不能作${what}`));
  return out;
}

/** The 6-month intervals from the activist date up to `until` that hold no review (§2.5). */
export function missingReviewIntervals(ctx: DevelopmentCheckContext, activistOn: IsoDate, reviews: readonly IsoDate[], until: IsoDate): { from: IsoDate; to: IsoDate }[] {
  const months = ctx.rules.constants.ACTIVIST_REVIEW_MONTHS.value;
  const out: { from: IsoDate; to: IsoDate }[] = [];
  for (let k = 0; ; k += 1) {
    const start = periodEnd(activistOn, { months: months * k });
    const end = periodEnd(activistOn, { months: months * (k + 1) });
    if (compareDates(end, until) > 0) break;
    if (!reviews.some((r) => compareDates(r, start) > 0 && compareDates(r, end) <= 0)) out.push({ from: addDays(start, 1), to: end });
  }
  return out;
}

function publicityIssues(ctx: DevelopmentCheckContext, e: StepEntry): DevelopmentIssue[] {
  const c = ctx.rules.constants;
  if (!(c.PUBLICITY_BEFORE_CANDIDATE.value || ctx.local.publicityBeforeCandidate)) return [];
  const p = e.publicity;
  if (!p) return [issue(ctx, 'PUBLICITY_BEFORE_CANDIDATE', 'refusal', 7, '确定发展对象前须先公示，尚无公示记录')];
  const length = ctx.local.publicityLength;
  const unit = ctx.local.publicityUnit;
  const out: DevelopmentIssue[] = [];
  const counted = unit === 'workingDays' ? workingDaysInclusive(p.first, p.last, ctx.calendar) : null;
  const days = counted ? counted.value : Math.max(0, daysBetween(p.first, p.last) + 1);
  if (days < length) out.push(issue(ctx, 'PUBLICITY_MIN', 'refusal', 7, `公示期${p.first}至${p.last}共${days}${UNIT_LABEL[unit]}，不足${length}${UNIT_LABEL[unit]}`));
  if (compareDates(e.date, p.last) <= 0) out.push(issue(ctx, 'PUBLICITY_MIN', 'refusal', 7, `公示期至${p.last}届满，发展对象应在公示期满后确定`));
  if (counted?.fallback) out.push(issue(ctx, 'PUBLICITY_MIN', 'confirm', 7, `${counted.missingYears.join('、')}年尚未录入节假日安排，工作日按周一至周五估算，待人工确认`));
  return out;
}

/**
 * The issues of recording `e` after the entries `prior` (the record as it stands). Pure and total: the
 * same call checks a step being recorded and, through checkTimeline, a whole stored record.
 */
export function checkStep(ctx: DevelopmentCheckContext, prior: readonly StepEntry[], e: StepEntry): DevelopmentIssue[] {
  const c = ctx.rules.constants;
  const step = stepOf(e.step);
  const last = index(prior);
  const d = (no: number) => last.get(no)?.date ?? null;
  const out: DevelopmentIssue[] = [];
  // order: every earlier required step recorded, none re-recorded, dates not going backwards
  if (!step.repeatable && last.has(e.step)) out.push(issue(ctx, 'STEP_ORDER', 'refusal', e.step, `${stepTitle(e.step)}已记录`));
  const missing = DEVELOPMENT_STEPS.find((s) => s.no < e.step && required(s.no) && !last.has(s.no));
  if (missing) out.push(issue(ctx, 'STEP_ORDER', 'refusal', e.step, `尚未完成${stepTitle(missing.no)}，不能跳过该步骤记录${stepTitle(e.step)}`));
  const before = prior.filter((p) => p.step < e.step && compareDates(p.date, e.date) > 0).sort((a, b) => compareDates(b.date, a.date))[0];
  if (before) out.push(issue(ctx, 'STEP_ORDER', 'refusal', e.step, `${stepTitle(e.step)}的日期不能早于${stepTitle(before.step)}的日期（${before.date}）`));
  if (out.length > 0) return out;

  switch (e.step) {
    case 1: {
      const age = completedYears(ctx.birthDate, e.date);
      if (isAmbiguousLeapBirthday(ctx.birthDate, e.date) && age === c.MIN_AGE.value) {
        out.push(issue(ctx, 'MIN_AGE', 'confirm', 1, '出生日期为2月29日，平年2月28日是否满十八周岁存在不同理解，待人工确认'));
      } else if (age < c.MIN_AGE.value) {
        out.push(issue(ctx, 'MIN_AGE', 'refusal', 1, `递交入党申请书时未满${c.MIN_AGE.value}周岁`));
      }
      break;
    }
    case 2: {
      const due = periodEnd(d(1)!, { months: c.TALK_DEADLINE_MONTHS.value });
      if (compareDates(e.date, due) > 0) out.push(issue(ctx, 'TALK_DEADLINE_MONTHS', 'flag', 2, `谈话应在${due}前进行，实际${e.date}，已超期`));
      break;
    }
    case 3: {
      const m = ctx.local.minMonthsToActivist;
      if (m > 0 && !minPeriodMet(d(1)!, e.date, { months: m })) {
        out.push(issue(ctx, 'MIN_MONTHS_TO_ACTIVIST', 'refusal', 3, `递交申请书满${m}个月（${periodEnd(d(1)!, { months: m })}）后方可确定为入党积极分子（本地设置）`));
      }
      break;
    }
    case 5:
      out.push(...peopleIssues(ctx, e, 'CONTACT_PERSONS', e.contactPersons, c.CONTACT_PERSONS.value.min, c.CONTACT_PERSONS.value.max, '培养联系人'));
      break;
    case 7: {
      const earliest = periodEnd(d(3)!, { months: c.ACTIVIST_MIN_MONTHS.value });
      if (!minPeriodMet(d(3)!, e.date, { months: c.ACTIVIST_MIN_MONTHS.value })) {
        out.push(issue(ctx, 'ACTIVIST_MIN_MONTHS', 'refusal', 7, `${d(3)}确定为入党积极分子，最早${earliest}方可列为发展对象`));
      }
      const reviews = prior.filter((p) => p.step === 6).map((p) => p.date);
      for (const gap of missingReviewIntervals(ctx, d(3)!, reviews, e.date)) {
        out.push(issue(ctx, 'ACTIVIST_REVIEW_MONTHS', 'flag', 7, `${gap.from}至${gap.to}期间没有考察记录`));
      }
      out.push(...publicityIssues(ctx, e));
      break;
    }
    case 9:
      out.push(...peopleIssues(ctx, e, 'INTRODUCERS', e.introducers, c.INTRODUCERS.value, c.INTRODUCERS.value, '入党介绍人'));
      break;
    case 11: {
      const t = c.TRAINING_MIN.value;
      if ((e.trainingDays ?? 0) < t.days && (e.trainingHours ?? 0) < t.hours) {
        out.push(issue(ctx, 'TRAINING_MIN', 'refusal', 11, `集中培训${e.trainingDays ?? 0}天、${e.trainingHours ?? 0}学时，不足${t.days}天或${t.hours}学时`));
      }
      break;
    }
    case 13: {
      const limit = periodEnd(e.date, { months: c.LEAVE_WITHIN_MONTHS_NO_ADMIT.value });
      if (e.leavesUnitOn && compareDates(e.leavesUnitOn, limit) <= 0 && !e.specialReason) {
        out.push(issue(ctx, 'LEAVE_WITHIN_MONTHS_NO_ADMIT', 'flag', 13, `发展对象将于${e.leavesUnitOn}离开单位，未记录特殊理由`));
      }
      break;
    }
    case 15: {
      const m = c.ASSEMBLY_AFTER_PRETRIAL_MONTHS.value;
      if (m !== null && compareDates(e.date, periodEnd(d(13)!, { months: m })) > 0) {
        out.push(issue(ctx, 'ASSEMBLY_AFTER_PRETRIAL_MONTHS', 'flag', 15, `预审于${d(13)}通过，应在${periodEnd(d(13)!, { months: m })}前提交支部大会讨论`));
      }
      out.push(...voteIssues(ctx, e));
      break;
    }
    case 17:
    case 24: {
      const base = e.step === 17 ? 15 : 23;
      const reached = e.reachedCommitteeOn ?? last.get(base)?.reachedCommitteeOn ?? d(base)!;
      const months = e.step === 17 ? c.APPROVAL_MONTHS.value : c.CONFIRMATION_APPROVAL_MONTHS.value;
      const due = periodEnd(reached, { months });
      const max = periodEnd(reached, { months: c.APPROVAL_MAX_MONTHS.value });
      if (e.step === 17 && compareDates(e.date, max) > 0) out.push(issue(ctx, 'APPROVAL_MAX_MONTHS', 'flag', 17, `支部大会决议${reached}报达，审批日期${e.date}已超过${max}`));
      else if (compareDates(e.date, due) > 0 && !(e.step === 17 && e.specialReason)) {
        out.push(issue(ctx, e.step === 17 ? 'APPROVAL_MONTHS' : 'CONFIRMATION_APPROVAL_MONTHS', 'flag', e.step, `支部大会决议${reached}报达，应在${due}前审批，实际${e.date}`));
      }
      break;
    }
    case 20: {
      const m = c.OATH_WITHIN_MONTHS.value;
      if (m !== null && compareDates(e.date, periodEnd(d(17)!, { months: m })) > 0) {
        out.push(issue(ctx, 'OATH_WITHIN_MONTHS', 'flag', 20, `上级党委于${d(17)}批准，入党宣誓应在${periodEnd(d(17)!, { months: m })}前进行`));
      }
      break;
    }
    case 23: {
      const end = probationEnd(ctx, d(15)!);
      if (compareDates(e.date, end) < 0) out.push(issue(ctx, 'PROBATION_MONTHS', 'refusal', 23, `预备期至${end}届满，届满前不能讨论转正`));
      out.push(...voteIssues(ctx, e));
      break;
    }
    default:
      break;
  }
  if (e.step >= 11 && e.step <= 17 && last.get(10)?.decision === 'rejected') {
    out.push(issue(ctx, 'POLITICAL_REVIEW_REQUIRED', 'refusal', e.step, '政治审查结论为不合格'));
  }
  return out;
}

/** Check a whole stored record, each entry against the entries before it (in step, then date, order). */
export function checkTimeline(ctx: DevelopmentCheckContext, entries: readonly StepEntry[]): DevelopmentIssue[] {
  const sorted = [...entries].sort((a, b) => a.step - b.step || compareDates(a.date, b.date));
  return sorted.flatMap((e, i) => checkStep(ctx, sorted.slice(0, i), e));
}

export interface OpenDeadline {
  rule: DevelopmentRuleKey;
  ruleId: string;
  /** The step that is due. */
  step: number;
  dueOn: IsoDate;
  /** Chinese description of what is due. */
  what: string;
  /** Whether the committee (the approver), not the branch, must act. */
  byCommittee: boolean;
}

/** The deadlines the record has open now (talk, activist review, approval, oath, probation end, 转正 approval). */
export function openDeadlines(ctx: DevelopmentCheckContext, entries: readonly StepEntry[]): OpenDeadline[] {
  const c = ctx.rules.constants;
  const last = index(entries);
  const d = (no: number) => last.get(no)?.date ?? null;
  const out: OpenDeadline[] = [];
  const add = (rule: DevelopmentRuleKey, step: number, dueOn: IsoDate, what: string) =>
    out.push({ rule, ruleId: `${ctx.rules.id}.${rule}`, step, dueOn, what, byCommittee: !!stepOf(step).byCommittee });
  if (d(1) && !d(2)) add('TALK_DEADLINE_MONTHS', 2, periodEnd(d(1)!, { months: c.TALK_DEADLINE_MONTHS.value }), '收到入党申请书后一个月内派人谈话');
  if (d(3) && !d(7)) {
    const reviews = entries.filter((e) => e.step === 6).map((e) => e.date).sort(compareDates);
    const from = reviews.length > 0 && compareDates(reviews[reviews.length - 1], d(3)!) > 0 ? reviews[reviews.length - 1] : d(3)!;
    add('ACTIVIST_REVIEW_MONTHS', 6, periodEnd(from, { months: c.ACTIVIST_REVIEW_MONTHS.value }), '每半年对入党积极分子进行一次考察');
  }
  if (d(15) && !d(17)) {
    const reached = last.get(15)?.reachedCommitteeOn ?? d(15)!;
    add('APPROVAL_MONTHS', 17, periodEnd(reached, { months: c.APPROVAL_MONTHS.value }), '上级党委审批接收预备党员');
  }
  if (d(17) && !d(20) && c.OATH_WITHIN_MONTHS.value !== null) add('OATH_WITHIN_MONTHS', 20, periodEnd(d(17)!, { months: c.OATH_WITHIN_MONTHS.value }), '组织入党宣誓');
  if (d(17) && !d(23)) add('PROBATION_MONTHS', 23, probationEnd(ctx, d(15)!), '预备期届满，及时讨论转正');
  if (d(23) && !d(24)) {
    const reached = last.get(23)?.reachedCommitteeOn ?? d(23)!;
    add('CONFIRMATION_APPROVAL_MONTHS', 24, periodEnd(reached, { months: c.CONFIRMATION_APPROVAL_MONTHS.value }), '上级党委审批预备党员转正');
  }
  return out;
}

/** The earliest date the next step may carry under the minimum-period rules (for the step form). */
export function earliestDate(ctx: DevelopmentCheckContext, entries: readonly StepEntry[], step: number): IsoDate | null {
  const last = index(entries);
  const c = ctx.rules.constants;
  const d3 = last.get(3)?.date;
  if (step === 7 && d3) {
    const min = periodEnd(d3, { months: c.ACTIVIST_MIN_MONTHS.value });
    const pub = last.get(7)?.publicity?.last;
    return pub && compareDates(addDays(pub, 1), min) > 0 ? addDays(pub, 1) : min;
  }
  if (step === 23 && last.get(15)) return probationEnd(ctx, last.get(15)!.date);
  return null;
}

/** The last day of a 公示 of the configured length starting `first` (for the step form). */
export function publicityEnd(ctx: DevelopmentCheckContext, first: IsoDate): IsoDate {
  return publicNoticeEnd(first, ctx.local.publicityLength, ctx.local.publicityUnit, ctx.calendar).value;
}
