import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ADMISSION_PERIOD_BANDS,
  ADMISSION_PERIOD_BANDS_DETAILED,
  AGE_BANDS,
  AGE_BANDS_DETAILED,
  DEVELOPMENT_AGE_BANDS,
  PARTY_AGE_BANDS,
  ageBandCutoffs,
  bandOf,
  cutoffContains,
  dateBandOf,
  latestStartForYears,
  partyAgeBandCutoffs,
  type DateBand,
  type YearBand,
} from './bands.js';
import { addDays, completedYears, fromDayNumber, toDayNumber } from './dates.js';
import { partyAge } from './partyAge.js';

const dateArb = (from: string, to: string) =>
  fc.integer({ min: toDayNumber(from), max: toDayNumber(to) }).map(fromDayNumber);

describe('year band layouts partition the integers', () => {
  it.each<[string, readonly YearBand[]]>([
    ['AGE_BANDS', AGE_BANDS],
    ['AGE_BANDS_DETAILED', AGE_BANDS_DETAILED],
    ['DEVELOPMENT_AGE_BANDS', DEVELOPMENT_AGE_BANDS],
    ['PARTY_AGE_BANDS', PARTY_AGE_BANDS],
  ])('%s: each value 0..150 lies in exactly one band', (_name, bands) => {
    for (let v = 0; v <= 150; v += 1) {
      const holders = bands.filter(
        (b) => !b.matchesNull && (b.min === undefined || v >= b.min) && (b.max === undefined || v <= b.max),
      );
      expect(holders).toHaveLength(1);
    }
    expect(bands.filter((b) => b.matchesNull)).toHaveLength(bands === PARTY_AGE_BANDS ? 1 : 0);
  });
});

describe('date band layouts partition the calendar', () => {
  it.each<[string, readonly DateBand[]]>([
    ['ADMISSION_PERIOD_BANDS', ADMISSION_PERIOD_BANDS],
    ['ADMISSION_PERIOD_BANDS_DETAILED', ADMISSION_PERIOD_BANDS_DETAILED],
  ])('%s: consecutive, without gaps or overlaps', (_name, bands) => {
    expect(bands[0].from).toBeUndefined();
    expect(bands[bands.length - 1].to).toBeUndefined();
    for (let i = 1; i < bands.length; i += 1) {
      expect(bands[i].from).toBe(addDays(bands[i - 1].to as string, 1));
    }
  });

  it('each detailed period lies inside one communiqué period', () => {
    for (const fine of ADMISSION_PERIOD_BANDS_DETAILED) {
      const start = dateBandOf(ADMISSION_PERIOD_BANDS, 'from' in fine ? fine.from : '1900-01-01');
      const end = dateBandOf(ADMISSION_PERIOD_BANDS, 'to' in fine ? fine.to : '2100-12-31');
      expect(start?.key).toBe(end?.key);
    }
  });
});

describe('bandOf / dateBandOf', () => {
  it.each<[number | null, string | undefined]>([
    [18, 'le30'],
    [30, 'le30'],
    [31, '31_35'],
    [35, '31_35'],
    [60, '56_60'],
    [61, 'ge61'],
    [99, 'ge61'],
    [null, undefined],
  ])('AGE_BANDS: %s → %s', (age, key) => {
    expect(bandOf(AGE_BANDS, age)?.key).toBe(key);
  });

  it.each<[number | null, string]>([
    [0, 'lt10'],
    [9, 'lt10'],
    [10, '10_19'],
    [49, '40_49'],
    [50, 'ge50'],
    [null, 'probationary'],
  ])('PARTY_AGE_BANDS: %s → %s', (years, key) => {
    expect(bandOf(PARTY_AGE_BANDS, years)?.key).toBe(key);
  });

  it.each([
    ['1945-08-15', 'beforePrc', '1937to1945'],
    ['1949-09-30', 'beforePrc', '1945to1949'],
    ['1949-10-01', 'prcTo3rdPlenum', '1949to1966'],
    ['1978-12-22', 'prcTo3rdPlenum', '1976to1978'],
    ['1979-01-01', '3rdPlenumTo18th', '1979to2002'],
    ['2012-10-31', '3rdPlenumTo18th', '2002to2012'],
    ['2012-11-01', 'since18th', 'since2012'],
    ['2026-07-01', 'since18th', 'since2012'],
    ['1921-07-01', 'beforePrc', 'before1937'],
  ])('admission %s → %s / %s', (d, coarse, fine) => {
    expect(dateBandOf(ADMISSION_PERIOD_BANDS, d)?.key).toBe(coarse);
    expect(dateBandOf(ADMISSION_PERIOD_BANDS_DETAILED, d)?.key).toBe(fine);
  });
});

