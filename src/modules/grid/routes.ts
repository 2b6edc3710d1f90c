import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { auditActor, scopeOf, typed } from '../../platform/http.js';
import { write } from '../../platform/write.js';
import { gridInput, householdInput, idParam, orgQuery } from './contract.js';
import { createGrid, createHousehold, listGrids, listHouseholds } from './service.js';

/**
 * Grids and households over HTTP (DOMAIN.md §10). Reading `grid.read`, writing `grid.write`: the
 * community's staff (partyWorker, orgAdmin) and its grid workers (gridWorker at the community).
 * Every write goes through write(): one transaction, findings re-evaluated, audited.
 */
export function gridRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = typed(app);
  const tags = ['grid'];

  r.get('/api/grids', {
    config: { auth: 'grid.read' },
    schema: { summary: '网格列表（管理范围内各社区的网格及户数）', tags, querystring: orgQuery },
  }, async (req) => listGrids(ctx.db, scopeOf(req, 'grid.read'), req.query.org));

  r.post('/api/grids', {
    config: { auth: 'grid.write', writes: true },
    schema: { summary: '新建网格（社区下的综合网格或专属网格）', tags, body: gridInput },
  }, async (req, reply) => {
    const scope = scopeOf(req, 'grid.write');
    return reply.status(201).send(await write(ctx, scope.tenantId, auditActor(req), (w) => createGrid(w, scope, req.body)));
  });

  r.get('/api/grids/:id/households', {
    config: { auth: 'grid.read' },
    schema: { summary: '网格内住户（身份证号、手机号脱敏显示）', tags, params: idParam },
  }, async (req) => listHouseholds(ctx.db, scopeOf(req, 'grid.read'), req.params.id));

  r.post('/api/households', {
    config: { auth: 'grid.write', writes: true },
    schema: { summary: '登记住户（身份证号、手机号加密保存）', tags, body: householdInput },
  }, async (req, reply) => {
    const scope = scopeOf(req, 'grid.write');
    return reply.status(201).send(await write(ctx, scope.tenantId, auditActor(req), (w) => createHousehold(w, ctx.cipher, scope, req.body)));
  });
}
