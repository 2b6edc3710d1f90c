/**
 * Party dues (党费) rules as data, and the pure functions that apply them (DOMAIN.md §1).
 *
 * 《关于中国共产党党费收缴、使用和管理的规定》 (中组发〔2008〕3号) is `dues-2008`; the later notice
 * 《关于进一步规范党费工作的通知》 (组电明字〔2017〕5号) narrows the base, fixes the amount in January and
 * caps it: `dues-2017`, the default. Every constant cites its DOMAIN.md section. Money is integer fen;
 * rates are per mille so no floating point touches an amount. Constants that are project conventions
 * (§1.7, "defaults chosen for zhibu") carry the status UNVERIFIED: no regulation states them.
 */
import { ruleSetById, ruleSetInForce, type RuleConstant, type RuleSet, type RuleStatus } from './ruleSets.js';
import type { IsoDate } from './dates.js';
import type { DuesCategory } from './vocab.js';

function rule<T>(value: T, source: string, status: RuleStatus, label: string): RuleConstant<T> {
  return { value, source, status, label };
}

/** A rate applying to the WHOLE base (not marginal); `maxFen` is inclusive, null = no upper bound. */
export interface RateBracket {
  readonly maxFen: number | null;
  readonly permille: number;
}

// ─── Pay slip vocabulary (DOMAIN.md §1.1) ───────────────────────────────────

export const PAY_SLIP_ITEM_KINDS = [
  { key: 'fixedPay', label: '固定工资（职务、级别、岗位、薪级、技术等级工资或基本工资）', role: 'income' },
  { key: 'standardAllowance', label: '规范津贴补贴（工作性津贴、生活性补贴）', role: 'income' },
  { key: 'basicPerformance', label: '基础性绩效', role: 'income' },
  { key: 'regularBonus', label: '按月普遍发放的奖金（企业）', role: 'income' },
  { key: 'rewardPerformance', label: '奖励性绩效（按月发放）', role: 'income' },
  { key: 'reformSubsidy', label: '改革性补贴（住房、交通、公务用车、通讯补贴等）', role: 'income' },
  { key: 'excludedAllowance', label: '加班、误餐补贴，取暖费、防暑降温费、物业费及仅部分地区、单位、岗位或人员发放的津贴', role: 'income' },
  { key: 'irregularBonus', label: '非经常性、非普遍发放的奖金和绩效（企业）', role: 'income' },
  { key: 'oneOff', label: '一次性收入（年终奖、一次性奖励等）', role: 'income' },
  { key: 'incomeTax', label: '个人所得税', role: 'deduction' },
  { key: 'socialInsurance', label: '个人缴纳的社会保险费（五险）', role: 'deduction' },
  { key: 'housingFund', label: '个人缴纳的住房公积金', role: 'deduction' },
  { key: 'occupationalAnnuity', label: '职业年金（个人缴纳部分）', role: 'deduction' },
  { key: 'enterpriseAnnuity', label: '企业年金（个人缴纳部分）', role: 'deduction' },
] as const;
export type PaySlipItemKind = (typeof PAY_SLIP_ITEM_KINDS)[number]['key'];

// ─── Rule sets ──────────────────────────────────────────────────────────────

