import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { actorOf, auditActor, scopeOf, typed } from '../../platform/http.js';
import { XLSX_MIME, attachmentDisposition } from '../../platform/xlsx.js';
import { write } from '../../platform/write.js';
import { basesForYear, carryForward, recordBase, recordReduction } from './bases.js';
import { collectionView, recordCollection } from './collection.js';
import {
  baseInput, carryForwardInput, collectionInput, collectionQuery, handInInput, idParam, orgYearQuery, paymentInput, reductionInput, reversalInput, yearQuery,
} from './contract.js';
import { disclosureView, disclosureXlsx, historyView, ledgerXlsx } from './disclosure.js';
import { handInView, recordHandIn } from './handIn.js';
import { recordDuePayments, recordVoluntary, reversePayment } from './payments.js';

/**
 * Party dues over HTTP (DOMAIN.md §1). The module has its own permissions (platform/permissions.ts):
 * reading `dues.read`, bases, reductions, payments and reversals `dues.write`, hand-ins `dues.handIn`,
 * the xlsx ledger and disclosure `dues.export` (partyWorker and above, or a duesClerk alone); a member
 * reads only their own history (`self.read`). Every writing route goes through write(): one
 * transaction, findings re-evaluated, audited.
 */
export function duesRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = typed(app);
  const tags = ['dues'];
  const thisYear = () => Number(ctx.clock.today().slice(0, 4));

  r.get('/api/dues/collection', {
    config: { auth: 'dues.read' },
    schema: { summary: '党费收缴：某支部某月全部党员的应缴额与缴纳状态', tags, querystring: collectionQuery },
  }, async (req) => collectionView(ctx.db, scopeOf(req, 'dues.read'), req.query.org, req.query.month ?? ctx.clock.today().slice(0, 7), ctx.clock.today()));

  r.post('/api/dues/collection', {
    config: { auth: 'dues.write', writes: true },
    schema: { summary: '党费收缴：全部按应缴足额缴纳（一次事务），逐人例外', tags, body: collectionInput },
  }, async (req, reply) => {
    const scope = scopeOf(req, 'dues.write');
    const out = await write(ctx, scope.tenantId, auditActor(req), (w) => recordCollection(w, scope, req.body));
    return reply.status(out.created > 0 ? 201 : 200).send(out);
  });

  r.post('/api/dues/payments', {
    config: { auth: 'dues.write', writes: true },
    schema: { summary: '登记党费（按月，可一次多月；或自愿多交）。重复提交相同内容返回原记录，不一致返回409', tags, body: paymentInput },
  }, async (req, reply) => {
    const scope = scopeOf(req, 'dues.write');
    const body = req.body;
    const out = await write(ctx, scope.tenantId, auditActor(req), (w) => (body.kind === 'due' ? recordDuePayments(w, scope, body) : recordVoluntary(w, scope, body)));
    return reply.status(out.created > 0 ? 201 : 200).send(out);
  });

  r.post('/api/dues/reversals', {
    config: { auth: 'dues.write', writes: true },
    schema: { summary: '冲正缴费记录（写入负数冲正记录，原记录不修改不删除）', tags, body: reversalInput },
  }, async (req, reply) => {
    const scope = scopeOf(req, 'dues.write');
    const out = await write(ctx, scope.tenantId, auditActor(req), (w) => reversePayment(w, scope, req.body));
    return reply.status(201).send(out);
  });

  r.get('/api/dues/bases', {
    config: { auth: 'dues.read' },
    schema: { summary: '党费基数：某组织某年度各党员的基数与月应缴额', tags, querystring: orgYearQuery },
  }, async (req) => basesForYear(ctx.db, scopeOf(req, 'dues.read'), req.query.org, req.query.year ?? thisYear()));

  r.post('/api/dues/bases', {
    config: { auth: 'dues.write', writes: true },
    schema: { summary: '核定或调整党费基数（按规则版本计算月应缴额）', tags, body: baseInput },
  }, async (req, reply) => {
    const scope = scopeOf(req, 'dues.write');
    const out = await write(ctx, scope.tenantId, auditActor(req), (w) => recordBase(w, scope, req.body));
    return reply.status(out.base.version === 1 ? 201 : 200).send(out);
  });

  r.post('/api/dues/bases/carry-forward', {
    config: { auth: 'dues.write', writes: true },
    schema: { summary: '年初核定：按上年基数为本组织党员生成1月基数', tags, body: carryForwardInput },
  }, async (req) => {
    const scope = scopeOf(req, 'dues.write');
    return write(ctx, scope.tenantId, auditActor(req), (w) => carryForward(w, scope, req.body.orgId, req.body.year));
  });

  r.post('/api/dues/reductions', {
    config: { auth: 'dues.write', writes: true },
    schema: { summary: '登记减交或免交（须有批准决定）', tags, body: reductionInput },
  }, async (req, reply) => {
    const scope = scopeOf(req, 'dues.write');
    const out = await write(ctx, scope.tenantId, auditActor(req), (w) => recordReduction(w, scope, req.body));
    return reply.status(201).send(out);
  });

  r.get('/api/dues/members/:id/history', {
    config: { auth: 'dues.read' },
    schema: { summary: '某党员的党费记录（管理范围内）', tags, params: idParam, querystring: yearQuery },
  }, async (req) => historyView(ctx.db, scopeOf(req, 'dues.read'), req.params.id, req.query.year ?? thisYear(), ctx.clock.today()));

  r.get('/api/dues/me', {
    config: { auth: 'self.read' },
    schema: { summary: '我的党费', tags, querystring: yearQuery },
  }, async (req) => {
    const actor = actorOf(req);
    if (!actor.personId) throw notFound('本账户关联的党员');
    // Only the actor's own record: no subtree paths at all.
    const scope = { ...scopeOf(req, 'self.read'), paths: [] };
    return historyView(ctx.db, scope, actor.personId, req.query.year ?? thisYear(), ctx.clock.today());
  });

  r.get('/api/dues/disclosure', {
    config: { auth: 'dues.read' },
    schema: { summary: '年度党费收缴公示（每名党员各月实缴）', tags, querystring: orgYearQuery },
  }, async (req) => disclosureView(ctx.db, scopeOf(req, 'dues.read'), req.query.org, req.query.year ?? thisYear(), ctx.clock.today()));

  r.get('/api/dues/disclosure.xlsx', {
    config: { auth: 'dues.export', writes: true },
    schema: { summary: '下载年度党费收缴公示（xlsx，留痕）', tags, querystring: orgYearQuery },
  }, async (req, reply) => {
    const scope = scopeOf(req, 'dues.export');
    const v = await disclosureView(ctx.db, scope, req.query.org, req.query.year ?? thisYear(), ctx.clock.today());
    const buffer = await disclosureXlsx(v, ctx.clock.today());
    // names and amounts of members leave the system: an export in the audit log, like the member list's
    await write(ctx, scope.tenantId, auditActor(req), async (w) => w.audit({ action: 'export', entity: 'duesDisclosure', orgId: v.org.id, meta: { year: v.year } }));
    return reply.header('content-type', XLSX_MIME).header('content-disposition', attachmentDisposition(`${v.org.name}${v.year}年党费收缴公示.xlsx`, 'dues-disclosure.xlsx')).send(buffer);
  });

  r.get('/api/dues/ledger.xlsx', {
    config: { auth: 'dues.export', writes: true },
    schema: { summary: '下载党费收缴登记表（xlsx，留痕）', tags, querystring: orgYearQuery },
  }, async (req, reply) => {
    const scope = scopeOf(req, 'dues.export');
    const year = req.query.year ?? thisYear();
    const out = await ledgerXlsx(ctx.db, scope, req.query.org, year, ctx.clock.today());
    await write(ctx, scope.tenantId, auditActor(req), async (w) => w.audit({ action: 'export', entity: 'duesLedger', orgId: req.query.org, meta: { year } }));
    return reply.header('content-type', XLSX_MIME).header('content-disposition', attachmentDisposition(out.filename, 'dues-ledger.xlsx')).send(out.buffer);
  });

  r.get('/api/dues/hand-ins', {
    config: { auth: 'dues.read' },
    schema: { summary: '党费上缴与对账（收缴、应上缴、已上缴，含下级组织）', tags, querystring: orgYearQuery },
  }, async (req) => handInView(ctx.db, scopeOf(req, 'dues.read'), req.query.org, req.query.year ?? thisYear(), ctx.clock.today()));

  r.post('/api/dues/hand-ins', {
    config: { auth: 'dues.handIn', writes: true },
    schema: { summary: '登记向上级党组织上缴党费', tags, body: handInInput },
  }, async (req, reply) => {
    const scope = scopeOf(req, 'dues.handIn');
    const out = await write(ctx, scope.tenantId, auditActor(req), (w) => recordHandIn(w, scope, req.body));
    return reply.status(out.created ? 201 : 200).send(out);
  });
}
