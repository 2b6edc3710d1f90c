import { z } from 'zod';
import { DUES_2017, DUES_RULE_SET_IDS, DEFAULT_DUES_RULE_SET, DEFAULT_ROUNDING, type DuesRuleSetId, type Rounding } from '../../domain/duesRules.js';
import type { HandInFrequency } from '../../domain/duesMonths.js';
import type { Db } from '../../db/connection.js';
import { defineSetting, getSetting, settingsResolverFor, type SettingDef } from '../../platform/settings.js';

/**
 * Dues settings (DOMAIN.md §1.5, §1.7): per tenant, optionally overridden on a subtree (the nearest
 * ancestor wins). Hand-in frequency and shares are LOCAL; rounding is UNVERIFIED (not specified
 * nationally); the cap's default is the 2017 notice's 1000 元.
 */
export const HAND_IN_SHARE_KINDS = ['branch', 'jointBranch', 'temporaryBranch', 'generalBranch', 'basicCommittee', 'townshipCommittee', 'subdistrictWorkCommittee', 'organizationDept'] as const;

export const DUES_SETTINGS = {
  ruleSet: defineSetting<DuesRuleSetId>({
    key: 'dues.ruleSet', label: '党费计算规则版本（dues-2008：中组发〔2008〕3号；dues-2017：组电明字〔2017〕5号，默认）',
    schema: z.enum(DUES_RULE_SET_IDS), default: DEFAULT_DUES_RULE_SET, source: 'DOMAIN.md §1.1', mark: 'SECONDARY',
  }),
  rounding: defineSetting<Rounding>({
    key: 'dues.rounding', label: '党费计算取整（单位：分/角/元；方式：四舍五入/向上取整）',
    schema: z.object({ unit: z.enum(['fen', 'jiao', 'yuan']), mode: z.enum(['halfUp', 'up']) }), default: DEFAULT_ROUNDING, source: 'DOMAIN.md §1.2、§1.7', mark: 'UNVERIFIED',
  }),
  capFen: defineSetting<number>({
    key: 'dues.monthlyCapFen', label: '月交纳党费上限（分，dues-2017 适用）',
    schema: z.number().int().min(0).max(100_000_000), default: DUES_2017.constants.MONTHLY_CAP_DEFAULT_FEN.value, source: 'DOMAIN.md §1.1', mark: 'SECONDARY',
  }),
  farmerDefaultFen: defineSetting<number>({
    key: 'dues.farmerDefaultFen', label: '农民党员默认每月交纳金额（分，20至100）',
    schema: z.number().int().min(20).max(100), default: 20, source: 'DOMAIN.md §1.7', mark: 'LOCAL',
  }),
  handInFrequency: defineSetting<HandInFrequency>({
    key: 'dues.handIn.frequency', label: '党费上缴频次（按月/按季度/每半年）',
    schema: z.enum(['monthly', 'quarterly', 'halfYearly']), default: 'quarterly', source: 'DOMAIN.md §1.5', mark: 'LOCAL',
  }),
  handInSharePercent: defineSetting<Record<string, number>>({
    key: 'dues.handIn.sharePercent', label: '各级党组织向上级上缴党费比例（%，按组织类型）',
    schema: z.record(z.enum(HAND_IN_SHARE_KINDS), z.number().int().min(0).max(100)),
    default: Object.fromEntries(HAND_IN_SHARE_KINDS.map((k) => [k, 100])), source: 'DOMAIN.md §1.5、§1.7', mark: 'LOCAL',
  }),
  selfEmployedRebaseDays: defineSetting<number>({
    key: 'dues.selfEmployed.rebaseDays', label: '个体经营等党员每季度按上季度平均收入重新核定基数的期限（季度开始后天数）',
    schema: z.number().int().min(1).max(92), default: 31, source: 'DOMAIN.md §1.1 第四条', mark: 'PROJECT',
  }),
  handInGraceDays: defineSetting<number>({
    key: 'dues.handIn.graceDays', label: '上缴期限：缴费周期结束后天数',
    schema: z.number().int().min(0).max(180), default: 30, source: 'DOMAIN.md §1.5', mark: 'LOCAL',
  }),
};

export interface DuesSettings {
  ruleSet: DuesRuleSetId;
  rounding: Rounding;
  capFen: number;
  farmerDefaultFen: number;
}

/** The settings a due computation needs, for an org (nearest ancestor's override wins). */
export async function duesSettingsFor(db: Db, tenantId: number, orgPath: string | null): Promise<DuesSettings> {
  // One after another: inside a transaction they share one connection (pg deprecates overlapping queries).
  const ruleSet = await getSetting(db, tenantId, orgPath, DUES_SETTINGS.ruleSet);
  const rounding = await getSetting(db, tenantId, orgPath, DUES_SETTINGS.rounding);
  const capFen = await getSetting(db, tenantId, orgPath, DUES_SETTINGS.capFen);
  const farmerDefaultFen = await getSetting(db, tenantId, orgPath, DUES_SETTINGS.farmerDefaultFen);
  return { ruleSet, rounding, capFen, farmerDefaultFen };
}

/** The due-computation settings of many orgs from one settings query (a whole subtree in a loop). */
export async function duesSettingsResolver(db: Db, tenantId: number): Promise<(orgPath: string | null) => DuesSettings> {
  const d = DUES_SETTINGS;
  const resolve = await settingsResolverFor(db, tenantId, [d.ruleSet, d.rounding, d.capFen, d.farmerDefaultFen] as SettingDef[]);
  return (orgPath) => ({ ruleSet: resolve(orgPath, d.ruleSet), rounding: resolve(orgPath, d.rounding), capFen: resolve(orgPath, d.capFen), farmerDefaultFen: resolve(orgPath, d.farmerDefaultFen) });
}

/** The hand-in share of many orgs from one settings query (rules and views over a whole subtree). */
export async function shareResolver(db: Db, tenantId: number): Promise<(orgPath: string, kind: string) => number> {
  const resolve = await settingsResolverFor(db, tenantId, [DUES_SETTINGS.handInSharePercent as SettingDef]);
  return (orgPath, kind) => resolve(orgPath, DUES_SETTINGS.handInSharePercent)[kind] ?? 100;
}
