import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CALENDAR_2026, yearCalendarOf, type CalendarData } from './calendar.js';
import { addDays, addMonths, periodEnd, type IsoDate } from './dates.js';
import { checkStep, checkTimeline, DEFAULT_LOCAL_DEVELOPMENT, nextStep, openDeadlines, probationEnd, type DevelopmentCheckContext, type StepEntry } from './development.js';
import { DEVELOPMENT_STEPS, stageAfter } from './developmentSteps.js';
import { DEVELOPMENT_2014, DEVELOPMENT_2026, RULE_SETS, ruleSetInForce, type DevelopmentRuleSet } from './ruleSets.js';

/** 2026 as shipped; the other years entered without holidays, so no result falls back to Monday–Friday. */
const calendar: CalendarData = { 2026: yearCalendarOf(CALENDAR_2026) };
for (let y = 2014; y <= 2032; y += 1) if (y !== 2026) (calendar as Record<number, unknown>)[y] = { holidays: new Set(), workdays: new Set() };
const ctxOf = (rules: DevelopmentRuleSet, birthDate = '1995-06-15', local = DEFAULT_LOCAL_DEVELOPMENT): DevelopmentCheckContext => ({ rules, birthDate, calendar, local });
const ok = { personId: 1, name: '张三', eligible: true };
const ok2 = { personId: 2, name: '李四', eligible: true };

/** The step dates of a valid timeline; `gaps` (0…1) spread the free gaps inside their limits. */
function validTimeline(start: IsoDate, gap: (max: number) => number, with2026: boolean): StepEntry[] {
  const e: StepEntry[] = [];
  const at = (step: number, date: IsoDate, extra: Partial<StepEntry> = {}) => { e.push({ step, date, ...extra }); return date; };
  const s1 = at(1, start);
  const s2 = at(2, addDays(s1, gap(27)));
  const s3 = at(3, addDays(s2, gap(60)));
  const s4 = at(4, addDays(s3, gap(5)));
  at(5, addDays(s4, gap(5)), { contactPersons: gap(1) ? [ok] : [ok, ok2] });
  const s7 = addDays(periodEnd(s3, { months: 12 }), gap(60));
  for (let k = 1; addMonths(s3, 5 * k) < s7; k += 1) at(6, addMonths(s3, 5 * k));
  at(7, s7, { publicity: with2026 ? { first: addDays(s7, -21), last: addDays(s7, -1) } : null });
  let d = s7;
  for (const step of [8, 9, 10, 11, 12, 13]) d = at(step, addDays(d, gap(10)), { introducers: step === 9 ? [ok, ok2] : undefined, decision: step === 10 ? 'approved' : undefined, trainingDays: step === 11 ? 3 : undefined });
  d = at(14, addDays(d, gap(10)));
  const s15 = at(15, addDays(d, gap(5)), { vote: { heldOn: addDays(d, 0), passed: true } });
  e[e.length - 1].vote = { heldOn: s15, passed: true };
  d = at(16, addDays(s15, gap(20)));
  const s17 = at(17, addDays(d, gap(20)));
  d = at(18, addDays(s17, gap(10)));
  d = at(19, addDays(d, gap(10)));
  const s20 = at(20, addDays(d, gap(5)));
  for (const m of [2, 5, 8]) at(21, addMonths(s20, m));
  const end = periodEnd(s15, { months: 12 });
  at(22, addDays(end, -20));
  const s23 = at(23, addDays(end, gap(20)), {});
  e[e.length - 1].vote = { heldOn: s23, passed: true };
  const s24 = at(24, addDays(s23, gap(60)));
  at(25, addDays(s24, gap(30)));
  return e;
}

const mid = (max: number) => Math.floor(max / 2);

