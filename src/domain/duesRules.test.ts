import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isIsoDate } from './dates.js';
import { ruleSetInForce } from './ruleSets.js';
import { DUES_CATEGORIES, type DuesCategory } from './vocab.js';
import {
  previousQuarterMonths, selfEmployedBase,
  DUES_2008, DUES_2017, DUES_RULE_SETS, DEFAULT_ROUNDING, baseFromPaySlip, duesRuleSetFor, isCentralGift, monthlyDue, roundFen,
  type DueOptions, type Rounding,
} from './duesRules.js';

/** Table-driven from DOMAIN.md §1.2, §1.3 and §1.7. Money in fen: 3000元 = 300000. */
const opts2008: DueOptions = { ruleSet: DUES_2008, rounding: DEFAULT_ROUNDING };
const opts2017: DueOptions = { ruleSet: DUES_2017, rounding: DEFAULT_ROUNDING, capFen: 100_000 };
const due = (category: DuesCategory, baseFen: number | null, o: DueOptions = opts2017, flatFen?: number | null) => {
  const r = monthlyDue({ category, baseFen, flatFen }, o);
  if (!r.ok) throw new Error(r.error);
  return r.dueFen;
};

describe('dues rule set data', () => {
  it.each(DUES_RULE_SETS.map((s) => [s.id, s] as const))('%s cites DOMAIN.md §1 for every constant', (_id, set) => {
    expect(set.id).toMatch(/^dues-\d{4}$/);
    expect(isIsoDate(set.effectiveFrom)).toBe(true);
    for (const c of Object.values(set.constants)) {
      expect(c.source).toMatch(/^DOMAIN\.md §1\.\d$/);
      expect(c.label).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('the rule set in force: 2008 from 2008-04-01, 2017 from 2017; a 2015 base uses dues-2008 even when 2017 is preferred', () => {
    expect(ruleSetInForce('dues', '2010-01-01', DUES_RULE_SETS)?.id).toBe('dues-2008');
    expect(ruleSetInForce('dues', '2026-01-01', DUES_RULE_SETS)?.id).toBe('dues-2017');
    expect(ruleSetInForce('dues', '2008-03-31', DUES_RULE_SETS)).toBeNull();
    expect(duesRuleSetFor('2015-06-01').id).toBe('dues-2008');
    expect(duesRuleSetFor('2026-01-01').id).toBe('dues-2017');
    expect(duesRuleSetFor('2026-01-01', 'dues-2008').id).toBe('dues-2008');
  });
});

describe('in-service brackets (第二条): whole base, upper bounds inclusive', () => {
  it.each([
    ['0 元', 0, 0],
    ['1 元', 100, 1], // 0.5 fen rounds half up to 1 fen
    ['2000 元', 200_000, 1_000],
    ['3000 元 exactly → 0.5%', 300_000, 1_500],
    ['3000.01 元 → 1%', 300_001, 3_000],
    ['4000 元', 400_000, 4_000],
    ['5000 元 exactly → 1%', 500_000, 5_000],
    ['5000.01 元 → 1.5%', 500_001, 7_500],
    ['8000 元 (the DOMAIN.md example: 120 元)', 800_000, 12_000],
    ['10000 元 exactly → 1.5%', 1_000_000, 15_000],
    ['10000.01 元 → 2%', 1_000_001, 20_000],
    ['20000 元', 2_000_000, 40_000],
  ])('%s', (_label, base, expected) => {
    for (const cat of ['inService', 'annualSalary', 'selfEmployed'] as const) {
      expect(due(cat, base, opts2008)).toBe(expected);
      expect(due(cat, base, opts2017)).toBe(expected);
    }
  });

  it('dues-2017 caps the computed due at the setting (1000 元 default); dues-2008 has no cap', () => {
    expect(due('inService', 5_000_000, opts2017)).toBe(100_000);
    expect(due('inService', 5_000_000, opts2008)).toBe(100_000);
    expect(due('inService', 6_000_000, opts2017)).toBe(100_000);
    expect(due('inService', 6_000_000, opts2008)).toBe(120_000);
    expect(due('inService', 6_000_000, { ...opts2017, capFen: 50_000 })).toBe(50_000);
    const r = monthlyDue({ category: 'inService', baseFen: 6_000_000 }, opts2017);
    expect(r).toMatchObject({ ok: true, capped: true, uncappedFen: 120_000 });
    if (r.ok) expect(r.explanation).toContain('上限');
  });
});

describe('retirees (第五条)', () => {
  it.each([
    ['3000 元', 300_000, 1_500],
    ['5000 元 exactly → 0.5%', 500_000, 2_500],
    ['5000.01 元 → 1%', 500_001, 5_000],
    ['10000.01 元 → still 1%', 1_000_001, 10_000],
  ])('%s', (_l, base, expected) => {
    expect(due('retired', base, opts2008)).toBe(expected);
    expect(due('retired', base, opts2017)).toBe(expected);
  });
});

describe('flat amounts (第六条, §1.7)', () => {
  it.each([['student'], ['unemployed'], ['relief'], ['dibao']] as const)('%s pays 0.20 元', (cat) => {
    expect(due(cat, null)).toBe(20);
    expect(due(cat, 900_000)).toBe(20); // a base does not change a flat category
  });

  it('farmers pay 0.20–1.00 元: the tenant default, a stated standard, refused outside the range', () => {
    expect(due('farmer', null)).toBe(20);
    expect(due('farmer', null, { ...opts2017, farmerDefaultFen: 50 })).toBe(50);
    expect(due('farmer', null, opts2017, 100)).toBe(100);
    expect(due('farmer', null, opts2017, 20)).toBe(20);
    for (const bad of [19, 101, 0]) {
      const r = monthlyDue({ category: 'farmer', flatFen: bad }, opts2017);
      expect(r).toMatchObject({ ok: false, field: 'flatFen' });
      if (!r.ok) expect(r.error).toContain('自愿多交');
    }
  });

  it('a farmer who declares an average monthly income pays under the in-service brackets', () => {
    expect(due('farmer', 400_000)).toBe(4_000);
    expect(due('farmer', 300_000)).toBe(1_500);
  });

  it('other: the amount the branch sets; missing → refused', () => {
    expect(due('other', null, opts2017, 500)).toBe(500);
    expect(monthlyDue({ category: 'other' }, opts2017)).toMatchObject({ ok: false, field: 'flatFen' });
  });

  it('every category has a rule', () => {
    for (const { key } of DUES_CATEGORIES) {
      const r = monthlyDue({ category: key, baseFen: 400_000, flatFen: 50 }, opts2017);
      expect(r.ok, key).toBe(true);
    }
  });

  it('a bracket category without a base is refused with a Chinese message', () => {
    const r = monthlyDue({ category: 'inService' }, opts2017);
    expect(r).toMatchObject({ ok: false, field: 'baseFen' });
    expect(monthlyDue({ category: 'retired', baseFen: -1 }, opts2017).ok).toBe(false);
  });
});

describe('rounding (setting: unit 分/角/元, mode half-up or up)', () => {
  const r = (unit: Rounding['unit'], mode: Rounding['mode']): DueOptions => ({ ...opts2017, rounding: { unit, mode } });
  it.each([
    // base 4567.89 元 × 1% = 45.6789 元
    ['fen', 'halfUp', 456_789, 4_568],
    ['fen', 'up', 456_789, 4_568],
    ['jiao', 'halfUp', 456_789, 4_570],
    ['jiao', 'up', 456_789, 4_570],
    ['yuan', 'halfUp', 456_789, 4_600],
    ['yuan', 'up', 456_789, 4_600],
    // base 3050 元 × 1% = 30.50 元: half-up to 元 gives 31, up gives 31; 3040 元 → 30.40: half-up 30, up 31
    ['yuan', 'halfUp', 305_000, 3_100],
    ['yuan', 'halfUp', 304_000, 3_000],
    ['yuan', 'up', 304_000, 3_100],
    // base 1234.50 元 × 0.5% = 6.1725 元
    ['fen', 'halfUp', 123_450, 617],
    ['fen', 'up', 123_450, 618],
    ['jiao', 'halfUp', 123_450, 620],
    ['jiao', 'up', 123_450, 620],
    // exact amounts are never moved by "up"
    ['yuan', 'up', 400_000, 4_000],
  ] as const)('%s %s: base %i fen → %i fen', (unit, mode, base, expected) => {
    expect(due('inService', base, r(unit, mode))).toBe(expected);
  });

  it('roundFen refuses negative or fractional input', () => {
    expect(() => roundFen(-1, 1000, DEFAULT_ROUNDING)).toThrow();
    expect(() => roundFen(1.5, 1000, DEFAULT_ROUNDING)).toThrow();
  });
});

describe('properties', () => {
  const bracketCats = ['inService', 'annualSalary', 'selfEmployed', 'retired', 'farmer'] as const;
  const rounding = fc.record({ unit: fc.constantFrom('fen', 'jiao', 'yuan'), mode: fc.constantFrom('halfUp', 'up') }) as fc.Arbitrary<Rounding>;
  const set = fc.constantFrom(DUES_2008, DUES_2017);

  it('the due is monotone in the base within a category (whole-base rates only step up)', () => {
    fc.assert(fc.property(fc.constantFrom(...bracketCats), fc.nat(3_000_000), fc.nat(3_000_000), rounding, set, (cat, a, b, rd, rs) => {
      const o: DueOptions = { ruleSet: rs, rounding: rd, capFen: 100_000 };
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      return due(cat, lo, o) <= due(cat, hi, o);
    }));
  });

  it('the due is never negative and never above the cap under dues-2017', () => {
    fc.assert(fc.property(fc.constantFrom(...bracketCats), fc.nat(1_000_000_000), rounding, (cat, base, rd) => {
      const d = due(cat, base, { ruleSet: DUES_2017, rounding: rd, capFen: 100_000 });
      return d >= 0 && d <= 100_000;
    }));
  });

  it('rounding moves a due by less than one unit', () => {
    fc.assert(fc.property(fc.nat(100_000_000), fc.constantFrom(5, 10, 15, 20), rounding, (base, permille, rd) => {
      const exact = (base * permille) / 1000;
      const unit = { fen: 1, jiao: 10, yuan: 100 }[rd.unit];
      const got = roundFen(base * permille, 1000, rd);
      return got % unit === 0 && Math.abs(got - exact) < unit + 1e-9 && (rd.mode === 'halfUp' || got >= exact - 1e-9);
    }));
  });
});

describe('base from a pay slip (§1.1)', () => {
  const slip = [
    { label: '岗位工资', kind: 'fixedPay', amountFen: 400_000 },
    { label: '薪级工资', kind: 'fixedPay', amountFen: 200_000 },
    { label: '基础性绩效', kind: 'basicPerformance', amountFen: 150_000 },
    { label: '奖励性绩效', kind: 'rewardPerformance', amountFen: 100_000 },
    { label: '住房补贴', kind: 'reformSubsidy', amountFen: 80_000 },
    { label: '年终一次性奖励', kind: 'oneOff', amountFen: 500_000 },
    { label: '个人所得税', kind: 'incomeTax', amountFen: 30_000 },
    { label: '养老保险', kind: 'socialInsurance', amountFen: 60_000 },
    { label: '住房公积金', kind: 'housingFund', amountFen: 90_000 },
    { label: '职业年金', kind: 'occupationalAnnuity', amountFen: 30_000 },
  ] as const;

  it('dues-2017 excludes 五险一金, annuities and 奖励性绩效; the pay slip shows every line', () => {
    const r = baseFromPaySlip(slip, DUES_2017);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // 4000 + 2000 + 1500 − 300 − 600 − 900 − 300 = 5400 元
    expect(r.baseFen).toBe(540_000);
    expect(r.lines.find((l) => l.kind === 'rewardPerformance')).toMatchObject({ included: false, effect: 0 });
    expect(r.lines.find((l) => l.kind === 'housingFund')).toMatchObject({ included: true, effect: -1 });
  });

  it('dues-2008 removes only the income tax and counts 绩效工资', () => {
    const r = baseFromPaySlip(slip, DUES_2008);
    // 4000 + 2000 + 1500 + 1000 − 300 = 8200 元
    expect(r).toMatchObject({ ok: true, baseFen: 820_000 });
  });

  it('both rule sets leave out reform subsidies and one-off payments; a one-off can never be included', () => {
    for (const set of [DUES_2008, DUES_2017]) {
      const r = baseFromPaySlip(slip, set);
      if (!r.ok) throw new Error(r.error);
      expect(r.lines.find((l) => l.kind === 'reformSubsidy')!.effect).toBe(0);
      expect(r.lines.find((l) => l.kind === 'oneOff')!.effect).toBe(0);
    }
    expect(baseFromPaySlip([{ label: '年终奖', kind: 'oneOff', amountFen: 1, included: true }], DUES_2017)).toMatchObject({ ok: false });
  });

  it('an item may be included or left out explicitly; the base is never negative', () => {
    const r = baseFromPaySlip([{ label: '岗位津贴', kind: 'excludedAllowance', amountFen: 10_000, included: true }, { label: '个税', kind: 'incomeTax', amountFen: 50_000 }], DUES_2017);
    expect(r).toMatchObject({ ok: true, baseFen: 0 });
  });
});

describe('voluntary dues (第十一条)', () => {
  it('a single voluntary payment of 1000 元 or more is flagged for the Centre', () => {
    expect(isCentralGift(99_999)).toBe(false);
    expect(isCentralGift(100_000)).toBe(true);
    expect(isCentralGift(250_000, DUES_2008)).toBe(true);
  });
});

describe('self-employed base: average monthly net income of the previous quarter (第四条, DOMAIN.md §1.1)', () => {
  it.each([
    ['2026-04', ['2026-01', '2026-02', '2026-03']],
    ['2026-06', ['2026-01', '2026-02', '2026-03']],
    ['2026-07', ['2026-04', '2026-05', '2026-06']],
    ['2026-01', ['2025-10', '2025-11', '2025-12']],
    ['2026-03', ['2025-10', '2025-11', '2025-12']],
  ])('a base effective in %s averages %j', (month, expected) => {
    expect(previousQuarterMonths(month)).toEqual(expected);
  });

  const inc = (month: string, yuan: number) => ({ month, netIncomeFen: Math.round(yuan * 100) });
  it.each<[string, string, ReturnType<typeof inc>[], number | string]>([
    ['three months', '2026-04', [inc('2026-01', 3000), inc('2026-02', 4000), inc('2026-03', 5000)], 400000],
    ['fewer months: the average is over the months available', '2026-04', [inc('2026-02', 4000), inc('2026-03', 5000)], 450000],
    ['one month only', '2026-04', [inc('2026-03', 5000)], 500000],
    ['a month of zero income counts as a month', '2026-04', [inc('2026-01', 0), inc('2026-02', 3000), inc('2026-03', 6000)], 300000],
    ['all zero gives a zero base', '2026-04', [inc('2026-01', 0), inc('2026-02', 0), inc('2026-03', 0)], 0],
    ['rounded half up to the fen', '2026-04', [inc('2026-01', 0.01), inc('2026-02', 0.01), inc('2026-03', 0)], 1],
    ['rounded down below half a fen', '2026-04', [inc('2026-01', 0.01), inc('2026-02', 0), inc('2026-03', 0)], 0],
    ['across the year boundary', '2026-02', [inc('2025-10', 1000), inc('2025-11', 2000), inc('2025-12', 3000)], 200000],
    ['a month outside the previous quarter is refused', '2026-04', [inc('2026-04', 5000)], '2026年4月不在上一季度（2026年第一季度）内'],
    ['a month twice is refused', '2026-04', [inc('2026-01', 1), inc('2026-01', 2)], '2026年1月重复填写'],
    ['no month at all is refused', '2026-04', [], '请填写上一季度（2026年第一季度）各月纯收入'],
    ['a negative income is refused', '2026-04', [{ month: '2026-01', netIncomeFen: -1 }], '2026年1月纯收入无效'],
  ])('%s', (_name, month, incomes, expected) => {
    const r = selfEmployedBase(month, incomes);
    if (typeof expected === 'number') {
      expect(r.ok && r.baseFen).toBe(expected);
    } else {
      expect(r).toEqual({ ok: false, error: expected });
    }
  });

  it('explains the average in Chinese', () => {
    const r = selfEmployedBase('2026-04', [inc('2026-02', 4000), inc('2026-03', 5000)]);
    expect(r.ok && r.explanation).toBe('2026年第一季度（有收入记录的2个月）月平均纯收入4500.00元（合计9000.00元÷2）');
  });
});
