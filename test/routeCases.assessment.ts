import { beforeAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { one, type Db } from '../src/db/connection.js';
import type { RouteCase } from './routeCases.js';
import { openTestDb } from './db.js';
import { TEST_TODAY } from './env.js';
import { PLATFORM_FIXTURES } from './routeCases.platform.js';

/**
 * Authorization-matrix cases for the assessment routes. Session ids come from the demo seed: street1's
 * draft of this year (its communities, every score entered) and the other subdistrict's, read once
 * from a clone of our own, as the reports cases do.
 */
export const ASSESSMENT_FIXTURES = { weakFinding: 0, weakEntry: 0, otherWeakFinding: 0, otherWeakEntry: 0, draft: 0, otherDraft: 0, finished: 0, community: 0, otherCommunity: 0, street: 0, otherStreet: 0, draftOrgs: [] as number[] };

async function load(db: Db) {
  const id = async (q: ReturnType<typeof sql>) => (await one<{ id: number }>(db, q))?.id ?? 0;
  Object.assign(ASSESSMENT_FIXTURES, {
    draft: await id(sql`select a.id from assessment_sessions a join orgs o on o.id = a.org_id where o.code = 'SFX01' and a.status = 'draft' order by a.id limit 1`),
    otherDraft: await id(sql`select a.id from assessment_sessions a join orgs o on o.id = a.org_id where o.code = 'SFX02' and a.status = 'draft' order by a.id limit 1`),
    finished: await id(sql`select id from assessment_sessions where status = 'final' order by id limit 1`),
    community: await id(sql`select id from orgs where code = 'SFX0101'`),
    otherCommunity: await id(sql`select id from orgs where code = 'SFX0201'`),
    street: await id(sql`select id from orgs where code = 'SFX01'`),
    otherStreet: await id(sql`select id from orgs where code = 'SFX02'`),
  });
  const orgs = await one<{ ids: unknown }>(db, sql`select array_to_json(org_ids) as ids from assessment_sessions where id = ${ASSESSMENT_FIXTURES.draft}`);
  ASSESSMENT_FIXTURES.draftOrgs = ((orgs?.ids ?? []) as number[]).map(Number);
}

/**
 * 软弱涣散 ledger fixtures, made in the matrix's own database (outside the rolled-back cases): decided
 * and confirmed weakOrg cases of branch1's branch (one with a plan) and of a branch outside street1.
 * Cases are never seeded (findings come only from evaluation), so the matrix records them here.
 */
export async function loadWeakOrgFixtures(db: Db): Promise<void> {
  const now = `${TEST_TODAY}T01:00:00.000Z`;
  const mk = async (code: string, n: number, withPlan: boolean) => {
    const o = (await one<{ id: number; path: string; tenant_id: number }>(db, sql`select id, path, tenant_id from orgs where code = ${code}`))!;
    const f = (await one<{ id: number }>(db, sql`insert into findings (tenant_id, org_id, org_path, key, rule_id, rule_set, subject_entity, subject_id, period, severity, status, opened_on, message, source, decision, created_at, updated_at)
      values (${o.tenant_id}, ${o.id}, ${o.path}, ${`matrix:weakOrg:${code}:${n}`}, 'assessment.weakOrg.noOrgLife', 'weakOrg-2014', 'org', ${String(o.id)}, ${String(YEAR)}, 'case', 'decided', ${TEST_TODAY},
        '矩阵测试候选', 'DOMAIN.md §9.2', ${JSON.stringify({ confirmed: true, outcome: '认定', decidedBy: '矩阵', decidedOn: TEST_TODAY })}::jsonb, ${now}, ${now}) returning id`))!.id;
    if (!withPlan) return { f, e: 0 };
    const e = (await one<{ id: number }>(db, sql`insert into weak_orgs (tenant_id, org_id, org_path, year, finding_id, rule_id, measures, owner_name, leader_name, deadline, status, created_at, updated_at)
      values (${o.tenant_id}, ${o.id}, ${o.path}, ${YEAR}, ${f}, 'assessment.weakOrg.noOrgLife', '矩阵测试', '责任人', '联系领导', ${`${YEAR}-12-31`}, 'rectifying', ${now}, ${now}) returning id`))!.id;
    return { f, e };
  };
  const a = await mk('SFX010101', 1, false);
  const b = await mk('SFX010101', 2, true);
  const c = await mk('SFX020101', 1, true);
  Object.assign(ASSESSMENT_FIXTURES, { weakFinding: a.f, weakEntry: b.e, otherWeakFinding: c.f, otherWeakEntry: c.e });
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

const W = (path: string, payload: () => unknown): RouteCase => ({
  user: 'street1', wrongRole: 'branch1',
  inScope: () => ({ method: 'POST', url: `/api/weak-orgs/${A.weakEntry}${path}`, payload: payload() }),
  outOfScope: () => ({ method: 'POST', url: `/api/weak-orgs/${A.otherWeakEntry}${path}`, payload: payload() }),
});
const plan = (findingId: number) => ({ findingId, measures: '矩阵测试', ownerName: '责任人', leaderName: '联系领导', deadline: `${YEAR}-12-31` });

export const ASSESSMENT_ROUTE_CASES: Record<string, RouteCase> = {
  'GET /api/weak-orgs': {
    user: 'street1', wrongRole: 'member1',
    inScope: () => ({ method: 'GET', url: `/api/weak-orgs?org=${A.street}` }),
    outOfScope: () => ({ method: 'GET', url: `/api/weak-orgs?org=${A.otherStreet}` }),
  },
  'POST /api/weak-orgs': {
    user: 'street1', wrongRole: 'branch1',
    inScope: () => ({ method: 'POST', url: '/api/weak-orgs', payload: plan(A.weakFinding) }),
    outOfScope: () => ({ method: 'POST', url: '/api/weak-orgs', payload: plan(A.otherWeakFinding) }),
  },
  'POST /api/weak-orgs/:id/progress': W('/progress', () => ({ content: '矩阵测试进展' })),
  'POST /api/weak-orgs/:id/close': W('/close', () => ({ decidedBy: '矩阵', decision: '同意销号', attachmentIds: [PLATFORM_FIXTURES.attachment] })),
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
  'GET /api/assessment-sessions/:id/sheet.xlsx': onSession('GET', '/sheet.xlsx', () => undefined, 'street1', 'member1'),
  // only the county's session of last year is finished (street1 sees no finished session)
  'GET /api/assessment-sessions/:id/announcement.docx': {
    user: 'county', wrongRole: 'member1',
    inScope: () => ({ method: 'GET', url: `/api/assessment-sessions/${A.finished}/announcement.docx` }),
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