describe('steps and rule sets as data', () => {
  it('25 steps, numbered, each phase present, stages entered in order', () => {
    expect(DEVELOPMENT_STEPS.map((s) => s.no)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(DEVELOPMENT_STEPS.filter((s) => s.entersStage).map((s) => [s.no, s.entersStage])).toEqual([[1, 'applicant'], [3, 'activist'], [7, 'candidate'], [17, 'probationary'], [24, 'full']]);
    expect(stageAfter([1, 2, 3, 4])).toBe('activist');
    expect(stageAfter([])).toBeNull();
  });
  it('both development rule sets are registered, cite DOMAIN.md §2, and the 2026 one is in force from 2026-05-18', () => {
    expect(RULE_SETS).toContain(DEVELOPMENT_2014);
    expect(RULE_SETS).toContain(DEVELOPMENT_2026);
    expect(ruleSetInForce('development', '2026-05-17')?.id).toBe('development-2014');
    expect(ruleSetInForce('development', '2026-05-18')?.id).toBe('development-2026');
    for (const set of [DEVELOPMENT_2014, DEVELOPMENT_2026]) for (const c of Object.values(set.constants)) expect(c.source).toMatch(/DOMAIN\.md §2/);
    expect(DEVELOPMENT_2026.constants.OATH_WITHIN_MONTHS).toMatchObject({ value: 1, status: 'SECONDARY' });
    expect(DEVELOPMENT_2014.constants.OATH_WITHIN_MONTHS.value).toBeNull();
  });
});

describe('valid timelines', () => {
  it.each([[DEVELOPMENT_2014.id, DEVELOPMENT_2014], [DEVELOPMENT_2026.id, DEVELOPMENT_2026]] as const)('%s: a complete timeline has no issues and no open deadline', (_id, rules) => {
    const t = validTimeline('2022-03-10', mid, rules === DEVELOPMENT_2026);
    expect(checkTimeline(ctxOf(rules), t)).toEqual([]);
    expect(nextStep(t)).toBeNull();
    expect(openDeadlines(ctxOf(rules), t)).toEqual([]);
  });
});

/** The record up to (not including) `step`, from a valid timeline whose step 1 is `start`. */
const upTo = (step: number, start = '2022-03-10', v2026 = false) => validTimeline(start, mid, v2026).filter((e) => e.step < step);
const rulesOf = (issues: { ruleId: string; kind: string }[]) => issues.map((i) => `${i.kind}:${i.ruleId}`);

describe('time rules at the edges (both rule versions)', () => {
  const both = [[DEVELOPMENT_2014.id, DEVELOPMENT_2014], [DEVELOPMENT_2026.id, DEVELOPMENT_2026]] as const;
  it.each(both)('%s age: the 18th birthday complies, the day before is refused, 29 February needs confirmation', (_id, rules) => {
    expect(checkStep(ctxOf(rules, '2008-06-15'), [], { step: 1, date: '2026-06-15' })).toEqual([]);
    expect(rulesOf(checkStep(ctxOf(rules, '2008-06-15'), [], { step: 1, date: '2026-06-14' }))).toEqual([`refusal:${rules.id}.MIN_AGE`]);
    expect(rulesOf(checkStep(ctxOf(rules, '2008-02-29'), [], { step: 1, date: '2026-02-28' }))).toEqual([`confirm:${rules.id}.MIN_AGE`]);
    expect(rulesOf(checkStep(ctxOf(rules, '2008-02-29'), [], { step: 1, date: '2026-02-27' }))).toEqual([`refusal:${rules.id}.MIN_AGE`]);
    expect(checkStep(ctxOf(rules, '2008-02-29'), [], { step: 1, date: '2026-03-01' })).toEqual([]);
  });

  it.each(both)('%s talk within one month: from 31 January the month ends 28 February', (_id, rules) => {
    const prior = [{ step: 1, date: '2026-01-31' }];
    expect(checkStep(ctxOf(rules), prior, { step: 2, date: '2026-02-28' })).toEqual([]);
    const late = checkStep(ctxOf(rules), prior, { step: 2, date: '2026-03-01' });
    expect(rulesOf(late)).toEqual([`flag:${rules.id}.TALK_DEADLINE_MONTHS`]);
    expect(late[0].message).toContain('一个月内派人谈话');
  });

  it.each(both)('%s activist at least one year: exactly one year complies, one day short is refused', (_id, rules) => {
    const prior = upTo(7).map((e) => (e.step === 3 ? { ...e, date: '2023-03-01' } : e)).filter((e) => e.step !== 6);
    const fixed = prior.map((e) => (e.step < 3 ? { ...e, date: '2023-01-05' } : e.step > 3 ? { ...e, date: '2023-03-05' } : e));
    const reviews = [{ step: 6, date: '2023-08-01' }, { step: 6, date: '2024-02-01' }];
    const pub = rules === DEVELOPMENT_2026 ? { publicity: { first: '2024-02-01', last: '2024-02-20' } } : {};
    expect(checkStep(ctxOf(rules), [...fixed, ...reviews], { step: 7, date: '2024-03-01', ...pub })).toEqual([]);
    const short = checkStep(ctxOf(rules), [...fixed, ...reviews], { step: 7, date: '2024-02-29', ...pub });
    expect(rulesOf(short)).toEqual([`refusal:${rules.id}.ACTIVIST_MIN_MONTHS`]);
    expect(short[0].message).toContain('经过一年以上培养教育和考察');
  });

  it.each(both)('%s 29 February: an activist of 2024-02-29 may be a candidate from 2025-02-28', (_id, rules) => {
    const prior: StepEntry[] = [{ step: 1, date: '2024-01-02' }, { step: 2, date: '2024-01-10' }, { step: 3, date: '2024-02-29' }, { step: 4, date: '2024-03-01' },
      { step: 5, date: '2024-03-01', contactPersons: [ok] }, { step: 6, date: '2024-08-01' }, { step: 6, date: '2025-02-01' }];
    const pub = rules === DEVELOPMENT_2026 ? { publicity: { first: '2025-02-03', last: '2025-02-20' } } : {};
    expect(checkStep(ctxOf(rules), prior, { step: 7, date: '2025-02-28', ...pub })).toEqual([]);
    expect(rulesOf(checkStep(ctxOf(rules), prior, { step: 7, date: '2025-02-27', ...pub }))).toEqual([`refusal:${rules.id}.ACTIVIST_MIN_MONTHS`]);
  });

  it.each(both)('%s LOCAL minimum wait before 积极分子 (setting): exactly N months complies, one day short is refused, 0 is off', (_id, rules) => {
    const prior = [{ step: 1, date: '2025-08-31' }, { step: 2, date: '2025-09-10' }];
    const local = { ...DEFAULT_LOCAL_DEVELOPMENT, minMonthsToActivist: 6 };
    expect(checkStep(ctxOf(rules, '1995-06-15', local), prior, { step: 3, date: '2026-02-28' })).toEqual([]);
    expect(rulesOf(checkStep(ctxOf(rules, '1995-06-15', local), prior, { step: 3, date: '2026-02-27' }))).toEqual([`refusal:${rules.id}.MIN_MONTHS_TO_ACTIVIST`]);
    expect(checkStep(ctxOf(rules), prior, { step: 3, date: '2025-09-10' })).toEqual([]);
  });

  it.each(both)('%s 转正 approval within 3 months of the assembly', (_id, rules) => {
    const t = validTimeline('2022-03-10', mid, rules === DEVELOPMENT_2026);
    const s23 = t.find((e) => e.step === 23)!.date;
    const prior = t.filter((e) => e.step < 24);
    expect(checkStep(ctxOf(rules), prior, { step: 24, date: periodEnd(s23, { months: 3 }) })).toEqual([]);
    expect(rulesOf(checkStep(ctxOf(rules), prior, { step: 24, date: addDays(periodEnd(s23, { months: 3 }), 1) }))).toEqual([`flag:${rules.id}.CONFIRMATION_APPROVAL_MONTHS`]);
  });

  it.each(both)('%s activist reviews: a 6-month interval without a review is flagged', (_id, rules) => {
    const prior = upTo(7).filter((e) => e.step !== 6);
    const s7 = validTimeline('2022-03-10', mid, false).find((e) => e.step === 7)!.date;
    const pub = rules === DEVELOPMENT_2026 ? { publicity: { first: addDays(s7, -21), last: addDays(s7, -1) } } : {};
    const issues = checkStep(ctxOf(rules), prior, { step: 7, date: s7, ...pub });
    expect(rulesOf(issues)).toEqual([`flag:${rules.id}.ACTIVIST_REVIEW_MONTHS`, `flag:${rules.id}.ACTIVIST_REVIEW_MONTHS`]);
  });

  it.each(both)('%s approval within 3 months (6 at most) of the resolution reaching the committee', (_id, rules) => {
    const prior = [...upTo(15), { step: 15, date: '2026-01-31', vote: { heldOn: '2026-01-31', passed: true } }, { step: 16, date: '2026-02-10' }]
      .map((e) => (e.step < 15 && e.date > '2026-01-31' ? { ...e, date: '2026-01-20' } : e));
    const at = (date: string, extra: Partial<StepEntry> = {}) => rulesOf(checkStep(ctxOf(rules), prior, { step: 17, date, ...extra }));
    expect(at('2026-04-30')).toEqual([]);
    expect(at('2026-05-01')).toEqual([`flag:${rules.id}.APPROVAL_MONTHS`]);
    expect(at('2026-05-01', { specialReason: '党委换届' })).toEqual([]);
    expect(at('2026-07-31', { specialReason: '党委换届' })).toEqual([]);
    expect(at('2026-08-01', { specialReason: '党委换届' })).toEqual([`flag:${rules.id}.APPROVAL_MAX_MONTHS`]);
    expect(at('2026-05-15', { reachedCommitteeOn: '2026-02-15' })).toEqual([]);
  });

  it.each(both)('%s probation: 转正 discussed on the first anniversary, not a day earlier (29 February admission)', (_id, rules) => {
    expect(probationEnd(ctxOf(rules), '2024-02-29')).toBe('2025-02-28');
    const prior = validTimeline('2022-03-10', mid, rules === DEVELOPMENT_2026).filter((e) => e.step < 23);
    const end = probationEnd(ctxOf(rules), prior.find((e) => e.step === 15)!.date);
    const p22 = prior.map((e) => (e.step === 22 ? { ...e, date: addDays(end, -20) } : e));
    expect(checkStep(ctxOf(rules), p22, { step: 23, date: end, vote: { heldOn: end, passed: true } })).toEqual([]);
    const early = addDays(end, -1);
    expect(rulesOf(checkStep(ctxOf(rules), p22, { step: 23, date: early, vote: { heldOn: early, passed: true } }))).toEqual([`refusal:${rules.id}.PROBATION_MONTHS`]);
  });

  it.each(both)('%s introducers, contact persons, training and the assembly vote', (_id, rules) => {
    const c = ctxOf(rules);
    expect(rulesOf(checkStep(c, upTo(9), { step: 9, date: '2024-12-01', introducers: [ok] }))).toEqual([`refusal:${rules.id}.INTRODUCERS`]);
    const bad = checkStep(c, upTo(9), { step: 9, date: '2024-12-01', introducers: [ok, { personId: 3, name: '王五', eligible: false }] });
    expect(bad[0].message).toContain('王五不是正常状态的正式党员');
    expect(rulesOf(checkStep(c, upTo(5), { step: 5, date: '2023-05-01', contactPersons: [] }))).toEqual([`refusal:${rules.id}.CONTACT_PERSONS`]);
    expect(rulesOf(checkStep(c, upTo(5), { step: 5, date: '2023-05-01', contactPersons: [ok, ok2, { ...ok, personId: 9 }] }))).toEqual([`refusal:${rules.id}.CONTACT_PERSONS`]);
    expect(rulesOf(checkStep(c, upTo(11), { step: 11, date: '2024-12-30', trainingDays: 2, trainingHours: 23 }))).toEqual([`refusal:${rules.id}.TRAINING_MIN`]);
    expect(checkStep(c, upTo(11), { step: 11, date: '2024-12-30', trainingDays: 2, trainingHours: 24 })).toEqual([]);
    const s14 = upTo(15).find((e) => e.step === 14)!.date;
    expect(rulesOf(checkStep(c, upTo(15), { step: 15, date: s14, vote: { heldOn: s14, passed: null } }))).toEqual([`refusal:${rules.id}.ASSEMBLY_VOTE_PASSED`]);
    expect(rulesOf(checkStep(c, upTo(15), { step: 15, date: s14 }))).toEqual([`refusal:${rules.id}.ASSEMBLY_VOTE_PASSED`]);
  });

  it.each(both)('%s a skipped step is refused with the rule text', (_id, rules) => {
    const issues = checkStep(ctxOf(rules), upTo(4), { step: 7, date: '2026-01-01' });
    expect(rulesOf(issues)).toEqual([`refusal:${rules.id}.STEP_ORDER`]);
    expect(issues[0].message).toContain('尚未完成第4步“上级党委备案”');
    expect(issues[0].message).toContain('不得跳过步骤');
  });

  it('2026 only: 公示 before 发展对象 of 5 working days across 国庆节 and a make-up workday', () => {
    const c = ctxOf(DEVELOPMENT_2026);
    const prior = [{ step: 1, date: '2025-06-01' }, { step: 2, date: '2025-06-10' }, { step: 3, date: '2025-09-01' }, { step: 4, date: '2025-09-02' },
      { step: 5, date: '2025-09-02', contactPersons: [ok] }, { step: 6, date: '2026-02-01' }, { step: 6, date: '2026-08-01' }];
    const at = (first: string, last: string, date: string) => rulesOf(checkStep(c, prior, { step: 7, date, publicity: { first, last } }));
    // 09-28, 09-29, 09-30, [10-01…10-07 国庆], 10-08, 10-09: the fifth working day is 10-09
    expect(at('2026-09-28', '2026-10-08', '2026-10-09')).toEqual(['refusal:development-2026.PUBLICITY_MIN']);
    expect(at('2026-09-28', '2026-10-09', '2026-10-10')).toEqual([]);
    // 10-08, 10-09, 10-10 (Saturday 调休上班), 10-12: four working days; 10-13 is the fifth
    expect(at('2026-10-08', '2026-10-12', '2026-10-14')).toEqual(['refusal:development-2026.PUBLICITY_MIN']);
    expect(at('2026-10-08', '2026-10-13', '2026-10-14')).toEqual([]);
    // the step is dated after the 公示 ends
    expect(at('2026-10-08', '2026-10-13', '2026-10-13')).toEqual(['refusal:development-2026.PUBLICITY_MIN']);
    expect(rulesOf(checkStep(c, prior, { step: 7, date: '2026-10-14' }))).toEqual(['refusal:development-2026.PUBLICITY_BEFORE_CANDIDATE']);
    // under 2014 it is LOCAL and off by default, on by setting
    expect(checkStep(ctxOf(DEVELOPMENT_2014), prior, { step: 7, date: '2026-10-14' })).toEqual([]);
    const local = { ...DEFAULT_LOCAL_DEVELOPMENT, publicityBeforeCandidate: true };
    expect(rulesOf(checkStep(ctxOf(DEVELOPMENT_2014, '1995-06-15', local), prior, { step: 7, date: '2026-10-14', publicity: { first: '2026-02-11', last: '2026-02-14' } })))
      .toEqual(['refusal:development-2014.PUBLICITY_MIN']); // 02-11, 02-12, 02-13, 02-14 (调休): four, then 春节
    expect(checkStep(ctxOf(DEVELOPMENT_2014, '1995-06-15', local), prior, { step: 7, date: '2026-10-14', publicity: { first: '2026-02-11', last: '2026-02-24' } })).toEqual([]);
  });

  it('2026 only: assembly within a month of 预审, oath within a month of approval', () => {
    const c = ctxOf(DEVELOPMENT_2026);
    const t = validTimeline('2022-03-10', mid, true);
    const s13 = t.find((e) => e.step === 13)!.date;
    const late = periodEnd(s13, { months: 1 });
    const prior = t.filter((e) => e.step < 15).map((e) => (e.step === 14 ? { ...e, date: s13 } : e));
    expect(checkStep(c, prior, { step: 15, date: late, vote: { heldOn: late, passed: true } })).toEqual([]);
    expect(rulesOf(checkStep(c, prior, { step: 15, date: addDays(late, 1), vote: { heldOn: addDays(late, 1), passed: true } }))).toEqual(['flag:development-2026.ASSEMBLY_AFTER_PRETRIAL_MONTHS']);
    expect(checkStep(ctxOf(DEVELOPMENT_2014), prior, { step: 15, date: addDays(late, 1), vote: { heldOn: addDays(late, 1), passed: true } })).toEqual([]);
    const s17 = t.find((e) => e.step === 17)!.date;
    const p20 = t.filter((e) => e.step < 20).map((e) => (e.step > 17 ? { ...e, date: s17 } : e));
    expect(checkStep(c, p20, { step: 20, date: periodEnd(s17, { months: 1 }) })).toEqual([]);
    expect(rulesOf(checkStep(c, p20, { step: 20, date: addDays(periodEnd(s17, { months: 1 }), 1) }))).toEqual(['flag:development-2026.OATH_WITHIN_MONTHS']);
  });

  it('open deadlines: talk, approval (by the committee), probation end', () => {
    const c = ctxOf(DEVELOPMENT_2014);
    expect(openDeadlines(c, [{ step: 1, date: '2026-01-31' }])).toMatchObject([{ rule: 'TALK_DEADLINE_MONTHS', dueOn: '2026-02-28', byCommittee: false }]);
    const t = validTimeline('2022-03-10', mid, false);
    const s15 = t.find((e) => e.step === 15)!.date;
    expect(openDeadlines(c, t.filter((e) => e.step <= 16))).toMatchObject([{ rule: 'APPROVAL_MONTHS', step: 17, dueOn: periodEnd(s15, { months: 3 }), byCommittee: true }]);
    expect(openDeadlines(c, t.filter((e) => e.step <= 20))).toMatchObject([{ rule: 'PROBATION_MONTHS', dueOn: periodEnd(s15, { months: 12 }) }]);
  });
});

describe('property: valid timelines pass; one day past a limit is refused or flagged with the right rule', () => {
  const arb = fc.record({
    start: fc.integer({ min: 0, max: 365 * 12 }).map((n) => addDays('2016-01-01', n)),
    seed: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 80, maxLength: 80 }),
    v2026: fc.boolean(),
  });
  const build = (a: { start: string; seed: number[]; v2026: boolean }) => {
    let i = 0;
    return validTimeline(a.start, (max) => Math.floor(a.seed[i++ % a.seed.length] * (max + 1)), a.v2026);
  };
  const rulesFor = (v2026: boolean) => (v2026 ? DEVELOPMENT_2026 : DEVELOPMENT_2014);

  it('accepts every step of a random valid timeline', () => {
    fc.assert(fc.property(arb, (a) => {
      const issues = checkTimeline(ctxOf(rulesFor(a.v2026)), build(a)).filter((x) => x.kind !== 'confirm');
      expect(issues).toEqual([]);
    }), { numRuns: 150 });
  });

  type Move = { step: number; rule: string; kind: 'refusal' | 'flag'; only2026?: boolean; to(t: StepEntry[]): IsoDate };
  const date = (t: StepEntry[], n: number) => t.find((e) => e.step === n)!.date;
  const moves: Move[] = [
    { step: 2, rule: 'TALK_DEADLINE_MONTHS', kind: 'flag', to: (t) => addDays(periodEnd(date(t, 1), { months: 1 }), 1) },
    { step: 7, rule: 'ACTIVIST_MIN_MONTHS', kind: 'refusal', to: (t) => addDays(periodEnd(date(t, 3), { months: 12 }), -1) },
    { step: 15, rule: 'ASSEMBLY_AFTER_PRETRIAL_MONTHS', kind: 'flag', only2026: true, to: (t) => addDays(periodEnd(date(t, 13), { months: 1 }), 1) },
    { step: 17, rule: 'APPROVAL_MONTHS', kind: 'flag', to: (t) => addDays(periodEnd(date(t, 15), { months: 3 }), 1) },
    { step: 20, rule: 'OATH_WITHIN_MONTHS', kind: 'flag', only2026: true, to: (t) => addDays(periodEnd(date(t, 17), { months: 1 }), 1) },
    { step: 23, rule: 'PROBATION_MONTHS', kind: 'refusal', to: (t) => addDays(periodEnd(date(t, 15), { months: 12 }), -1) },
    { step: 24, rule: 'CONFIRMATION_APPROVAL_MONTHS', kind: 'flag', to: (t) => addDays(periodEnd(date(t, 23), { months: 3 }), 1) },
  ];

  it.each(moves.map((m) => [m.step, m.rule, m] as const))('step %i moved one day past its limit → %s', (_s, _r, m) => {
    fc.assert(fc.property(arb, (a) => {
      const v2026 = m.only2026 ? true : a.v2026;
      const t = build({ ...a, v2026 });
      const to = m.to(t);
      const moved = t.map((e) => (e.step === m.step ? { ...e, date: to, vote: e.vote ? { ...e.vote, heldOn: to } : e.vote } : e));
      const issues = checkTimeline(ctxOf(rulesFor(v2026)), moved);
      expect(issues.some((x) => x.step === m.step && x.kind === m.kind && x.ruleId === `${rulesFor(v2026).id}.${m.rule}`)).toBe(true);
    }), { numRuns: 60 });
  });
});
