import { beforeAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { one, rows, type Db } from '../src/db/connection.js';
import { multipartFile, type RouteCase } from './routeCases.js';
import { openTestDb } from './db.js';
import { TEST_TODAY } from './env.js';

/**
 * Authorization-matrix cases for the orgLife routes. Meeting and review ids come from the demo seed,
 * which is the same in every clone of the test template, so they are read once from a clone of our own
 * in a beforeAll hook registered by this module (the matrix file's Fixtures stay untouched).
 */
export const ORG_LIFE_FIXTURES = {
  meeting: 0, otherMeeting: 0, review: 0, openReview: 0, otherReview: 0, personA: 0, personB: 0,
};

export async function loadOrgLifeFixtures(db: Db): Promise<typeof ORG_LIFE_FIXTURES> {
  const org = async (code: string) => (await one<{ id: number }>(db, sql`select id from orgs where code = ${code}`))!.id;
  const branch = await org('SFX010101');
  const other = await org('SFX010102');
  const meetingIn = async (o: number) => (await one<{ id: number }>(db, sql`select id from meetings where org_id = ${o} and kind = 'themedPartyDay' order by id limit 1`))!.id;
  const reviewIn = async (o: number, status: string) => (await one<{ id: number }>(db, sql`select id from member_review_rounds where org_id = ${o} and status = ${status} order by id limit 1`))!.id;
  const people = await rows<{ id: number }>(db, sql`select id from people where org_id = ${branch} and stage = 'full' order by id limit 2`);
  Object.assign(ORG_LIFE_FIXTURES, {
    meeting: await meetingIn(branch), otherMeeting: await meetingIn(other),
    review: await reviewIn(branch, 'concluded'), openReview: await reviewIn(branch, 'open'), otherReview: await reviewIn(other, 'concluded'),
    personA: people[0].id, personB: people[1].id,
  });
  return ORG_LIFE_FIXTURES;
}

beforeAll(async () => {
  const tdb = await openTestDb();
  try {
    await loadOrgLifeFixtures(tdb.ctx.db);
  } finally {
    await tdb.close();
  }
});

const F = ORG_LIFE_FIXTURES;
const YEAR = Number(TEST_TODAY.slice(0, 4));
const meeting = (orgId: number) => ({ orgId, kind: 'themedPartyDay', heldOn: `${YEAR}-11-02`, topic: '矩阵测试主题党日', theme: '重温入党誓词' });
const ledgerCsv = '党组织,会议类型,召开日期,主题,出席人员\nSFX010101,主题党日,2026-11-03,矩阵导入,查无此人\n';

async function settleImport(res: { json(): unknown }, get: (url: string) => Promise<{ json(): unknown }>) {
  const { runId } = res.json() as { runId: string };
  for (let i = 0; i < 200; i++) {
    const run = (await get(`/api/imports/${runId}`)).json() as { status: string };
    if (['done', 'rejected', 'failed'].includes(run.status)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('import run did not finish');
}

const read = (url: string, outUrl?: (f: Parameters<RouteCase['inScope']>[0]) => string): RouteCase => ({
  user: 'branch1', wrongRole: 'member1',
  inScope: () => ({ method: 'GET', url }),
  ...(outUrl ? { outOfScope: (f) => ({ method: 'GET', url: outUrl(f) }) } : {}),
});

export const ORG_LIFE_ROUTE_CASES: Record<string, RouteCase> = {
  'GET /api/orgLife/meetings': {
    user: 'branch1', wrongRole: 'member1',
    inScope: (f) => ({ method: 'GET', url: `/api/orgLife/meetings?org=${f.branch}` }),
    outOfScope: (f) => ({ method: 'GET', url: `/api/orgLife/meetings?org=${f.otherBranch}` }),
  },
  'GET /api/orgLife/meetings/expected': {
    user: 'branch1', wrongRole: 'member1',
    inScope: (f) => ({ method: 'GET', url: `/api/orgLife/meetings/expected?org=${f.branch}&kind=memberAssembly&date=${TEST_TODAY}` }),
    outOfScope: (f) => ({ method: 'GET', url: `/api/orgLife/meetings/expected?org=${f.otherBranch}&kind=memberAssembly&date=${TEST_TODAY}` }),
  },
  'POST /api/orgLife/meetings': {
    user: 'branch1', wrongRole: 'member1',
    inScope: (f) => ({ method: 'POST', url: '/api/orgLife/meetings', payload: meeting(f.branch) }),
    outOfScope: (f) => ({ method: 'POST', url: '/api/orgLife/meetings', payload: meeting(f.otherBranch) }),
  },
  'GET /api/orgLife/meetings/:id': {
    user: 'branch1', wrongRole: 'member1',
    inScope: () => ({ method: 'GET', url: `/api/orgLife/meetings/${F.meeting}` }),
    outOfScope: () => ({ method: 'GET', url: `/api/orgLife/meetings/${F.otherMeeting}` }),
  },
  'PUT /api/orgLife/meetings/:id': {
    user: 'branch1', wrongRole: 'member1',
    inScope: (f) => ({ method: 'PUT', url: `/api/orgLife/meetings/${F.meeting}`, payload: { ...meeting(f.branch), version: 1 } }),
    outOfScope: (f) => ({ method: 'PUT', url: `/api/orgLife/meetings/${F.otherMeeting}`, payload: { ...meeting(f.otherBranch), version: 1 } }),
  },
  'GET /api/orgLife/meetings/:id/record.docx': {
    user: 'branch1', wrongRole: 'member1',
    inScope: () => ({ method: 'GET', url: `/api/orgLife/meetings/${F.meeting}/record.docx` }),
    outOfScope: () => ({ method: 'GET', url: `/api/orgLife/meetings/${F.otherMeeting}/record.docx` }),
  },
  'GET /api/orgLife/meetings/:id/print': {
    user: 'branch1', wrongRole: 'member1',
    inScope: () => ({ method: 'GET', url: `/api/orgLife/meetings/${F.meeting}/print` }),
    outOfScope: () => ({ method: 'GET', url: `/api/orgLife/meetings/${F.otherMeeting}/print` }),
  },
  'GET /api/orgLife/meetings/import/template': read('/api/orgLife/meetings/import/template'),
  'POST /api/orgLife/meetings/import': {
    user: 'branch1', wrongRole: 'member1',
    inScope: () => ({ method: 'POST', url: '/api/orgLife/meetings/import', ...multipartFile('台账.csv', ledgerCsv) }),
    settle: settleImport,
  },
  'GET /api/orgLife/compliance': read('/api/orgLife/compliance', (f) => `/api/orgLife/compliance?org=${f.otherBranch}`),
  'GET /api/orgLife/matrix': {
    user: 'street1', wrongRole: 'member1',
    inScope: () => ({ method: 'GET', url: '/api/orgLife/matrix' }),
    outOfScope: (f) => ({ method: 'GET', url: `/api/orgLife/matrix?org=${f.otherCommunity}` }),
  },
  'GET /api/orgLife/attendance': read('/api/orgLife/attendance', (f) => `/api/orgLife/attendance?org=${f.otherBranch}`),
  'GET /api/orgLife/talks': read('/api/orgLife/talks', (f) => `/api/orgLife/talks?org=${f.otherBranch}`),
  'POST /api/orgLife/talks': {
    user: 'branch1', wrongRole: 'member1',
    inScope: (f) => ({ method: 'POST', url: '/api/orgLife/talks', payload: { orgId: f.branch, heldOn: TEST_TODAY, personAId: F.personA, personBId: F.personB, topic: '矩阵测试谈话' } }),
    outOfScope: (f) => ({ method: 'POST', url: '/api/orgLife/talks', payload: { orgId: f.otherBranch, heldOn: TEST_TODAY, personAId: f.otherMember, personBId: F.personB, topic: '矩阵测试谈话' } }),
  },
  'GET /api/orgLife/reviews': read('/api/orgLife/reviews', (f) => `/api/orgLife/reviews?org=${f.otherBranch}`),
  'GET /api/orgLife/reviews/:id': {
    user: 'branch1', wrongRole: 'member1',
    inScope: () => ({ method: 'GET', url: `/api/orgLife/reviews/${F.review}` }),
    outOfScope: () => ({ method: 'GET', url: `/api/orgLife/reviews/${F.otherReview}` }),
  },
  'POST /api/orgLife/reviews': {
    user: 'branch1', wrongRole: 'member1',
    inScope: (f) => ({ method: 'POST', url: '/api/orgLife/reviews', payload: { orgId: f.branch, forYear: YEAR - 2 } }),
    outOfScope: (f) => ({ method: 'POST', url: '/api/orgLife/reviews', payload: { orgId: f.otherBranch, forYear: YEAR - 2 } }),
  },
  'PUT /api/orgLife/reviews/:id': {
    user: 'branch1', wrongRole: 'member1',
    inScope: () => ({ method: 'PUT', url: `/api/orgLife/reviews/${F.openReview}`, payload: { version: 1, results: [] } }),
    outOfScope: () => ({ method: 'PUT', url: `/api/orgLife/reviews/${F.otherReview}`, payload: { version: 1, results: [] } }),
  },
  'GET /api/orgLife/study': read('/api/orgLife/study', (f) => `/api/orgLife/study?org=${f.otherBranch}`),
  'POST /api/orgLife/study/records': {
    user: 'branch1', wrongRole: 'member1',
    inScope: (f) => ({ method: 'POST', url: '/api/orgLife/study/records', payload: { personId: f.member, studiedOn: TEST_TODAY, minutes: 90, source: 'selfStudy', title: '矩阵测试自学' } }),
    outOfScope: (f) => ({ method: 'POST', url: '/api/orgLife/study/records', payload: { personId: f.otherMember, studiedOn: TEST_TODAY, minutes: 90, source: 'selfStudy', title: '矩阵测试自学' } }),
  },
  'PUT /api/orgLife/study/plans': {
    user: 'branch1', wrongRole: 'member1',
    inScope: (f) => ({ method: 'PUT', url: '/api/orgLife/study/plans', payload: { personId: f.member, year: YEAR, plan: '矩阵测试计划' } }),
    outOfScope: (f) => ({ method: 'PUT', url: '/api/orgLife/study/plans', payload: { personId: f.otherMember, year: YEAR, plan: '矩阵测试计划' } }),
  },
  'GET /api/orgLife/me': { user: 'member1', wrongRole: null, inScope: () => ({ method: 'GET', url: '/api/orgLife/me' }) },
};
