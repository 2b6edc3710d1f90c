import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { one, rows } from '../../db/connection.js';
import type { AppContext } from '../context.js';
import { actorOf, auditActor, scopeOf, typed } from '../http.js';
import { conflict, notFound } from '../errors.js';
import { inScope, narrowToOrg, pathPredicate } from '../scope.js';
import { write } from '../write.js';
import { decideCase } from '../findings.js';

const SEVERITY_ORDER = sql`array_position(array['case','violation','overdue','dueSoon','info']::text[], f.severity)`;

export function findingRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = typed(app);
  /** The workbench: open findings addressed to the user's orgs (or to the user's own person). */
  r.get('/api/findings', {
    config: { auth: 'self.read' },
    schema: {
      summary: '工作台：本人待办与预警', tags: ['findings'],
      querystring: z.object({
        org: z.coerce.number().int().positive().optional(),
        status: z.enum(['open', 'resolved', 'dismissed', 'decided']).default('open'),
        page: z.coerce.number().int().min(1).default(1),
        pageSize: z.coerce.number().int().min(1).max(200).default(50),
      }),
    },
  }, async (req) => {
    const actor = actorOf(req);
    let scope = scopeOf(req, 'findings.read');
    if (req.query.org) scope = await narrowToOrg(ctx.db, scope, req.query.org);
    const who = sql`(${pathPredicate(sql`f.org_path`, scope)} or (f.addressee_person_id is not null and f.addressee_person_id = ${actor.personId ?? -1}))`;
    const where = sql`f.tenant_id = ${actor.tenantId} and f.status = ${req.query.status} and ${who}`;
    const items = await rows(ctx.db, sql`select f.id, f.rule_id as "ruleId", f.rule_set as "ruleSet", f.org_id as "orgId", o.name as "orgName", f.subject_entity as "subjectEntity",
        f.subject_id as "subjectId", f.period, f.severity, f.status, f.due_on as "dueOn", f.opened_on as "openedOn", f.resolved_on as "resolvedOn",
        f.message, f.source, f.condition_changed as "conditionChanged", f.dismissed_reason as "dismissedReason", f.decision
        from findings f join orgs o on o.id = f.org_id where ${where}
        order by ${SEVERITY_ORDER}, f.due_on nulls last, f.id limit ${req.query.pageSize} offset ${(req.query.page - 1) * req.query.pageSize}`);
    const total = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n from findings f where ${where}`);
    return { total: total?.n ?? 0, items };
  });
  /** Higher levels: counts per child org with drill-down, not thousands of findings in one list. */
  r.get('/api/findings/summary', {
    config: { auth: 'findings.read' },
    schema: { summary: '下级组织预警汇总', tags: ['findings'], querystring: z.object({ org: z.coerce.number().int().positive().optional() }) },
  }, async (req) => {
    const scope = scopeOf(req, 'findings.read');
    const roots = req.query.org ? [(await narrowToOrg(ctx.db, scope, req.query.org)).orgPath] : scope.paths;
    const out = [];
    for (const root of roots) {
      const children = await rows<{ id: number; name: string; kind: string; path: string; severity: string | null; n: number }>(
        ctx.db,
        sql`select c.id, c.name, c.kind, c.path, f.severity, count(f.id)::int as n
            from orgs c left join findings f on f.org_path like c.path || '%' and f.status = 'open'
            where c.tenant_id = ${scope.tenantId} and c.dissolved_on is null and (c.path = ${root} or (c.path like ${`${root}%`} and c.depth = (select depth + 1 from orgs where path = ${root})))
              and ${pathPredicate(sql`c.path`, scope)}
            group by c.id, c.name, c.kind, c.path, f.severity order by c.path`,
      );
      const byOrg = new Map<number, { id: number; name: string; kind: string; isRoot: boolean; counts: Record<string, number>; total: number }>();
      for (const c of children) {
        const e = byOrg.get(c.id) ?? { id: c.id, name: c.name, kind: c.kind, isRoot: c.path === root, counts: {}, total: 0 };
        if (c.severity) { e.counts[c.severity] = (e.counts[c.severity] ?? 0) + c.n; e.total += c.n; }
        byOrg.set(c.id, e);
      }
      out.push(...byOrg.values());
    }
    return out;
  });
  r.post('/api/findings/:id/dismiss', {
    config: { auth: 'findings.dismiss', writes: true },
    schema: {
      summary: '忽略预警（须说明理由）', tags: ['findings'], params: z.object({ id: z.coerce.number().int().positive() }),
      body: z.object({ reason: z.string().trim().min(2, '请填写忽略理由').max(500).refine((s) => !/[<>]/.test(s), '理由不能包含 < 或 > 等标记字符') }),
    },
  }, async (req) => {
    const scope = scopeOf(req, 'findings.dismiss');
    await write(ctx, scope.tenantId, auditActor(req), async (w) => {
      const f = await one<{ id: number; org_path: string; status: string; severity: string; org_id: number; key: string }>(
        w.tx, sql`select id, org_path, status, severity, org_id, key from findings where id = ${req.params.id} and tenant_id = ${scope.tenantId} for update`,
      );
      if (!f || !inScope(scope, f.org_path)) throw notFound('预警');
      if (f.status !== 'open') throw conflict('该预警已不是待处理状态');
      if (f.severity === 'case') throw conflict('需组织认定事项不能忽略，只能由组织作出决定后关闭');
      await w.tx.execute(sql`update findings set status = 'dismissed', dismissed_reason = ${req.body.reason}, dismissed_by = ${actorOf(req).userId}, resolved_on = ${w.today}, version = version + 1, updated_at = ${w.now} where id = ${f.id}`);
      w.audit({ action: 'dismiss', entity: 'finding', entityId: f.id, orgId: f.org_id, meta: { key: f.key, reason: req.body.reason } });
    });
    return { ok: true };
  });

  /** A case closes only by a recorded decision (decideCase in platform/findings.ts). */
  r.post('/api/findings/:id/decide', {
    config: { auth: 'findings.dismiss', writes: true },
    schema: {
      summary: '记录组织认定决定（关闭需组织认定事项）', tags: ['findings'], params: z.object({ id: z.coerce.number().int().positive() }),
      body: z.object({
        decidedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD'),
        meetingId: z.number().int().positive().nullish(),
        decidedBy: z.string().trim().min(1, '请填写作出决定的组织或会议').max(100).refine((s) => !/[<>]/.test(s), '不能包含 < 或 > 等标记字符'),
        outcome: z.string().trim().min(2, '请填写决定内容').max(500).refine((s) => !/[<>]/.test(s), '不能包含 < 或 > 等标记字符'),
        /** For a proposal (e.g. a 软弱涣散 candidate): whether the org confirmed it (true) or rejected it (false, the outcome is the reason). */
        confirmed: z.boolean().optional(),
      }),
    },
  }, async (req) => {
    const scope = scopeOf(req, 'findings.dismiss');
    await write(ctx, scope.tenantId, auditActor(req), (w) => decideCase(w, scope, req.params.id, req.body, actorOf(req).userId));
    return { ok: true };
  });
}
