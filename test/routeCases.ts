import { sql } from 'drizzle-orm';
import { one, type Db } from '../src/db/connection.js';
import { idCheckDigit } from '../src/domain/idNumber.js';
import { base32Decode, totpAt } from '../src/platform/totp.js';
import { MATRIX_TOTP_SECRET, PLATFORM_ROUTE_CASES } from './routeCases.platform.js';
import { ORG_LIFE_ROUTE_CASES } from './routeCases.orgLife.js';
import { DUES_ROUTE_CASES } from './routeCases.dues.js';
import { REPORT_ROUTE_CASES } from './routeCases.reports.js';
import { ASSESSMENT_ROUTE_CASES } from './routeCases.assessment.js';
import { DEVELOPMENT_ROUTE_CASES } from './routeCases.development.js';
import { REQUEST_ROUTE_CASES } from './routeCases.requests.js';
import { GRID_ROUTE_CASES } from './routeCases.grid.js';
import { SERVICE_ROUTE_CASES } from './routeCases.service.js';
import { awaitImportRun } from '../src/platform/importer.js';

/**
 * One case per route for the authorization matrix. `user` holds the route's permission at a node that
 * covers the in-scope target; `wrongRole` is a logged-in user lacking the permission (null when every
 * role has it, e.g. `session`); `outOfScope` names a target outside `user`'s subtrees.
 * Fixture codes: SFX010101 = branch1's branch (under 城关街道 SFX01 = street1); SFX010102 another
 * branch of the same community; SFX0201 a community under 东湖街道 (outside street1).
 */
export interface Call {
  method: string;
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
}
export interface RouteCase {
  user: string;
  wrongRole: string | null;
  inScope(f: Fixtures): Call;
  outOfScope?(f: Fixtures): Call;
  /** Wait for background work started by the call (e.g. an import run) before checking the audit. */
  settle?(res: { json(): unknown; statusCode: number }, get: (url: string) => Promise<{ json(): unknown }>): Promise<void>;
}

export interface Fixtures {
  branch: number;
  otherBranch: number;
  group: number;
  community: number;
  otherCommunity: number;
  dhBranch: number;
  street: number;
  member: number;
  otherMember: number;
  dhMember: number;
  postTerm: number;
  otherPostTerm: number;
  finding: number;
  otherFinding: number;
  /** An open case (需组织认定事项) under street1, if the demo has one. */
  caseFinding: number;
  /** An import run started by branch1 (runs are visible only to the user who started them). */
  importRun?: string;
  branchUser: number;
  memberUser: number;
  countyUser: number;
  branchGrant: number;
  countyGrant: number;
}

export async function loadFixtures(db: Db): Promise<Fixtures> {
  const org = async (code: string) => (await one<{ id: number }>(db, sql`select id from orgs where code = ${code}`))!.id;
  const memberOf = async (orgId: number) => (await one<{ id: number }>(db, sql`select id from people where org_id = ${orgId} order by id limit 1`))!.id;
  const branch = await org('SFX010101');
  const otherBranch = await org('SFX010102');
  const dhBranch = await org('SFX020101');
  const post = async (orgId: number) => (await one<{ id: number }>(db, sql`select id from post_terms where org_id = ${orgId} and valid_to is null order by id limit 1`))!.id;
  const findingIn = async (path: string) => (await one<{ id: number }>(db, sql`select id from findings where org_path like ${`${path}%`} and status = 'open' and severity <> 'case' order by id limit 1`))!.id;
  const street = await org('SFX01');
  const user = async (u: string) => (await one<{ id: number }>(db, sql`select id from users where username = ${u}`))!.id;
  const streetPath = (await one<{ path: string }>(db, sql`select path from orgs where id = ${street}`))!.path;
  const dhPath = (await one<{ path: string }>(db, sql`select path from orgs where code = 'SFX02'`))!.path;
  await ensureFinding(db, dhPath);
  return {
    branch, otherBranch, dhBranch, street,
    group: await org('SFX010101G1'),
    community: await org('SFX0101'),
    otherCommunity: await org('SFX0201'),
    member: await memberOf(branch),
    otherMember: await memberOf(otherBranch),
    dhMember: await memberOf(dhBranch),
    postTerm: await post(branch),
    otherPostTerm: await post(otherBranch),
    branchUser: await user('branch1'),
    memberUser: await user('member1'),
    countyUser: await user('county'),
    branchGrant: (await one<{ id: number }>(db, sql`select g.id from grants g join users u on u.id = g.user_id where u.username = 'branch1'`))!.id,
    countyGrant: (await one<{ id: number }>(db, sql`select g.id from grants g join users u on u.id = g.user_id where u.username = 'county'`))!.id,
    finding: await findingIn(streetPath),
    caseFinding: (await one<{ id: number }>(db, sql`select id from findings where org_path like ${`${streetPath}%`} and status = 'open' and severity = 'case' order by id limit 1`))?.id ?? 0,
    otherFinding: await findingIn(dhPath),
  };
}

