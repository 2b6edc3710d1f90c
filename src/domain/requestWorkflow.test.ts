import { describe, expect, it } from 'vitest';
import { CALENDAR_2026, yearCalendarOf, type CalendarData } from './calendar.js';
import {
  REQUEST_ACTIONS, REQUEST_KINDS, REQUEST_STATES, checkTransition, slaStatus, type RequestAction, type RequestActor, type RequestKind, type RequestState,
} from './requestWorkflow.js';

const DATA: CalendarData = { 2026: yearCalendarOf(CALENDAR_2026) };

/**
 * The expected workflow written out by hand (not derived from TRANSITIONS): state → action → [to, actor, kinds].
 * Every other (state, action) pair, and every pair taken by the wrong actor or kind, must be refused.
 */
const ALLOWED: Record<string, [RequestState, RequestActor, RequestKind[]?]> = {
  'submitted accept': ['accepted', 'staff'],
  'submitted reject': ['rejected', 'staff'],
  'submitted merge': ['merged', 'staff'],
  'accepted reject': ['rejected', 'staff'],
  'accepted merge': ['merged', 'staff'],
  'accepted assign': ['assigned', 'staff'],
  'accepted start': ['inProgress', 'staff'],
  'assigned start': ['inProgress', 'staff'],
  'escalated start': ['inProgress', 'staff'],
  'accepted claim': ['claimed', 'claimant', ['wish']],
  'accepted answer': ['answered', 'staff'],
  'assigned answer': ['answered', 'staff'],
  'inProgress answer': ['answered', 'staff'],
  'claimed answer': ['answered', 'staff'],
  'escalated answer': ['answered', 'staff'],
  'accepted escalate': ['escalated', 'system'],
  'assigned escalate': ['escalated', 'system'],
  'inProgress escalate': ['escalated', 'system'],
  'claimed escalate': ['escalated', 'system'],
  'answered rate': ['rated', 'resident'],
  'closed rate': ['rated', 'resident'],
  'answered close': ['closed', 'staff'],
};
const ACTORS: RequestActor[] = ['staff', 'resident', 'claimant', 'system'];

const cases: [RequestKind, RequestState, RequestAction, RequestActor, RequestState | null][] = [];
for (const kind of REQUEST_KINDS) {
  for (const state of REQUEST_STATES) {
    for (const action of REQUEST_ACTIONS) {
      for (const actor of ACTORS) {
        const a = ALLOWED[`${state} ${action}`];
        const ok = a && a[1] === actor && (!a[2] || a[2].includes(kind));
        cases.push([kind, state, action, actor, ok ? a[0] : null]);
      }
    }
  }
}

describe('request workflow: every (kind, state, action, actor)', () => {
  it('covers 6 kinds × 11 states × 10 actions × 4 actors, with 22 allowed pairs', () => {
    expect(cases).toHaveLength(6 * 11 * 10 * 4);
    expect(Object.keys(ALLOWED)).toHaveLength(22);
    // per kind: 21 pairs for every kind plus the claim for a wish
    expect(cases.filter((c) => c[4] !== null)).toHaveLength(21 * 6 + 1);
  });

  it.each(cases.filter((c) => c[4] !== null))('%s: %s --%s by %s--> %s is allowed', (kind, state, action, actor, to) => {
    expect(checkTransition(kind, state, action, actor)).toEqual({ ok: true, to });
  });

  it('every other combination is refused with a Chinese reason', () => {
    const refused = cases.filter((c) => c[4] === null);
    expect(refused.length).toBe(2640 - 127);
    for (const [kind, state, action, actor] of refused) {
      const r = checkTransition(kind, state, action, actor);
      expect(r.ok, `${kind} ${state} ${action} ${actor}`).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('names the reason: wrong state, wrong actor, wrong kind', () => {
    expect(checkTransition('repair', 'rated', 'answer', 'staff')).toEqual({ ok: false, reason: '诉求当前状态为“已评价”，不能答复' });
    expect(checkTransition('repair', 'answered', 'rate', 'staff')).toEqual({ ok: false, reason: '评价只能由提交诉求的居民操作' });
    expect(checkTransition('repair', 'accepted', 'claim', 'claimant')).toEqual({ ok: false, reason: '报修不能认领（仅适用于微心愿）' });
  });
});

describe('SLA in working days (DOMAIN.md §10.1: accept within 1, answer within 5)', () => {
  const base = { state: 'submitted' as RequestState, acceptedOn: null, answeredOn: null };

  it('a request submitted on 2026-09-30 is due for acceptance on 10-08, after 国庆节', () => {
    const s = slaStatus({ ...base, submittedOn: '2026-09-30' }, '2026-10-08', DATA);
    expect(s.acceptDue).toBe('2026-10-08');
    expect(s.acceptLate).toBe(false);
    expect(s.fallback).toBe(false);
    expect(slaStatus({ ...base, submittedOn: '2026-09-30' }, '2026-10-09', DATA).acceptLate).toBe(true);
  });

  it('the answer deadline counts 5 working days from acceptance across the holiday and its make-up Saturday', () => {
    // accepted Tue 09-29: 09-30 (1), 10-01…10-07 holiday, 10-08 (2), 10-09 (3), 10-10 Sat make-up day (4), 10-12 (5)
    const r = { state: 'accepted' as RequestState, submittedOn: '2026-09-28', acceptedOn: '2026-09-29', answeredOn: null };
    const s = slaStatus(r, '2026-10-12', DATA);
    expect(s.answerDue).toBe('2026-10-12');
    expect(s.answerLate).toBe(false);
    expect(s.escalateFrom).toBe('2026-10-13');
    expect(slaStatus(r, '2026-10-13', DATA)).toMatchObject({ answerLate: true, escalateNow: false });
    expect(slaStatus(r, '2026-10-14', DATA)).toMatchObject({ answerLate: true, escalateNow: true });
    expect(slaStatus({ ...r, state: 'escalated' }, '2026-10-14', DATA).escalateNow).toBe(false);
  });

  it('an answer on the due day is on time; one day later stays late after answering', () => {
    const r = { state: 'answered' as RequestState, submittedOn: '2026-11-02', acceptedOn: '2026-11-02' };
    expect(slaStatus({ ...r, answeredOn: '2026-11-09' }, '2026-11-20', DATA).answerLate).toBe(false);
    expect(slaStatus({ ...r, answeredOn: '2026-11-10' }, '2026-11-20', DATA).answerLate).toBe(true);
  });

  it('a rejected request is never late for acceptance; a year without calendar data is marked fallback', () => {
    expect(slaStatus({ ...base, state: 'rejected', submittedOn: '2026-11-02' }, '2026-11-20', DATA).acceptLate).toBe(false);
    expect(slaStatus({ ...base, submittedOn: '2027-03-01' }, '2027-03-01', DATA)).toMatchObject({ acceptDue: '2027-03-02', fallback: true });
  });

  it('limits are settings: 2 working days to accept from a Friday is the next Tuesday', () => {
    expect(slaStatus({ ...base, submittedOn: '2026-11-13' }, '2026-11-13', DATA, { acceptDays: 2, answerDays: 5, escalateAfterDays: 1 }).acceptDue).toBe('2026-11-17');
  });
});
