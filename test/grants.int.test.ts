import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { one, rows } from '../src/db/connection.js';
import { base32Decode, totpAt } from '../src/platform/totp.js';
import { openTestApp, type TestApp } from './db.js';
import { loadFixtures, type Fixtures } from './routeCases.js';

/**
 * Issue 17 finding 3 (no self-grant; the personal-data right only from a holder of
 * personalData.grant, audited, listed), finding 9 (audit reading by scope, security events only to
 * the audit administrator, exports visible), the per-module permissions and the mlps3 三权分立.
 */
let t: TestApp;
let fx: Fixtures;
let root: number;
beforeAll(async () => {
  t = await openTestApp();
  fx = await loadFixtures(t.ctx.db);
  root = (await one<{ id: number }>(t.ctx.db, sql`select root_org_id as id from tenants limit 1`))!.id;
});
afterAll(async () => t?.close());

const PW = 'Zhibu-test-2026';
async function call(method: string, url: string, user: string, payload?: unknown, password?: string) {
  const res = await t.built.app.inject({ method: method as never, url, payload: payload as never, headers: { cookie: await t.login(user, password) } });
  return { status: res.statusCode, body: res.body, json: () => res.json() };
}
const userId = async (username: string) => (await one<{ id: number }>(t.ctx.db, sql`select id from users where username = ${username}`))!.id;
const grantOf = async (username: string) => (await one<{ id: number; can_view_personal_data: boolean }>(t.ctx.db, sql`select g.id, g.can_view_personal_data from grants g join users u on u.id = g.user_id where u.username = ${username} order by g.id limit 1`))!;

