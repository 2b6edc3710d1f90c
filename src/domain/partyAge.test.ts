import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ADMISSION_PERIODS,
  admissionPeriodOf,
  deriveFullOn,
  medalCutoff,
  medalEligibility,
  partyAge,
  probationEnd,
  probationOverdue,
  type FullOnInput,
} from './partyAge.js';
import { addDays, fromDayNumber, toDayNumber } from './dates.js';

describe('ADMISSION_PERIODS (DOMAIN §5)', () => {
  it('are consecutive and cover every date', () => {
    for (let i = 1; i < ADMISSION_PERIODS.length; i += 1) {
      expect(ADMISSION_PERIODS[i].from).toBe(addDays(ADMISSION_PERIODS[i - 1].to as string, 1));
    }
    expect(ADMISSION_PERIODS[0].from).toBeUndefined();
    expect(ADMISSION_PERIODS[ADMISSION_PERIODS.length - 1].to).toBeUndefined();
  });

  it.each([
    ['1949-01-01', 'pre1969'],
    ['1969-03-31', 'pre1969'],
    ['1969-04-01', '1969to1977'],
    ['1977-08-11', '1969to1977'],
    ['1977-08-12', '1977to1982'],
    ['1982-09-05', '1977to1982'],
    ['1982-09-06', 'current'],
    ['2026-05-18', 'current'],
  ])('%s → %s', (d, key) => {
    expect(admissionPeriodOf(d).key).toBe(key);
  });
});

describe('deriveFullOn', () => {
  it.each<[FullOnInput, string | null, string, boolean | undefined]>([
    // today's rules: one year from the branch assembly
    [{ admittedOn: '2020-07-01' }, '2021-07-01', 'current', undefined],
    [{ admittedOn: '2024-02-29' }, '2025-02-28', 'current', undefined],
    [{ admittedOn: '2020-07-01', extensionMonths: 6 }, '2022-01-01', 'current', undefined],
    [{ admittedOn: '2020-08-31', extensionMonths: 6 }, '2022-02-28', 'current', undefined],
    [{ admittedOn: '2020-07-01', extensionMonths: 12 }, '2022-07-01', 'current', undefined],
    [{ admittedOn: '2020-07-01', extensionMonths: 0 }, '2021-07-01', 'current', undefined],
    // approvedOn does not matter today
    [{ admittedOn: '2020-07-01', approvedOn: '2020-09-15' }, '2021-07-01', 'current', undefined],
    // 1956-09-15 .. 1969-03-31: one year from the branch assembly
    [{ admittedOn: '1965-03-10' }, '1966-03-10', 'pre1969', undefined],
    [{ admittedOn: '1956-09-15' }, '1957-09-15', 'pre1969', undefined],
    // 1969-04-01 .. 1977-08-11: no probation, 党龄 from the approval
    [{ admittedOn: '1971-05-20', approvedOn: '1971-06-30' }, '1971-06-30', '1969to1977', undefined],
    [{ admittedOn: '1971-06-30' }, '1971-06-30', '1969to1977', true],
    // 1977-08-12 .. 1982-09-05: a year from the approval as 预备党员
    [{ admittedOn: '1980-03-01', approvedOn: '1980-04-15' }, '1981-04-15', '1977to1982', undefined],
    [{ admittedOn: '1980-04-15' }, '1981-04-15', '1977to1982', true],
    [{ admittedOn: '1980-03-01', approvedOn: '1980-04-15', extensionMonths: 6 }, '1981-10-15', '1977to1982', undefined],
  ])('%j → %s (%s)', (input, fullOn, period, needsApprovalDate) => {
    const result = deriveFullOn(input);
    expect(result.fullOn).toBe(fullOn);
    expect(result.period).toBe(period);
    expect(result.needsApprovalDate).toBe(needsApprovalDate);
    expect(result.note.length).toBeGreaterThan(10);
  });

  it('explains the derivation in Chinese', () => {
    expect(deriveFullOn({ admittedOn: '2020-07-01' }).note).toBe(
      '入党时间2020-07-01（支部大会通过之日），预备期一年，党龄自预备期满之日2021-07-01起算',
    );
    expect(deriveFullOn({ admittedOn: '1971-06-30' }).note).toMatch(/没有预备期.*未填上级党委批准日期/);
    expect(deriveFullOn({ admittedOn: '1980-04-15', approvedOn: '1980-04-15' }).note).toMatch(/^1977年8月12日至1982年9月5日入党的/);
    expect(deriveFullOn({ admittedOn: '1971-06-30', approvedOn: '1971-07-01', extensionMonths: 6 }).note).toMatch(/延长预备期不适用/);
  });

  it('does not guess probation before 1956-09-15', () => {
    const result = deriveFullOn({ admittedOn: '1948-06-01' });
    expect(result).toMatchObject({ fullOn: null, period: 'pre1969', needsConfirmation: true });
    expect(result.note).toMatch(/请根据档案录入转正时间/);
  });

  it('flags an approval in a different period', () => {
    const result = deriveFullOn({ admittedOn: '1969-03-20', approvedOn: '1969-04-10' });
    expect(result.needsConfirmation).toBe(true);
    expect(result.note).toMatch(/分属不同时期/);
  });

  it.each([3, 5, 13, 6.5, -6])('refuses an extension of %s months (§2.3: 6–12)', (months) => {
    expect(() => deriveFullOn({ admittedOn: '2020-07-01', extensionMonths: months })).toThrow(/延长预备期应为6至12个月/);
  });

  it('property: today fullOn is admittedOn + 1 year and never earlier than admittedOn', () => {
    fc.assert(
      fc.property(fc.integer({ min: toDayNumber('1982-09-06'), max: toDayNumber('2100-12-31') }).map(fromDayNumber), (d) => {
        const { fullOn } = deriveFullOn({ admittedOn: d });
        expect(fullOn).toBe(probationEnd(d));
        expect(fullOn !== null && fullOn > d).toBe(true);
      }),
    );
  });
});

