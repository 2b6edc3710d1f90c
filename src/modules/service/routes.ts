import type { FastifyInstance } from 'fastify';
import { CARE_TAGS, DEED_SOURCES, DEED_STATUSES, PAIRING_FREQUENCIES, VISIT_KINDS } from '../../domain/serviceRules.js';
import type { AppContext } from '../../platform/context.js';
import { auditActor, scopeOf, typed } from '../../platform/http.js';
import { getSetting } from '../../platform/settings.js';
import { write } from '../../platform/write.js';
import { activityDetail, checkIn, confirmHours, createActivity, createTeam, createVolunteer, listActivities, listTeams, listVolunteers, signUp } from './activities.js';
import { createHousehold, createPairing, createVisit, listHouseholds, listPairings, listVisits } from './care.js';
import {
  activityInput, deedInput, deedStatusInput, hoursInput, householdInput, idParam, orgQuery, orgRangeQuery, orgYearQuery, pairingInput, teamInput, visitInput, volunteerInput, whoInput,
} from './contract.js';
import { changeDeedStatus, createDeed, listDeeds } from './deeds.js';
import { orgRef } from './queries.js';
import { SERVICE_SETTINGS } from './settings.js';

/**
 * Community service over HTTP (issue 19): reading `service.read`, every write `service.write`
 * (partyWorker and orgAdmin hold both). Every write goes through write(): one transaction, findings
 * re-evaluated for the touched entities, audited. Ids outside the caller's subtree answer 404.
 */
