import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { actorOf, auditActor, scopeOf, typed } from '../../platform/http.js';
import { write } from '../../platform/write.js';
import { canViewPersonalDataAt, hasPermission, type Scope } from '../../platform/scope.js';
import { guardIdProbe, isDuplicateIdRefusal, recordIdProbe } from './idProbe.js';
import { memberInput, memberListQuery, memberPatch, postEnd, postInput } from './contract.js';
import { listMembers } from './queries.js';
import { addPost, createMember, endPost, medalList, memberDetail, revealPersonalData, updateMember } from './service.js';

const idParam = z.object({ id: z.coerce.number().int().positive() });

export function memberRoutes(app: FastifyInstance, ctx: AppContext) {
  /** Writes carrying an ID number: the duplicate-ID oracle guard (idProbe.ts). */
  const withIdProbeGuard = async <T,>(req: FastifyRequest, scope: Scope, idNumber: string | null | undefined, orgId: number | null, fn: () => Promise<T>): Promise<T> => {
    if (!idNumber) return fn();
    const actor = actorOf(req);
    await guardIdProbe(ctx, actor, scope);
    try {
      return await fn();
    } catch (e) {
      if (isDuplicateIdRefusal(e)) await recordIdProbe(ctx, actor, auditActor(req), orgId);
      throw e;
    }
  };
  const r = typed(app);
  r.get('/api/members', { config: { auth: 'members.read' }, schema: { summary: '党员列表', tags: ['members'], querystring: memberListQuery } }, async (req) => {
    const actor = actorOf(req);
    return listMembers(ctx.db, scopeOf(req, 'members.read'), req.query, ctx.clock.today(), ctx.cipher, (path) => canViewPersonalDataAt(actor, path));
  });
  r.get('/api/members/medal', {
    config: { auth: 'members.read' },
    schema: { summary: '“光荣在党50年”纪念章名单', tags: ['members'], querystring: z.object({ year: z.coerce.number().int().min(2021).max(2100) }) },
  }, async (req) => medalList(ctx.db, scopeOf(req, 'members.read'), req.query.year, `${req.query.year - 50}-07-01`));
  r.get('/api/me', { config: { auth: 'self.read' }, schema: { summary: '本人党员信息', tags: ['members'] } }, async (req) => {
    const actor = actorOf(req);
    if (!actor.personId) return { person: null };
    return { person: await memberDetail(ctx.db, actor, scopeOf(req, 'self.read'), actor.personId, ctx.clock.today()) };
  });
  r.get('/api/members/:id', { config: { auth: 'self.read' }, schema: { summary: '党员详情（本人或管理范围内）', tags: ['members'], params: idParam } }, async (req) => {
    const actor = actorOf(req);
    const scope = hasPermission(actor, 'members.read') ? scopeOf(req, 'members.read') : { ...scopeOf(req, 'self.read'), paths: [] };
    return memberDetail(ctx.db, actor, scope, req.params.id, ctx.clock.today());
  });
  r.post('/api/members/:id/personal', { config: { auth: 'self.read', writes: true }, schema: { summary: '查看完整身份证号、手机号、住址（留痕）', tags: ['members'], params: idParam } }, async (req) => {
    const actor = actorOf(req);
    const scope = hasPermission(actor, 'members.read') ? scopeOf(req, 'members.read') : { ...scopeOf(req, 'self.read'), paths: [] };
    return write(ctx, actor.tenantId, auditActor(req), (w) => revealPersonalData(w, actor, scope, req.params.id, ctx.cipher));
  });
  r.post('/api/members', { config: { auth: 'members.write', writes: true }, schema: { summary: '新增党员', tags: ['members'], body: memberInput } }, async (req, reply) => {
    const scope = scopeOf(req, 'members.write');
    const out = await withIdProbeGuard(req, scope, req.body.idNumber, req.body.orgId, () => write(ctx, scope.tenantId, auditActor(req), (w) => createMember(w, scope, req.body, ctx.cipher)));
    return reply.status(201).send(out);
  });
  r.patch('/api/members/:id', { config: { auth: 'members.write', writes: true }, schema: { summary: '修改党员信息', tags: ['members'], params: idParam, body: memberPatch } }, async (req) => {
    const scope = scopeOf(req, 'members.write');
    await withIdProbeGuard(req, scope, req.body.idNumber, null, () => write(ctx, scope.tenantId, auditActor(req), (w) => updateMember(w, scope, req.params.id, req.body, ctx.cipher)));
    return { ok: true };
  });
  r.post('/api/members/:id/posts', { config: { auth: 'members.write', writes: true }, schema: { summary: '任职', tags: ['members'], params: idParam, body: postInput } }, async (req, reply) => {
    const scope = scopeOf(req, 'members.write');
    const out = await write(ctx, scope.tenantId, auditActor(req), (w) => addPost(w, scope, req.params.id, req.body));
    return reply.status(201).send(out);
  });
  r.post('/api/posts/:id/end', { config: { auth: 'members.write', writes: true }, schema: { summary: '离任', tags: ['members'], params: idParam, body: postEnd } }, async (req) => {
    const scope = scopeOf(req, 'members.write');
    await write(ctx, scope.tenantId, auditActor(req), (w) => endPost(w, scope, req.params.id, req.body.validTo));
    return { ok: true };
  });
}
