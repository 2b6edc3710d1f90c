import { z } from 'zod';
import type { IndicatorTree } from '../../domain/assessmentRules.js';

/**
 * The indicator tree's schema (DOMAIN.md §9.1), validated on save. The types and arithmetic are pure
 * domain code in src/domain/assessmentRules.ts; this schema must parse to exactly those types.
 */
const key = z.string().regex(/^[a-z][A-Za-z0-9]{0,39}$/, '编号应以小写字母开头，只含字母和数字');
const plain = (max: number, label: string) =>
  z.string().trim().min(1, `请填写${label}`).max(max, `${label}不超过 ${max} 字`).refine((s) => !/[<>]/.test(s), `${label}不能包含 < 或 > 等标记字符`);
/** Up to two decimals, 0–100. */
const points = z.number().min(0, '分值不能为负').max(100, '分值不超过 100').refine((n) => Math.abs(Math.round(n * 100) - n * 100) < 1e-9, '分值最多两位小数');

/** A registered figure, over the scored org's subtree and the session year; `key` picks one breakdown item of `by`. */
export const figureRef = z.object({
  id: z.string().min(1).max(80),
  by: z.string().max(40).optional(),
  key: z.string().max(80).optional(),
});

export const scoringRule = z.discriminatedUnion('kind', [
  /** 扣分: (figure − minus) units, `per` deducted for each, at most `cap` (default the max score). */
  z.object({ kind: z.literal('deductPer'), figure: figureRef, minus: figureRef.optional(), per: points, cap: points.optional() }),
  /** 加分/计分: `per` for each unit of the figure, at most the max score. */
  z.object({ kind: z.literal('awardPer'), figure: figureRef, per: points }),
  /** 按比例: max score × figure% ÷ 100 (a percent figure). */
  z.object({ kind: z.literal('percent'), figure: figureRef }),
  /** 现场测评: counts per grade, weighted by the `assessment.ratingWeights` setting, scaled to the max score. */
  z.object({ kind: z.literal('rating') }),
  /** 人工评分: typed by the committee with a mandatory note. */
  z.object({ kind: z.literal('manual') }),
]);

export const indicator = z.object({
  key, label: plain(100, '指标名称'), maxScore: points.refine((n) => n > 0, '满分应大于 0'), rule: scoringRule,
  /** What the committee looks at (考核依据). */
  evidence: plain(300, '考核依据'),
});

export const indicatorTree = z.object({
  categories: z.array(z.object({ key, label: plain(60, '类别名称'), indicators: z.array(indicator).min(1, '每个类别至少一项指标').max(60) })).min(1, '至少一个类别').max(20),
}).superRefine((t, c) => {
  const seen = new Set<string>();
  for (const cat of t.categories) for (const i of cat.indicators) {
    if (seen.has(i.key)) c.addIssue({ code: 'custom', message: `指标编号 ${i.key} 重复` });
    seen.add(i.key);
    if (i.rule.kind === 'deductPer' && i.rule.cap !== undefined && i.rule.cap > i.maxScore) c.addIssue({ code: 'custom', message: `指标 ${i.label} 的扣分上限超过满分` });
  }
});


// The schema's output is the domain type (a compile-time check both ways).
type Parsed = z.infer<typeof indicatorTree>;
export const sameShape: [Parsed] extends [IndicatorTree] ? ([IndicatorTree] extends [Parsed] ? true : false) : false = true;
