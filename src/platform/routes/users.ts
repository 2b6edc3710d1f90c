import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { one, rows, type Db } from '../../db/connection.js';
import type { AppContext } from '../context.js';
import { actorOf, auditActor, scopeOf, typed } from '../http.js';
import { conflict, forbidden, invalid, notFound } from '../errors.js';
import { hasPermission, inScope, pathPredicate, scopeFor, type Scope, type SessionActor } from '../scope.js';
import { ROLES, SEPARATED_ROLES, type Role } from '../permissions.js';
import { PASSWORD_HISTORY, hashPassword, invalidateActorCache, passwordPolicyProblem } from '../auth.js';
import { write } from '../write.js';
import { clearSecondFactor } from '../totp.js';
import { normalizeMobile, validateMobile } from '../../domain/mobile.js';

/**
 * Accounts and grants (权限角色). An orgAdmin manages accounts and grants below its node; only a
 * sysAdmin grants sysAdmin, securityAdmin and auditAdmin. A user is manageable when every grant it
 * holds lies inside the actor's scope, so a subdistrict cannot reset the county admin's password.
 * Issue 17 finding 3: nobody grants, changes or revokes a grant of their own; the personal-data right
 * (canViewPersonalData) is granted and revoked only by a holder of `personalData.grant` over the org
 * (sysAdmin by default, only securityAdmin under mlps3), each change audited as entity `personalData`
 * and listed by GET /api/personal-data/holders. Under mlps3 no account holds two of the separated roles.
 */
const grantInput = z.object({
  orgId: z.number().int().positive(),
  role: z.enum(ROLES, { message: '角色不正确' }),
  canViewPersonalData: z.boolean().default(false),
});
const idParam = z.object({ id: z.coerce.number().int().positive() });

const PD_DENIED = '只有持有“授予查看个人信息权限”的管理员可以授予、修改或撤销查看个人信息的权限';
const SELF_DENIED = '不能给自己授予、修改或撤销权限';
const ADMIN_ROLES: readonly Role[] = ['sysAdmin', 'securityAdmin', 'auditAdmin'];

/** The personal-data right at an org path may change only by a holder of personalData.grant over it. */
function requirePersonalDataGrant(actor: SessionActor, path: string) {
  if (!inScope(scopeFor(actor, 'personalData.grant'), path)) throw forbidden(PD_DENIED);
}

/** Under mlps3 (三权分立) an account holds at most one of sysAdmin / securityAdmin / auditAdmin. */
async function checkSeparation(tx: Db, actor: SessionActor, userId: number | null, role: Role) {
  if (actor.profile !== 'mlps3' || !SEPARATED_ROLES.includes(role) || userId == null) return;
  const held = await rows<{ role: string }>(tx, sql`select distinct role from grants where user_id = ${userId}`);
  if (held.some((h) => h.role !== role && SEPARATED_ROLES.includes(h.role as Role))) {
    throw conflict('等保三级配置下，一个账号不能同时持有系统管理员、安全管理员、审计管理员中的两种角色');
  }
}

async function checkGrant(tx: Db, actor: SessionActor, scope: Scope, g: z.infer<typeof grantInput>, personId: number | null, userId: number | null) {
  if (userId === actor.userId) throw forbidden(SELF_DENIED);
  const org = await one<{ path: string }>(tx, sql`select path from orgs where id = ${g.orgId} and tenant_id = ${scope.tenantId} and dissolved_on is null`);
  if (!org || !inScope(scope, org.path)) throw notFound('组织');
  if (ADMIN_ROLES.includes(g.role) && !hasPermission(actor, 'system.admin')) throw forbidden('只有系统管理员可以授予系统管理员、安全管理员、审计管理员角色');
  if (g.canViewPersonalData) requirePersonalDataGrant(actor, org.path);
  await checkSeparation(tx, actor, userId, g.role);
  if (personId != null) {
    const p = await one<{ org_path: string }>(tx, sql`select org_path from people where id = ${personId} and tenant_id = ${scope.tenantId}`);
    if (!p || !inScope(scope, p.org_path)) throw notFound('党员');
  }
  if (g.role === 'member') {
    if (!personId) throw invalid('党员角色须关联本人的党员记录', { personId: '请选择党员' });
    const p = await one<{ org_id: number }>(tx, sql`select org_id from people where id = ${personId} and tenant_id = ${scope.tenantId}`);
    if (!p || p.org_id !== g.orgId) throw invalid('党员角色应授予在其组织关系所在的党组织', { orgId: '应为该党员所在党组织' });
  }
  return org.path;
}