describe(`grants and the personal-data right (${process.env.ZHIBU_TEST_DB ?? 'pglite'})`, () => {
  it('an org admin cannot grant itself the personal-data right, nor any role', async () => {
    const self = await userId('street1');
    const street = (await one<{ id: number }>(t.ctx.db, sql`select org_id as id from grants where user_id = ${self}`))!.id;
    for (const body of [{ orgId: street, role: 'partyWorker', canViewPersonalData: true }, { orgId: fx.branch, role: 'partyWorker', canViewPersonalData: false }]) {
      const r = await call('POST', `/api/users/${self}/grants`, 'street1', body);
      expect(r.status).toBe(403);
    }
    const mine = await grantOf('street1');
    expect((await call('PUT', `/api/grants/${mine.id}/personal-data`, 'street1', { canViewPersonalData: true })).status).toBe(403);
    expect((await grantOf('street1')).can_view_personal_data).toBe(false);
    // nor to someone else: an org admin does not hold personalData.grant
    expect((await call('POST', `/api/users/${fx.branchUser}/grants`, 'street1', { orgId: fx.otherBranch, role: 'partyWorker', canViewPersonalData: true })).status).toBe(403);
    const full = await call('POST', '/api/users', 'street1', { username: 'pd_by_street', displayName: '测试', password: PW, grant: { orgId: fx.branch, role: 'partyWorker', canViewPersonalData: true } });
    expect(full.status).toBe(403);
    // even the system administrator cannot change its own grant
    const adminGrant = await grantOf('admin');
    expect((await call('PUT', `/api/grants/${adminGrant.id}/personal-data`, 'admin', { canViewPersonalData: false })).status).toBe(403);
    expect((await call('DELETE', `/api/grants/${adminGrant.id}`, 'admin')).status).toBe(403);
  });

  it('a holder of personalData.grant grants and revokes it, audited, and the holders page shows who and when', async () => {
    const g = await grantOf('branch1');
    expect((await call('PUT', `/api/grants/${g.id}/personal-data`, 'admin', { canViewPersonalData: true })).status).toBe(200);
    const holders = (await call('GET', '/api/personal-data/holders', 'street1')).json() as { username: string; grantedByName: string | null; grantedAt: string | null }[];
    const b = holders.find((h) => h.username === 'branch1');
    expect(b?.grantedByName).toBe('系统管理员');
    expect(b?.grantedAt).toBeTruthy();
    // street1's subtree does not include the county-level holders
    expect(holders.map((h) => h.username)).not.toContain('county');
    expect((await call('PUT', `/api/grants/${g.id}/personal-data`, 'admin', { canViewPersonalData: false })).status).toBe(200);
    const audit = await rows<{ action: string }>(t.ctx.db, sql`select action from audit_log where entity = 'personalData' and entity_id = ${String(g.id)} order by seq`);
    expect(audit.map((a) => a.action)).toEqual(['grant', 'revoke']);
    expect(((await call('GET', '/api/personal-data/holders', 'street1')).json() as { username: string }[]).map((h) => h.username)).not.toContain('branch1');
  });

  it('dues alone records payments but cannot edit members; the registry alone the reverse', async () => {
    for (const [username, role] of [['clerk_dues', 'duesClerk'], ['clerk_reg', 'registryClerk']] as const) {
      const r = await call('POST', '/api/users', 'admin', { username, displayName: username, password: PW, grant: { orgId: fx.branch, role } });
      expect(r.status).toBe(201);
    }
    const payment = { kind: 'due', personId: fx.member, months: ['2026-11'], paidOn: '2026-11-20', channel: 'cash' };
    const member = (await call('GET', `/api/members/${fx.member}`, 'branch1')).json() as { version: number };
    const patch = { version: member.version, occupation: '其他' };
    expect((await call('GET', `/api/dues/collection?org=${fx.branch}&month=2026-10`, 'clerk_dues', undefined, PW)).status).toBe(200);
    expect((await call('GET', '/api/members', 'clerk_dues', undefined, PW)).status).toBe(403);
    expect((await call('PATCH', `/api/members/${fx.member}`, 'clerk_dues', patch, PW)).status).toBe(403);
    expect((await call('GET', `/api/orgLife/meetings`, 'clerk_dues', undefined, PW)).status).toBe(403);
    expect((await call('POST', '/api/dues/payments', 'clerk_reg', payment, PW)).status).toBe(403);
    expect((await call('GET', `/api/dues/collection?org=${fx.branch}&month=2026-10`, 'clerk_reg', undefined, PW)).status).toBe(403);
    const paid = await call('POST', '/api/dues/payments', 'clerk_dues', payment, PW);
    expect(paid.status, paid.body).toBe(201);
    const edited = await call('PATCH', `/api/members/${fx.member}`, 'clerk_reg', patch, PW);
    expect(edited.status, edited.body).toBe(200);
  });

  it('audit reading: a subdistrict sees neither the county’s logins nor account changes; the audit reader sees them and the exports', async () => {
    await t.login('county');
    expect((await call('GET', '/api/members/export', 'county')).status).toBe(200);
    expect((await call('GET', '/api/members/export', 'street1')).status).toBe(200);
    const countyId = await userId('county');
    const street = (await call('GET', '/api/audit?pageSize=200', 'street1')).json() as { items: { action: string; entity: string; actor: string }[] };
    expect(street.items.length).toBeGreaterThan(0);
    const streetId = await userId('street1');
    for (const e of street.items) {
      if (e.entity === 'session') expect(e.actor).toBe(`user:${streetId}`);
      expect(['user', 'grant', 'personalData']).not.toContain(e.entity);
    }
    expect(street.items.some((e) => e.actor === `user:${countyId}`)).toBe(false);
    expect(street.items.some((e) => e.action === 'export' && e.actor === `user:${streetId}`)).toBe(true);
    const all = (await call('GET', '/api/audit?pageSize=200&action=export', 'admin')).json() as { total: number };
    const inTable = await one<{ n: number }>(t.ctx.db, sql`select count(*)::int as n from audit_log where action = 'export'`);
    expect(all.total).toBe(inTable!.n);
    const logins = (await call('GET', '/api/audit?pageSize=200&action=login', 'admin')).json() as { items: { actor: string }[] };
    expect(logins.items.some((e) => e.actor === `user:${countyId}`)).toBe(true);
  });

  it('under mlps3 the three administrators are separated', async () => {
    const sec = await call('POST', '/api/users', 'admin', { username: 'secadmin', displayName: '安全管理员', password: PW, grant: { orgId: root, role: 'securityAdmin' } });
    expect(sec.status).toBe(201);
    const aud = await call('POST', '/api/users', 'admin', { username: 'audadmin', displayName: '审计管理员', password: PW, grant: { orgId: root, role: 'auditAdmin' } });
    expect(aud.status).toBe(201);
    expect((await call('PUT', '/api/settings/security.profile', 'admin', { value: 'mlps3' })).status).toBe(200);
    // one account, two separated roles: refused
    expect((await call('POST', `/api/users/${sec.json().id}/grants`, 'admin', { orgId: root, role: 'auditAdmin' })).status).toBe(409);
    // sysAdmin: accounts and configuration, no business data, no audit reading, no personal-data right
    expect((await call('GET', '/api/members', 'admin')).status).toBe(403);
    expect((await call('GET', '/api/audit', 'admin')).status).toBe(403);
    const g = await grantOf('branch1');
    expect((await call('PUT', `/api/grants/${g.id}/personal-data`, 'admin', { canViewPersonalData: true })).status).toBe(403);
    // under mlps3 an administrator's first session may only enrol TOTP (issue 17, 等保 profile): enrol both
    for (const user of ['secadmin', 'audadmin']) {
      const cookie = await t.login(user, PW);
      const setup = await t.built.app.inject({ method: 'POST', url: '/api/auth/totp/setup', headers: { cookie } });
      expect(setup.statusCode, setup.body).toBe(200);
      const code = totpAt(base32Decode(setup.json().secret), Date.now());
      expect((await t.built.app.inject({ method: 'POST', url: '/api/auth/totp/confirm', headers: { cookie }, payload: { code } })).statusCode).toBe(200);
    }
    // securityAdmin grants the right and sees no business data
    expect((await call('PUT', `/api/grants/${g.id}/personal-data`, 'secadmin', { canViewPersonalData: true }, PW)).status).toBe(200);
    expect((await call('GET', '/api/members', 'secadmin', undefined, PW)).status).toBe(403);
    // auditAdmin reads the audit log, the security events included, and nothing else
    const a = await call('GET', '/api/audit?pageSize=50&entity=personalData', 'audadmin', undefined, PW);
    expect(a.status).toBe(200);
    expect((a.json() as { total: number }).total).toBeGreaterThan(0);
    expect((await call('GET', '/api/members', 'audadmin', undefined, PW)).status).toBe(403);
    expect((await call('GET', '/api/users', 'audadmin', undefined, PW)).status).toBe(403);
  });
});
