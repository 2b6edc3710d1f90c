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
const SESSION_DAYS = 7;

/** argon2id with the library defaults (~100 ms a hash). */
export const hashPassword = (plain: string) => hash(plain);
export const verifyPassword = (hashed: string, plain: string) => verify(hashed, plain).catch(() => false);

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

/** Load session, user, grants and their org paths in one query per request. */
export async function loadActor(db: Db, token: string, nowIso: string): Promise<SessionActor | null> {
  const r = await rows<{
    user_id: number; tenant_id: number; username: string; display_name: string; person_id: number | null;
    org_id: number | null; path: string | null; role: Role | null; can_view_personal_data: boolean | null;
  }>(
    db,
    sql`select u.id as user_id, u.tenant_id, u.username, u.display_name, u.person_id,
               g.org_id, o.path, g.role, g.can_view_personal_data
        from sessions s
        join users u on u.id = s.user_id and not u.disabled
        left join grants g on g.user_id = u.id
        left join orgs o on o.id = g.org_id and o.dissolved_on is null
        where s.id = ${sha256Hex(token)} and s.expires_at > ${nowIso}`,
  );
  if (r.length === 0) return null;
  const first = r[0];
  return {
    userId: first.user_id,
    tenantId: first.tenant_id,
    username: first.username,
    displayName: first.display_name,
    personId: first.person_id,
    grants: r.filter((g) => g.org_id != null && g.path != null).map((g) => ({
      orgId: g.org_id!, path: g.path!, role: g.role!, canViewPersonalData: !!g.can_view_personal_data,
    })),
  };
}

/**
 * Login by username or mobile. 5 failures for one username within 15 minutes lock it for 15
 * minutes; 20 failures from one address throttle the address (settings). A successful login is
 * never throttled: counters only count failures.
 */
export async function login(ctx: AppContext, input: { username: string; password: string; ip: string }): Promise<{ token: string; userId: number }> {
  const db = ctx.db;
  const nowMs = ctx.clock.nowMs();
  const username = input.username.trim();
  let user = await one<{ id: number; tenant_id: number; password_hash: string; disabled: boolean; person_state: string | null }>(
    db,
    sql`select u.id, u.tenant_id, u.password_hash, u.disabled, p.state as person_state from users u left join people p on p.id = u.person_id where u.username = ${username}`,
  );
  if (!user && /^[+\d\s-]{11,16}$/.test(username)) {
    const bidx = ctx.cipher.blindIndex('mobile', normalizeMobile(username));
    user = await one(db, sql`select u.id, u.tenant_id, u.password_hash, u.disabled, p.state as person_state from users u left join people p on p.id = u.person_id where u.mobile_bidx = ${bidx}`);
  }
  const tenantId = user?.tenant_id ?? null;
  const minutes = tenantId ? await getSetting(db, tenantId, null, SETTINGS.lockoutMinutes) : SETTINGS.lockoutMinutes.default;
  const maxUser = tenantId ? await getSetting(db, tenantId, null, SETTINGS.loginMaxFailuresPerUser) : SETTINGS.loginMaxFailuresPerUser.default;
  const maxIp = tenantId ? await getSetting(db, tenantId, null, SETTINGS.loginMaxFailuresPerIp) : SETTINGS.loginMaxFailuresPerIp.default;
  const since = new Date(nowMs - minutes * 60_000).toISOString();
  const counts = await one<{ by_user: number; by_ip: number }>(
    db,
    sql`select (select count(*)::int from login_attempts where username = ${username} and not success and at > ${since}) as by_user,
               (select count(*)::int from login_attempts where ip = ${input.ip} and not success and at > ${since}) as by_ip`,
  );
  if ((counts?.by_ip ?? 0) >= maxIp) throw new AppError('tooManyRequests', `登录失败次数过多，请 ${minutes} 分钟后再试`);
  if ((counts?.by_user ?? 0) >= maxUser) throw new AppError('locked', `该账户连续登录失败 ${maxUser} 次，已锁定 ${minutes} 分钟`);

  const ok = !!user && !user.disabled && user.person_state !== 'left' && (await verifyPassword(user.password_hash, input.password));
  const nowIso = new Date(nowMs).toISOString();
  await db.execute(sql`insert into login_attempts (username, ip, at, success) values (${username}, ${input.ip}, ${nowIso}, ${ok})`);
  if (!ok) throw new AppError('unauthenticated', '用户名或密码错误');
  const token = randomToken();
  const expires = new Date(nowMs + SESSION_DAYS * 86_400_000).toISOString();
  await db.transaction(async (tx) => {
    await tx.execute(sql`insert into sessions (id, user_id, created_at, expires_at) values (${sha256Hex(token)}, ${user!.id}, ${nowIso}, ${expires})`);
    await appendAudit(tx as unknown as Db, ctx.clock, user!.tenant_id, { label: `user:${user!.id}`, userId: user!.id }, [
      { action: 'login', entity: 'session', entityId: user!.id, meta: { ip: input.ip } },
    ]);
  });
  return { token, userId: user!.id };
}

export async function logout(ctx: AppContext, actor: SessionActor, token: string): Promise<void> {
  invalidateActorCache(token);
  await ctx.db.transaction(async (tx) => {
    await tx.execute(sql`delete from sessions where id = ${sha256Hex(token)}`);
    await appendAudit(tx as unknown as Db, ctx.clock, actor.tenantId, { label: `user:${actor.userId}`, userId: actor.userId }, [
      { action: 'logout', entity: 'session', entityId: actor.userId },
    ]);
  });
}

export async function changePassword(ctx: AppContext, actor: SessionActor, oldPw: string, newPw: string): Promise<void> {
  const u = await one<{ password_hash: string }>(ctx.db, sql`select password_hash from users where id = ${actor.userId}`);
  if (!u || !(await verifyPassword(u.password_hash, oldPw))) throw new AppError('validation', '原密码不正确', { fields: { oldPassword: '原密码不正确' } });
  const problem = passwordProblem(newPw);
  if (problem) throw new AppError('validation', problem, { fields: { newPassword: problem } });
  const h = await hashPassword(newPw);
  await ctx.db.transaction(async (tx) => {
    await tx.execute(sql`update users set password_hash = ${h}, version = version + 1, updated_at = ${ctx.clock.nowIso()} where id = ${actor.userId}`);
    await appendAudit(tx as unknown as Db, ctx.clock, actor.tenantId, { label: `user:${actor.userId}`, userId: actor.userId }, [
      { action: 'passwordChange', entity: 'user', entityId: actor.userId },
    ]);
  });
}
