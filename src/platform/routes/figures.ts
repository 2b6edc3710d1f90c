import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { scopeOf, typed } from '../http.js';
import { AppError, notFound } from '../errors.js';
import { allFigures, describeFigure, getFigure } from '../figures.js';
import { narrowToOrg } from '../scope.js';

const figureQuery = z.object({
  org: z.coerce.number().int().positive().optional(),
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD').optional(),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD').optional(),
  by: z.string().max(40).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(20),
}).catchall(z.string());

export function figureRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = typed(app);
  r.get('/api/figures', { config: { auth: 'figures.read' }, schema: { summary: '数据项目录', tags: ['figures'] } }, async () => allFigures().map(describeFigure));
  r.get('/api/figures/:id/breakdowns', {
    config: { auth: 'figures.read' },
    schema: {
      summary: '数据项多维分组（统计页）', tags: ['figures'], params: z.object({ id: z.string().max(80) }),
      querystring: z.object({
        org: z.coerce.number().int().positive().optional(),
        to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD').optional(),
        by: z.string().min(1, '请指定分组维度').max(400),
      }),
    },
  }, async (req) => {
    const def = getFigure(req.params.id);
    if (!def) throw notFound('数据项');
    const dims = [...new Set(req.query.by.split(',').map((s) => s.trim()).filter(Boolean))];
    const bad = dims.filter((d) => !(d in def.dimensions));
    if (bad.length) throw new AppError('validation', `数据项“${def.label}”不支持按“${bad.join('、')}”分组`);
    let scope = scopeOf(req, 'figures.read');
    if (req.query.org) scope = await narrowToOrg(ctx.db, scope, req.query.org);
    const to = req.query.to ?? ctx.clock.today();
    const fctx = { db: ctx.db, scope, today: ctx.clock.today() };
    const q = { from: `${to.slice(0, 4)}-01-01`, to, params: {} };
    const values = def.computeMany
      ? await def.computeMany(fctx, q, dims)
      : Object.fromEntries(await Promise.all(dims.map(async (d) => [d, await def.compute(fctx, { ...q, by: d })] as const)));
    return { figure: describeFigure(def), query: { org: req.query.org ?? null, to }, values };
  });
  r.get('/api/figures/:id', {
    config: { auth: 'figures.read' },
    schema: { summary: '数据项取值与证据', tags: ['figures'], params: z.object({ id: z.string().max(80) }), querystring: figureQuery },
  }, async (req) => {
    const def = getFigure(req.params.id);
    if (!def) throw notFound('数据项');
    const { org, from, to: toQ, by, page, pageSize, ...rest } = req.query;
    const to = toQ ?? ctx.clock.today();
    const fromD = from ?? `${to.slice(0, 4)}-01-01`;
    if (fromD > to) throw new AppError('validation', '开始日期不能晚于结束日期');
    if (by && !(by in def.dimensions)) throw new AppError('validation', `数据项“${def.label}”不支持按“${by}”分组`);
    const params = def.params ? def.params.parse(rest) : {};
    let scope = scopeOf(req, 'figures.read');
    if (org) scope = await narrowToOrg(ctx.db, scope, org);
    const fctx = { db: ctx.db, scope, today: ctx.clock.today() };
    const q = { from: fromD, to, by, params };
    const value = await def.compute(fctx, q);
    const evidence = await def.evidence(fctx, q, { offset: (page - 1) * pageSize, limit: pageSize });
    return { figure: describeFigure(def), query: { org: org ?? null, from: fromD, to, by: by ?? null }, value, evidence };
  });
}
