import { sql } from 'drizzle-orm';
import { one, type Db } from '../src/db/connection.js';
import { sha256Hex } from '../src/platform/crypto.js';
import type { RouteCase } from './routeCases.js';
import { TEST_TODAY } from './env.js';

/**
 * Authorization-matrix cases for the requests routes. The four public routes are on the reviewed
 * allowlist (routeCases.ts PUBLIC_ALLOWLIST). grid1 is the gridWorker of branch1's community
 * (幸福社区, SFX0101); SFX0201 (新城社区) is outside its scope. The loader adds a submitted request
 * and an answered one with known tokens, and an accepted wish in each community.
 */
export const REQUEST_FIXTURES = { submitted: 0, otherSubmitted: 0, wish: 0, otherWish: 0 };
export const MATRIX_TOKEN = 'matrixTrackingToken_abcdefghijklmnopqrstuvw'; // 43 base64url characters
export const MATRIX_ANSWERED_TOKEN = 'matrixAnsweredToken_abcdefghijklmnopqrstuvw';

export async function loadRequestFixtures(db: Db): Promise<void> {
  const now = `${TEST_TODAY}T01:00:00.000Z`;
  const mk = async (code: string, kind: string, state: string, token: string) => {
    const o = (await one<{ id: number; path: string; tenant_id: number }>(db, sql`select id, path, tenant_id from orgs where code = ${code}`))!;
    return (await one<{ id: number }>(db, sql`insert into resident_requests (tenant_id, org_id, org_path, kind, state, channel, content, contact_name, token_hash, submitted_on,
        accepted_on, answered_on, answer, created_at, updated_at)
      values (${o.tenant_id}, ${o.id}, ${o.path}, ${kind}, ${state}, 'public', '矩阵测试诉求', '矩阵', ${sha256Hex(token)}, ${TEST_TODAY},
        ${state === 'submitted' ? null : TEST_TODAY}, ${state === 'answered' ? TEST_TODAY : null}, ${state === 'answered' ? '矩阵答复' : null}, ${now}, ${now}) returning id`))!.id;
  };
  REQUEST_FIXTURES.submitted = await mk('SFX0101', 'repair', 'submitted', MATRIX_TOKEN);
  await mk('SFX0101', 'opinion', 'answered', MATRIX_ANSWERED_TOKEN);
  REQUEST_FIXTURES.otherSubmitted = await mk('SFX0201', 'repair', 'submitted', `${MATRIX_TOKEN.slice(0, 42)}x`);
  REQUEST_FIXTURES.wish = await mk('SFX0101', 'wish', 'accepted', `${MATRIX_TOKEN.slice(0, 42)}y`);
  REQUEST_FIXTURES.otherWish = await mk('SFX0201', 'wish', 'accepted', `${MATRIX_TOKEN.slice(0, 42)}z`);
}

const F = REQUEST_FIXTURES;
const submit = (communityId: number) => ({ communityId, kind: 'repair', content: '矩阵测试：楼道灯不亮。', contactName: '矩阵', mobile: '13700009999' });

export const REQUEST_ROUTE_CASES: Record<string, RouteCase> = {
  'GET /api/public/communities': { user: 'branch1', wrongRole: null, inScope: () => ({ method: 'GET', url: '/api/public/communities' }) },
  'POST /api/public/requests': { user: 'branch1', wrongRole: null, inScope: (f) => ({ method: 'POST', url: '/api/public/requests', payload: submit(f.community) }) },
  'POST /api/public/requests/track': { user: 'branch1', wrongRole: null, inScope: () => ({ method: 'POST', url: '/api/public/requests/track', payload: { token: MATRIX_TOKEN } }) },
  'POST /api/public/requests/rate': {
    user: 'branch1', wrongRole: null,
    inScope: () => ({ method: 'POST', url: '/api/public/requests/rate', payload: { token: MATRIX_ANSWERED_TOKEN, rating: 'satisfied' } }),
  },
  'GET /api/requests': {
    user: 'grid1', wrongRole: 'member1',
    inScope: () => ({ method: 'GET', url: '/api/requests' }),
    outOfScope: (f) => ({ method: 'GET', url: `/api/requests?org=${f.otherCommunity}` }),
  },
  'POST /api/requests/:id/transition': {
    user: 'grid1', wrongRole: 'member1',
    inScope: () => ({ method: 'POST', url: `/api/requests/${F.submitted}/transition`, payload: { action: 'accept' } }),
    outOfScope: () => ({ method: 'POST', url: `/api/requests/${F.otherSubmitted}/transition`, payload: { action: 'accept' } }),
  },
  // every role holding requests.claim may claim a posted wish anywhere in the tenant (a public wish list);
  // a partner unit's claim is recorded only by staff of the wish's community
  'POST /api/requests/:id/claim': {
    user: 'grid1', wrongRole: null,
    inScope: () => ({ method: 'POST', url: `/api/requests/${F.wish}/claim`, payload: { partnerUnit: '县图书馆' } }),
    outOfScope: () => ({ method: 'POST', url: `/api/requests/${F.otherWish}/claim`, payload: { partnerUnit: '县图书馆' } }),
  },
};
