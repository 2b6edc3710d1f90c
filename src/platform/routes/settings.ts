import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { one, rows } from '../../db/connection.js';
import type { AppContext } from '../context.js';
import { actorOf, auditActor, scopeOf, typed } from '../http.js';
import { AppError, conflict, forbidden, notFound } from '../errors.js';
import { SETTINGS, allSettings, getSetting, settingDef } from '../settings.js';
import { SEPARATED_ROLES } from '../permissions.js';
import { inScope, hasPermission, invalidateProfileCache } from '../scope.js';
import { write } from '../write.js';

export function settingRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = typed(app);
  r.get('/api/settings', {
    config: { auth: 'settings.write' },
    schema: { summary: '本地设置（含来源与标注）', tags: ['settings'], querystring: z.object({ org: z.coerce.number().int().positive().optional() }) },
  }, async (req) => {
    const scope = scopeOf(req, 'settings.write');
    const orgId = req.query.org;
    let path: string | null = null;
    if (orgId) {
      const o = await one<{ path: string }>(ctx.db, sql`select path from orgs where id = ${orgId} and tenant_id = ${scope.tenantId}`);
      if (!o || !inScope(scope, o.path)) throw notFound('组织');
      path = o.path;
    }
    return Promise.all(allSettings().map(async (d) => ({
      key: d.key, label: d.label, source: d.source, mark: d.mark, default: d.default,
      value: await getSetting(ctx.db, scope.tenantId, path, d),
    })));
  });
  r.put('/api/settings/:key', {
    config: { auth: 'settings.write', writes: true },
    schema: {
      summary: '修改设置（租户级或组织子树覆盖）', tags: ['settings'], params: z.object({ key: z.string().max(80) }),
      body: z.object({ org: z.number().int().positive().optional(), value: z.unknown() }),
    },
  }, async (req) => {
    const def = settingDef(req.params.key);
    if (!def) throw notFound('设置项');
    const actor = actorOf(req);
    const scope = scopeOf(req, 'settings.write');
    const parsed = def.schema.safeParse(req.body.value);
    if (!parsed.success) throw new AppError('validation', `设置值不合法：${parsed.error.issues[0]?.message ?? ''}`);
    await write(ctx, scope.tenantId, auditActor(req), async (w) => {
      const t = await one<{ root_org_id: number }>(w.tx, sql`select root_org_id from tenants where id = ${scope.tenantId}`);
      const orgId = req.body.org ?? t!.root_org_id;
      const o = await one<{ path: string }>(w.tx, sql`select path from orgs where id = ${orgId} and tenant_id = ${scope.tenantId}`);
      if (!o || !inScope(scope, o.path)) throw notFound('组织');
      if (orgId === t!.root_org_id && !hasPermission(actor, 'system.admin') && !actor.grants.some((g) => g.orgId === orgId)) throw forbidden();
      if (def.key === SETTINGS.securityProfile.key) {
        // The profile decides what every role may do: tenant level only, by a system administrator,
        // and not into mlps3 while an account holds two separated administrator roles (三权分立).
        if (orgId !== t!.root_org_id || !hasPermission(actor, 'system.admin')) throw forbidden('安全配置档只能由系统管理员在全单位设置');
        if (parsed.data === 'mlps3') {
          const both = await rows<{ username: string }>(w.tx, sql`select u.username from users u join grants g on g.user_id = u.id
            where u.tenant_id = ${scope.tenantId} and g.role in ${sql`(${sql.join(SEPARATED_ROLES.map((r) => sql`${r}`), sql`, `)})`}
            group by u.username having count(distinct g.role) > 1 order by 1`);
          if (both.length) throw conflict(`以下账号同时持有系统管理员、安全管理员、审计管理员中的两种角色，须先分开后才能启用等保三级配置：${both.map((b) => b.username).join('、')}`);
        }
      }
      const before = await one<{ value: unknown }>(w.tx, sql`select value from settings where tenant_id = ${scope.tenantId} and org_id = ${orgId} and key = ${def.key}`);
      await w.tx.execute(sql`insert into settings (tenant_id, org_id, key, value, created_at, updated_at) values (${scope.tenantId}, ${orgId}, ${def.key}, ${JSON.stringify(parsed.data)}::jsonb, ${w.now}, ${w.now})
        on conflict (tenant_id, org_id, key) do update set value = excluded.value, version = settings.version + 1, updated_at = excluded.updated_at`);
      w.audit({ action: 'settingChange', entity: 'setting', entityId: def.key, orgId, before: before?.value ?? null, after: parsed.data });
    });
    if (def.key === SETTINGS.securityProfile.key) invalidateProfileCache();
    return { ok: true };
  });
}
