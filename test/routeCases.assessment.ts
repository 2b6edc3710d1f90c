import { beforeAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { one, type Db } from '../src/db/connection.js';
import type { RouteCase } from './routeCases.js';
import { openTestDb } from './db.js';
import { TEST_TODAY } from './env.js';

/**
 * Authorization-matrix cases for the assessment routes. Session ids come from the demo seed: street1's
 * draft of this year (its communities, every score entered) and the other subdistrict's, read once
 * from a clone of our own, as the reports cases do.
 */
export const ASSESSMENT_FIXTURES = { draft: 0, otherDraft: 0, community: 0, otherCommunity: 0, street: 0, otherStreet: 0, draftOrgs: [] as number[] };

async function load(db: Db) {
  const id = async (q: ReturnType<typeof sql>) => (await one<{ id: number }>(db, q))?.id ?? 0;
  Object.assign(ASSESSMENT_FIXTURES, {
    draft: await id(sql`select a.id from assessment_sessions a join orgs o on o.id = a.org_id where o.code = 'SFX01' and a.status = 'draft' order by a.id limit 1`),
    otherDraft: await id(sql`select a.id from assessment_sessions a join orgs o on o.id = a.org_id where o.code = 'SFX02' and a.status = 'draft' order by a.id limit 1`),
    community: await id(sql`select id from orgs where code = 'SFX0101'`),
    otherCommunity: await id(sql`select id from orgs where code = 'SFX0201'`),
    street: await id(sql`select id from orgs where code = 'SFX01'`),
    otherStreet: await id(sql`select id from orgs where code = 'SFX02'`),
  });
  const orgs = await one<{ ids: unknown }>(db, sql`select array_to_json(org_ids) as ids from assessment_sessions where id = ${ASSESSMENT_FIXTURES.draft}`);
  ASSESSMENT_FIXTURES.draftOrgs = ((orgs?.ids ?? []) as number[]).map(Number);
}

beforeAll(async () => {
  const tdb = await openTestDb();
  try {
    await load(tdb.ctx.db);
  } finally {
    await tdb.close();
  }
});

const A = ASSESSMENT_FIXTURES;
const YEAR = Number(TEST_TODAY.slice(0, 4));
const TREE = { categories: [{ key: 'c', label: '类别', indicators: [{ key: 'm', label: '人工评分', maxScore: 100, rule: { kind: 'manual' }, evidence: '考核记录' }] }] };
const onSession = (method: string, path: string, payload: () => unknown, user = 'street1', wrongRole = 'branch1'): RouteCase => ({
  user, wrongRole,
  inScope: () => ({ method, url: `/api/assessment-sessions/${A.draft}${path}`, payload: payload() }),
  outOfScope: () => ({ method, url: `/api/assessment-sessions/${A.otherDraft}${path}`, payload: payload() }),
});

export const ASSESSMENT_ROUTE_CASES: Record<string, RouteCase> = {
  'GET /api/assessment-trees': { user: 'branch1', wrongRole: 'member1', inScope: () => ({ method: 'GET', url: '/api/assessment-trees' }) },
  'GET /api/assessment-trees/:key': { user: 'branch1', wrongRole: 'member1', inScope: () => ({ method: 'GET', url: '/api/assessment-trees/default' }) },
  'POST /api/assessment-trees': { user: 'street1', wrongRole: 'branch1', inScope: () => ({ method: 'POST', url: '/api/assessment-trees', payload: { key: 'matrix', name: '矩阵测试', tree: TREE } }) },
  'GET /api/assessment-sessions': {
    user: 'street1', wrongRole: 'member1',
    inScope: () => ({ method: 'GET', url: `/api/assessment-sessions?org=${A.street}` }),
    outOfScope: () => ({ method: 'GET', url: `/api/assessment-sessions?org=${A.otherStreet}` }),
  },
  'POST /api/assessment-sessions': {
    user: 'street1', wrongRole: 'branch1',
    inScope: () => ({ method: 'POST', url: '/api/assessment-sessions', payload: { org: A.street, year: YEAR, title: '矩阵测试', treeKey: 'default', orgIds: [A.community] } }),
    outOfScope: () => ({ method: 'POST', url: '/api/assessment-sessions', payload: { org: A.otherStreet, year: YEAR, title: '矩阵测试', treeKey: 'default', orgIds: [A.otherCommunity] } }),
  },
  'GET /api/assessment-sessions/:id': onSession('GET', '', () => undefined, 'street1', 'member1'),
  'GET /api/assessment-sessions/:id/evidence': {
    user: 'street1', wrongRole: 'member1',
    inScope: () => ({ method: 'GET', url: `/api/assessment-sessions/${A.draft}/evidence?org=${A.community}&indicator=memberAssembly` }),
    outOfScope: () => ({ method: 'GET', url: `/api/assessment-sessions/${A.otherDraft}/evidence?org=${A.otherCommunity}&indicator=memberAssembly` }),
  },
  'PUT /api/assessment-sessions/:id/inputs': {
    user: 'street1', wrongRole: 'branch1',
    inScope: () => ({ method: 'PUT', url: `/api/assessment-sessions/${A.draft}/inputs`, payload: { org: A.community, indicator: 'work', score: 20, note: '矩阵测试' } }),
    outOfScope: () => ({ method: 'PUT', url: `/api/assessment-sessions/${A.otherDraft}/inputs`, payload: { org: A.otherCommunity, indicator: 'work', score: 20, note: '矩阵测试' } }),
  },
  'POST /api/assessment-sessions/:id/finish': {
    user: 'street1', wrongRole: 'branch1',
    inScope: () => ({ method: 'POST', url: `/api/assessment-sessions/${A.draft}/finish`, payload: { grades: A.draftOrgs.map((org) => ({ org, grade: '好', reason: '矩阵测试' })) } }),
    outOfScope: () => ({ method: 'POST', url: `/api/assessment-sessions/${A.otherDraft}/finish`, payload: { grades: [{ org: A.otherCommunity, grade: '好', reason: '矩阵测试' }] } }),
  },
};
