import { hash, verify } from '@node-rs/argon2';
import { sql } from 'drizzle-orm';
import { one, rows, type Db } from '../db/connection.js';
import type { AppContext } from './context.js';
import { randomToken, sha256Hex } from './crypto.js';
import { AppError } from './errors.js';
import type { Role } from './permissions.js';
import type { SessionActor } from './scope.js';
import { getSetting, SETTINGS } from './settings.js';
import { appendAudit } from './audit.js';
import { normalizeMobile } from '../domain/mobile.js';

export const SESSION_COOKIE = 'zhibu_session';

/** argon2id with the library defaults (~100 ms a hash). */
export const hashPassword = (plain: string) => hash(plain);
export const verifyPassword = (hashed: string, plain: string) => verify(hashed, plain).catch(() => false);

/**
 * An argon2id hash (library defaults) of a random string nobody knows: an unknown, disabled or
 * departed account is verified against it, so every failed login costs one argon2 verification and
 * answer time does not tell whether the account exists (issue 17 #10).
 */
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$Za6hz25jawWKbKlV8bPBmA$puECxlbb2KDjO3HTgHWJR0niLHhQ0NVblYuxlOMA7aQ';

export function passwordProblem(pw: string): string | null {
  if (pw.length < 8) return '密码至少 8 位';
  if (!/[A-Za-z]/.test(pw) || !/\d/.test(pw)) return '密码须同时包含字母和数字';
  return null;
}

/**
 * A short per-process cache of loaded sessions (ARCHITECTURE.md allows caching per session): on
 * PGlite a request otherwise waits behind any long transaction (an import) just to read its session.
 * Logout, grant changes, password resets and disabling clear it; other processes see a change within
 * ACTOR_CACHE_MS.
 */
const ACTOR_CACHE_MS = 3000;
const actorCache = new Map<string, { actor: SessionActor; until: number }>();

export function invalidateActorCache(token?: string): void {
  if (token) actorCache.delete(sha256Hex(token));
  else actorCache.clear();
}

export async function loadActorCached(db: Db, token: string, nowIso: string, nowMs: number): Promise<SessionActor | null> {
  const key = sha256Hex(token);
  const hit = actorCache.get(key);
  if (hit && hit.until > nowMs) return hit.actor;
  const actor = await loadActor(db, token, nowIso);
  if (actor) {
    if (actorCache.size > 10_000) actorCache.clear();
    actorCache.set(key, { actor, until: nowMs + ACTOR_CACHE_MS });
  } else actorCache.delete(key);
  return actor;
}

/**
 * Load session, user, grants and their org paths in one query per request. A session ends at its
 * absolute expiry or `idle_minutes` after it was last seen; loading it marks it seen (at most every
 * ACTOR_CACHE_MS per process, the cache's lifetime).
 */
export async function loadActor(db: Db, token: string, nowIso: string): Promise<SessionActor | null> {
  const r = await rows<{
    user_id: number; tenant_id: number; username: string; display_name: string; person_id: number | null;
    org_id: number | null; path: string | null; role: Role | null; can_view_personal_data: boolean | null; enrol_only: boolean;
  }>(
    db,
    sql`with s as (
          update sessions set last_seen_at = ${nowIso}
          where id = ${sha256Hex(token)} and expires_at > ${nowIso}
            and coalesce(last_seen_at, created_at)::timestamptz + make_interval(mins => idle_minutes) > ${nowIso}::timestamptz
          returning user_id, enrol_only)
        select u.id as user_id, u.tenant_id, u.username, u.display_name, u.person_id,
               g.org_id, o.path, g.role, g.can_view_personal_data, s.enrol_only
        from s
        join users u on u.id = s.user_id and not u.disabled
        left join grants g on g.user_id = u.id
        left join orgs o on o.id = g.org_id and o.dissolved_on is null`,
  );
  if (r.length === 0) return null;
  const first = r[0];
  return {
    userId: first.user_id,
    tenantId: first.tenant_id,
    username: first.username,
    displayName: first.display_name,
    personId: first.person_id,
    sessionId: sha256Hex(token),
    enrolOnly: !!first.enrol_only,
    grants: r.filter((g) => g.org_id != null && g.path != null).map((g) => ({
      orgId: g.org_id!, path: g.path!, role: g.role!, canViewPersonalData: !!g.can_view_personal_data,
    })),
  };
}

