/**
 * Versioned rule sets as data (ARCHITECTURE.md "Tenant, settings, rule sets"). Every constant
 * carries its DOMAIN.md section, the status label used there and a Chinese label for the settings
 * screen. Records keep the id of the rule set they were evaluated under.
 *
 * Other areas (dues-2008/dues-2017, development-2014/development-2026, orgLife-2018) follow the
 * same shape; ruleSetInForce takes the list to search so modules can pass their own.
 */
import { compareDates, type IsoDate } from './dates.js';

/** The status labels of DOMAIN.md (header). */
export type RuleStatus = 'VERIFIED' | 'SECONDARY' | 'LOCAL' | 'UNVERIFIED';

export interface RuleConstant<T = unknown> {
  readonly value: T;
  /** e.g. 'DOMAIN.md §3.1' */
  readonly source: string;
  readonly status: RuleStatus;
  /** Chinese label for settings and findings. */
  readonly label: string;
}

export interface RuleSet<C extends Record<string, RuleConstant> = Record<string, RuleConstant>> {
  /** `<area>-<version>` */
  readonly id: string;
  readonly area: string;
  readonly effectiveFrom: IsoDate;
  /** Chinese title naming the regulation. */
  readonly title: string;
  readonly constants: C;
}

function rule<T>(value: T, source: string, status: RuleStatus, label: string): RuleConstant<T> {
  return { value, source, status, label };
}

/**
 * 《中国共产党支部工作条例（试行）》 (2018-10), 中办《关于党的基层组织任期的意见》 (2018) and the
 * 机关基层组织工作条例 (2019) thresholds, DOMAIN.md §3.1–§3.2. DOMAIN.md gives only the month of
 * issue, so effectiveFrom is the first day of that month.
 */
export const STRUCTURE_2018 = {
  id: 'structure-2018',
  area: 'structure',
  effectiveFrom: '2018-10-01',
  title: '《中国共产党支部工作条例（试行）》及党的基层组织任期规定',
  constants: {
    BRANCH_MIN_FORMAL: rule(3, 'DOMAIN.md §3.1', 'VERIFIED', '成立党支部须有正式党员（人）'),
    BRANCH_MAX_MEMBERS_NORMAL: rule(50, 'DOMAIN.md §3.1', 'VERIFIED', '党支部党员人数一般不超过（人）'),
    JOINT_BRANCH_MAX_UNITS: rule(5, 'DOMAIN.md §3.1', 'VERIFIED', '联合党支部覆盖单位一般不超过（个）'),
    PROJECT_BRANCH_MIN_MONTHS: rule(6, 'DOMAIN.md §3.1', 'VERIFIED', '工作项目在此期限以上的应成立党支部（月）'),
    COMMITTEE_MIN_FORMAL: rule(7, 'DOMAIN.md §3.1', 'VERIFIED', '正式党员达到此数应设立支部委员会（人）'),
    COMMITTEE_SIZE: rule({ min: 3, max: 5, absoluteMax: 7 }, 'DOMAIN.md §3.1', 'VERIFIED', '支部委员会委员人数（一般3至5人，最多不超过7人）'),
    GENERAL_BRANCH_MIN: rule(50, 'DOMAIN.md §3.1', 'VERIFIED', '党员50人以上可设立党总支（人）'),
    BASIC_COMMITTEE_MIN: rule(100, 'DOMAIN.md §3.1', 'VERIFIED', '党员100人以上可设立基层党委（人）'),
    TERM_YEARS: rule(
      { basicCommittee: 5, generalBranch: 3, branch: 3, villageOrCommunity: 5 },
      'DOMAIN.md §3.2',
      'VERIFIED',
      '每届任期（年）：基层党委5年，党总支和党支部3年，村和社区5年',
    ),
    TERM_SHIFT_MAX_YEARS: rule(1, 'DOMAIN.md §3.2', 'VERIFIED', '提前或延期换届一般不超过（年）'),
    TERM_REMIND_MONTHS: rule(6, 'DOMAIN.md §3.2', 'SECONDARY', '任期届满前提醒换届（月）'),
  },
} as const satisfies RuleSet;

/**
 * Membership rules: 党章 and 发展党员工作细则 on probation (§2.3), minimum age (§2.1), 组织关系 and
 * 失联 (§4), 党龄 and the 光荣在党50年 medal (§5). Today's probation rules date from the 1982
 * 党章 (§5 "from 1982-09-06 today's rules"); earlier admissions are handled by ADMISSION_PERIODS.
 */
