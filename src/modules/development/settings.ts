import { z } from 'zod';
import type { Db } from '../../db/connection.js';
import { DEFAULT_LOCAL_DEVELOPMENT, type LocalDevelopmentRules } from '../../domain/development.js';
import { DEVELOPMENT_2014 } from '../../domain/ruleSets.js';
import { SETTINGS, defineSetting, settingsResolverFor, type SettingDef } from '../../platform/settings.js';

/**
 * Development settings (DOMAIN.md §2.2, §2.5): the LOCAL items of the rule sets — the minimum wait from
 * application to 积极分子, whether 公示 is required before 发展对象 under development-2014 (the 2026
 * rule set requires it), the 公示 length and unit — and the tenant's default rule set for new records
 * (`auto`: the rule set in force on the application date). Per tenant, with subtree overrides.
 */
const C = DEVELOPMENT_2014.constants;

export const DEVELOPMENT_SETTINGS = {
  defaultRuleSet: defineSetting({
    key: 'development.defaultRuleSet', label: '新建发展党员记录采用的规则版本（auto：按递交申请书之日施行的版本）',
    schema: z.enum(['auto', 'development-2014', 'development-2026']), default: 'auto' as const, source: 'DOMAIN.md §2.5', mark: 'PROJECT',
  }),
  minMonthsToActivist: defineSetting({
    key: 'development.minMonthsToActivist', label: C.MIN_MONTHS_TO_ACTIVIST.label,
    schema: z.number().int().min(0).max(24), default: DEFAULT_LOCAL_DEVELOPMENT.minMonthsToActivist, source: C.MIN_MONTHS_TO_ACTIVIST.source, mark: 'LOCAL',
  }),
  publicityBeforeCandidate: defineSetting({
    key: 'development.publicityBeforeCandidate2014', label: '按2014年细则办理时，确定发展对象前也须公示',
    schema: z.boolean(), default: DEFAULT_LOCAL_DEVELOPMENT.publicityBeforeCandidate, source: C.PUBLICITY_BEFORE_CANDIDATE.source, mark: 'LOCAL',
  }),
  publicityLength: defineSetting({
    key: 'development.publicityLength', label: '公示期长度',
    schema: z.number().int().min(1).max(30), default: DEFAULT_LOCAL_DEVELOPMENT.publicityLength, source: C.PUBLICITY_MIN.source, mark: 'LOCAL',
  }),
  publicityUnit: defineSetting({
    key: 'development.publicityUnit', label: '公示期计算单位（workingDays 工作日 / calendarDays 自然日）',
    schema: z.enum(['workingDays', 'calendarDays']), default: DEFAULT_LOCAL_DEVELOPMENT.publicityUnit, source: C.PUBLICITY_MIN.source, mark: 'LOCAL',
  }),
};

export interface DevelopmentSettingValues {
  local: LocalDevelopmentRules;
  defaultRuleSet: 'auto' | 'development-2014' | 'development-2026';
  dueSoonDays: number;
}

/** Resolve the development settings for any org path of one tenant, from one query. */
export async function developmentSettingsResolver(db: Db, tenantId: number): Promise<(orgPath: string | null) => DevelopmentSettingValues> {
  const D = DEVELOPMENT_SETTINGS;
  const value = await settingsResolverFor(db, tenantId, [...Object.values(D), SETTINGS.dueSoonDays] as SettingDef[]);
  return (orgPath) => ({
    local: {
      minMonthsToActivist: value(orgPath, D.minMonthsToActivist),
      publicityBeforeCandidate: value(orgPath, D.publicityBeforeCandidate),
      publicityLength: value(orgPath, D.publicityLength),
      publicityUnit: value(orgPath, D.publicityUnit),
    },
    defaultRuleSet: value(orgPath, D.defaultRuleSet),
    dueSoonDays: value(orgPath, SETTINGS.dueSoonDays),
  });
}
