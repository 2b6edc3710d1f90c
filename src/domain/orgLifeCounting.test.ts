import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  absenceSeverity, assemblyQuorum, attendanceRate, classifyMonth, committeeMajority, currentAbsenceRun, durationMinutes, heartTalkCoverage,
  monthsBetween, percentOf, studyHoursOf, studyTarget, trainingDayMinutes, type ExpectedAttendance,
} from './orgLifeCounting.js';

describe('member assembly quorum (DOMAIN.md §3.3)', () => {
  it.each([
    // should, present, exactlyHalfIsQuorum, met, presentNeeded
    [12, 7, false, true, 7],
    [12, 6, false, false, 7], // exactly half: not a quorum by default
    [12, 6, true, true, 6], // … but a quorum under the setting
    [12, 5, true, false, 6],
    [11, 6, false, true, 6],
    [11, 5, false, false, 6],
    [11, 6, true, true, 6],
    [11, 5, true, false, 6],
    [1, 1, false, true, 1],
    [2, 1, false, false, 2],
    [2, 1, true, true, 1],
    [0, 0, false, false, 1],
  ] as const)('%i voting members, %i present, exactly half counts: %s → quorum %s', (should, present, half, met, needed) => {
    const q = assemblyQuorum(should, present, half);
    expect(q.met).toBe(met);
    expect(q.presentNeeded).toBe(needed);
    if (!met) expect(q.reason).toMatch(/无效/);
  });

  it('gives the reason in Chinese', () => {
    expect(assemblyQuorum(12, 5).reason).toBe('应到会有表决权的党员12人，实到5人，未超过半数（至少需7人），不足法定人数，会议表决和决定无效');
    expect(assemblyQuorum(12, 6, true).reason).toBe('应到会有表决权的党员12人，实到6人，达到法定人数');
  });
});

describe('committee meeting majority (DOMAIN.md §3.4)', () => {
  it.each([
    [3, 2, false, true],
    [3, 1, false, false],
    [4, 2, false, false],
    [4, 2, true, true],
    [5, 3, false, true],
    [5, 2, true, false],
    [0, 0, false, false],
  ] as const)('%i committee members, %i present, exactly half %s → counts as held %s', (should, present, half, met) => {
    const q = committeeMajority(should, present, half);
    expect(q.met).toBe(met);
    if (!met) expect(q.reason).toContain('不计入已召开的支委会');
  });
});

describe('attendance rate (DOMAIN.md §3.4)', () => {
  it('present ÷ should attend; on leave stays in the denominator; suspended never counts', () => {
    expect(attendanceRate([
      { status: 'present' }, { status: 'present' }, { status: 'onLeave' }, { status: 'absent' }, { status: 'absent', suspended: true },
    ])).toEqual({ numerator: 2, denominator: 4, percent: 50 });
    expect(attendanceRate([])).toEqual({ numerator: 0, denominator: 0, percent: null });
  });
  it('rounds the percent to one decimal', () => {
    expect(percentOf(2, 3)).toBe(66.7);
    expect(percentOf(1, 3)).toBe(33.3);
  });
});