export const MEMBERSHIP_1982 = {
  id: 'membership-1982',
  area: 'membership',
  effectiveFrom: '1982-09-06',
  title: '《中国共产党章程》及党员管理有关规定',
  constants: {
    MIN_AGE: rule(18, 'DOMAIN.md §2.1', 'VERIFIED', '申请入党最低年龄（周岁）'),
    PROBATION_MONTHS: rule(12, 'DOMAIN.md §2.3', 'VERIFIED', '预备期（月）'),
    EXTENSION_MIN_MONTHS: rule(6, 'DOMAIN.md §2.3', 'VERIFIED', '延长预备期最短（月）'),
    EXTENSION_MAX_MONTHS: rule(12, 'DOMAIN.md §2.3', 'VERIFIED', '延长预备期最长（月）'),
    EXTENSION_MAX_TIMES: rule(1, 'DOMAIN.md §2.3', 'VERIFIED', '预备期最多延长（次）'),
    TRANSFER_IN_POSTPONE_MAX_MONTHS: rule(6, 'DOMAIN.md §2.3', 'VERIFIED', '转入预备党员转正讨论最多推迟（月）'),
    TRANSFER_IF_AWAY_MONTHS: rule(6, 'DOMAIN.md §4.1', 'VERIFIED', '外出学习工作生活达到此期限应转接组织关系（月）'),
    SUSPECTED_LOST_MONTHS: rule(3, 'DOMAIN.md §4.3', 'LOCAL', '失去联系达到此期限提示疑似失联（月）'),
    LOST_CONTACT_SUSPEND_MONTHS: rule(6, 'DOMAIN.md §4.3', 'VERIFIED', '失去联系达到此期限可停止党籍（月）'),
    SUSPENDED_TO_REMOVAL_YEARS: rule(2, 'DOMAIN.md §4.3', 'VERIFIED', '停止党籍后仍无法取得联系予以除名（年）'),
    ABROAD_STUDY_SUSPEND_YEARS: rule(5, 'DOMAIN.md §4.3', 'VERIFIED', '出国（境）学习研究超过此期限一般停止党籍（年）'),
    MEDAL_PARTY_AGE_YEARS: rule(50, 'DOMAIN.md §5', 'VERIFIED', '“光荣在党50年”纪念章党龄要求（年）'),
    MEDAL_CUTOFF: rule('07-01', 'DOMAIN.md §5', 'VERIFIED', '纪念章党龄计算截止日（月-日）'),
    MEDAL_FIRST_YEAR: rule(2021, 'DOMAIN.md §5', 'VERIFIED', '纪念章首次颁发年份'),
  },
} as const satisfies RuleSet;

/**
 * 《中国共产党发展党员工作细则》 (中办 2014-06), DOMAIN.md §2.1–§2.3 and the project conventions of
 * §2.1a and §2.5. Both development rule sets have the same keys; a null value means "no such rule in
 * this version". The LOCAL items (公示 before 发展对象 under 2014, its length and unit, the minimum wait
 * before 积极分子) are settings whose defaults are given here (modules/development/settings.ts).
 */