/** The account a login names, normalized: NFKC, trimmed, lower-case; a mobile without spaces or +86. */
export function normalizeAccount(raw: string): string {
  const s = raw.normalize('NFKC').trim().toLowerCase();
  return /^[+\d\s()-]{11,20}$/.test(s) ? normalizeMobile(s) : s;
}

interface LoginUser { id: number; tenant_id: number; password_hash: string; disabled: boolean; person_state: string | null; username: string }

async function findLoginUser(ctx: AppContext, account: string, typed: string): Promise<LoginUser | undefined> {
  const cols = sql`u.id, u.tenant_id, u.password_hash, u.disabled, u.username, p.state as person_state from users u left join people p on p.id = u.person_id`;
  let user = await one<LoginUser>(ctx.db, sql`select ${cols} where u.username = ${typed.trim()}`);
  if (!user && account !== typed.trim()) user = await one<LoginUser>(ctx.db, sql`select ${cols} where lower(u.username) = ${account}`);
  if (!user && /^1[3-9]\d{9}$/.test(account)) user = await one<LoginUser>(ctx.db, sql`select ${cols} where u.mobile_bidx = ${ctx.cipher.blindIndex('mobile', account)}`);
  return user;
}

export interface LoginResult { token: string; userId: number; maxAgeSeconds: number }

/**
 * Login by username or mobile (issue 17 #10, #11). The lockout key is the account the name resolves
 * to (`user:<id>`), so `138 0013 8000`, `+86 13800138000` and the username share one counter; an
 * unknown name counts under its normalized form. N failures for one account within the window
 * lock it; M failures from one client address throttle that address — the client address is the
 * socket's, or with ZHIBU_TRUST_PROXY the address the trusted proxy reports, so one attacker behind
 * a shared proxy does not throttle everyone behind it. Every attempt costs one argon2 verification
 * (a dummy hash for unknown accounts) and the same queries, so timing does not reveal whether an
 * account exists. Failures are audit events. A successful login is never throttled.
 */