const COMMON = {
  IN_SERVICE_BRACKETS: rule<readonly RateBracket[]>(
    [{ maxFen: 300_000, permille: 5 }, { maxFen: 500_000, permille: 10 }, { maxFen: 1_000_000, permille: 15 }, { maxFen: null, permille: 20 }],
    'DOMAIN.md §1.2', 'VERIFIED',
    '在职党员按月工资收入全额交纳：3000元及以下0.5%，3000元以上至5000元1%，5000元以上至10000元1.5%，10000元以上2%',
  ),
  RETIRED_BRACKETS: rule<readonly RateBracket[]>(
    [{ maxFen: 500_000, permille: 5 }, { maxFen: null, permille: 10 }],
    'DOMAIN.md §1.3', 'VERIFIED', '离退休党员按离退休费（养老金）全额交纳：5000元及以下0.5%，5000元以上1%',
  ),
  FARMER_RANGE_FEN: rule({ min: 20, max: 100 }, 'DOMAIN.md §1.3', 'VERIFIED', '农民党员每月交纳0.2元至1元（分）'),
  FLAT_FEN: rule(
    { student: 20, unemployed: 20, relief: 20, dibao: 20 } as const,
    'DOMAIN.md §1.3', 'VERIFIED', '学生、下岗失业、依靠抚恤或救济生活、领取最低生活保障金的党员每月交纳0.2元（分）',
  ),
  BACK_PAYMENT_MAX_MONTHS: rule(6, 'DOMAIN.md §1.4', 'VERIFIED', '补交党费一般不超过（月），超过须记录理由'),
  SELF_LAPSE_MONTHS: rule(6, 'DOMAIN.md §1.4', 'VERIFIED', '连续不交纳党费达到此月数，由支部大会认定是否按自行脱党处理（月）'),
  ARREARS_FINDING_MONTHS: rule([3, 5] as const, 'DOMAIN.md §1.7', 'UNVERIFIED', '连续未交纳党费提醒（月，项目约定）'),
  CENTRAL_GIFT_FEN: rule(100_000, 'DOMAIN.md §1.3', 'VERIFIED', '单笔自愿多交党费达到此金额的全部上缴中央（分）'),
  EXCLUDED_INCOME: rule<readonly PaySlipItemKind[]>(
    ['reformSubsidy', 'excludedAllowance', 'irregularBonus', 'oneOff'],
    'DOMAIN.md §1.1', 'SECONDARY', '不计入基数的收入：改革性补贴、加班误餐等补贴、非经常性奖金、一次性收入',
  ),
};

export const DUES_2008 = {
  id: 'dues-2008',
  area: 'dues',
  effectiveFrom: '2008-04-01',
  title: '《关于中国共产党党费收缴、使用和管理的规定》（中组发〔2008〕3号）',
  constants: {
    ...COMMON,
    BASE_INCOME: rule<readonly PaySlipItemKind[]>(
      ['fixedPay', 'standardAllowance', 'basicPerformance', 'regularBonus', 'rewardPerformance'],
      'DOMAIN.md §1.1', 'VERIFIED', '计入基数的收入：工资总额中相对固定的、经常性的工资收入（事业单位含绩效工资）',
    ),
    BASE_DEDUCTIONS: rule<readonly PaySlipItemKind[]>(['incomeTax'], 'DOMAIN.md §1.1', 'VERIFIED', '基数为税后收入：扣除个人所得税'),
    BASE_CHANGE: rule('fromFirstNewPay' as const, 'DOMAIN.md §1.1', 'VERIFIED', '工资变动后，从新工资发放之月起按新基数交纳（第十条）'),
    MONTHLY_CAP: rule(false, 'DOMAIN.md §1.1', 'VERIFIED', '月交纳额不设上限'),
  },
} as const satisfies RuleSet;

/** Only the year of 组电明字〔2017〕5号 is known (DOMAIN.md §1.1), so it is in force from 1 January 2017. */
export const DUES_2017 = {
  id: 'dues-2017',
  area: 'dues',
  effectiveFrom: '2017-01-01',
  title: '《关于进一步规范党费工作的通知》（组电明字〔2017〕5号）',
  constants: {
    ...COMMON,
    BASE_INCOME: rule<readonly PaySlipItemKind[]>(
      ['fixedPay', 'standardAllowance', 'basicPerformance', 'regularBonus'],
      'DOMAIN.md §1.1', 'SECONDARY', '计入基数的收入：相对固定的、经常性的工资收入；事业单位计基础性绩效，不计奖励性绩效',
    ),
    BASE_DEDUCTIONS: rule<readonly PaySlipItemKind[]>(
      ['incomeTax', 'socialInsurance', 'housingFund', 'occupationalAnnuity', 'enterpriseAnnuity'],
      'DOMAIN.md §1.1', 'SECONDARY', '基数扣除个人所得税、五险、住房公积金、职业年金和企业年金',
    ),
    BASE_CHANGE: rule('januaryFixing' as const, 'DOMAIN.md §1.7', 'SECONDARY', '每年年初核定月交纳额，年内一般不变；年中调整须记录理由，从所写月份起执行'),
    MONTHLY_CAP: rule(true, 'DOMAIN.md §1.1', 'SECONDARY', '月交纳额一般不超过上限（上限为本地设置，默认1000元）'),
    MONTHLY_CAP_DEFAULT_FEN: rule(100_000, 'DOMAIN.md §1.1', 'SECONDARY', '月交纳额上限默认值（分）'),
  },
} as const satisfies RuleSet;