export function serviceRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = typed(app);
  const tags = ['service'];
  const today = () => ctx.clock.today();
  const range = (q: { from?: string; to?: string }) => ({ from: q.from ?? `${today().slice(0, 4)}-01-01`, to: q.to ?? today() });
  // 201 when something was stored, 200 for an idempotent repeat (a second check-in, the same volunteer again)
  const created = <T extends object>(reply: { status(n: number): { send(x: T): unknown } }, out: T, always = false) =>
    reply.status(always || (out as { created?: boolean }).created !== false ? 201 : 200).send(out);

  r.get('/api/service/options', {
    config: { auth: 'service.read' },
    schema: { summary: '志愿服务与走访的选项（活动类型按设置，走访类型、关爱类别、实事来源与状态）', tags, querystring: orgQuery },
  }, async (req) => {
    const scope = scopeOf(req, 'service.read');
    const path = req.query.org ? (await orgRef(ctx.db, scope, req.query.org)).path : null;
    return {
      activityKinds: await getSetting(ctx.db, scope.tenantId, path, SERVICE_SETTINGS.activityKinds),
      visitKinds: VISIT_KINDS, careTags: CARE_TAGS, deedSources: DEED_SOURCES, deedStatuses: DEED_STATUSES, pairingFrequencies: PAIRING_FREQUENCIES.map(({ key, label }) => ({ key, label })),
    };
  });

  r.get('/api/service/teams', { config: { auth: 'service.read' }, schema: { summary: '志愿服务队', tags, querystring: orgQuery } },
    async (req) => listTeams(ctx.db, scopeOf(req, 'service.read'), req.query.org));
  r.post('/api/service/teams', { config: { auth: 'service.write', writes: true }, schema: { summary: '新建志愿服务队（党员与群众志愿者）', tags, body: teamInput } }, async (req, reply) => {
    const scope = scopeOf(req, 'service.write');
    return created(reply, await write(ctx, scope.tenantId, auditActor(req), (w) => createTeam(w, scope, req.body)), true);
  });

  r.get('/api/service/volunteers', { config: { auth: 'service.read' }, schema: { summary: '群众志愿者（手机号、身份证号脱敏）', tags, querystring: orgQuery } },
    async (req) => listVolunteers(ctx.db, scopeOf(req, 'service.read'), req.query.org));
  r.post('/api/service/volunteers', { config: { auth: 'service.write', writes: true }, schema: { summary: '登记群众志愿者（个人信息加密保存）', tags, body: volunteerInput } }, async (req, reply) => {
    const scope = scopeOf(req, 'service.write');
    return created(reply, await write(ctx, scope.tenantId, auditActor(req), (w) => createVolunteer(w, scope, req.body, ctx.cipher)));
  });

  r.get('/api/service/activities', { config: { auth: 'service.read' }, schema: { summary: '志愿服务活动（按日期）', tags, querystring: orgRangeQuery } },
    async (req) => listActivities(ctx.db, scopeOf(req, 'service.read'), { org: req.query.org, ...range(req.query) }));
  r.post('/api/service/activities', { config: { auth: 'service.write', writes: true }, schema: { summary: '新建志愿服务活动', tags, body: activityInput } }, async (req, reply) => {
    const scope = scopeOf(req, 'service.write');
    return created(reply, await write(ctx, scope.tenantId, auditActor(req), (w) => createActivity(w, scope, req.body)), true);
  });
  r.get('/api/service/activities/:id', { config: { auth: 'service.read' }, schema: { summary: '志愿服务活动详情（报名、签到、服务时长）', tags, params: idParam } },
    async (req) => activityDetail(ctx.db, scopeOf(req, 'service.read'), req.params.id));
  r.post('/api/service/activities/:id/signups', { config: { auth: 'service.write', writes: true }, schema: { summary: '报名志愿服务活动（重复报名返回原记录）', tags, params: idParam, body: whoInput } }, async (req, reply) => {
    const scope = scopeOf(req, 'service.write');
    return created(reply, await write(ctx, scope.tenantId, auditActor(req), (w) => signUp(w, scope, req.params.id, req.body)));
  });
  r.post('/api/service/activities/:id/checkins', { config: { auth: 'service.write', writes: true }, schema: { summary: '活动签到（每人每次活动只签到一次，重复签到返回原记录）', tags, params: idParam, body: whoInput } }, async (req, reply) => {
    const scope = scopeOf(req, 'service.write');
    return created(reply, await write(ctx, scope.tenantId, auditActor(req), (w) => checkIn(w, scope, req.params.id, req.body)));
  });
  r.post('/api/service/activities/:id/hours', { config: { auth: 'service.write', writes: true }, schema: { summary: '组织者确认服务时长（按人）', tags, params: idParam, body: hoursInput } },
    async (req) => {
      const scope = scopeOf(req, 'service.write');
      return write(ctx, scope.tenantId, auditActor(req), (w) => confirmHours(w, scope, req.params.id, req.body));
    });

  r.get('/api/service/households', { config: { auth: 'service.read' }, schema: { summary: '走访对象（群众户，住址脱敏）', tags, querystring: orgQuery } },
    async (req) => listHouseholds(ctx.db, scopeOf(req, 'service.read'), req.query.org));
  r.post('/api/service/households', { config: { auth: 'service.write', writes: true }, schema: { summary: '登记走访对象（住址加密保存）', tags, body: householdInput } }, async (req, reply) => {
    const scope = scopeOf(req, 'service.write');
    return created(reply, await write(ctx, scope.tenantId, auditActor(req), (w) => createHousehold(w, scope, req.body, ctx.cipher)), true);
  });

  r.get('/api/service/visits', { config: { auth: 'service.read' }, schema: { summary: '走访慰问记录', tags, querystring: orgRangeQuery } },
    async (req) => listVisits(ctx.db, scopeOf(req, 'service.read'), { org: req.query.org, ...range(req.query) }));
  r.post('/api/service/visits', { config: { auth: 'service.write', writes: true }, schema: { summary: '记录走访慰问（可附照片）', tags, body: visitInput } }, async (req, reply) => {
    const scope = scopeOf(req, 'service.write');
    return created(reply, await write(ctx, scope.tenantId, auditActor(req), (w) => createVisit(w, scope, req.body)), true);
  });

  r.get('/api/service/pairings', { config: { auth: 'service.read' }, schema: { summary: '结对帮扶（含逾期未走访的周期）', tags, querystring: orgQuery } },
    async (req) => listPairings(ctx.db, scopeOf(req, 'service.read'), req.query.org, today()));
  r.post('/api/service/pairings', { config: { auth: 'service.write', writes: true }, schema: { summary: '建立结对帮扶关系', tags, body: pairingInput } }, async (req, reply) => {
    const scope = scopeOf(req, 'service.write');
    return created(reply, await write(ctx, scope.tenantId, auditActor(req), (w) => createPairing(w, scope, req.body)), true);
  });

  r.get('/api/service/deeds', { config: { auth: 'service.read' }, schema: { summary: '我为群众办实事清单（按年度）', tags, querystring: orgYearQuery } },
    async (req) => listDeeds(ctx.db, scopeOf(req, 'service.read'), { org: req.query.org, year: req.query.year ?? Number(today().slice(0, 4)) }, today()));
  r.post('/api/service/deeds', { config: { auth: 'service.write', writes: true }, schema: { summary: '新增实事项目', tags, body: deedInput } }, async (req, reply) => {
    const scope = scopeOf(req, 'service.write');
    return created(reply, await write(ctx, scope.tenantId, auditActor(req), (w) => createDeed(w, scope, req.body)), true);
  });
  r.post('/api/service/deeds/:id/status', { config: { auth: 'service.write', writes: true }, schema: { summary: '实事项目推进、办结（须有佐证）或终止（须有原因）', tags, params: idParam, body: deedStatusInput } },
    async (req) => {
      const scope = scopeOf(req, 'service.write');
      return write(ctx, scope.tenantId, auditActor(req), (w) => changeDeedStatus(w, scope, req.params.id, req.body));
    });
}