export async function login(ctx: AppContext, input: { username: string; password: string; ip: string; code?: string }): Promise<LoginResult> {
  const db = ctx.db;
  const nowMs = ctx.clock.nowMs();
  const account = normalizeAccount(input.username);
  const user = await findLoginUser(ctx, account, input.username);
  const key = user ? `user:${user.id}` : `name:${account.slice(0, 60)}`;
  const tenant = await one<{ id: number }>(db, user ? sql`select ${user.tenant_id}::int as id` : sql`select id from tenants order by id limit 1`);
  const tenantId = tenant?.id ?? null;
  const setting = <T>(def: { default: T } & Parameters<typeof getSetting<T>>[3]) => (tenantId ? getSetting(db, tenantId, null, def) : Promise.resolve(def.default));
  const minutes = await setting(SETTINGS.lockoutMinutes);
  const maxUser = await setting(SETTINGS.loginMaxFailuresPerUser);
  const maxIp = await setting(SETTINGS.loginMaxFailuresPerIp);
  const since = new Date(nowMs - minutes * 60_000).toISOString();
  const counts = await one<{ by_user: number; by_ip: number }>(
    db,
    sql`select (select count(*)::int from login_attempts where username = ${key} and not success and at > ${since}) as by_user,
               (select count(*)::int from login_attempts where ip = ${input.ip} and not success and at > ${since}) as by_ip`,
  );
  if ((counts?.by_ip ?? 0) >= maxIp) throw new AppError('tooManyRequests', `登录失败次数过多，请 ${minutes} 分钟后再试`);
  if ((counts?.by_user ?? 0) >= maxUser) throw new AppError('locked', `该账户连续登录失败 ${maxUser} 次，已锁定 ${minutes} 分钟`);

  const usable = !!user && !user.disabled && user.person_state !== 'left';
  const passwordOk = await verifyPassword(usable ? user!.password_hash : DUMMY_HASH, input.password);
  let ok = usable && passwordOk;
  let reason: 'password' | 'secondFactor' | null = ok ? null : 'password';
  let enrolOnly = false;
  if (ok) {
    const second = await checkSecondFactor(ctx, user!.id, user!.tenant_id, input.code);
    if (second === 'codeRequired') throw new AppError('unauthenticated', '请输入动态验证码', { totpRequired: true });
    if (second === 'wrong') { ok = false; reason = 'secondFactor'; }
    enrolOnly = second === 'enrol';
  }
  const nowIso = new Date(nowMs).toISOString();
  await db.execute(sql`insert into login_attempts (username, ip, at, success) values (${key}, ${input.ip}, ${nowIso}, ${ok})`);
  if (!ok) {
    if (tenantId) {
      await db.transaction(async (tx) => appendAudit(tx as unknown as Db, ctx.clock, tenantId, { label: 'system', userId: null }, [
        { action: 'login', entity: 'loginFailure', entityId: user?.id ?? null, meta: { ip: input.ip, account: user ? user.username : account.slice(0, 60), reason } },
      ]));
    }
    throw new AppError('unauthenticated', reason === 'secondFactor' ? '动态验证码不正确或已使用' : '用户名或密码错误');
  }
  const idleMinutes = await getSetting(db, user!.tenant_id, null, SETTINGS.sessionIdleMinutes);
  const maxHours = await getSetting(db, user!.tenant_id, null, SETTINGS.sessionMaxHours);
  const token = randomToken();
  const expires = new Date(nowMs + maxHours * 3_600_000).toISOString();
  await db.transaction(async (tx) => {
    await tx.execute(sql`insert into sessions (id, user_id, created_at, expires_at, last_seen_at, idle_minutes, enrol_only)
                         values (${sha256Hex(token)}, ${user!.id}, ${nowIso}, ${expires}, ${nowIso}, ${idleMinutes}, ${enrolOnly})`);
    await appendAudit(tx as unknown as Db, ctx.clock, user!.tenant_id, { label: `user:${user!.id}`, userId: user!.id }, [
      { action: 'login', entity: 'session', entityId: user!.id, meta: { ip: input.ip } },
    ]);
  });
  return { token, userId: user!.id, maxAgeSeconds: maxHours * 3600 };
}

/**
 * The second factor at login (totp.ts). 'ok': none needed or the code is right; 'codeRequired':
 * the account has TOTP and no code came; 'wrong': a wrong or replayed code; 'enrol': an mlps3
 * administrator without TOTP, signed in for enrolment only.
 */
export type SecondFactor = 'ok' | 'codeRequired' | 'wrong' | 'enrol';
let secondFactorCheck: (ctx: AppContext, userId: number, tenantId: number, code: string | undefined) => Promise<SecondFactor> = async () => 'ok';
export function setSecondFactorCheck(fn: typeof secondFactorCheck): void {
  secondFactorCheck = fn;
}
const checkSecondFactor = (ctx: AppContext, userId: number, tenantId: number, code: string | undefined) => secondFactorCheck(ctx, userId, tenantId, code);