export type DuesRuleSet = typeof DUES_2008 | typeof DUES_2017;
export type DuesRuleSetId = DuesRuleSet['id'];
export const DUES_RULE_SETS: readonly DuesRuleSet[] = [DUES_2008, DUES_2017];
export const DUES_RULE_SET_IDS = ['dues-2008', 'dues-2017'] as const;
export const DEFAULT_DUES_RULE_SET: DuesRuleSetId = 'dues-2017';

export function duesRuleSet(id: string): DuesRuleSet {
  const set = ruleSetById(id, DUES_RULE_SETS);
  if (!set) throw new RangeError(`未知的党费规则版本：${id}`);
  return set as DuesRuleSet;
}

/**
 * The rule set that computes a base effective in `month`: the tenant's choice when it is already in
 * force then, else the one in force (a 2015 base is always computed under dues-2008).
 */
export function duesRuleSetFor(month: IsoDate, preferred: DuesRuleSetId = DEFAULT_DUES_RULE_SET): DuesRuleSet {
  const chosen = duesRuleSet(preferred);
  if (chosen.effectiveFrom <= month) return chosen;
  const inForce = ruleSetInForce('dues', month, DUES_RULE_SETS);
  if (!inForce) throw new RangeError(`${month} 尚无党费规定`);
  return inForce as DuesRuleSet;
}

// ─── Rounding ───────────────────────────────────────────────────────────────

/** Rounding of a computed due (DOMAIN.md §1.2 "not specified nationally"; §1.7 setting). */
export interface Rounding {
  unit: 'fen' | 'jiao' | 'yuan';
  mode: 'halfUp' | 'up';
}
export const DEFAULT_ROUNDING: Rounding = { unit: 'fen', mode: 'halfUp' };
const UNIT_FEN: Record<Rounding['unit'], number> = { fen: 1, jiao: 10, yuan: 100 };

/** numerator / denominator fen (both non-negative integers), rounded to the unit. */
export function roundFen(numerator: number, denominator: number, r: Rounding): number {
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator) || numerator < 0 || denominator <= 0) {
    throw new RangeError(`取整参数无效：${numerator}/${denominator}`);
  }
  const d = denominator * UNIT_FEN[r.unit];
  const units = r.mode === 'up' ? Math.floor((numerator + d - 1) / d) : Math.floor((2 * numerator + d) / (2 * d));
  return units * UNIT_FEN[r.unit];
}

// ─── Monthly due ────────────────────────────────────────────────────────────

/** Categories whose due is a rate of a monthly income base (第二、三、四条). */
export const BRACKET_CATEGORIES: readonly DuesCategory[] = ['inService', 'annualSalary', 'selfEmployed'];
export const FLAT_CATEGORIES: readonly DuesCategory[] = ['student', 'unemployed', 'relief', 'dibao'];
/** The largest monthly base accepted (1000万元): guards the integer arithmetic, never a rule. */
export const MAX_BASE_FEN = 1_000_000_000;

export function bracketFor(brackets: readonly RateBracket[], baseFen: number): RateBracket {
  return brackets.find((b) => b.maxFen === null || baseFen <= b.maxFen) ?? brackets[brackets.length - 1];
}

export interface DueInput {
  category: DuesCategory;
  /** Monthly base in fen: income for bracket categories and retirees, a farmer's declared income. */
  baseFen?: number | null;
  /** Farmer's standard or the amount the branch sets for `other`. */
  flatFen?: number | null;
}

export interface DueOptions {
  ruleSet: DuesRuleSet;
  rounding: Rounding;
  /** The dues-2017 cap (a setting); ignored under a rule set without a cap. */
  capFen?: number | null;
  /** A farmer without a stated standard pays this (setting, default 20 fen). */
  farmerDefaultFen?: number;
}

export type DueResult =
  | { ok: true; dueFen: number; method: 'bracket' | 'retired' | 'flat' | 'farmer' | 'set'; permille: number | null; uncappedFen: number; capped: boolean; explanation: string }
  | { ok: false; field: 'baseFen' | 'flatFen'; error: string };

const yuan = (fen: number) => (fen / 100).toFixed(2);
const percent = (permille: number) => `${(permille / 10).toString()}%`;

