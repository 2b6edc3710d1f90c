import { z } from 'zod';
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../db/connection.js';

/**
 * Typed settings (ARCHITECTURE.md "Tenant, settings, rule sets"): a zod schema and a default in code,
 * set per tenant and optionally overridden on an org subtree (the nearest ancestor wins). Each names
 * its source and whether DOMAIN.md marks it LOCAL or UNVERIFIED.
 */
export interface SettingDef<T = unknown> {
  key: string;
  label: string;
  schema: z.ZodType<T>;
  default: T;
  source: string;
  mark: 'LOCAL' | 'UNVERIFIED' | 'SECONDARY' | 'VERIFIED' | 'PROJECT';
}

const registry = new Map<string, SettingDef>();

export function defineSetting<T>(def: SettingDef<T>): SettingDef<T> {
  if (registry.has(def.key)) throw new Error(`setting ${def.key} defined twice`);
  registry.set(def.key, def as SettingDef);
  return def;
}

export const allSettings = () => [...registry.values()];
export const settingDef = (key: string) => registry.get(key);

/** The tenant's security profile: `standard` for a village laptop, `mlps3` for 等保 level 3 (docs/SECURITY.md). */
export const SECURITY_PROFILES = ['standard', 'mlps3'] as const;
export type SecurityProfile = (typeof SECURITY_PROFILES)[number];

export const SETTINGS = {
  securityProfile: defineSetting<SecurityProfile>({
    key: 'security.profile', label: '安全配置档（standard：普通；mlps3：等保三级，管理员双因素、三权分立、审计保留）',
    schema: z.enum(SECURITY_PROFILES), default: 'standard', source: 'GB/T 22239-2019 第三级（应用部分）', mark: 'PROJECT',
  }),
  loginMaxFailuresPerUser: defineSetting({
    key: 'auth.lockout.maxFailures', label: '同一用户名15分钟内登录失败次数上限（超过即锁定15分钟）',
    schema: z.number().int().min(1).max(100), default: 5, source: 'ARCHITECTURE.md “Org tree and access”', mark: 'PROJECT',
  }),
  loginMaxFailuresPerIp: defineSetting({
    key: 'auth.throttle.maxFailuresPerIp', label: '同一地址15分钟内登录失败次数上限（超过即限流）',
    schema: z.number().int().min(1).max(1000), default: 20, source: 'ARCHITECTURE.md “Org tree and access”', mark: 'PROJECT',
  }),
  lockoutMinutes: defineSetting({
    key: 'auth.lockout.minutes', label: '登录锁定与统计窗口（分钟）',
    schema: z.number().int().min(1).max(1440), default: 15, source: 'ARCHITECTURE.md “Org tree and access”', mark: 'PROJECT',
  }),
  sessionIdleMinutes: defineSetting({
    key: 'auth.session.idleMinutes', label: '会话空闲超时（分钟，无操作超过即需重新登录）',
    schema: z.number().int().min(1).max(1440), default: 30, source: 'GB/T 22239-2019 8.1.4.1 身份鉴别（登录连接超时自动退出）', mark: 'PROJECT',
  }),
  sessionMaxHours: defineSetting({
    key: 'auth.session.maxHours', label: '会话最长有效期（小时，自登录起计）',
    schema: z.number().int().min(1).max(720), default: 12, source: 'GB/T 22239-2019 8.1.4.1 身份鉴别', mark: 'PROJECT',
  }),
  importMaxConcurrent: defineSetting({
    key: 'imports.maxConcurrent', label: '同时进行的导入任务上限（每个用户同时只能有一个）',
    schema: z.number().int().min(1).max(20), default: 2, source: 'issue 17 #4（上传导致内存耗尽）', mark: 'PROJECT',
  }),
  dueSoonDays: defineSetting({
    key: 'findings.dueSoonDays', label: '“即将到期”提前天数',
    schema: z.number().int().min(0).max(90), default: 7, source: 'ARCHITECTURE.md “Findings and cases”', mark: 'PROJECT',
  }),
  termRemindMonths: defineSetting({
    key: 'orgs.termRemindMonths', label: '换届提醒提前月数',
    schema: z.number().int().min(1).max(24), default: 6, source: 'DOMAIN.md §3.2', mark: 'SECONDARY',
  }),
};

/** Ids on a materialized path, root first: '/1/7/42/' → [1, 7, 42]. */
export const pathIds = (path: string) => path.split('/').filter(Boolean).map(Number);

export async function getSetting<T>(db: Db, tenantId: number, orgPath: string | null, def: SettingDef<T>): Promise<T> {
  const ids = orgPath ? pathIds(orgPath) : [];
  const found = await rows<{ org_id: number; value: unknown }>(
    db,
    sql`select s.org_id, s.value from settings s join tenants t on t.id = s.tenant_id
        where s.tenant_id = ${tenantId} and s.key = ${def.key}
          and (s.org_id = t.root_org_id ${ids.length ? sql`or s.org_id in (${sql.join(ids.map((i) => sql`${i}`), sql`, `)})` : sql``})`,
  );
  if (found.length === 0) return def.default;
  // nearest ancestor wins: the deepest id on the path, else the tenant level
  found.sort((a, b) => ids.indexOf(Number(b.org_id)) - ids.indexOf(Number(a.org_id)));
  const parsed = def.schema.safeParse(found[0].value);
  return parsed.success ? parsed.data : def.default;
}

/** Resolves settings for any org path of one tenant in memory (same rule as getSetting). */
export type SettingResolver = <T>(orgPath: string | null, def: SettingDef<T>) => T;

/**
 * Loads every value of `defs` for a tenant in one query and resolves them per org path in memory: for
 * rules and views that look at thousands of orgs, where getSetting per org would be a query each.
 */
export async function settingsResolverFor(db: Db, tenantId: number, defs: readonly SettingDef[]): Promise<SettingResolver> {
  if (defs.length === 0) return (_path, def) => def.default;
  const found = await rows<{ org_id: number; key: string; value: unknown; root: number }>(
    db,
    sql`select s.org_id, s.key, s.value, t.root_org_id as root from settings s join tenants t on t.id = s.tenant_id
        where s.tenant_id = ${tenantId} and s.key in (${sql.join(defs.map((d) => sql`${d.key}`), sql`, `)})`,
  );
  const byKey = new Map<string, Map<number, unknown>>();
  let root = -1;
  for (const f of found) {
    root = Number(f.root);
    const m = byKey.get(f.key) ?? new Map<number, unknown>();
    m.set(Number(f.org_id), f.value);
    byKey.set(f.key, m);
  }
  const parse = <T,>(def: SettingDef<T>, v: unknown): T => {
    const p = def.schema.safeParse(v);
    return p.success ? p.data : def.default;
  };
  return <T,>(orgPath: string | null, def: SettingDef<T>): T => {
    const m = byKey.get(def.key);
    if (!m) return def.default;
    // nearest ancestor wins: the deepest id on the path, else the tenant level
    const ids = orgPath ? pathIds(orgPath) : [];
    for (let i = ids.length - 1; i >= 0; i -= 1) if (m.has(ids[i])) return parse(def, m.get(ids[i]));
    return m.has(root) ? parse(def, m.get(root)) : def.default;
  };
}
