import { z } from 'zod';
import { DEFAULT_ACTIVITY_KINDS, PAIRING_FREQUENCY_KEYS, SERVICE_2026, type PairingFrequency } from '../../domain/serviceRules.js';
import type { Db } from '../../db/connection.js';
import { defineSetting, getSetting } from '../../platform/settings.js';

/**
 * Community-service settings: every one LOCAL (no national number exists, DOMAIN.md has no section),
 * defaulting to the `service-2026` rule set, per tenant and overridable on a subtree.
 */
const C = SERVICE_2026.constants;
export const SERVICE_SETTINGS = {
  activityKinds: defineSetting<string[]>({
    key: 'service.activityKinds', label: '志愿服务活动类型',
    schema: z.array(z.string().trim().min(1).max(20)).min(1).max(50), default: [...DEFAULT_ACTIVITY_KINDS], source: '本地约定', mark: 'LOCAL',
  }),
  hoursMaxPerActivity: defineSetting<number>({
    key: 'service.hours.maxPerActivity', label: C.HOURS_MAX_PER_ACTIVITY.label,
    schema: z.number().int().min(1).max(24), default: C.HOURS_MAX_PER_ACTIVITY.value, source: C.HOURS_MAX_PER_ACTIVITY.source, mark: 'LOCAL',
  }),
  hoursStepMinutes: defineSetting<number>({
    key: 'service.hours.stepMinutes', label: C.HOURS_STEP_MINUTES.label,
    schema: z.number().int().min(1).max(60), default: C.HOURS_STEP_MINUTES.value, source: C.HOURS_STEP_MINUTES.source, mark: 'LOCAL',
  }),
  confirmWithinDays: defineSetting<number>({
    key: 'service.hours.confirmWithinDays', label: C.CONFIRM_WITHIN_DAYS.label,
    schema: z.number().int().min(0).max(366), default: C.CONFIRM_WITHIN_DAYS.value, source: C.CONFIRM_WITHIN_DAYS.source, mark: 'LOCAL',
  }),
  pairingFrequency: defineSetting<PairingFrequency>({
    key: 'service.pairing.frequency', label: C.PAIRING_FREQUENCY.label,
    schema: z.enum(PAIRING_FREQUENCY_KEYS), default: C.PAIRING_FREQUENCY.value, source: C.PAIRING_FREQUENCY.source, mark: 'LOCAL',
  }),
  consultationDays: defineSetting<number[]>({
    key: 'service.consultation.days', label: C.CONSULTATION_DAYS.label,
    schema: z.array(z.number().int().min(1).max(31)).min(1).max(31), default: [...C.CONSULTATION_DAYS.value], source: C.CONSULTATION_DAYS.source, mark: 'LOCAL',
  }),
};

export interface HoursSettings { maxHours: number; stepMinutes: number; confirmWithinDays: number }

export async function hoursSettingsFor(db: Db, tenantId: number, orgPath: string): Promise<HoursSettings> {
  const maxHours = await getSetting(db, tenantId, orgPath, SERVICE_SETTINGS.hoursMaxPerActivity);
  const stepMinutes = await getSetting(db, tenantId, orgPath, SERVICE_SETTINGS.hoursStepMinutes);
  const confirmWithinDays = await getSetting(db, tenantId, orgPath, SERVICE_SETTINGS.confirmWithinDays);
  return { maxHours, stepMinutes, confirmWithinDays };
}