describe('absence runs (DOMAIN.md §3.4)', () => {
  const a = (heldOn: string, status: ExpectedAttendance['status']): ExpectedAttendance => ({ heldOn, status });

  it.each([
    [[], 'none'],
    [[a('2026-05-02', 'absent')], 'absent'],
    [[a('2026-05-02', 'absent'), a('2026-05-20', 'present')], 'attended'],
    [[a('2026-05-02', 'absent'), a('2026-05-20', 'onLeave')], 'leave'],
  ] as const)('classifies a month %#', (records, cls) => {
    expect(classifyMonth(records as readonly ExpectedAttendance[])).toBe(cls);
  });

  it('counts consecutive absence months ending at the last complete month', () => {
    const recs = [a('2026-04-10', 'present'), a('2026-05-10', 'absent'), a('2026-06-10', 'absent'), a('2026-07-10', 'absent')];
    expect(currentAbsenceRun(recs, '2026-01', '2026-07')).toEqual({ fromMonth: '2026-05', toMonth: '2026-07', months: 3 });
  });

  it.each([
    ['a month of approved leave ends a run', [a('2026-05-10', 'absent'), a('2026-06-10', 'onLeave'), a('2026-07-10', 'absent'), a('2026-08-10', 'absent')], 2],
    ['a month with no expected meeting ends a run', [a('2026-05-10', 'absent'), a('2026-07-10', 'absent'), a('2026-08-10', 'absent')], 2],
    ['attending one of two meetings ends it', [a('2026-06-10', 'absent'), a('2026-07-10', 'absent'), a('2026-08-01', 'absent'), a('2026-08-20', 'present')], 0],
    ['six months in a row', ['03', '04', '05', '06', '07', '08'].map((m) => a(`2026-${m}-10`, 'absent')), 6],
  ] as const)('%s', (_n, recs, months) => {
    expect(currentAbsenceRun(recs as readonly ExpectedAttendance[], '2026-01', '2026-08')?.months ?? 0).toBe(months);
  });

  it('does not look before the first month', () => {
    const recs = ['03', '04', '05', '06'].map((m) => a(`2026-${m}-10`, 'absent'));
    expect(currentAbsenceRun(recs, '2026-05', '2026-06')?.months).toBe(2);
  });

  it.each([[2, null], [3, 'finding'], [5, 'finding'], [6, 'case'], [9, 'case']] as const)('%i months → %s', (n, sev) => {
    expect(absenceSeverity(n)).toBe(sev);
  });

  it('months between crosses years', () => {
    expect(monthsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
  });
});

describe('heart-talk coverage (DOMAIN.md §3.4)', () => {
  const committee = [1, 2, 3];
  const members = [1, 2, 3, 4, 5];
  it('each pair of committee members and each member with at least one committee member', () => {
    const c = heartTalkCoverage(committee, members, [{ a: 1, b: 2 }, { a: 3, b: 2 }, { a: 4, b: 1 }]);
    expect(c.required).toBe(3 + 2);
    expect(c.covered).toBe(3);
    expect(c.missingPairs).toEqual([{ a: 1, b: 3 }]);
    expect(c.missingMembers).toEqual([5]);
  });
  it('under the every-pair setting each committee member with each member', () => {
    const c = heartTalkCoverage(committee, members, [{ a: 1, b: 4 }], true);
    expect(c.required).toBe(3 + 3 * 2);
    expect(c.covered).toBe(1);
  });
  it('talks between two ordinary members do not cover either', () => {
    expect(heartTalkCoverage(committee, members, [{ a: 4, b: 5 }]).missingMembers).toEqual([4, 5]);
  });
  it('covered never exceeds required', () => {
    fc.assert(fc.property(fc.array(fc.record({ a: fc.integer({ min: 1, max: 8 }), b: fc.integer({ min: 1, max: 8 }) })), fc.boolean(), (talks, every) => {
      const c = heartTalkCoverage([1, 2, 3], [1, 2, 3, 4, 5, 6, 7, 8], talks, every);
      return c.covered >= 0 && c.covered <= c.required;
    }));
  });
});

describe('study hours (DOMAIN.md §3.3–§3.4)', () => {
  it.each([[45, 1], [90, 2], [120, 2.67], [0, 0]] as const)('%i minutes = %f 学时', (min, h) => expect(studyHoursOf(min)).toBe(h));
  it('follows the minutes-per-hour setting', () => expect(studyHoursOf(120, 60)).toBe(2));
  it('a full training day is 8 学时', () => {
    expect(studyHoursOf(trainingDayMinutes(1))).toBe(8);
    expect(studyHoursOf(trainingDayMinutes(3))).toBe(24);
  });
  it('targets: 32 for members, 56 for secretaries and committee members', () => {
    const s = { studyTargetMember: 32, studyTargetLeader: 56 };
    expect(studyTarget(false, s)).toBe(32);
    expect(studyTarget(true, s)).toBe(56);
  });
  it.each([
    ['14:00', '16:30', 150],
    ['09:00', '09:00', null],
    ['10:00', '09:00', null],
    [null, '09:00', null],
  ] as const)('duration %s–%s = %s', (s, e, d) => expect(durationMinutes(s, e)).toBe(d));
});
