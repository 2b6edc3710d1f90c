import { beforeAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { one, type Db } from '../src/db/connection.js';
import type { RouteCase } from './routeCases.js';
import { openTestDb } from './db.js';
import { TEST_TODAY } from './env.js';

/**
 * Authorization-matrix cases for the development routes. The applicant comes from the demo seed
 * (branch1's branch: 赵晓雯, applied ten days before today, talk not yet recorded), read once from a
 * clone of our own as the orgLife cases do.
 */
export const DEVELOPMENT_FIXTURES = { applicant: 0 };

async function load(db: Db) {
  DEVELOPMENT_FIXTURES.applicant = (await one<{ id: number }>(db, sql`select p.id from people p join orgs o on o.id = p.org_id where o.code = 'SFX010101' and p.name = '赵晓雯'`))!.id;
}

beforeAll(async () => {
  const tdb = await openTestDb();
  try {
    await load(tdb.ctx.db);
  } finally {
    await tdb.close();
  }
});

const F = DEVELOPMENT_FIXTURES;

export const DEVELOPMENT_ROUTE_CASES: Record<string, RouteCase | undefined> = {
  'GET /api/development/board': {
    user: 'branch1', wrongRole: 'member1',
    inScope: () => ({ method: 'GET', url: '/api/development/board' }),
    outOfScope: (f) => ({ method: 'GET', url: `/api/development/board?org=${f.otherBranch}` }),
  },
  'GET /api/development/people/:id': {
    user: 'branch1', wrongRole: 'member1',
    inScope: () => ({ method: 'GET', url: `/api/development/people/${F.applicant}` }),
    outOfScope: (f) => ({ method: 'GET', url: `/api/development/people/${f.otherMember}` }),
  },
  'POST /api/development/people/:id/steps': {
    user: 'branch1', wrongRole: 'member1',
    inScope: () => ({ method: 'POST', url: `/api/development/people/${F.applicant}/steps`, payload: { step: 2, doneOn: TEST_TODAY, actorName: '支部书记', documents: ['谈话记录'] } }),
    outOfScope: (f) => ({ method: 'POST', url: `/api/development/people/${f.otherMember}/steps`, payload: { step: 2, doneOn: TEST_TODAY, actorName: '支部书记' } }),
  },
};