const developmentConstants = (v2026: boolean) => {
  const s = v2026 ? 'SECONDARY' : 'VERIFIED';
  const src = (sec: string) => (v2026 ? `DOMAIN.md §2.4, ${sec}` : `DOMAIN.md ${sec}`);
  return {
    STEP_ORDER: rule(true, src('§2.1'), s, '发展党员须按工作流程逐步进行，不得跳过步骤'),
    MIN_AGE: rule(18, src('§2.1'), s, '年满十八岁方可申请入党'),
    TALK_DEADLINE_MONTHS: rule(1, src('§2.1'), s, '党组织应在收到入党申请书后一个月内派人谈话'),
    MIN_MONTHS_TO_ACTIVIST: rule(0, 'DOMAIN.md §2.1, §2.5', 'LOCAL', '递交入党申请书后满一定期限方可确定为入党积极分子（月，0为不作要求）'),
    CONTACT_PERSONS: rule({ min: 1, max: 2 }, src('§2.1'), s, '应为入党积极分子指定一至两名正式党员作培养联系人'),
    ACTIVIST_REVIEW_MONTHS: rule(6, src('§2.1, §2.5'), s, '党支部每半年对入党积极分子进行一次考察'),
    ACTIVIST_MIN_MONTHS: rule(12, src('§2.1'), s, '经过一年以上培养教育和考察方可列为发展对象'),
    PUBLICITY_BEFORE_CANDIDATE: rule(v2026, v2026 ? 'DOMAIN.md §2.2, §2.4' : 'DOMAIN.md §2.2, §2.5', v2026 ? 'SECONDARY' : 'LOCAL', '列为发展对象前应当公示'),
    PUBLICITY_MIN: rule({ length: 5, unit: 'workingDays' as const }, 'DOMAIN.md §2.2, §2.5', v2026 ? 'SECONDARY' : 'LOCAL', '公示期不少于五个工作日'),
    INTRODUCERS: rule(2, src('§2.1'), s, '发展对象应有两名正式党员作入党介绍人，受留党察看处分尚未恢复党员权利的党员不能作入党介绍人'),
    POLITICAL_REVIEW_REQUIRED: rule(true, src('§2.1'), s, '未经政治审查或政治审查不合格的，不能发展入党'),
    TRAINING_MIN: rule({ days: 3, hours: 24 }, src('§2.1'), s, '发展对象须经过集中培训，时间一般不少于三天（或不少于二十四个学时）'),
    LEAVE_WITHIN_MONTHS_NO_ADMIT: rule(3, 'DOMAIN.md §2.1, §2.5', 'VERIFIED', '预审时发展对象三个月内将离开工作、学习单位的，一般不办理接收手续'),
    ASSEMBLY_AFTER_PRETRIAL_MONTHS: rule(v2026 ? 1 : null, v2026 ? 'DOMAIN.md §2.4' : 'DOMAIN.md §2.1', v2026 ? 'SECONDARY' : 'LOCAL', '预审通过后一个月内提交支部大会讨论'),
    ASSEMBLY_VOTE_PASSED: rule(true, src('§2.1, §2.5'), s, '支部大会须达到法定人数，赞成票超过应到会有表决权正式党员的半数方可通过'),
    APPROVAL_MONTHS: rule(3, src('§2.1, §2.5'), s, '上级党委应在三个月内审批（自支部大会决议报达之日起）'),
    APPROVAL_MAX_MONTHS: rule(6, src('§2.1, §2.5'), s, '遇特殊情况可适当延长审批时间，但不得超过六个月'),
    OATH_WITHIN_MONTHS: rule(v2026 ? 1 : null, v2026 ? 'DOMAIN.md §2.4' : 'DOMAIN.md §2.1', v2026 ? 'SECONDARY' : 'UNVERIFIED', '预备党员一般应在上级党委批准后一个月内进行入党宣誓'),
    PROBATION_MONTHS: rule(12, src('§2.3'), s, '预备期为一年，从支部大会通过其为预备党员之日算起'),
    CONFIRMATION_APPROVAL_MONTHS: rule(3, src('§2.1, §2.5'), s, '上级党委应在三个月内审批预备党员转正'),
  };
};

export const DEVELOPMENT_2014 = {
  id: 'development-2014',
  area: 'development',
  effectiveFrom: '2014-06-01',
  title: '《中国共产党发展党员工作细则》（2014年）',
  constants: developmentConstants(false),
} as const satisfies RuleSet;

/** The 2026 revision as far as DOMAIN.md §2.4 knows it (SECONDARY: to be confirmed against the official text). */
export const DEVELOPMENT_2026 = {
  id: 'development-2026',
  area: 'development',
  effectiveFrom: '2026-05-18',
  title: '《中国共产党发展党员工作细则》（2026年修订，条文待核对）',
  constants: developmentConstants(true),
} as const satisfies RuleSet;

export type DevelopmentRuleSet = typeof DEVELOPMENT_2014 | typeof DEVELOPMENT_2026;
export type DevelopmentRuleKey = keyof DevelopmentRuleSet['constants'];
export const DEVELOPMENT_RULE_SETS: readonly DevelopmentRuleSet[] = [DEVELOPMENT_2014, DEVELOPMENT_2026];

export const RULE_SETS: readonly RuleSet[] = [STRUCTURE_2018, MEMBERSHIP_1982, DEVELOPMENT_2014, DEVELOPMENT_2026];

export function ruleSetById(id: string, sets: readonly RuleSet[] = RULE_SETS): RuleSet | null {
  return sets.find((set) => set.id === id) ?? null;
}

/**
 * The rule set of `area` in force on `date`: the one with the latest effectiveFrom on or before it;
 * null when the area has none yet on that date.
 */
export function ruleSetInForce(area: string, date: IsoDate, sets: readonly RuleSet[] = RULE_SETS): RuleSet | null {
  let best: RuleSet | null = null;
  for (const set of sets) {
    if (set.area !== area || compareDates(set.effectiveFrom, date) > 0) continue;
    if (best === null || compareDates(set.effectiveFrom, best.effectiveFrom) > 0) best = set;
  }
  return best;
}