export async function logout(ctx: AppContext, actor: SessionActor, token: string): Promise<void> {
  invalidateActorCache(token);
  await ctx.db.transaction(async (tx) => {
    await tx.execute(sql`delete from sessions where id = ${sha256Hex(token)}`);
    await appendAudit(tx as unknown as Db, ctx.clock, actor.tenantId, { label: `user:${actor.userId}`, userId: actor.userId }, [
      { action: 'logout', entity: 'session', entityId: actor.userId },
    ]);
  });
}

/** End sessions in the database and in this process's cache (other processes: within ACTOR_CACHE_MS). */
export async function endSessions(db: Db, userId: number, exceptSessionId?: string): Promise<void> {
  const ended = await rows<{ id: string }>(db, exceptSessionId
    ? sql`delete from sessions where user_id = ${userId} and id <> ${exceptSessionId} returning id`
    : sql`delete from sessions where user_id = ${userId} returning id`);
  for (const e of ended) actorCache.delete(e.id);
}

/** Changing one's own password ends one's other sessions (issue 17 #5). */
export async function changePassword(ctx: AppContext, actor: SessionActor, oldPw: string, newPw: string): Promise<void> {
  const u = await one<{ password_hash: string; password_history: string[] | null }>(ctx.db, sql`select password_hash, password_history from users where id = ${actor.userId}`);
  if (!u || !(await verifyPassword(u.password_hash, oldPw))) throw new AppError('validation', '原密码不正确', { fields: { oldPassword: '原密码不正确' } });
  const problem = await passwordPolicyProblem(ctx, actor.tenantId, actor.username, newPw, [u.password_hash, ...(u.password_history ?? [])]);
  if (problem) throw new AppError('validation', problem, { fields: { newPassword: problem } });
  const h = await hashPassword(newPw);
  const history = [u.password_hash, ...(u.password_history ?? [])].slice(0, PASSWORD_HISTORY);
  await ctx.db.transaction(async (tx) => {
    await tx.execute(sql`update users set password_hash = ${h}, password_history = ${JSON.stringify(history)}::jsonb, version = version + 1, updated_at = ${ctx.clock.nowIso()} where id = ${actor.userId}`);
    await endSessions(tx as unknown as Db, actor.userId, actor.sessionId);
    await appendAudit(tx as unknown as Db, ctx.clock, actor.tenantId, { label: `user:${actor.userId}`, userId: actor.userId }, [
      { action: 'passwordChange', entity: 'user', entityId: actor.userId, meta: { otherSessionsEnded: true } },
    ]);
  });
}

/** How many previous passwords are kept and refused under mlps3 (GB/T 22239-2019 8.1.4.1 a). */
export const PASSWORD_HISTORY = 5;

/**
 * The password rule of the tenant's profile. standard: passwordProblem. mlps3: at least 12
 * characters, 3 of 4 classes (lower, upper, digit, other), not containing the username, not one
 * of the last PASSWORD_HISTORY passwords (`previous`: current hash first).
 */
export async function passwordPolicyProblem(ctx: AppContext, tenantId: number, username: string, pw: string, previous: string[]): Promise<string | null> {
  const profile = await getSetting(ctx.db, tenantId, null, SETTINGS.securityProfile);
  if (profile !== 'mlps3') return passwordProblem(pw);
  return strongPasswordProblem(pw, username) ?? (await reusedPassword(pw, previous.slice(0, PASSWORD_HISTORY)));
}

export function strongPasswordProblem(pw: string, username: string): string | null {
  if (pw.length < 12) return '密码至少 12 位（等保三级配置）';
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z\d]/].filter((re) => re.test(pw)).length;
  if (classes < 3) return '密码须包含大写字母、小写字母、数字、符号中的至少三类';
  if (username && pw.toLowerCase().includes(username.toLowerCase())) return '密码不得包含用户名';
  return null;
}

async function reusedPassword(pw: string, hashes: string[]): Promise<string | null> {
  for (const h of hashes) if (await verifyPassword(h, pw)) return `新密码不得与最近 ${PASSWORD_HISTORY} 次使用过的密码相同`;
  return null;
}
