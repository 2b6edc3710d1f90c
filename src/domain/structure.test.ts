import { describe, expect, it } from 'vitest';
import {
  checkBranchMinFormal,
  checkCommitteeRequired,
  checkTermExpiry,
  evaluateOrgStructure,
  termEndFrom,
  termYears,
  type OrgStructureInput,
} from './structure.js';
import type { OrgKind, UnitType } from './vocab.js';

const TODAY = '2026-06-15';
const input = (patch: Partial<OrgStructureInput>): OrgStructureInput => ({
  kind: 'branch',
  fullMemberCount: 5,
  committeePostsHeld: 0,
  today: TODAY,
  ...patch,
});

describe('branch with fewer than 3 full members (DOMAIN §3.1 第四条、第五条)', () => {
  it.each<[OrgKind, number, boolean]>([
    ['branch', 0, true],
    ['branch', 2, true],
    ['branch', 3, false],
    ['jointBranch', 2, true],
    ['jointBranch', 3, false],
    ['generalBranch', 2, false],
    ['temporaryBranch', 1, false],
    ['partyGroup', 1, false],
  ])('%s with %i full members → finding %s', (kind, fullMemberCount, expected) => {
    const f = checkBranchMinFormal(input({ kind, fullMemberCount }));
    expect(f !== null).toBe(expected);
    if (f) {
      expect(f).toMatchObject({ ruleId: 'structure.branchMinFormal', ruleSet: 'structure-2018', severity: 'violation', source: 'DOMAIN.md §3.1' });
      expect(f.message).toMatch(new RegExp(`正式党员${fullMemberCount}人，不足3人`));
    }
  });
});

describe('committee required from 7 full members (DOMAIN §3.1 第二十条)', () => {
  it.each<[OrgKind, number, number, boolean]>([
    ['branch', 6, 0, false],
    ['branch', 7, 0, true],
    ['branch', 7, 2, true],
    ['branch', 7, 3, false],
    ['branch', 40, 5, false],
    ['jointBranch', 9, 1, true],
    ['generalBranch', 60, 0, false],
  ])('%s, %i full, %i committee posts → finding %s', (kind, fullMemberCount, committeePostsHeld, expected) => {
    const f = checkCommitteeRequired(input({ kind, fullMemberCount, committeePostsHeld }));
    expect(f !== null).toBe(expected);
    if (f) expect(f.message).toMatch(/应设立支部委员会/);
  });
});

describe('term expiry (DOMAIN §3.2)', () => {
  it.each<[string | null, string, string | null]>([
    ['2026-12-15', '2026-06-14', null],
    ['2026-12-15', '2026-06-15', 'dueSoon'], // exactly 6 months before
    ['2026-12-31', '2026-06-30', 'dueSoon'],
    ['2026-12-31', '2026-06-29', null],
    ['2026-06-15', '2026-06-15', 'dueSoon'], // the last day of the term
    ['2026-06-15', '2026-06-16', 'overdue'],
    ['2020-01-01', '2026-06-15', 'overdue'],
    [null, '2026-06-15', null],
  ])('term ends %s, today %s → %s', (termEnd, today, severity) => {
    const f = checkTermExpiry(input({ termEnd, today }));
    expect(f?.severity ?? null).toBe(severity);
    if (f) {
      expect(f.dueDate).toBe(termEnd);
      expect(f.message).toContain(termEnd as string);
    }
  });
});

describe('evaluateOrgStructure', () => {
  it('collects every finding', () => {
    const findings = evaluateOrgStructure(
      input({ fullMemberCount: 55, memberCount: 58, committeePostsHeld: 8, termEnd: '2026-01-01' }),
    );
    expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([
      ['structure.branchSize', 'info'],
      ['structure.committeeSize', 'info'],
      ['structure.termExpiry', 'overdue'],
    ]);
  });

  it('a healthy branch has none', () => {
    expect(evaluateOrgStructure(input({ fullMemberCount: 12, memberCount: 13, committeePostsHeld: 3, termEnd: '2028-03-01' }))).toEqual([]);
  });

  it('a small branch with an expired term', () => {
    const findings = evaluateOrgStructure(input({ fullMemberCount: 2, termEnd: '2026-06-01' }));
    expect(findings.map((f) => f.severity)).toEqual(['violation', 'overdue']);
  });
});

describe('termYears / termEndFrom (DOMAIN §3.2)', () => {
  it.each<[OrgKind, UnitType | null, number | null]>([
    ['basicCommittee', 'stateEnterprise', 5],
    ['basicCommittee', 'community', 5],
    ['generalBranch', 'agency', 3],
    ['generalBranch', 'village', 5],
    ['branch', 'school', 3],
    ['branch', 'community', 5],
    ['jointBranch', null, 3],
    ['temporaryBranch', null, null],
    ['townshipCommittee', null, null],
  ])('%s / %s → %s years', (kind, unitType, years) => {
    expect(termYears(kind, unitType)).toBe(years);
  });

  it('ends on the corresponding day', () => {
    expect(termEndFrom('2023-05-10', 'branch', 'agency')).toBe('2026-05-10');
    expect(termEndFrom('2021-04-20', 'branch', 'village')).toBe('2026-04-20');
    expect(termEndFrom('2024-02-29', 'branch', 'agency')).toBe('2027-02-28');
    expect(termEndFrom('2024-02-29', 'partyGroup')).toBeNull();
  });
});
