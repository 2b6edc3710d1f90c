import { describe, expect, it } from 'vitest';
import { DEFAULT_TREE, figureScore, proposeGrade, ratingScore, treeMax } from './assessmentRules.js';
import { monthsBetween, quarterRanges } from './weakOrgRules.js';

describe('assessment arithmetic (hundredths)', () => {
  const deduct = { kind: 'deductPer' as const, figure: { id: 'x' }, per: 0.5, cap: 5 };
  it('deducts per unit up to the cap, and leaves a missing figure missing', () => {
    expect(figureScore(deduct, 5, 3)).toBe(350);
    expect(figureScore(deduct, 5, 40)).toBe(0);
    expect(figureScore({ ...deduct, minus: { id: 'y' } }, 5, 4, 3)).toBe(450);
    expect(figureScore({ ...deduct, minus: { id: 'y' } }, 5, 4, null)).toBeNull();
    expect(figureScore(deduct, 5, null)).toBeNull();
  });
  it('awards per unit up to the max, scales a percent', () => {
    expect(figureScore({ kind: 'awardPer', figure: { id: 'x' }, per: 0.05 }, 30, 123)).toBe(615);
    expect(figureScore({ kind: 'awardPer', figure: { id: 'x' }, per: 0.05 }, 30, 1000)).toBe(3000);
    expect(figureScore({ kind: 'percent', figure: { id: 'x' } }, 20, 87.5)).toBe(1750);
  });
  it('weights on-site ratings and proposes grades from cut-offs', () => {
    expect(ratingScore(30, { 好: 20, 较好: 5, 一般: 1, 差: 0 }, { 好: 1, 较好: 0.8, 一般: 0.6, 差: 0 })).toBe(2838);
    expect(ratingScore(30, {}, { 好: 1 })).toBeNull();
    const cut = [{ grade: '好', min: 90 }, { grade: '较好', min: 80 }, { grade: '一般', min: 60 }, { grade: '差', min: 0 }];
    expect([95, 90, 89.99, 60, 12].map((t) => proposeGrade(t, cut))).toEqual(['好', '好', '较好', '一般', '差']);
  });
  it('the default tree sums to 100', () => {
    expect(treeMax(DEFAULT_TREE)).toBe(100);
  });
});

describe('weak-organization calendar helpers', () => {
  it('counts whole months and quarters', () => {
    expect(monthsBetween('2026-06-30', '2026-11-20')).toBe(4);
    expect(monthsBetween('2026-10-01', '2026-11-20')).toBe(1);
    expect(quarterRanges(2025).map((q) => q.to)).toEqual(['2025-03-31', '2025-06-30', '2025-09-30', '2025-12-31']);
  });
});
