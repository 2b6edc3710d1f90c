import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_ORG_LIFE_SETTINGS, ORG_LIFE_2018, ORG_LIFE_RULE_SETS, allowedForYears, complianceDueBetween, complianceFor, dueDates, hasCommitteeOn, isLateEntry,
  obligationsFor, periodLabel, periodOf, periodsBetween, requiredFrequencies, satisfies, statusOf,
  type MeetingFacts, type Obligation, type OrgFacts, type OrgLifeSettings,
} from './orgLifeRules.js';
import { ruleSetInForce } from './ruleSets.js';

const S: OrgLifeSettings = { ...DEFAULT_ORG_LIFE_SETTINGS };
const committee = [
  { validFrom: '2020-01-01', validTo: null },
  { validFrom: '2020-01-01', validTo: null },
  { validFrom: '2020-01-01', validTo: null },
];
const branch = (over: Partial<OrgFacts> = {}): OrgFacts => ({ orgId: 1, kind: 'branch', establishedOn: '2010-01-01', dissolvedOn: null, committeePosts: committee, ...over });
let nextId = 1;
const meeting = (kind: string, heldOn: string, over: Partial<MeetingFacts> = {}): MeetingFacts => ({
  id: nextId++, kind, alsoCountsAs: [], heldOn, forYear: null, countsAsHeld: true, lateEntry: false, ...over,
});