function fromBrackets(brackets: readonly RateBracket[], baseFen: number, o: DueOptions, method: 'bracket' | 'retired'): DueResult {
  const b = bracketFor(brackets, baseFen);
  const uncapped = roundFen(baseFen * b.permille, 1000, o.rounding);
  const cap = o.ruleSet.constants.MONTHLY_CAP.value && o.capFen != null ? o.capFen : null;
  const capped = cap !== null && uncapped > cap;
  const dueFen = capped ? cap : uncapped;
  const explanation = `${yuan(baseFen)}元 × ${percent(b.permille)} = ${yuan(uncapped)}元${capped ? `，超过月交纳额上限按${yuan(cap)}元交纳` : ''}`;
  return { ok: true, dueFen, method, permille: b.permille, uncappedFen: uncapped, capped, explanation };
}

function validBase(baseFen: number | null | undefined): baseFen is number {
  return typeof baseFen === 'number' && Number.isSafeInteger(baseFen) && baseFen >= 0 && baseFen <= MAX_BASE_FEN;
}

/** The monthly due of one member (DOMAIN.md §1.2, §1.3, §1.7). */
export function monthlyDue(input: DueInput, o: DueOptions): DueResult {
  const c = o.ruleSet.constants;
  const { category } = input;
  if (BRACKET_CATEGORIES.includes(category) || (category === 'farmer' && input.baseFen != null)) {
    if (!validBase(input.baseFen)) return { ok: false, field: 'baseFen', error: '请填写每月收入基数（不少于0元，不超过1000万元）' };
    return fromBrackets(c.IN_SERVICE_BRACKETS.value, input.baseFen, o, 'bracket');
  }
  if (category === 'retired') {
    if (!validBase(input.baseFen)) return { ok: false, field: 'baseFen', error: '请填写每月实际领取的离退休费或养老金' };
    return fromBrackets(c.RETIRED_BRACKETS.value, input.baseFen, o, 'retired');
  }
  if (category === 'farmer') {
    const { min, max } = c.FARMER_RANGE_FEN.value;
    const fen = input.flatFen ?? o.farmerDefaultFen ?? min;
    if (!Number.isSafeInteger(fen) || fen < min || fen > max) {
      return { ok: false, field: 'flatFen', error: `农民党员每月交纳${yuan(min)}元至${yuan(max)}元，多交部分请记为自愿多交党费` };
    }
    return { ok: true, dueFen: fen, method: 'farmer', permille: null, uncappedFen: fen, capped: false, explanation: `农民党员每月${yuan(fen)}元` };
  }
  if (FLAT_CATEGORIES.includes(category)) {
    const fen = c.FLAT_FEN.value[category as keyof typeof c.FLAT_FEN.value];
    return { ok: true, dueFen: fen, method: 'flat', permille: null, uncappedFen: fen, capped: false, explanation: `每月${yuan(fen)}元` };
  }
  // other: an amount the branch sets (with a reason, checked by the caller)
  const fen = input.flatFen;
  if (typeof fen !== 'number' || !Number.isSafeInteger(fen) || fen < 0 || fen > MAX_BASE_FEN) {
    return { ok: false, field: 'flatFen', error: '请填写支部确定的每月交纳金额' };
  }
  return { ok: true, dueFen: fen, method: 'set', permille: null, uncappedFen: fen, capped: false, explanation: `支部确定每月${yuan(fen)}元` };
}

// ─── Base from a pay slip (DOMAIN.md §1.1) ──────────────────────────────────

export interface PaySlipItem {
  label: string;
  kind: PaySlipItemKind;
  amountFen: number;
  /** Overrides the rule set's default for this item; a one-off payment can never be included. */
  included?: boolean;
}

export interface PaySlipLine extends PaySlipItem {
  included: boolean;
  /** +1 adds to the base, −1 is deducted, 0 is left out. */
  effect: 1 | -1 | 0;
}

export type PaySlipResult = { ok: true; baseFen: number; lines: PaySlipLine[] } | { ok: false; error: string };

export function defaultIncluded(kind: PaySlipItemKind, set: DuesRuleSet): boolean {
  const c = set.constants;
  return c.BASE_INCOME.value.includes(kind) || c.BASE_DEDUCTIONS.value.includes(kind);
}

