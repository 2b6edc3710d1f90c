import { beforeAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { one, type Db } from '../src/db/connection.js';
import type { RouteCase } from './routeCases.js';
import { openTestDb } from './db.js';

/**
 * Authorization-matrix cases for the community-service routes. Record ids come from the demo seed
 * (src/modules/service/seed.ts) for branch1's branch and its sibling branch (outside branch1's
 * subtree), read once from a clone, as the assessment cases do: the latest past activity of branch1's
 * branch (hours not yet confirmed), one of its checked-in people, a member not at that activity, the
 * activity planned next week, a household and an open deed of each branch.
 */
export const SERVICE_FIXTURES = { activity: 0, otherActivity: 0, future: 0, checkedIn: 0, notThere: 0, household: 0, otherHousehold: 0, deed: 0, otherDeed: 0 };

async function load(db: Db) {
  const id = async (q: ReturnType<typeof sql>) => Number((await one<{ id: number }>(db, q))?.id ?? 0);
  const branch = await id(sql`select id from orgs where code = 'SFX010101'`);
  const other = await id(sql`select id from orgs where code = 'SFX010102'`);
  const today = (await one<{ d: string }>(db, sql`select max(held_on)::text as d from service_activities where org_id = ${branch} and held_on <= '2026-11-20'`))!.d;
  const activity = await id(sql`select id from service_activities where org_id = ${branch} and held_on = ${today} order by id limit 1`);
  Object.assign(SERVICE_FIXTURES, {
    activity,
    otherActivity: await id(sql`select id from service_activities where org_id = ${other} order by held_on desc, id limit 1`),
    future: await id(sql`select id from service_activities where org_id = ${branch} and held_on > '2026-11-20' order by id limit 1`),
    checkedIn: await id(sql`select person_id as id from service_participations where activity_id = ${activity} and person_id is not null order by id limit 1`),
    notThere: await id(sql`select id from people p where org_id = ${branch} and not exists (select 1 from service_participations x where x.activity_id = ${activity} and x.person_id = p.id) order by id limit 1`),
    household: await id(sql`select id from service_households where org_id = ${branch} order by id limit 1`),
    otherHousehold: await id(sql`select id from service_households where org_id = ${other} order by id limit 1`),
    deed: await id(sql`select id from service_deeds where org_id = ${branch} and status = 'inProgress' order by id limit 1`),
    otherDeed: await id(sql`select id from service_deeds where org_id = ${other} and status = 'inProgress' order by id limit 1`),
  });
}

beforeAll(async () => {
  const tdb = await openTestDb();
  try {
    await load(tdb.ctx.db);
  } finally {
    await tdb.close();
  }
});

const S = SERVICE_FIXTURES;
const list = (url: string): RouteCase => ({
  user: 'branch1', wrongRole: 'member1',
  inScope: (f) => ({ method: 'GET', url: `${url}?org=${f.branch}` }),
  outOfScope: (f) => ({ method: 'GET', url: `${url}?org=${f.otherBranch}` }),
});
const create = (url: string, body: (orgId: number, f: { member: number }) => unknown): RouteCase => ({
  user: 'branch1', wrongRole: 'member1',
  inScope: (f) => ({ method: 'POST', url, payload: body(f.branch, f) }),
  outOfScope: (f) => ({ method: 'POST', url, payload: body(f.otherBranch, f) }),
});

export const SERVICE_ROUTE_CASES: Record<string, RouteCase> = {
  'GET /api/service/options': list('/api/service/options'),
  'GET /api/service/teams': list('/api/service/teams'),
  'POST /api/service/teams': create('/api/service/teams', (orgId) => ({ orgId, name: '矩阵测试服务队' })),
  'GET /api/service/volunteers': list('/api/service/volunteers'),
  'POST /api/service/volunteers': create('/api/service/volunteers', (orgId) => ({ orgId, name: '矩阵志愿者', mobile: '13700009999' })),
  'GET /api/service/activities': list('/api/service/activities'),
  'POST /api/service/activities': create('/api/service/activities', (orgId) => ({ orgId, title: '矩阵测试活动', kind: '助老', heldOn: '2026-11-20' })),
  'GET /api/service/activities/:id': {
    user: 'branch1', wrongRole: 'member1',
    inScope: () => ({ method: 'GET', url: `/api/service/activities/${S.activity}` }),
    outOfScope: () => ({ method: 'GET', url: `/api/service/activities/${S.otherActivity}` }),
  },
  'POST /api/service/activities/:id/signups': {
    user: 'branch1', wrongRole: 'member1',
    inScope: () => ({ method: 'POST', url: `/api/service/activities/${S.future}/signups`, payload: { personId: S.notThere } }),
    outOfScope: () => ({ method: 'POST', url: `/api/service/activities/${S.otherActivity}/signups`, payload: { personId: S.notThere } }),
  },
  'POST /api/service/activities/:id/checkins': {
    user: 'branch1', wrongRole: 'member1',
    inScope: () => ({ method: 'POST', url: `/api/service/activities/${S.activity}/checkins`, payload: { personId: S.notThere } }),
    outOfScope: () => ({ method: 'POST', url: `/api/service/activities/${S.otherActivity}/checkins`, payload: { personId: S.notThere } }),
  },
  'POST /api/service/activities/:id/hours': {
    user: 'branch1', wrongRole: 'member1',
    inScope: () => ({ method: 'POST', url: `/api/service/activities/${S.activity}/hours`, payload: { entries: [{ personId: S.checkedIn, minutes: 120 }] } }),
    outOfScope: () => ({ method: 'POST', url: `/api/service/activities/${S.otherActivity}/hours`, payload: { entries: [{ personId: S.checkedIn, minutes: 60 }] } }),
  },
  'GET /api/service/households': list('/api/service/households'),
  'POST /api/service/households': create('/api/service/households', (orgId) => ({ orgId, headName: '矩阵户主', address: '矩阵路1号', careTags: ['lowIncome'] })),
  'GET /api/service/visits': list('/api/service/visits'),
  'POST /api/service/visits': {
    user: 'branch1', wrongRole: 'member1',
    inScope: (f) => ({ method: 'POST', url: '/api/service/visits', payload: { orgId: f.branch, householdId: S.household, visitedOn: '2026-11-20', kind: 'hardship', visitorIds: [f.member] } }),
    outOfScope: (f) => ({ method: 'POST', url: '/api/service/visits', payload: { orgId: f.branch, householdId: S.otherHousehold, visitedOn: '2026-11-20', kind: 'hardship', visitorIds: [f.member] } }),
  },
  'GET /api/service/pairings': list('/api/service/pairings'),
  'POST /api/service/pairings': {
    user: 'branch1', wrongRole: 'member1',
    inScope: (f) => ({ method: 'POST', url: '/api/service/pairings', payload: { orgId: f.branch, householdId: S.household, personId: f.member, startOn: '2026-11-01' } }),
    outOfScope: (f) => ({ method: 'POST', url: '/api/service/pairings', payload: { orgId: f.branch, householdId: S.otherHousehold, personId: f.member, startOn: '2026-11-01' } }),
  },
  'GET /api/service/deeds': list('/api/service/deeds'),
  'POST /api/service/deeds': create('/api/service/deeds', (orgId) => ({ orgId, item: '矩阵测试实事', source: 'residentRequest', deadline: '2026-12-31' })),
  'POST /api/service/deeds/:id/status': {
    user: 'branch1', wrongRole: 'member1',
    inScope: () => ({ method: 'POST', url: `/api/service/deeds/${S.deed}/status`, payload: { status: 'done', evidence: '矩阵测试办结' } }),
    outOfScope: () => ({ method: 'POST', url: `/api/service/deeds/${S.otherDeed}/status`, payload: { status: 'done', evidence: '矩阵测试办结' } }),
  },
};
