/**
 * 述职评议考核 as data (DOMAIN.md §9.1): an indicator tree (category → indicator → max score → scoring
 * rule → evidence) and the pure arithmetic that turns figure values, on-site rating counts and manual
 * scores into scores and a proposed grade. No national formula exists (§9.1 "Weights: no national
 * formula found"), so every number here is data of a tree version or a setting, never a literal in code.
 *
 * Scores are kept in hundredths (integers) so that sums are exact; 0.5 is 50.
 */
/** A registered figure, over the scored org's subtree and the session year; `key` picks one breakdown item of `by`. */
export interface FigureRef { id: string; by?: string; key?: string }

/** Scoring rules (validated by `indicatorTree` in modules/assessment/treeSchema.ts). */
export type ScoringRule =
  /** 扣分: (figure − minus) units, `per` deducted for each, at most `cap` (default the max score). */
  | { kind: 'deductPer'; figure: FigureRef; minus?: FigureRef; per: number; cap?: number }
  /** 加分/计分: `per` for each unit of the figure, at most the max score. */
  | { kind: 'awardPer'; figure: FigureRef; per: number }
  /** 按比例: max score × figure% ÷ 100 (a percent figure). */
  | { kind: 'percent'; figure: FigureRef }
  /** 现场测评: counts per grade, weighted by the `assessment.ratingWeights` setting, scaled to the max score. */
  | { kind: 'rating' }
  /** 人工评分: typed by the committee with a mandatory note. */
  | { kind: 'manual' };

export interface Indicator {
  key: string; label: string; maxScore: number; rule: ScoringRule;
  /** What the committee looks at (考核依据). */
  evidence: string;
}
export interface IndicatorTree { categories: { key: string; label: string; indicators: Indicator[] }[] }

export const indicatorsOf = (t: IndicatorTree) => t.categories.flatMap((c) => c.indicators.map((i) => ({ ...i, category: c.key, categoryLabel: c.label })));
export const treeMax = (t: IndicatorTree) => indicatorsOf(t).reduce((s, i) => s + toHundredths(i.maxScore), 0) / 100;

export const toHundredths = (n: number) => Math.round(n * 100);
const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));

/** Score in hundredths of a figure-based rule, from the figure value(s); null when a figure is missing. */
export function figureScore(rule: ScoringRule, maxScore: number, value: number | null, minus: number | null = null): number | null {
  const max = toHundredths(maxScore);
  if (value === null) return null;
  switch (rule.kind) {
    case 'deductPer': {
      if (rule.minus && minus === null) return null;
      const units = Math.max(0, value - (minus ?? 0));
      const cap = rule.cap === undefined ? max : toHundredths(rule.cap);
      return max - Math.min(cap, units * toHundredths(rule.per));
    }
    case 'awardPer':
      return clamp(Math.max(0, value) * toHundredths(rule.per), 0, max);
    case 'percent':
      return clamp(Math.round((max * value) / 100), 0, max);
    default:
      return null;
  }
}

/** 现场测评: max × Σ(count × weight) ÷ (Σcount × the top weight), rounded to hundredths; null with no ratings. */
export function ratingScore(maxScore: number, counts: Record<string, number>, weights: Record<string, number>): number | null {
  const total = Object.values(counts).reduce((s, n) => s + n, 0);
  const top = Math.max(0, ...Object.values(weights));
  if (total === 0 || top === 0) return null;
  const weighted = Object.entries(counts).reduce((s, [g, n]) => s + n * (weights[g] ?? 0), 0);
  return Math.round((toHundredths(maxScore) * weighted) / (total * top));
}

export interface GradeCutoff { grade: string; min: number }

/** The first grade whose minimum the total reaches (cut-offs sorted from the highest minimum). */
export function proposeGrade(total: number, cutoffs: GradeCutoff[]): string | null {
  const sorted = [...cutoffs].sort((a, b) => b.min - a.min);
  return sorted.find((c) => total >= c.min)?.grade ?? null;
}

/**
 * The default tree (a starting point each tenant copies and edits): a 100-point sheet after the local
 * examples in DOMAIN.md §9.1 ("0.5 deducted per missing meeting"), with the quantities read from
 * registered figures. [LOCAL] every number is an example, to be set per county.
 */
export const DEFAULT_TREE_KEY = 'default';
export const DEFAULT_TREE_NAME = '基层党组织书记抓党建工作述职评议考核（示例指标）';
export const DEFAULT_TREE: IndicatorTree = {
  categories: [
    {
      key: 'orgLife', label: '组织生活',
      indicators: [
        { key: 'memberAssembly', label: '按期召开党员大会', maxScore: 5, rule: { kind: 'deductPer', figure: { id: 'orgLife.obligation.due', by: 'kind', key: 'memberAssembly' }, minus: { id: 'orgLife.obligation.met', by: 'kind', key: 'memberAssembly' }, per: 0.5, cap: 5 }, evidence: '党员大会应召开与已召开记录（每季度至少一次），每缺一次扣0.5分，最多扣5分' },
        { key: 'committeeMeeting', label: '按期召开支委会', maxScore: 10, rule: { kind: 'deductPer', figure: { id: 'orgLife.obligation.due', by: 'kind', key: 'committeeMeeting' }, minus: { id: 'orgLife.obligation.met', by: 'kind', key: 'committeeMeeting' }, per: 0.5, cap: 10 }, evidence: '支委会应召开与已召开记录（每月一次），每缺一次扣0.5分' },
        { key: 'compliance', label: '组织生活完成率', maxScore: 20, rule: { kind: 'percent', figure: { id: 'orgLife.compliance.rate' } }, evidence: '全年组织生活应尽事项完成率，按比例计分' },
      ],
    },
    {
      key: 'rectification', label: '整改落实',
      indicators: [
        { key: 'openRectification', label: '述职评议整改事项按期销号', maxScore: 10, rule: { kind: 'deductPer', figure: { id: 'reports.rectification.open' }, per: 2, cap: 10 }, evidence: '年末仍未销号的整改事项，每项扣2分' },
      ],
    },
    {
      key: 'review', label: '评议与实绩',
      indicators: [
        { key: 'onSite', label: '现场测评', maxScore: 30, rule: { kind: 'rating' }, evidence: '述职会议现场测评票（好、较好、一般、差）' },
        { key: 'work', label: '重点任务与特色工作', maxScore: 25, rule: { kind: 'manual' }, evidence: '考核组实地考核记录，须写明评分理由' },
      ],
    },
  ],
};