export function baseFromPaySlip(items: readonly PaySlipItem[], set: DuesRuleSet): PaySlipResult {
  const lines: PaySlipLine[] = [];
  let base = 0;
  for (const item of items) {
    if (!Number.isSafeInteger(item.amountFen) || item.amountFen < 0) return { ok: false, error: `工资单项目“${item.label}”的金额无效` };
    const role = PAY_SLIP_ITEM_KINDS.find((k) => k.key === item.kind)?.role;
    if (!role) return { ok: false, error: `工资单项目“${item.label}”的类别无效` };
    if (item.kind === 'oneOff' && item.included) return { ok: false, error: `一次性收入“${item.label}”不计入党费基数` };
    const included = item.included ?? defaultIncluded(item.kind, set);
    const effect = !included ? 0 : role === 'income' ? 1 : -1;
    base += effect * item.amountFen;
    lines.push({ ...item, included, effect });
  }
  if (base > MAX_BASE_FEN) return { ok: false, error: '工资单合计超过1000万元，请核对' };
  return { ok: true, baseFen: Math.max(0, base), lines };
}

// ─── Self-employed members: the previous quarter's average (第四条) ───────────

/** One month's net income of a self-employed member (个体经营者等不按月取得收入的党员). */
export interface MonthIncome {
  /** 'YYYY-MM' */
  month: string;
  netIncomeFen: number;
}

export type QuarterAverageResult =
  | { ok: true; baseFen: number; quarter: string; months: string[]; explanation: string }
  | { ok: false; error: string };

/** The months of the quarter before the one containing `month` ('YYYY-MM'): 2026-05 → 2026-01…03. */
export function previousQuarterMonths(month: string): string[] {
  const y = Number(month.slice(0, 4));
  const q = Math.floor((Number(month.slice(5, 7)) - 1) / 3);
  const [py, pq] = q === 0 ? [y - 1, 3] : [y, q - 1];
  return [1, 2, 3].map((k) => `${py}-${String(pq * 3 + k).padStart(2, '0')}`);
}

/**
 * 第四条 (DOMAIN.md §1.1): the base of a member without monthly pay is the average monthly net income of
 * the previous quarter. The months entered must lie in that quarter; where only some are available
 * (a member who started trading mid-quarter) the average is over those; a month of zero income is a
 * month and counts. Rounded half up to the fen.
 */
export function selfEmployedBase(effectiveMonth: string, incomes: readonly MonthIncome[]): QuarterAverageResult {
  const quarter = previousQuarterMonths(effectiveMonth);
  const y = quarter[0].slice(0, 4);
  const qLabel = `${y}年第${'一二三四'[Math.floor((Number(quarter[0].slice(5, 7)) - 1) / 3)]}季度`;
  if (incomes.length === 0) return { ok: false, error: `请填写上一季度（${qLabel}）各月纯收入` };
  const seen = new Set<string>();
  const ml = (m: string) => `${m.slice(0, 4)}年${Number(m.slice(5, 7))}月`;
  let sum = 0;
  for (const i of incomes) {
    if (!quarter.includes(i.month)) return { ok: false, error: `${ml(i.month)}不在上一季度（${qLabel}）内` };
    if (seen.has(i.month)) return { ok: false, error: `${ml(i.month)}重复填写` };
    seen.add(i.month);
    if (!Number.isSafeInteger(i.netIncomeFen) || i.netIncomeFen < 0) return { ok: false, error: `${ml(i.month)}纯收入无效` };
    sum += i.netIncomeFen;
  }
  if (sum > MAX_BASE_FEN * 3) return { ok: false, error: '季度收入合计超过上限，请核对' };
  const n = incomes.length;
  const baseFen = Math.floor((2 * sum + n) / (2 * n));
  const months = [...seen].sort();
  const yuan = (f: number) => `${Math.floor(f / 100)}.${String(f % 100).padStart(2, '0')}元`;
  return {
    ok: true, baseFen, quarter: qLabel, months,
    explanation: `${qLabel}${n === 3 ? '' : `（有收入记录的${n}个月）`}月平均纯收入${yuan(baseFen)}（合计${yuan(sum)}÷${n}）`,
  };
}

// ─── Voluntary dues and the central share ───────────────────────────────────

/** A single voluntary payment at or above the threshold goes wholly to the Centre (第十一条). */
export function isCentralGift(amountFen: number, set: DuesRuleSet = DUES_2017): boolean {
  return amountFen >= set.constants.CENTRAL_GIFT_FEN.value;
}
