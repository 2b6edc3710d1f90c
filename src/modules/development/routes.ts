import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DEVELOPMENT_PHASES, DEVELOPMENT_STEPS } from '../../domain/developmentSteps.js';
import type { AppContext } from '../../platform/context.js';
import { auditActor, scopeOf, typed } from '../../platform/http.js';
import { narrowToOrg } from '../../platform/scope.js';
import { write } from '../../platform/write.js';
import { boardQuery, stepInput } from './contract.js';
import { pipelineBoard, recordDetail } from './queries.js';
import { recordStep } from './service.js';

/**
 * Development routes (issue 14): the pipeline board of a branch or subtree, one person's record, and
 * recording a step. Reading needs `development.read`, recording `development.write` (the module's own
 * permissions, platform/permissions.ts). A step that breaks a rule answers 409 with the rule's Chinese
 * text; people and orgs outside the caller's scope answer 404.
 */
const idParam = z.object({ id: z.coerce.number().int().positive() });

export function developmentRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = typed(app);

  r.get('/api/development/board', {
    config: { auth: 'development.read' },
    schema: { summary: '发展党员看板（入党申请人、积极分子、发展对象、预备党员及其下一步骤、期限和所需材料）', tags: ['development'], querystring: boardQuery },
  }, async (req) => {
    const base = scopeOf(req, 'development.read');
    const scope = req.query.org ? await narrowToOrg(ctx.db, base, req.query.org) : base;
    return {
      today: ctx.clock.today(),
      phases: DEVELOPMENT_PHASES,
      steps: DEVELOPMENT_STEPS,
      items: await pipelineBoard(ctx.db, scope, ctx.clock.today()),
    };
  });

  r.get('/api/development/people/:id', {
    config: { auth: 'development.read' },
    schema: { summary: '个人发展党员记录（各步骤、材料、规则提示、下一步骤）', tags: ['development'], params: idParam },
  }, async (req) => recordDetail(ctx.db, scopeOf(req, 'development.read'), req.params.id, ctx.clock.today()));

  r.post('/api/development/people/:id/steps', {
    config: { auth: 'development.write', writes: true },
    schema: { summary: '记录发展党员步骤（违反规则的拒绝记录并说明所依据的规则）', tags: ['development'], params: idParam, body: stepInput },
  }, async (req, reply) => {
    const scope = scopeOf(req, 'development.write');
    const out = await write(ctx, scope.tenantId, auditActor(req), (w) => recordStep(w, scope, req.params.id, req.body));
    return reply.status(201).send(out);
  });
}