describe('partyAge', () => {
  it.each<[string | null, string, number | null]>([
    ['2021-07-01', '2026-06-30', 4],
    ['2021-07-01', '2026-07-01', 5],
    ['2021-07-01', '2021-07-01', 0],
    ['2021-07-01', '2021-06-30', null], // still probationary on that date
    [null, '2026-07-01', null],
    ['1976-07-01', '2026-07-01', 50],
  ])('partyAge(%s, %s) = %s', (fullOn, on, expected) => {
    expect(partyAge(fullOn, on)).toBe(expected);
  });
});

describe('medalEligibility (DOMAIN §5)', () => {
  const base = { alive: true, fullOn: '1976-07-01' as string | null, alreadyAwarded: false, conductConfirmed: true };

  it('cutoff', () => {
    expect(medalCutoff(2026)).toBe('1976-07-01');
    expect(medalCutoff(2021)).toBe('1971-07-01');
  });

  it.each<[Partial<typeof base>, number, string]>([
    [{}, 2026, 'eligible'], // exactly on the cutoff
    [{ fullOn: '1976-07-02' }, 2026, 'notEligible'], // one day late
    [{ fullOn: '1976-07-02' }, 2027, 'eligible'],
    [{ conductConfirmed: false }, 2026, 'pendingConduct'],
    [{ alive: false }, 2026, 'notEligible'],
    [{ alreadyAwarded: true }, 2026, 'notEligible'],
    [{ fullOn: null }, 2026, 'notEligible'],
    [{ fullOn: '1960-01-01' }, 2021, 'eligible'],
    [{ fullOn: '1960-01-01' }, 2020, 'notEligible'], // first awarded in 2021
    // a member admitted 1970 (no probation) reaches 50 years with the approval date, not +1 year
    [{ fullOn: deriveFullOn({ admittedOn: '1971-06-30' }).fullOn }, 2021, 'eligible'],
    [{ fullOn: '1971-07-02', alreadyAwarded: false, conductConfirmed: false }, 2021, 'notEligible'],
  ])('%j in %i → %s', (patch, year, expected) => {
    expect(medalEligibility({ ...base, ...patch }, year)).toBe(expected);
  });
});

describe('probationOverdue', () => {
  it.each<[string, string, number | undefined, boolean]>([
    ['2025-07-01', '2026-07-01', undefined, false], // the last day of the probation
    ['2025-07-01', '2026-07-02', undefined, true],
    ['2025-07-01', '2026-06-30', undefined, false],
    ['2025-07-01', '2026-07-02', 6, false],
    ['2025-07-01', '2027-01-01', 6, false],
    ['2025-07-01', '2027-01-02', 6, true],
    ['2024-02-29', '2025-03-01', undefined, true],
    ['2024-02-29', '2025-02-28', undefined, false],
  ])('admitted %s, today %s, extension %s → %s', (admittedOn, today, extension, expected) => {
    expect(probationOverdue(admittedOn, today, extension)).toBe(expected);
  });
});