/** The demo may have no open finding under 东湖; make the member data produce one (computed, not inserted). */
async function ensureFinding(db: Db, path: string) {
  const f = await one(db, sql`select id from findings where org_path like ${`${path}%`} and status = 'open' and severity <> 'case'`);
  if (f) return;
  throw new Error(`demo has no open finding under ${path}`);
}

const validId = (body17: string) => body17 + idCheckDigit(body17);
const newMember = (orgId: number) => ({
  orgId, name: '矩阵测试', gender: 'female', ethnicity: '汉族', idNumber: validId('33099919900101002'), stage: 'full', admittedOn: '2015-06-01',
});
const newOrg = (parentId: number, code: string) => ({ parentId, name: `矩阵测试支部${code}`, kind: 'branch', code, unitType: 'community' });

const userBody = (orgId: number, username: string) => ({ username, displayName: '测试账号', password: 'abc12345', grant: { orgId, role: 'partyWorker', canViewPersonalData: false } });

/** A multipart/form-data body with one file field, built by hand (no client library needed). */
export function multipartFile(filename: string, content: string | Buffer, field = 'file'): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----zhibuMatrixBoundary7a1f';
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'), tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const IMPORT_HEADER = '姓名,性别,民族,公民身份号码,出生日期,学历,手机号码,所在党组织,人员类别,入党日期,转正日期';
export const importCsv = (orgCode: string) =>
  `${IMPORT_HEADER}\n矩阵导入,女,汉族,${validId('33099919850301002')},1985-03-01,大学本科,13700001234,${orgCode},正式党员,2010-07-01,2011-07-01\n`;