describe('rule set orgLife-2018', () => {
  it('cites a DOMAIN.md section for every constant and is found by area and date', () => {
    for (const c of Object.values(ORG_LIFE_2018.constants)) {
      expect(c.source).toMatch(/^DOMAIN\.md §\d/);
      expect(['VERIFIED', 'SECONDARY', 'LOCAL', 'UNVERIFIED']).toContain(c.status);
      expect(c.label).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(ruleSetInForce('orgLife', '2026-11-20', ORG_LIFE_RULE_SETS)?.id).toBe('orgLife-2018');
    expect(ruleSetInForce('orgLife', '2018-09-30', ORG_LIFE_RULE_SETS)).toBeNull();
  });
});

describe('required frequency per org kind (DOMAIN.md §3.3–§3.4)', () => {
  it.each([
    ['branch', 'none', { memberAssembly: 'quarterly', committeeMeeting: 'monthly', themedPartyDay: 'monthly', orgLifeMeeting: 'yearly', memberReview: 'yearly' }],
    ['jointBranch', 'none', { memberAssembly: 'quarterly', committeeMeeting: 'monthly', themedPartyDay: 'monthly', orgLifeMeeting: 'yearly', memberReview: 'yearly' }],
    ['branch', 'quarterly', { memberAssembly: 'quarterly', committeeMeeting: 'monthly', themedPartyDay: 'monthly', orgLifeMeeting: 'yearly', memberReview: 'yearly', partyLecture: 'quarterly' }],
    ['branch', 'twiceYearly', { memberAssembly: 'quarterly', committeeMeeting: 'monthly', themedPartyDay: 'monthly', orgLifeMeeting: 'yearly', memberReview: 'yearly', partyLecture: 'twiceYearly' }],
    ['partyGroup', 'quarterly', { groupMeeting: 'monthly' }],
    ['temporaryBranch', 'quarterly', { themedPartyDay: 'monthly' }],
    ['generalBranch', 'quarterly', {}],
    ['basicCommittee', 'none', {}],
    ['townshipCommittee', 'none', {}],
    ['partyCommittee', 'none', {}],
  ] as const)('%s with 党课 setting %s', (kind, lecture, expected) => {
    expect(requiredFrequencies(kind, { partyLecture: lecture })).toEqual(expected);
  });
});

describe('periods', () => {
  it.each([
    ['monthly', '2026-02-14', '2026-02', '2026-02-01', '2026-02-28'],
    ['monthly', '2024-02-29', '2024-02', '2024-02-01', '2024-02-29'],
    ['quarterly', '2026-03-31', '2026-Q1', '2026-01-01', '2026-03-31'],
    ['quarterly', '2026-04-01', '2026-Q2', '2026-04-01', '2026-06-30'],
    ['twiceYearly', '2026-06-30', '2026-H1', '2026-01-01', '2026-06-30'],
    ['twiceYearly', '2026-07-01', '2026-H2', '2026-07-01', '2026-12-31'],
    ['yearly', '2026-11-20', '2026', '2026-01-01', '2026-12-31'],
  ] as const)('%s period of %s is %s [%s, %s]', (freq, d, key, start, end) => {
    expect(periodOf(freq, d)).toEqual({ key, start, end });
  });

  it('lists the periods overlapping a range', () => {
    expect(periodsBetween('quarterly', '2026-02-15', '2026-07-01').map((p) => p.key)).toEqual(['2026-Q1', '2026-Q2', '2026-Q3']);
    expect(periodsBetween('monthly', '2025-12-31', '2026-01-01').map((p) => p.key)).toEqual(['2025-12', '2026-01']);
  });

  it.each([
    ['monthly', '2026-09', { dueOn: '2026-09-30', dueSoonFrom: '2026-09-23' }],
    ['quarterly', '2026-Q1', { dueOn: '2026-03-31', dueSoonFrom: '2026-03-24' }],
    ['yearly', '2025', { dueOn: '2026-03-31', dueSoonFrom: '2025-12-01' }],
  ] as const)('%s %s is due on the period end (yearly: 31 March of Y+1), due soon 7 days before (yearly: 1 December)', (freq, key, expected) => {
    const p = periodsBetween(freq, key.length === 4 ? `${key}-06-01` : key.includes('Q') ? '2026-02-01' : `${key}-15`, key.length === 4 ? `${key}-06-01` : key.includes('Q') ? '2026-02-01' : `${key}-15`)[0];
    expect(dueDates(freq, p, S)).toEqual(expected);
  });

  it('the yearly due date follows the setting', () => {
    expect(dueDates('yearly', periodOf('yearly', '2025-05-01'), { ...S, yearlyDueMonthDay: '01-31' }).dueOn).toBe('2026-01-31');
  });

  it.each([['2026-09', '2026年9月'], ['2026-Q3', '2026年第三季度'], ['2026-H1', '2026年上半年'], ['2025', '2025年度']])('labels %s as %s', (key, label) => {
    expect(periodLabel({ key })).toBe(label);
  });
});

describe('obligations for an org over a period', () => {
  const keys = (obs: Obligation[], kind: string) => obs.filter((o) => o.kind === kind).map((o) => o.period.key);

  it('a branch with a committee owes every month, quarter and year in range', () => {
    const obs = obligationsFor(branch(), '2026-01-01', '2026-12-31', S);
    expect(keys(obs, 'committeeMeeting')).toHaveLength(12);
    expect(keys(obs, 'themedPartyDay')).toHaveLength(12);
    expect(keys(obs, 'memberAssembly')).toEqual(['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4']);
    expect(keys(obs, 'orgLifeMeeting')).toEqual(['2026']);
    expect(keys(obs, 'memberReview')).toEqual(['2026']);
    expect(keys(obs, 'partyLecture')).toEqual([]);
  });

  it('a branch created mid-quarter owes nothing for the part before it existed', () => {
    const obs = obligationsFor(branch({ establishedOn: '2026-05-10' }), '2026-01-01', '2026-12-31', S);
    expect(keys(obs, 'memberAssembly')).toEqual(['2026-Q3', '2026-Q4']);
    expect(keys(obs, 'themedPartyDay')[0]).toBe('2026-06');
    expect(keys(obs, 'orgLifeMeeting')).toEqual([]);
  });

  it('an org created on the first day of a period owes it', () => {
    const obs = obligationsFor(branch({ establishedOn: '2026-04-01' }), '2026-01-01', '2026-06-30', S);
    expect(keys(obs, 'memberAssembly')).toEqual(['2026-Q2']);
  });

  it('a dissolved org owes nothing for the period in which it was dissolved or later', () => {
    const obs = obligationsFor(branch({ dissolvedOn: '2026-08-15' }), '2026-01-01', '2026-12-31', S);
    expect(keys(obs, 'themedPartyDay').at(-1)).toBe('2026-07');
    expect(keys(obs, 'memberAssembly')).toEqual(['2026-Q1', '2026-Q2']);
  });

  it('a committee meeting is owed only in months with ≥3 committee posts held on the first day', () => {
    const posts = [
      { validFrom: '2020-01-01', validTo: null },
      { validFrom: '2020-01-01', validTo: '2026-03-15' },
      { validFrom: '2026-02-01', validTo: null },
      { validFrom: '2026-05-02', validTo: null },
    ];
    expect(hasCommitteeOn(posts, '2026-01-01')).toBe(false);
    expect(hasCommitteeOn(posts, '2026-02-01')).toBe(true);
    const obs = obligationsFor(branch({ committeePosts: posts }), '2026-01-01', '2026-06-30', S);
    expect(keys(obs, 'committeeMeeting')).toEqual(['2026-02', '2026-03', '2026-06']);
  });

  it('a party group owes a group meeting each month; a temporary branch a themed day; a general branch nothing', () => {
    expect(obligationsFor(branch({ kind: 'partyGroup' }), '2026-01-01', '2026-03-31', S).map((o) => `${o.kind}:${o.period.key}`))
      .toEqual(['groupMeeting:2026-01', 'groupMeeting:2026-02', 'groupMeeting:2026-03']);
    expect(obligationsFor(branch({ kind: 'temporaryBranch' }), '2026-01-01', '2026-02-28', S).map((o) => o.kind)).toEqual(['themedPartyDay', 'themedPartyDay']);
    expect(obligationsFor(branch({ kind: 'generalBranch' }), '2026-01-01', '2026-12-31', S)).toEqual([]);
  });

  it.each([
    ['quarterly', ['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4']],
    ['twiceYearly', ['2026-H1', '2026-H2']],
    ['none', []],
  ] as const)('党课 under the setting %s', (lecture, expected) => {
    expect(keys(obligationsFor(branch(), '2026-01-01', '2026-12-31', { ...S, partyLecture: lecture }), 'partyLecture')).toEqual(expected);
  });
});

describe('status of an obligation', () => {
  const q1 = obligationsFor(branch(), '2026-01-01', '2026-03-31', S).find((o) => o.kind === 'memberAssembly')!;
  const sep = obligationsFor(branch(), '2026-09-01', '2026-09-30', S).find((o) => o.kind === 'committeeMeeting')!;
  const y2025 = obligationsFor(branch(), '2025-01-01', '2025-12-31', S).find((o) => o.kind === 'orgLifeMeeting')!;

  it.each([
    ['a meeting on the last day of the quarter counts', q1, [meeting('memberAssembly', '2026-03-31')], '2026-04-10', 'done'],
    ['a meeting on the first day of the next quarter does not', q1, [meeting('memberAssembly', '2026-04-01')], '2026-04-10', 'overdue'],
    ['a meeting the day before the quarter does not', q1, [meeting('memberAssembly', '2025-12-31')], '2026-02-01', 'notYetDue'],
    ['not yet due before the due-soon window', q1, [], '2026-03-23', 'notYetDue'],
    ['due soon 7 days before the period end', q1, [], '2026-03-24', 'dueSoon'],
    ['still due soon on the last day', q1, [], '2026-03-31', 'dueSoon'],
    ['overdue from the day after the period ends', q1, [], '2026-04-01', 'overdue'],
    ['"also counts as" satisfies the other kind', q1, [meeting('themedPartyDay', '2026-02-10', { alsoCountsAs: ['memberAssembly'] })], '2026-04-01', 'done'],
    ['a committee meeting without a majority does not count as held', sep, [meeting('committeeMeeting', '2026-09-10', { countsAsHeld: false })], '2026-10-01', 'overdue'],
    ['a committee meeting with a majority counts', sep, [meeting('committeeMeeting', '2026-09-10')], '2026-10-01', 'done'],
    ['a late entry counts by default', sep, [meeting('committeeMeeting', '2026-09-10', { lateEntry: true })], '2026-11-20', 'done'],
    ['another kind does not count', sep, [meeting('themedPartyDay', '2026-09-10')], '2026-10-01', 'overdue'],
    ['a yearly meeting held in March of Y+1 for year Y counts for Y', y2025, [meeting('orgLifeMeeting', '2026-03-20', { forYear: 2025 })], '2026-04-01', 'done'],
    ['a yearly meeting held in Y+1 for Y+1 does not count for Y', y2025, [meeting('orgLifeMeeting', '2026-03-20')], '2026-04-01', 'overdue'],
    ['a yearly obligation is due soon from 1 December', y2025, [], '2025-12-01', 'dueSoon'],
    ['and not before', y2025, [], '2025-11-30', 'notYetDue'],
    ['still due soon on 31 March of Y+1', y2025, [], '2026-03-31', 'dueSoon'],
    ['overdue from 1 April of Y+1', y2025, [], '2026-04-01', 'overdue'],
  ] as const)('%s', (_name, ob, meetings, today, status) => {
    expect(statusOf(ob, meetings as readonly MeetingFacts[], today, S).status).toBe(status);
  });

  it('a late entry does not count when the setting says so', () => {
    const m = meeting('committeeMeeting', '2026-09-10', { lateEntry: true });
    expect(statusOf(sep, [m], '2026-11-20', { ...S, lateEntryCounts: false }).status).toBe('overdue');
    expect(satisfies(m, sep, { lateEntryCounts: true })).toBe(true);
  });

  it('reports the satisfying meetings', () => {
    const a = meeting('memberAssembly', '2026-01-15');
    const b = meeting('themedPartyDay', '2026-02-15', { alsoCountsAs: ['memberAssembly'] });
    expect(statusOf(q1, [a, b, meeting('memberAssembly', '2026-04-02')], '2026-04-10', S).satisfiedBy).toEqual([a.id, b.id]);
  });

  it('meetings held in a partial first period still count as meetings but nothing is owed then', () => {
    const org = branch({ establishedOn: '2026-05-10' });
    const r = complianceFor(org, [meeting('memberAssembly', '2026-05-20')], '2026-04-01', '2026-09-30', '2026-10-15', S);
    expect(r.filter((o) => o.kind === 'memberAssembly').map((o) => `${o.period.key}:${o.status}`)).toEqual(['2026-Q3:overdue']);
  });
});

describe('"N per year" frequency (党课 twice a year at any time of the year)', () => {
  const P2: OrgLifeSettings = { ...S, partyLecture: 'perYear', partyLecturesPerYear: 2 };
  const ob = obligationsFor(branch(), '2026-01-01', '2026-12-31', P2).find((o) => o.kind === 'partyLecture')!;
  const lecture = (d: string, over: Partial<MeetingFacts> = {}) => meeting('partyLecture', d, over);
  const keys = (obs: Obligation[], kind: string) => obs.filter((o) => o.kind === kind).map((o) => o.period.key);

  it('is one obligation per calendar year, needing N meetings, due on 31 December', () => {
    expect(keys(obligationsFor(branch(), '2026-01-01', '2026-12-31', P2), 'partyLecture')).toEqual(['2026']);
    expect(ob).toMatchObject({ frequency: 'perYear', times: 2, dueOn: '2026-12-31', dueSoonFrom: '2026-12-24', period: { start: '2026-01-01', end: '2026-12-31' } });
    expect(obligationsFor(branch(), '2026-01-01', '2026-12-31', { ...P2, partyLecturesPerYear: 3 }).find((o) => o.kind === 'partyLecture')!.times).toBe(3);
  });

  it.each([
    ['two lectures in the first half satisfy a twice-yearly count', [lecture('2026-02-10'), lecture('2026-05-20')], '2027-01-05', 'done'],
    ['one on 1 January and one on 31 December count', [lecture('2026-01-01'), lecture('2026-12-31')], '2027-01-05', 'done'],
    ['one lecture is not enough: overdue from 1 January of the next year', [lecture('2026-03-01')], '2027-01-01', 'overdue'],
    ['one lecture is not enough: still due soon on 31 December', [lecture('2026-03-01')], '2026-12-31', 'dueSoon'],
    ['due soon from 7 days before the year ends', [lecture('2026-03-01')], '2026-12-24', 'dueSoon'],
    ['and not before', [], '2026-12-23', 'notYetDue'],
    ['a lecture on 31 December of the year before does not count', [lecture('2025-12-31'), lecture('2026-06-01')], '2027-01-02', 'overdue'],
    ['a lecture on 1 January of the next year does not count', [lecture('2026-06-01'), lecture('2027-01-01')], '2027-01-02', 'overdue'],
    ['a lecture that does not count as held does not count', [lecture('2026-04-01'), lecture('2026-06-01', { countsAsHeld: false })], '2027-01-02', 'overdue'],
    ['"also counts as" a lecture counts', [lecture('2026-04-01'), meeting('themedPartyDay', '2026-07-01', { alsoCountsAs: ['partyLecture'] })], '2027-01-02', 'done'],
  ] as const)('%s', (_name, meetings, today, status) => {
    expect(statusOf(ob, meetings as readonly MeetingFacts[], today, P2).status).toBe(status);
  });

  it('differs from one per half-year: two lectures in the first half leave the second half overdue there', () => {
    const ms = [lecture('2026-02-10'), lecture('2026-05-20')];
    const half = complianceFor(branch(), ms, '2026-01-01', '2026-12-31', '2027-01-05', { ...S, partyLecture: 'twiceYearly' }).filter((o) => o.kind === 'partyLecture');
    expect(half.map((o) => `${o.period.key}:${o.status}`)).toEqual(['2026-H1:done', '2026-H2:overdue']);
    const perYear = complianceFor(branch(), ms, '2026-01-01', '2026-12-31', '2027-01-05', P2).filter((o) => o.kind === 'partyLecture');
    expect(perYear.map((o) => `${o.period.key}:${o.status}`)).toEqual(['2026:done']);
  });

  it('a branch established during the year owes nothing for that year', () => {
    expect(keys(obligationsFor(branch({ establishedOn: '2026-03-01' }), '2026-01-01', '2026-12-31', P2), 'partyLecture')).toEqual([]);
  });
});

describe('obligations by due date (figures and the month matrix)', () => {
  it('keeps exactly the obligations due in the range, including last year\'s yearly ones due in March', () => {
    const r = complianceDueBetween(branch(), [meeting('orgLifeMeeting', '2025-12-20', { forYear: 2025 })], '2026-03-01', '2026-03-31', '2026-04-02', S);
    expect(r.map((o) => `${o.kind}:${o.period.key}:${o.status}`).sort()).toEqual([
      'committeeMeeting:2026-03:overdue', 'memberAssembly:2026-Q1:overdue', 'memberReview:2025:overdue', 'orgLifeMeeting:2025:done', 'themedPartyDay:2026-03:overdue',
    ]);
  });
  it('agrees with the period view over a whole year', () => {
    const all = complianceFor(branch(), [], '2025-01-01', '2026-12-31', '2027-06-01', S).filter((o) => o.dueOn >= '2026-01-01' && o.dueOn <= '2026-12-31');
    const due = complianceDueBetween(branch(), [], '2026-01-01', '2026-12-31', '2027-06-01', S);
    expect(due.map((o) => `${o.kind}:${o.period.key}`).sort()).toEqual(all.map((o) => `${o.kind}:${o.period.key}`).sort());
  });
});

describe('properties', () => {
  const kinds = ['committeeMeeting', 'themedPartyDay', 'memberAssembly', 'orgLifeMeeting', 'memberReview', 'groupMeeting'];
  const day = fc.integer({ min: 0, max: 900 }).map((n) => new Date(Date.UTC(2025, 0, 1 + n)).toISOString().slice(0, 10));
  const meetings = fc.array(fc.record({ kind: fc.constantFrom(...kinds), heldOn: day, countsAsHeld: fc.boolean() }), { maxLength: 40 })
    .map((ms) => ms.map((m, i) => meeting(m.kind, m.heldOn, { id: 10_000 + i, countsAsHeld: m.countsAsHeld })));
  it('splitting a range by due date splits the obligations exactly', () => {
    fc.assert(fc.property(meetings, fc.integer({ min: 1, max: 20 }), (ms, cut) => {
      const mid = new Date(Date.UTC(2026, cut - 1, 1)).toISOString().slice(0, 10);
      const before = new Date(Date.UTC(2026, cut - 1, 0)).toISOString().slice(0, 10);
      const key = (o: { kind: string; period: { key: string }; status: string }) => `${o.kind}:${o.period.key}:${o.status}`;
      const whole = complianceDueBetween(branch(), ms, '2026-01-01', '2027-08-31', '2027-09-30', S).map(key).sort();
      const parts = [...complianceDueBetween(branch(), ms, '2026-01-01', before, '2027-09-30', S), ...complianceDueBetween(branch(), ms, mid, '2027-08-31', '2027-09-30', S)].map(key).sort();
      return JSON.stringify(whole) === JSON.stringify(parts);
    }));
  });
  it('an obligation is done exactly when a meeting of its kind that counts as held lies in its period', () => {
    fc.assert(fc.property(meetings, (ms) => {
      for (const o of complianceFor(branch(), ms, '2025-01-01', '2026-12-31', '2027-06-01', S)) {
        if (o.frequency === 'yearly') continue;
        const expected = ms.some((m) => m.countsAsHeld && m.kind === o.kind && m.heldOn >= o.period.start && m.heldOn <= o.period.end);
        if ((o.status === 'done') !== expected) return false;
      }
      return true;
    }));
  });
});

describe('late entry and forYear (DOMAIN.md §3.4)', () => {
  it.each([
    ['2026-10-01', '2026-10-31', false],
    ['2026-10-01', '2026-11-01', true],
    ['2026-10-01', '2026-10-01', false],
  ] as const)('held %s entered %s → late %s', (held, entered, late) => {
    expect(isLateEntry(held, entered)).toBe(late);
  });
  it.each([
    ['2026-01-15', [2026, 2025]],
    ['2026-03-31', [2026, 2025]],
    ['2026-04-01', [2026]],
    ['2026-12-20', [2026]],
  ] as const)('a yearly meeting held %s may count for %j', (held, years) => {
    expect(allowedForYears(held)).toEqual(years);
  });
});
