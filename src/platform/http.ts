import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from './context.js';
import { AppError } from './errors.js';
import { PERMISSIONS, type Permission } from './permissions.js';
import { hasPermission, scopeFor, tenantProfile, type Scope, type SessionActor } from './scope.js';
import { SESSION_COOKIE, loadActorCached } from './auth.js';
import { actorOfUser } from './write.js';
import { ENROLMENT_ROUTES } from './totp.js';
import type { Actor } from './audit.js';

/**
 * Deny by default (STYLE.md §3): every route declares `auth` — a permission or 'public'. A route
 * registered without one throws at start-up; the declared table is what the authorization matrix
 * test walks.
 */
export type RouteAuth = Permission | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth;
    /** Writing routes say so; the audit test calls each and expects an audit row. */
    writes?: boolean;
  }
  interface FastifyRequest {
    actor: SessionActor | null;
  }
}

export interface DeclaredRoute {
  method: string;
  url: string;
  auth: RouteAuth;
  writes: boolean;
}

export function installRouteGuard(app: FastifyInstance, table: DeclaredRoute[]): void {
  app.addHook('onRoute', (opts: RouteOptions) => {
    const methods = Array.isArray(opts.method) ? opts.method : [opts.method];
    if (!opts.url.startsWith('/api/') || opts.url.startsWith('/api/docs')) return;
    const auth = opts.config?.auth;
    if (!auth || (auth !== 'public' && !(auth in PERMISSIONS))) {
      throw new Error(`route ${methods.join(',')} ${opts.url} declares no valid auth (deny by default)`);
    }
    for (const m of methods) {
      if (m === 'HEAD') continue;
      table.push({ method: m, url: opts.url, auth, writes: !!opts.config?.writes });
    }
  });
}

const publicHits = new Map<string, { n: number; resetAt: number }>();
const PUBLIC_LIMIT_PER_MINUTE = 120;

export function installAuth(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('actor', null);
  app.addHook('preHandler', async (req: FastifyRequest) => {
    const cfg = req.routeOptions.config;
    const auth = cfg?.auth;
    if (!req.url.startsWith('/api/') || req.url.startsWith('/api/docs')) return;
    if (!auth) throw new AppError('notFound', '接口不存在');
    const token = req.cookies?.[SESSION_COOKIE];
    if (token) req.actor = await loadActorCached(ctx.db, token, ctx.clock.nowIso(), ctx.clock.nowMs());
    // Role permissions depend on the tenant's security profile (permissionsOf).
    if (req.actor) req.actor = { ...req.actor, profile: await tenantProfile(ctx.db, req.actor.tenantId, ctx.clock.nowMs()) };
    if (auth === 'public') {
      const now = ctx.clock.nowMs();
      const hit = publicHits.get(req.ip);
      if (!hit || hit.resetAt < now) publicHits.set(req.ip, { n: 1, resetAt: now + 60_000 });
      else if (++hit.n > PUBLIC_LIMIT_PER_MINUTE) throw new AppError('tooManyRequests', '请求过于频繁，请稍后再试');
      return;
    }
    if (!req.actor) throw new AppError('unauthenticated', '请先登录');
    if (req.actor.enrolOnly && !ENROLMENT_ROUTES.has(`${req.method} ${req.routeOptions.url}`)) {
      throw new AppError('forbidden', '按安全配置要求，管理员须先绑定双因素认证（个人资料页）后才能使用系统', { totpEnrolRequired: true });
    }
    if (!hasPermission(req.actor, auth)) throw new AppError('forbidden', '您没有执行此操作的权限');
  });
}

/** The authenticated actor (the preHandler guarantees it on non-public routes). */
export function actorOf(req: FastifyRequest): SessionActor {
  if (!req.actor) throw new AppError('unauthenticated', '请先登录');
  return req.actor;
}

export function scopeOf(req: FastifyRequest, p: Permission): Scope {
  return scopeFor(actorOf(req), p);
}

export const auditActor = (req: FastifyRequest): Actor => actorOfUser(actorOf(req).userId);

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: unknown, req, reply: FastifyReply) => {
    if (err instanceof AppError) {
      return reply.status(err.status).send({ error: err.code, message: err.message, ...(err.details ?? {}) });
    }
    const e = err as { validation?: unknown; statusCode?: number; code?: string; message?: string; cause?: unknown };
    if (e.validation || e.code === 'FST_ERR_VALIDATION') {
      const fields: Record<string, string> = {};
      const issues = (e.validation as { instancePath?: string; message?: string; params?: { issue?: { path?: (string | number)[] } } }[]) ?? [];
      for (const i of issues) {
        const key = i.params?.issue?.path?.join('.') || (i.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.') || '_';
        fields[key] = i.message ?? '格式不正确';
      }
      const first = Object.entries(fields)[0];
      return reply.status(400).send({ error: 'validation', message: first ? `${first[0]}：${first[1]}` : '输入格式不正确', fields });
    }
    if (e.statusCode && e.statusCode < 500) {
      const msg = e.statusCode === 413 ? '上传文件过大' : e.statusCode === 415 ? '不支持的内容类型' : '请求格式不正确';
      return reply.status(e.statusCode).send({ error: 'badRequest', message: msg });
    }
    req.log.error(err);
    return reply.status(500).send({ error: 'internal', message: '服务器内部错误，请稍后重试' });
  });
}

export type ZApp = FastifyInstance & { withTypeProvider<T>(): FastifyInstance };
export const typed = (app: FastifyInstance) => app.withTypeProvider<ZodTypeProvider>();

/** Shared query helpers for list routes. */
export const pageQuery = {
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
};
