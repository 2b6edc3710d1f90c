import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { actorOf, auditActor, scopeOf, typed } from '../../platform/http.js';
import { scopeFor } from '../../platform/scope.js';
import { write } from '../../platform/write.js';
import { claimInput, idParam, inboxQuery, publicSubmitInput, rateInput, trackInput, transitionInput } from './contract.js';
import { claimWish, transition } from './handle.js';
import { publicCommunities, rateRequest, submitRequest, trackRequest } from './public.js';
import { inbox } from './queries.js';

/**
 * Resident requests over HTTP. Four public routes (on the reviewed allowlist in
 * test/authz.int.test.ts): the community picker, submit, track and rate — each under the platform's
 * per-address limit, with a body of at most 8 KB (a clear Chinese 413 above it) and a strict zod
 * contract. Staff read with `requests.read` and act with `requests.handle` (grid workers, party
 * workers and admins of the community); claims of wishes need `requests.claim` (members too).
 */
const PUBLIC_BODY_LIMIT = 8 * 1024;
async function smallBody(req: FastifyRequest) {
  const len = Number(req.headers['content-length'] ?? 0);
  if (len > PUBLIC_BODY_LIMIT) throw new AppError('payloadTooLarge', `提交内容过大（不能超过 ${PUBLIC_BODY_LIMIT / 1024} KB），请精简后再提交`);
}

export function requestRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = typed(app);
  const tags = ['requests'];
  const pub = { onRequest: smallBody, bodyLimit: PUBLIC_BODY_LIMIT * 2 };

  r.get('/api/public/communities', {
    config: { auth: 'public' },
    schema: { summary: '（公开）可提交诉求的社区及其网格', tags },
  }, async () => publicCommunities(ctx.db));

  r.post('/api/public/requests', {
    ...pub,
    config: { auth: 'public', writes: true },
    schema: { summary: '（公开，无需登录）居民提交诉求或微心愿，返回查询码（仅此一次）', tags, body: publicSubmitInput },
  }, async (req, reply) => reply.status(201).send(await submitRequest(ctx, req.ip, req.body)));

  r.post('/api/public/requests/track', {
    ...pub,
    config: { auth: 'public' },
    schema: { summary: '（公开）凭查询码查看本人诉求的办理进度与答复', tags, body: trackInput },
  }, async (req) => trackRequest(ctx.db, req.body.token));

  r.post('/api/public/requests/rate', {
    ...pub,
    config: { auth: 'public', writes: true },
    schema: { summary: '（公开）凭查询码评价答复（满意、基本满意、不满意）', tags, body: rateInput },
  }, async (req) => rateRequest(ctx, req.body.token, req.body.rating, req.body.comment));

  r.get('/api/requests', {
    config: { auth: 'requests.read' },
    schema: { summary: '诉求受理台：管理范围内的诉求、办理时限与满意率', tags, querystring: inboxQuery },
  }, async (req) => inbox(ctx.db, scopeOf(req, 'requests.read'), req.query, ctx.clock.today()));

  r.post('/api/requests/:id/transition', {
    config: { auth: 'requests.handle', writes: true },
    schema: { summary: '办理诉求：受理、分派、开始办理、答复、办结、不予受理、合并', tags, params: idParam, body: transitionInput },
  }, async (req) => {
    const scope = scopeOf(req, 'requests.handle');
    return write(ctx, scope.tenantId, auditActor(req), (w) => transition(w, scope, req.params.id, req.body));
  });

  r.post('/api/requests/:id/claim', {
    config: { auth: 'requests.claim', writes: true },
    schema: { summary: '认领微心愿（每个微心愿只能由一人或一个共建单位认领）', tags, params: idParam, body: claimInput },
  }, async (req, reply) => {
    const actor = actorOf(req);
    const out = await write(ctx, actor.tenantId, auditActor(req), (w) => claimWish(w, actor, scopeFor(actor, 'requests.handle'), req.params.id, req.body.partnerUnit));
    return reply.status(out.created ? 201 : 200).send(out);
  });
}
