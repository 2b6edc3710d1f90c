import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { one, rows } from '../../db/connection.js';
import type { AppContext } from '../context.js';
import { actorOf, scopeOf, typed } from '../http.js';
import { hasPermission, pathPredicate } from '../scope.js';
import { verifyAudit } from '../audit.js';
import { auditExportRoutes } from './auditExport.js';

/** Entities and actions that make an entry a security event (SQL lists). */
const SECURITY_ENTITIES = "('session','user','grant','personalData','loginAttempt','idNumberDuplicate','totp','recoveryCode')";
const SECURITY_ACTIONS = "('login','logout','loginFailed','passwordChange','grant','revoke')";

export function auditRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = typed(app);
  r.get('/api/audit', {
    config: { auth: 'audit.read' },
    schema: {
      summary: '审计日志', tags: ['audit'],
      querystring: z.object({
        page: z.coerce.number().int().min(1).default(1),
        pageSize: z.coerce.number().int().min(1).max(200).default(50),
        entity: z.string().max(40).optional(),
        action: z.string().max(40).optional(),
      }),
    },
  }, async (req) => {
    const scope = scopeOf(req, 'audit.read');
    const actor = actorOf(req);
    // Issue 17 finding 9. Security events (logins, grants and the personal-data right, account changes)
    // and tenant-level entries without an org are read only with `audit.security` (auditAdmin; sysAdmin
    // under the standard profile). Anyone else reads the business entries about orgs in their subtree
    // (the org's current path, so moved orgs follow) and their own sign-ins.
    const security = sql`(a.entity in ${sql.raw(SECURITY_ENTITIES)} or a.action in ${sql.raw(SECURITY_ACTIONS)})`;
    const visible = hasPermission(actor, 'audit.security')
      ? sql`true`
      : sql`((not ${security} and a.org_id is not null and ${pathPredicate(sql`o.path`, scope)}) or (a.entity = 'session' and a.actor_user_id = ${actor.userId}))`;
    const where = sql`a.tenant_id = ${scope.tenantId} and ${visible}
      ${req.query.entity ? sql`and a.entity = ${req.query.entity}` : sql``} ${req.query.action ? sql`and a.action = ${req.query.action}` : sql``}`;
    const items = await rows(ctx.db, sql`select a.seq, a.at, a.actor, u.display_name as "actorName", a.action, a.entity, a.entity_id as "entityId", a.org_id as "orgId", o.name as "orgName", a.before, a.after, a.meta, a.hash
      from audit_log a left join orgs o on o.id = a.org_id left join users u on u.id = a.actor_user_id where ${where} order by a.seq desc limit ${req.query.pageSize} offset ${(req.query.page - 1) * req.query.pageSize}`);
    const total = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n from audit_log a left join orgs o on o.id = a.org_id where ${where}`);
    return { total: total?.n ?? 0, items };
  });
  r.get('/api/audit/verify', { config: { auth: 'system.admin' }, schema: { summary: '校验审计链', tags: ['audit'] } }, async () => verifyAudit(ctx.db));
  auditExportRoutes(app, ctx);
}
