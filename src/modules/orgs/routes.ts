import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { actorOf, auditActor, scopeOf, typed } from '../../platform/http.js';
import { invalidateActorCache } from '../../platform/auth.js';
import { write } from '../../platform/write.js';
import { orgDissolve, orgInput, orgMove, orgPatch } from './contract.js';
import { createOrg, dissolveOrg, moveOrg, orgDetail, orgDirectory, orgTree, updateOrg } from './service.js';

const idParam = z.object({ id: z.coerce.number().int().positive() });

export function orgRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = typed(app);
  r.get('/api/orgs/tree', { config: { auth: 'orgs.read' }, schema: { summary: '组织树（本人管理范围）', tags: ['orgs'] } }, async (req) =>
    orgTree(ctx.db, scopeOf(req, 'orgs.read')),
  );
  r.get('/api/orgs/directory', {
    config: { auth: 'session' },
    schema: { summary: '组织目录查询（选择转接目标）', tags: ['orgs'], querystring: z.object({ q: z.string().trim().min(1, '请输入组织名称或编码').max(40) }) },
  }, async (req) => orgDirectory(ctx.db, actorOf(req).tenantId, req.query.q));
  r.get('/api/orgs/:id', { config: { auth: 'orgs.read' }, schema: { summary: '组织详情', tags: ['orgs'], params: idParam } }, async (req) =>
    orgDetail(ctx.db, scopeOf(req, 'orgs.read'), req.params.id, ctx.clock.today()),
  );
  r.post('/api/orgs', { config: { auth: 'orgs.write', writes: true }, schema: { summary: '新建组织', tags: ['orgs'], body: orgInput } }, async (req, reply) => {
    const scope = scopeOf(req, 'orgs.write');
    const out = await write(ctx, scope.tenantId, auditActor(req), (w) => createOrg(w, scope, req.body));
    return reply.status(201).send(out);
  });
  r.patch('/api/orgs/:id', { config: { auth: 'orgs.write', writes: true }, schema: { summary: '修改组织', tags: ['orgs'], params: idParam, body: orgPatch } }, async (req) => {
    const scope = scopeOf(req, 'orgs.write');
    await write(ctx, scope.tenantId, auditActor(req), (w) => updateOrg(w, scope, req.params.id, req.body));
    return { ok: true };
  });
  r.post('/api/orgs/:id/move', { config: { auth: 'orgs.write', writes: true }, schema: { summary: '移动组织（含下级）', tags: ['orgs'], params: idParam, body: orgMove } }, async (req) => {
    const scope = scopeOf(req, 'orgs.write');
    await write(ctx, scope.tenantId, auditActor(req), (w) => moveOrg(w, scope, req.params.id, req.body.newParentId));
    invalidateActorCache(); // cached sessions hold grant paths under the moved subtree
    return { ok: true };
  });
  r.post('/api/orgs/:id/dissolve', { config: { auth: 'orgs.write', writes: true }, schema: { summary: '撤销组织', tags: ['orgs'], params: idParam, body: orgDissolve } }, async (req) => {
    const scope = scopeOf(req, 'orgs.write');
    await write(ctx, scope.tenantId, auditActor(req), (w) => dissolveOrg(w, scope, req.params.id, req.body.dissolvedOn, req.body.reason));
    return { ok: true };
  });
}