describe('ageBandCutoffs', () => {
  it('on 2026-12-31', () => {
    const cutoffs = ageBandCutoffs(AGE_BANDS, '2026-12-31');
    expect(cutoffs[0]).toEqual({ key: 'le30', label: '30岁及以下', from: '1996-01-01', to: null, includesNull: false });
    expect(cutoffs[1]).toEqual({ key: '31_35', label: '31至35岁', from: '1991-01-01', to: '1995-12-31', includesNull: false });
    expect(cutoffs[7]).toEqual({ key: 'ge61', label: '61岁及以上', from: null, to: '1965-12-31', includesNull: false });
  });

  it('on 2025-02-28 a 29 February birth has its birthday', () => {
    expect(latestStartForYears('2025-02-28', 1)).toBe('2024-02-29');
    expect(latestStartForYears('2024-02-29', 1)).toBe('2023-02-28');
    expect(latestStartForYears('2026-07-01', 0)).toBe('2026-07-01');
    const [le30] = ageBandCutoffs(AGE_BANDS, '2027-02-28');
    // a person born 1996-02-29 is 31 on 2027-02-28 under the month-end rule
    expect(le30.from).toBe('1996-03-01');
  });

  it.each<[string, readonly YearBand[]]>([
    ['AGE_BANDS', AGE_BANDS],
    ['AGE_BANDS_DETAILED', AGE_BANDS_DETAILED],
    ['DEVELOPMENT_AGE_BANDS', DEVELOPMENT_AGE_BANDS],
  ])('property (%s): bandOf(completedYears) is the band whose cutoff holds the birth date', (_name, bands) => {
    fc.assert(
      fc.property(dateArb('1880-01-01', '2100-12-31'), dateArb('1950-01-01', '2100-12-31'), (birth, on) => {
        const expected = bandOf(bands, completedYears(birth, on))?.key;
        const holders = ageBandCutoffs(bands, on).filter((c) => cutoffContains(c, birth));
        expect(holders.map((c) => c.key)).toEqual([expected]);
      }),
      { numRuns: 500 },
    );
  });

  it('property: leap-day births on the days around 28 February', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2060 }), fc.integer({ min: 0, max: 120 }), fc.integer({ min: -2, max: 2 }), (year, age, shift) => {
        const m4 = year - (year % 4);
        const leapYear = m4 % 100 === 0 && m4 % 400 !== 0 ? m4 + 4 : m4;
        const birth = `${leapYear}-02-29`;
        const on = addDays(`${String(leapYear + age).padStart(4, '0')}-02-28`, shift);
        const expected = bandOf(AGE_BANDS_DETAILED, completedYears(birth, on))?.key;
        const holders = ageBandCutoffs(AGE_BANDS_DETAILED, on).filter((c) => cutoffContains(c, birth));
        expect(holders.map((c) => c.key)).toEqual([expected]);
      }),
    );
  });
});

describe('partyAgeBandCutoffs', () => {
  it('on 2026-07-01', () => {
    const cutoffs = partyAgeBandCutoffs('2026-07-01');
    expect(cutoffs.find((c) => c.key === 'lt10')).toMatchObject({ from: '2016-07-02', to: '2026-07-01' });
    expect(cutoffs.find((c) => c.key === 'ge50')).toMatchObject({ from: null, to: '1976-07-01' });
    expect(cutoffs.find((c) => c.key === 'probationary')).toMatchObject({
      from: '2026-07-02',
      to: null,
      includesNull: true,
    });
  });

  it('property: bandOf(partyAge) is the band whose cutoff holds fullOn (or NULL)', () => {
    fc.assert(
      fc.property(
        fc.option(dateArb('1921-07-01', '2100-12-31'), { nil: null }),
        dateArb('1950-01-01', '2100-12-31'),
        (fullOn, on) => {
          const expected = bandOf(PARTY_AGE_BANDS, partyAge(fullOn, on))?.key;
          const holders = partyAgeBandCutoffs(on).filter((c) => cutoffContains(c, fullOn));
          expect(holders.map((c) => c.key)).toEqual([expected]);
        },
      ),
      { numRuns: 500 },
    );
  });
});
