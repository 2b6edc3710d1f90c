import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { actorOf, typed } from '../http.js';
import { SESSION_COOKIE, changePassword, login, logout } from '../auth.js';
import { permissionsOf } from '../permissions.js';
import { isHttps } from '../httpSecurity.js';
import { beginEnrolment, confirmEnrolment, totpStatus } from '../totp.js';

export function authRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = typed(app);
  r.get('/api/health', { config: { auth: 'public' }, schema: { summary: '健康检查', tags: ['system'] } }, async () => ({ ok: true, db: ctx.dbKind, today: ctx.clock.today() }));
  r.post('/api/auth/login', {
    config: { auth: 'public', writes: true },
    schema: {
      summary: '登录（用户名或手机号）', tags: ['auth'],
      body: z.object({
        username: z.string().trim().min(1, '请输入用户名').max(60),
        password: z.string().min(1, '请输入密码').max(200),
        /** A TOTP code or a recovery code, when the account has two factors. */
        code: z.string().trim().max(40).optional(),
      }),
    },
  }, async (req, reply) => {
    const { token, maxAgeSeconds } = await login(ctx, { ...req.body, ip: req.ip });
    // Secure over TLS (directly, or behind a proxy trusted with ZHIBU_TRUST_PROXY); SameSite=Strict always.
    reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: '/', secure: isHttps(req), maxAge: maxAgeSeconds });
    return { ok: true };
  });
  r.post('/api/auth/logout', { config: { auth: 'session', writes: true }, schema: { summary: '退出登录', tags: ['auth'] } }, async (req, reply) => {
    await logout(ctx, actorOf(req), req.cookies[SESSION_COOKIE]!);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });
  r.get('/api/auth/me', { config: { auth: 'session' }, schema: { summary: '当前用户与权限', tags: ['auth'] } }, async (req) => {
    const a = actorOf(req);
    const perms = [...new Set(a.grants.flatMap((g) => permissionsOf(g.role, a.profile)))];
    return {
      userId: a.userId, username: a.username, displayName: a.displayName, personId: a.personId, permissions: perms,
      /** An mlps3 administrator signed in without TOTP: only enrolment works until it is done. */
      totpEnrolRequired: !!a.enrolOnly,
      /** The business clock's date (ZHIBU_TODAY in demos and tests): the web's default for date fields. */
      today: ctx.clock.today(),
      grants: await grantsWithNames(ctx, a.grants.map((g) => g.orgId)).then((names) =>
        a.grants.map((g) => ({ orgId: g.orgId, orgName: names.get(g.orgId) ?? '', role: g.role, canViewPersonalData: g.canViewPersonalData }))),
    };
  });
  r.post('/api/auth/password', {
    config: { auth: 'session', writes: true },
    schema: { summary: '修改密码', tags: ['auth'], body: z.object({ oldPassword: z.string().min(1, '请输入原密码'), newPassword: z.string().min(1, '请输入新密码').max(200) }) },
  }, async (req) => {
    await changePassword(ctx, actorOf(req), req.body.oldPassword, req.body.newPassword);
    return { ok: true };
  });
  r.get('/api/auth/totp', { config: { auth: 'session' }, schema: { summary: '双因素认证状态', tags: ['auth'] } }, async (req) => totpStatus(ctx, actorOf(req)));
  r.post('/api/auth/totp/setup', {
    config: { auth: 'session', writes: true },
    schema: { summary: '开始绑定双因素认证（生成密钥与二维码）', tags: ['auth'] },
  }, async (req) => beginEnrolment(ctx, actorOf(req)));
  r.post('/api/auth/totp/confirm', {
    config: { auth: 'session', writes: true },
    schema: { summary: '确认绑定双因素认证（输入动态验证码，返回一次性恢复码）', tags: ['auth'], body: z.object({ code: z.string().trim().min(1, '请输入验证码').max(12) }) },
  }, async (req) => confirmEnrolment(ctx, actorOf(req), req.body.code));
}

async function grantsWithNames(ctx: AppContext, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const { sql } = await import('drizzle-orm');
  const { rows } = await import('../../db/connection.js');
  const r = await rows<{ id: number; name: string }>(ctx.db, sql`select id, name from orgs where id in (${sql.join(ids.map((i) => sql`${i}`), sql`, `)})`);
  return new Map(r.map((x) => [x.id, x.name]));
}
