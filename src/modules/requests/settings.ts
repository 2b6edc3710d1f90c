import { z } from 'zod';
import { DEFAULT_SLA, type SlaLimits } from '../../domain/requestWorkflow.js';
import type { Db } from '../../db/connection.js';
import { defineSetting, getSetting, settingsResolverFor, type SettingDef } from '../../platform/settings.js';

/**
 * Request settings (DOMAIN.md §10.1, project conventions): the time limits in working days, per
 * tenant and overridable on a subtree, and the public form's per-address submission limit.
 */
export const REQUEST_SETTINGS = {
  acceptDays: defineSetting<number>({
    key: 'requests.sla.acceptDays', label: '诉求受理时限（提交后工作日数）',
    schema: z.number().int().min(0).max(30), default: DEFAULT_SLA.acceptDays, source: 'DOMAIN.md §10.1', mark: 'PROJECT',
  }),
  answerDays: defineSetting<number>({
    key: 'requests.sla.answerDays', label: '诉求答复时限（受理后工作日数）',
    schema: z.number().int().min(1).max(60), default: DEFAULT_SLA.answerDays, source: 'DOMAIN.md §10.1', mark: 'PROJECT',
  }),
  escalateAfterDays: defineSetting<number>({
    key: 'requests.sla.escalateAfterDays', label: '超过答复时限后上报街道的工作日数',
    schema: z.number().int().min(0).max(30), default: DEFAULT_SLA.escalateAfterDays, source: 'DOMAIN.md §10.1', mark: 'PROJECT',
  }),
  submitsPerHour: defineSetting<number>({
    key: 'requests.public.submitsPerHour', label: '同一网络地址每小时可提交诉求的次数',
    schema: z.number().int().min(1).max(1000), default: 10, source: 'issue 15 “Rate limits on every public endpoint”', mark: 'PROJECT',
  }),
};

export async function slaLimitsFor(db: Db, tenantId: number, orgPath: string): Promise<SlaLimits> {
  return {
    acceptDays: await getSetting(db, tenantId, orgPath, REQUEST_SETTINGS.acceptDays),
    answerDays: await getSetting(db, tenantId, orgPath, REQUEST_SETTINGS.answerDays),
    escalateAfterDays: await getSetting(db, tenantId, orgPath, REQUEST_SETTINGS.escalateAfterDays),
  };
}

/** The limits of many orgs from one settings query. */
export async function slaResolver(db: Db, tenantId: number): Promise<(orgPath: string) => SlaLimits> {
  const s = REQUEST_SETTINGS;
  const resolve = await settingsResolverFor(db, tenantId, [s.acceptDays, s.answerDays, s.escalateAfterDays] as SettingDef[]);
  return (p) => ({ acceptDays: resolve(p, s.acceptDays), answerDays: resolve(p, s.answerDays), escalateAfterDays: resolve(p, s.escalateAfterDays) });
}
