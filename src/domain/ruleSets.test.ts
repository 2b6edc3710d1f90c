import { describe, expect, it } from 'vitest';
import { MEMBERSHIP_1982, RULE_SETS, STRUCTURE_2018, ruleSetById, ruleSetInForce, type RuleSet } from './ruleSets.js';
import { isIsoDate } from './dates.js';

describe('rule set data', () => {
  it.each(RULE_SETS.map((s) => [s.id, s] as const))('%s: id, date and every constant cite DOMAIN.md', (id, set) => {
    expect(id).toMatch(new RegExp(`^${set.area}-\\d{4}$`));
    expect(isIsoDate(set.effectiveFrom)).toBe(true);
    expect(set.title).toMatch(/[\u4e00-\u9fff]/);
    for (const constant of Object.values(set.constants)) {
      expect(constant.source).toMatch(/^DOMAIN\.md §\d/);
      expect(['VERIFIED', 'SECONDARY', 'LOCAL', 'UNVERIFIED']).toContain(constant.status);
      expect(constant.label).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('structure-2018 values (DOMAIN §3.1, §3.2)', () => {
    const c = STRUCTURE_2018.constants;
    expect(c.BRANCH_MIN_FORMAL.value).toBe(3);
    expect(c.COMMITTEE_MIN_FORMAL.value).toBe(7);
    expect(c.COMMITTEE_SIZE.value).toEqual({ min: 3, max: 5, absoluteMax: 7 });
    expect(c.BRANCH_MAX_MEMBERS_NORMAL.value).toBe(50);
    expect(c.TERM_REMIND_MONTHS).toMatchObject({ value: 6, status: 'SECONDARY' });
    expect(c.TERM_YEARS.value).toEqual({ basicCommittee: 5, generalBranch: 3, branch: 3, villageOrCommunity: 5 });
  });

  it('membership-1982 values (DOMAIN §2.1, §2.3, §5)', () => {
    const c = MEMBERSHIP_1982.constants;
    expect(c.PROBATION_MONTHS.value).toBe(12);
    expect([c.EXTENSION_MIN_MONTHS.value, c.EXTENSION_MAX_MONTHS.value, c.EXTENSION_MAX_TIMES.value]).toEqual([6, 12, 1]);
    expect(c.MEDAL_PARTY_AGE_YEARS.value).toBe(50);
    expect(c.MEDAL_CUTOFF.value).toBe('07-01');
    expect(c.MIN_AGE.value).toBe(18);
  });
});

describe('ruleSetInForce / ruleSetById', () => {
  const sets: RuleSet[] = [
    { id: 'development-2014', area: 'development', effectiveFrom: '2014-06-01', title: '细则2014', constants: {} },
    { id: 'development-2026', area: 'development', effectiveFrom: '2026-05-18', title: '细则2026', constants: {} },
  ];

  it.each([
    ['2014-05-31', null],
    ['2014-06-01', 'development-2014'],
    ['2026-05-17', 'development-2014'],
    ['2026-05-18', 'development-2026'],
    ['2030-01-01', 'development-2026'],
  ])('development on %s → %s', (date, id) => {
    expect(ruleSetInForce('development', date, sets)?.id ?? null).toBe(id);
  });

  it('built-in areas', () => {
    expect(ruleSetInForce('structure', '2026-01-01')?.id).toBe('structure-2018');
    expect(ruleSetInForce('structure', '2017-01-01')).toBeNull();
    expect(ruleSetInForce('membership', '2026-01-01')?.id).toBe('membership-1982');
    expect(ruleSetInForce('dues', '2026-01-01')).toBeNull();
    expect(ruleSetById('structure-2018')).toBe(STRUCTURE_2018);
    expect(ruleSetById('nope')).toBeNull();
  });
});