async function manageableUser(tx: Db, scope: Scope, userId: number) {
  const u = await one<{ id: number; username: string; person_id: number | null }>(tx, sql`select id, username, person_id from users where id = ${userId} and tenant_id = ${scope.tenantId}`);
  if (!u) throw notFound('用户');
  const paths = await rows<{ path: string }>(tx, sql`select o.path from grants g join orgs o on o.id = g.org_id where g.user_id = ${userId}`);
  if (paths.length === 0 || !paths.every((p) => inScope(scope, p.path))) throw notFound('用户');
  return u;
}

export function userRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = typed(app);
  r.get('/api/users', {
    config: { auth: 'grants.write' },
    schema: { summary: '账号与权限（管理范围内）', tags: ['users'] },
  }, async (req) => {
    const scope = scopeOf(req, 'grants.write');
    const list = await rows<{ id: number; username: string; display_name: string; person_id: number | null; disabled: boolean; totp_enabled: boolean; grant_id: number; org_id: number; org_name: string; role: string; can_view_personal_data: boolean }>(
      ctx.db,
      sql`select u.id, u.username, u.display_name, u.person_id, u.disabled, (u.totp_secret is not null and u.recovery_codes is not null) as totp_enabled, g.id as grant_id, g.org_id, o.name as org_name, g.role, g.can_view_personal_data
          from users u join grants g on g.user_id = u.id join orgs o on o.id = g.org_id
          where u.tenant_id = ${scope.tenantId} and ${pathPredicate(sql`o.path`, scope)} order by o.path, u.username`,
    );
    const byUser = new Map<number, { id: number; username: string; displayName: string; personId: number | null; disabled: boolean; totpEnabled: boolean; grants: unknown[] }>();
    for (const x of list) {
      const u = byUser.get(x.id) ?? { id: x.id, username: x.username, displayName: x.display_name, personId: x.person_id, disabled: x.disabled, totpEnabled: !!x.totp_enabled, grants: [] };
      u.grants.push({ id: x.grant_id, orgId: x.org_id, orgName: x.org_name, role: x.role, canViewPersonalData: x.can_view_personal_data });
      byUser.set(x.id, u);
    }
    return [...byUser.values()];
  });

  r.post('/api/users', {
    config: { auth: 'grants.write', writes: true },
    schema: {
      summary: '新建账号并授予角色', tags: ['users'],
      body: z.object({
        username: z.string().trim().regex(/^[A-Za-z0-9_.-]{3,40}$/, '用户名为 3–40 位字母、数字、下划线、点或短横线'),
        displayName: z.string().trim().min(1, '请填写姓名或名称').max(40).refine((s) => !/[<>]/.test(s), '不能包含 < 或 >'),
        password: z.string().min(1).max(200),
        mobile: z.string().trim().max(20).optional(),
        personId: z.number().int().positive().optional(),
        grant: grantInput,
      }),
    },
  }, async (req, reply) => {
    const actor = actorOf(req);
    const scope = scopeOf(req, 'grants.write');
    const b = req.body;
    // the tenant's password rule (mlps3: length 12, three classes, no username)
    const problem = await passwordPolicyProblem(ctx, scope.tenantId, b.username, b.password, []);
    if (problem) throw invalid(problem, { password: problem });
    let mobileBidx: string | null = null;
    if (b.mobile) {
      const m = validateMobile(b.mobile);
      if (!m.ok) throw invalid(m.reason, { mobile: m.reason });
      mobileBidx = ctx.cipher.blindIndex('mobile', normalizeMobile(m.normalized));
    }
    const hash = await hashPassword(b.password);
    const out = await write(ctx, scope.tenantId, auditActor(req), async (w) => {
      await checkGrant(w.tx, actor, scope, b.grant, b.personId ?? null, null);
      if (await one(w.tx, sql`select id from users where username = ${b.username}`)) throw conflict(`用户名“${b.username}”已被使用`, { fields: { username: '用户名已被使用' } });
      if (mobileBidx && (await one(w.tx, sql`select id from users where mobile_bidx = ${mobileBidx}`))) throw conflict('该手机号已绑定其他账号', { fields: { mobile: '手机号已被使用' } });
      const u = await one<{ id: number }>(w.tx, sql`insert into users (tenant_id, username, display_name, mobile_bidx, password_hash, person_id, created_at, updated_at)
        values (${w.tenantId}, ${b.username}, ${b.displayName}, ${mobileBidx}, ${hash}, ${b.personId ?? null}, ${w.now}, ${w.now}) returning id`);
      const g = await one<{ id: number }>(w.tx, sql`insert into grants (tenant_id, user_id, org_id, role, can_view_personal_data, created_at, updated_at)
        values (${w.tenantId}, ${u!.id}, ${b.grant.orgId}, ${b.grant.role}, ${b.grant.canViewPersonalData}, ${w.now}, ${w.now}) returning id`);
      w.audit({ action: 'create', entity: 'user', entityId: u!.id, orgId: b.grant.orgId, after: { username: b.username, displayName: b.displayName, personId: b.personId ?? null, grant: b.grant } });
      if (b.grant.canViewPersonalData) w.audit({ action: 'grant', entity: 'personalData', entityId: g!.id, orgId: b.grant.orgId, after: { userId: u!.id, role: b.grant.role } });
      return { id: u!.id };
    });
    return reply.status(201).send(out);
  });

  r.post('/api/users/:id/grants', {
    config: { auth: 'grants.write', writes: true },
    schema: { summary: '授予角色', tags: ['users'], params: idParam, body: grantInput },
  }, async (req, reply) => {
    const actor = actorOf(req);
    const scope = scopeOf(req, 'grants.write');
    const out = await write(ctx, scope.tenantId, auditActor(req), async (w) => {
      const u = await one<{ id: number; person_id: number | null }>(w.tx, sql`select id, person_id from users where id = ${req.params.id} and tenant_id = ${w.tenantId}`);
      if (!u) throw notFound('用户');
      await checkGrant(w.tx, actor, scope, req.body, u.person_id, u.id);
      if (await one(w.tx, sql`select id from grants where user_id = ${u.id} and org_id = ${req.body.orgId} and role = ${req.body.role}`)) throw conflict('该账号在此组织已有此角色');
      const g = await one<{ id: number }>(w.tx, sql`insert into grants (tenant_id, user_id, org_id, role, can_view_personal_data, created_at, updated_at)
        values (${w.tenantId}, ${u.id}, ${req.body.orgId}, ${req.body.role}, ${req.body.canViewPersonalData}, ${w.now}, ${w.now}) returning id`);
      invalidateActorCache();
      w.audit({ action: 'grant', entity: 'grant', entityId: g!.id, orgId: req.body.orgId, after: { userId: u.id, ...req.body } });
      if (req.body.canViewPersonalData) w.audit({ action: 'grant', entity: 'personalData', entityId: g!.id, orgId: req.body.orgId, after: { userId: u.id, role: req.body.role } });
      return { id: g!.id };
    });
    return reply.status(201).send(out);
  });

  r.delete('/api/grants/:id', {
    config: { auth: 'grants.write', writes: true },
    schema: { summary: '撤销角色', tags: ['users'], params: idParam },
  }, async (req) => {
    const actor = actorOf(req);
    const scope = scopeOf(req, 'grants.write');
    await write(ctx, scope.tenantId, auditActor(req), async (w) => {
      const g = await one<{ id: number; user_id: number; org_id: number; role: string; can_view_personal_data: boolean; path: string }>(
        w.tx, sql`select g.id, g.user_id, g.org_id, g.role, g.can_view_personal_data, o.path from grants g join orgs o on o.id = g.org_id where g.id = ${req.params.id} and g.tenant_id = ${w.tenantId}`,
      );
      if (!g || !inScope(scope, g.path)) throw notFound('授权');
      if (ADMIN_ROLES.includes(g.role as Role) && !hasPermission(actor, 'system.admin')) throw forbidden('只有系统管理员可以撤销系统管理员、安全管理员、审计管理员角色');
      if (g.user_id === actor.userId) throw forbidden(SELF_DENIED);
      if (g.can_view_personal_data) requirePersonalDataGrant(actor, g.path);
      await w.tx.execute(sql`delete from grants where id = ${g.id}`);
      invalidateActorCache();
      w.audit({ action: 'revoke', entity: 'grant', entityId: g.id, orgId: g.org_id, before: { userId: g.user_id, role: g.role, canViewPersonalData: g.can_view_personal_data } });
      if (g.can_view_personal_data) w.audit({ action: 'revoke', entity: 'personalData', entityId: g.id, orgId: g.org_id, before: { userId: g.user_id, role: g.role } });
    });
    return { ok: true };
  });

  r.put('/api/grants/:id/personal-data', {
    config: { auth: 'personalData.grant', writes: true },
    schema: { summary: '授予或撤销查看个人信息的权限', tags: ['users'], params: idParam, body: z.object({ canViewPersonalData: z.boolean() }) },
  }, async (req) => {
    const actor = actorOf(req);
    await write(ctx, actor.tenantId, auditActor(req), async (w) => {
      const g = await one<{ id: number; user_id: number; org_id: number; role: string; can_view_personal_data: boolean; path: string }>(
        w.tx, sql`select g.id, g.user_id, g.org_id, g.role, g.can_view_personal_data, o.path from grants g join orgs o on o.id = g.org_id where g.id = ${req.params.id} and g.tenant_id = ${w.tenantId}`,
      );
      if (!g || !inScope(scopeFor(actor, 'personalData.grant'), g.path)) throw notFound('授权');
      if (g.user_id === actor.userId) throw forbidden(SELF_DENIED);
      if (g.can_view_personal_data === req.body.canViewPersonalData) return;
      await w.tx.execute(sql`update grants set can_view_personal_data = ${req.body.canViewPersonalData}, version = version + 1, updated_at = ${w.now} where id = ${g.id}`);
      invalidateActorCache();
      w.audit({ action: req.body.canViewPersonalData ? 'grant' : 'revoke', entity: 'personalData', entityId: g.id, orgId: g.org_id,
        before: { userId: g.user_id, role: g.role, canViewPersonalData: g.can_view_personal_data }, after: { userId: g.user_id, role: g.role, canViewPersonalData: req.body.canViewPersonalData } });
    });
    return { ok: true };
  });

  r.get('/api/personal-data/holders', {
    config: { auth: 'grants.write' },
    schema: { summary: '谁可以查看个人信息（管理范围内持有查看个人信息权限的账号，谁授予、何时授予）', tags: ['users'] },
  }, async (req) => {
    const scope = scopeOf(req, 'grants.write');
    const list = await rows<{ grantId: number; userId: number; username: string; displayName: string; disabled: boolean; orgId: number; orgName: string; role: string; grantedAt: string | null; grantedByName: string | null; grantedBy: string | null }>(
      ctx.db,
      sql`select g.id as "grantId", u.id as "userId", u.username, u.display_name as "displayName", u.disabled, g.org_id as "orgId", o.name as "orgName", g.role,
                 a.at as "grantedAt", a.actor as "grantedBy", gu.display_name as "grantedByName"
          from grants g join users u on u.id = g.user_id join orgs o on o.id = g.org_id
          left join lateral (select x.at, x.actor, x.actor_user_id from audit_log x where x.tenant_id = g.tenant_id and x.entity = 'personalData'
                             and x.action = 'grant' and x.entity_id = g.id::text order by x.seq desc limit 1) a on true
          left join users gu on gu.id = a.actor_user_id
          where g.tenant_id = ${scope.tenantId} and g.can_view_personal_data and ${pathPredicate(sql`o.path`, scope)}
          order by o.path, u.username`,
    );
    return list;
  });

  r.post('/api/users/:id/password', {
    config: { auth: 'grants.write', writes: true },
    schema: { summary: '重置他人密码', tags: ['users'], params: idParam, body: z.object({ newPassword: z.string().min(1).max(200) }) },
  }, async (req) => {
    const scope = scopeOf(req, 'grants.write');
    await write(ctx, scope.tenantId, auditActor(req), async (w) => {
      const u = await manageableUser(w.tx, scope, req.params.id);
      // the same rule as changing one's own password, history included (mlps3: not one of the last 5)
      const cur = (await one<{ username: string; password_hash: string; password_history: string[] | null }>(w.tx, sql`select username, password_hash, password_history from users where id = ${u.id}`))!;
      const previous = [cur.password_hash, ...(cur.password_history ?? [])];
      const problem = await passwordPolicyProblem({ ...ctx, db: w.tx }, scope.tenantId, cur.username, req.body.newPassword, previous);
      if (problem) throw invalid(problem, { newPassword: problem });
      const hash = await hashPassword(req.body.newPassword);
      await w.tx.execute(sql`update users set password_hash = ${hash}, password_history = ${JSON.stringify(previous.slice(0, PASSWORD_HISTORY))}::jsonb,
        version = version + 1, updated_at = ${w.now} where id = ${u.id}`);
      await w.tx.execute(sql`delete from sessions where user_id = ${u.id}`);
      invalidateActorCache();
      w.audit({ action: 'passwordChange', entity: 'user', entityId: u.id, meta: { by: 'reset' } });
    });
    return { ok: true };
  });

  r.post('/api/users/:id/totp/reset', {
    config: { auth: 'grants.write', writes: true },
    schema: { summary: '解除他人的双因素认证（手机与恢复码均丢失时）', tags: ['users'], params: idParam },
  }, async (req) => {
    const actor = actorOf(req);
    const scope = scopeOf(req, 'grants.write');
    await write(ctx, scope.tenantId, auditActor(req), async (w) => {
      const u = await manageableUser(w.tx, scope, req.params.id);
      // one's own second factor comes back with a recovery code; nobody lifts their own
      if (u.id === actor.userId) throw conflict('不能解除自己的双因素认证，请用恢复码登录后重新绑定');
      if (!(await clearSecondFactor(w.tx, u.id, w.now))) throw conflict('该账号未启用双因素认证');
      w.audit({ action: 'update', entity: 'totp', entityId: u.id, after: { enabled: false }, meta: { by: 'reset' } });
    });
    return { ok: true };
  });

  r.post('/api/users/:id/disable', {
    config: { auth: 'grants.write', writes: true },
    schema: { summary: '停用或启用账号', tags: ['users'], params: idParam, body: z.object({ disabled: z.boolean() }) },
  }, async (req) => {
    const actor = actorOf(req);
    const scope = scopeOf(req, 'grants.write');
    await write(ctx, scope.tenantId, auditActor(req), async (w) => {
      const u = await manageableUser(w.tx, scope, req.params.id);
      if (u.id === actor.userId) throw conflict('不能停用自己的账号');
      await w.tx.execute(sql`update users set disabled = ${req.body.disabled}, version = version + 1, updated_at = ${w.now} where id = ${u.id}`);
      if (req.body.disabled) await w.tx.execute(sql`delete from sessions where user_id = ${u.id}`);
      invalidateActorCache();
      w.audit({ action: 'update', entity: 'user', entityId: u.id, after: { disabled: req.body.disabled } });
    });
    return { ok: true };
  });
}