/** Poll an import run until it finishes (its audit entry is written at the end). */
async function settleImport(res: { json(): unknown }, get: (url: string) => Promise<{ json(): unknown }>) {
  const { runId } = res.json() as { runId: string };
  for (let i = 0; i < 200; i++) {
    const run = (await get(`/api/imports/${runId}`)).json() as { status: string };
    if (run.status === 'done' || run.status === 'rejected' || run.status === 'failed') {
      // the run's audit entry is written just after its status settles
      await awaitImportRun(runId);
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('import run did not finish');
}

/** Reviewed: the resident request pages (issue 15) are public by design — picker, submit, track and rate by token. */
export const PUBLIC_ALLOWLIST = [
  'GET /api/health', 'POST /api/auth/login',
  'GET /api/public/communities', 'POST /api/public/requests', 'POST /api/public/requests/track', 'POST /api/public/requests/rate',
];

const CORE_ROUTE_CASES: Record<string, RouteCase | undefined> = {
  'GET /api/health': { user: 'branch1', wrongRole: null, inScope: () => ({ method: 'GET', url: '/api/health' }) },
  'POST /api/auth/login': { user: 'branch1', wrongRole: null, inScope: () => ({ method: 'POST', url: '/api/auth/login', payload: { username: 'street1', password: 'zhibu123' } }) },
  'POST /api/auth/logout': { user: 'branch1', wrongRole: null, inScope: () => ({ method: 'POST', url: '/api/auth/logout' }) },
  'GET /api/auth/me': { user: 'member1', wrongRole: null, inScope: () => ({ method: 'GET', url: '/api/auth/me' }) },
  'POST /api/auth/password': { user: 'member1', wrongRole: null, inScope: () => ({ method: 'POST', url: '/api/auth/password', payload: { oldPassword: 'zhibu123', newPassword: 'zhibu2026' } }) },
  'GET /api/auth/totp': { user: 'member1', wrongRole: null, inScope: () => ({ method: 'GET', url: '/api/auth/totp' }) },
  'POST /api/auth/totp/setup': { user: 'member1', wrongRole: null, inScope: () => ({ method: 'POST', url: '/api/auth/totp/setup' }) },
  'POST /api/auth/totp/confirm': { user: 'member1', wrongRole: null, inScope: () => ({ method: 'POST', url: '/api/auth/totp/confirm', payload: { code: totpAt(base32Decode(MATRIX_TOTP_SECRET), Date.now()) } }) },
  'GET /api/orgs/tree': { user: 'branch1', wrongRole: 'member1', inScope: () => ({ method: 'GET', url: '/api/orgs/tree' }) },
  'GET /api/orgs/directory': { user: 'member1', wrongRole: null, inScope: () => ({ method: 'GET', url: `/api/orgs/directory?q=${encodeURIComponent('东湖')}` }) },
  'GET /api/orgs/:id': {
    user: 'branch1', wrongRole: 'member1',
    inScope: (f) => ({ method: 'GET', url: `/api/orgs/${f.branch}` }),
    outOfScope: (f) => ({ method: 'GET', url: `/api/orgs/${f.otherBranch}` }),
  },
  'POST /api/orgs': {
    user: 'street1', wrongRole: 'branch1',
    inScope: (f) => ({ method: 'POST', url: '/api/orgs', payload: newOrg(f.community, 'MX01') }),
    outOfScope: (f) => ({ method: 'POST', url: '/api/orgs', payload: newOrg(f.otherCommunity, 'MX02') }),
  },
  'PATCH /api/orgs/:id': {
    user: 'street1', wrongRole: 'branch1',
    inScope: (f) => ({ method: 'PATCH', url: `/api/orgs/${f.branch}`, payload: { address: '幸福路1号' } }),
    outOfScope: (f) => ({ method: 'PATCH', url: `/api/orgs/${f.dhBranch}`, payload: { address: '东湖路1号' } }),
  },
  'POST /api/orgs/:id/move': {
    user: 'street1', wrongRole: 'branch1',
    inScope: (f) => ({ method: 'POST', url: `/api/orgs/${f.otherBranch}/move`, payload: { newParentId: f.street } }),
    outOfScope: (f) => ({ method: 'POST', url: `/api/orgs/${f.dhBranch}/move`, payload: { newParentId: f.street } }),
  },
  'POST /api/orgs/:id/dissolve': {
    user: 'street1', wrongRole: 'branch1',
    inScope: (f) => ({ method: 'POST', url: `/api/orgs/${f.group}/dissolve`, payload: { dissolvedOn: '2026-11-01', reason: '党小组调整' } }),
    outOfScope: (f) => ({ method: 'POST', url: `/api/orgs/${f.dhBranch}/dissolve`, payload: { dissolvedOn: '2026-11-01', reason: '调整' } }),
  },
  'GET /api/members': {
    user: 'branch1', wrongRole: 'member1',
    inScope: () => ({ method: 'GET', url: '/api/members' }),
    outOfScope: (f) => ({ method: 'GET', url: `/api/members?org=${f.otherBranch}` }),
  },
  'GET /api/members/medal': { user: 'branch1', wrongRole: 'member1', inScope: () => ({ method: 'GET', url: '/api/members/medal?year=2026' }) },
  'GET /api/me': { user: 'member1', wrongRole: null, inScope: () => ({ method: 'GET', url: '/api/me' }) },
  'GET /api/members/:id': {
    user: 'branch1', wrongRole: null,
    inScope: (f) => ({ method: 'GET', url: `/api/members/${f.member}` }),
    outOfScope: (f) => ({ method: 'GET', url: `/api/members/${f.otherMember}` }),
  },
  'POST /api/members/:id/personal': {
    user: 'county', wrongRole: null,
    inScope: (f) => ({ method: 'POST', url: `/api/members/${f.member}/personal` }),
  },
  'POST /api/members': {
    user: 'branch1', wrongRole: 'member1',
    inScope: (f) => ({ method: 'POST', url: '/api/members', payload: newMember(f.branch) }),
    outOfScope: (f) => ({ method: 'POST', url: '/api/members', payload: newMember(f.otherBranch) }),
  },
  'PATCH /api/members/:id': {
    user: 'branch1', wrongRole: 'member1',
    inScope: (f) => ({ method: 'PATCH', url: `/api/members/${f.member}`, payload: { version: 1, workUnit: '幸福社区居委会' } }),
    outOfScope: (f) => ({ method: 'PATCH', url: `/api/members/${f.otherMember}`, payload: { version: 1, workUnit: 'x' } }),
  },
  'POST /api/members/:id/posts': {
    user: 'branch1', wrongRole: 'member1',
    inScope: (f) => ({ method: 'POST', url: `/api/members/${f.member}/posts`, payload: { orgId: f.branch, post: 'disciplineMember', validFrom: '2026-01-01' } }),
    outOfScope: (f) => ({ method: 'POST', url: `/api/members/${f.otherMember}/posts`, payload: { orgId: f.otherBranch, post: 'disciplineMember', validFrom: '2026-01-01' } }),
  },
  'POST /api/posts/:id/end': {
    user: 'branch1', wrongRole: 'member1',
    inScope: (f) => ({ method: 'POST', url: `/api/posts/${f.postTerm}/end`, payload: { validTo: '2026-11-01' } }),
    outOfScope: (f) => ({ method: 'POST', url: `/api/posts/${f.otherPostTerm}/end`, payload: { validTo: '2026-11-01' } }),
  },
  'GET /api/figures': { user: 'branch1', wrongRole: 'member1', inScope: () => ({ method: 'GET', url: '/api/figures' }) },
  'GET /api/figures/:id': {
    user: 'branch1', wrongRole: 'member1',
    inScope: () => ({ method: 'GET', url: '/api/figures/members.count?by=ageBand' }),
    outOfScope: (f) => ({ method: 'GET', url: `/api/figures/members.count?org=${f.otherBranch}` }),
  },
  'GET /api/figures/:id/breakdowns': {
    user: 'street1', wrongRole: 'member1',
    inScope: () => ({ method: 'GET', url: '/api/figures/members.count/breakdowns?by=gender,ageBand,partyAgeBand' }),
    outOfScope: (f) => ({ method: 'GET', url: `/api/figures/members.count/breakdowns?by=gender&org=${f.otherCommunity}` }),
  },
  'GET /api/findings': {
    user: 'street1', wrongRole: null,
    inScope: () => ({ method: 'GET', url: '/api/findings' }),
    outOfScope: (f) => ({ method: 'GET', url: `/api/findings?org=${f.otherCommunity}` }),
  },
  'GET /api/findings/summary': {
    user: 'street1', wrongRole: 'member1',
    inScope: () => ({ method: 'GET', url: '/api/findings/summary' }),
    outOfScope: (f) => ({ method: 'GET', url: `/api/findings/summary?org=${f.otherCommunity}` }),
  },
  'POST /api/findings/:id/dismiss': {
    user: 'street1', wrongRole: 'member1',
    inScope: (f) => ({ method: 'POST', url: `/api/findings/${f.finding}/dismiss`, payload: { reason: '已线下核实处理' } }),
    outOfScope: (f) => ({ method: 'POST', url: `/api/findings/${f.otherFinding}/dismiss`, payload: { reason: '已线下核实处理' } }),
  },
  'POST /api/findings/:id/decide': {
    user: 'street1', wrongRole: 'member1',
    inScope: (f) => ({ method: 'POST', url: `/api/findings/${f.caseFinding}/decide`, payload: { decidedOn: '2026-11-15', decidedBy: '支部党员大会', outcome: '经支部党员大会研究，给予批评教育，限期三个月内参加组织生活' } }),
    outOfScope: (f) => ({ method: 'POST', url: `/api/findings/${f.otherFinding}/decide`, payload: { decidedOn: '2026-11-15', decidedBy: '支部党员大会', outcome: '批评教育' } }),
  },
  'GET /api/audit': { user: 'street1', wrongRole: 'branch1', inScope: () => ({ method: 'GET', url: '/api/audit' }) },
  'GET /api/audit/verify': { user: 'admin', wrongRole: 'county', inScope: () => ({ method: 'GET', url: '/api/audit/verify' }) },
  // the whole chain of the tenant: only at the top org (sysAdmin under the default profile, auditAdmin under mlps3)
  'GET /api/audit/export.ndjson': { user: 'admin', wrongRole: 'county', inScope: () => ({ method: 'GET', url: '/api/audit/export.ndjson' }) },
  'GET /api/settings': {
    user: 'street1', wrongRole: 'branch1',
    inScope: (f) => ({ method: 'GET', url: `/api/settings?org=${f.branch}` }),
    outOfScope: (f) => ({ method: 'GET', url: `/api/settings?org=${f.otherCommunity}` }),
  },
  'PUT /api/settings/:key': {
    user: 'street1', wrongRole: 'branch1',
    inScope: (f) => ({ method: 'PUT', url: '/api/settings/findings.dueSoonDays', payload: { org: f.street, value: 10 } }),
    outOfScope: (f) => ({ method: 'PUT', url: '/api/settings/findings.dueSoonDays', payload: { org: f.otherCommunity, value: 10 } }),
  },
  'GET /api/users': { user: 'street1', wrongRole: 'branch1', inScope: () => ({ method: 'GET', url: '/api/users' }) },
  'POST /api/users': {
    user: 'street1', wrongRole: 'branch1',
    inScope: (f) => ({ method: 'POST', url: '/api/users', payload: userBody(f.branch, 'matrix_a') }),
    outOfScope: (f) => ({ method: 'POST', url: '/api/users', payload: userBody(f.dhBranch, 'matrix_b') }),
  },
  'POST /api/users/:id/grants': {
    user: 'street1', wrongRole: 'branch1',
    inScope: (f) => ({ method: 'POST', url: `/api/users/${f.branchUser}/grants`, payload: { orgId: f.otherBranch, role: 'partyWorker', canViewPersonalData: false } }),
    outOfScope: (f) => ({ method: 'POST', url: `/api/users/${f.branchUser}/grants`, payload: { orgId: f.dhBranch, role: 'partyWorker', canViewPersonalData: false } }),
  },
  'DELETE /api/grants/:id': {
    user: 'street1', wrongRole: 'branch1',
    inScope: (f) => ({ method: 'DELETE', url: `/api/grants/${f.branchGrant}` }),
    outOfScope: (f) => ({ method: 'DELETE', url: `/api/grants/${f.countyGrant}` }),
  },
  'PUT /api/grants/:id/personal-data': {
    user: 'admin', wrongRole: 'street1',
    inScope: (f) => ({ method: 'PUT', url: `/api/grants/${f.branchGrant}/personal-data`, payload: { canViewPersonalData: true } }),
  },
  'GET /api/personal-data/holders': { user: 'street1', wrongRole: 'branch1', inScope: () => ({ method: 'GET', url: '/api/personal-data/holders' }) },
  'POST /api/users/:id/password': {
    user: 'street1', wrongRole: 'branch1',
    inScope: (f) => ({ method: 'POST', url: `/api/users/${f.memberUser}/password`, payload: { newPassword: 'reset2026a' } }),
    outOfScope: (f) => ({ method: 'POST', url: `/api/users/${f.countyUser}/password`, payload: { newPassword: 'reset2026a' } }),
  },
  // member1 holds a pending enrolment (loadPlatformFixtures), which the reset clears
  'POST /api/users/:id/totp/reset': {
    user: 'street1', wrongRole: 'branch1',
    inScope: (f) => ({ method: 'POST', url: `/api/users/${f.memberUser}/totp/reset` }),
    outOfScope: (f) => ({ method: 'POST', url: `/api/users/${f.countyUser}/totp/reset` }),
  },
  'POST /api/users/:id/disable': {
    user: 'street1', wrongRole: 'branch1',
    inScope: (f) => ({ method: 'POST', url: `/api/users/${f.memberUser}/disable`, payload: { disabled: true } }),
    outOfScope: (f) => ({ method: 'POST', url: `/api/users/${f.countyUser}/disable`, payload: { disabled: true } }),
  },
  'GET /api/members/import/template': { user: 'branch1', wrongRole: 'member1', inScope: () => ({ method: 'GET', url: '/api/members/import/template' }) },
  'POST /api/members/import': {
    user: 'branch1', wrongRole: 'member1',
    inScope: () => ({ method: 'POST', url: '/api/members/import', ...multipartFile('名册.csv', importCsv('SFX010101')) }),
    settle: settleImport,
  },
  'GET /api/imports/:runId': {
    user: 'branch1', wrongRole: 'member1',
    inScope: (f) => ({ method: 'GET', url: `/api/imports/${f.importRun}` }),
  },
  'GET /api/imports/:runId/errors.xlsx': {
    user: 'branch1', wrongRole: 'member1',
    inScope: (f) => ({ method: 'GET', url: `/api/imports/${f.importRun}/errors.xlsx` }),
  },
  'GET /api/members/export': {
    user: 'branch1', wrongRole: 'member1',
    inScope: () => ({ method: 'GET', url: '/api/members/export' }),
    outOfScope: (f) => ({ method: 'GET', url: `/api/members/export?org=${f.otherBranch}` }),
  },
};

export const ROUTE_CASES: Record<string, RouteCase | undefined> = {
  ...CORE_ROUTE_CASES,
  ...PLATFORM_ROUTE_CASES,
  ...ORG_LIFE_ROUTE_CASES,
  ...DEVELOPMENT_ROUTE_CASES,
  ...DUES_ROUTE_CASES,
  ...REPORT_ROUTE_CASES,
  ...ASSESSMENT_ROUTE_CASES,
  ...REQUEST_ROUTE_CASES,
  ...GRID_ROUTE_CASES,
  ...SERVICE_ROUTE_CASES,
};
