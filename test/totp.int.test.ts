import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openTestApp, type TestApp } from './db.js';
import { one } from '../src/db/connection.js';
import { base32Decode, hotp, totpAt } from '../src/platform/totp.js';

/** Issue 17, 等保 profile: TOTP for administrators, recovery codes, replay refusal, the mlps3 password rule. */
let t: TestApp;
let ip = 0;
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(async () => t?.close());

const login = (username: string, password: string, code?: string) =>
  t.built.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password, ...(code ? { code } : {}) }, remoteAddress: `10.66.0.${++ip}` });
const cookieOf = (r: { cookies: { name: string; value: string }[] }) => `zhibu_session=${r.cookies.find((c) => c.name === 'zhibu_session')!.value}`;
const get = (url: string, cookie: string) => t.built.app.inject({ method: 'GET', url, headers: { cookie } });
const post = (url: string, cookie: string, payload?: object) => t.built.app.inject({ method: 'POST', url, headers: { cookie }, ...(payload ? { payload } : {}) });

async function setProfile(profile: 'standard' | 'mlps3') {
  const root = (await one<{ id: number; root_org_id: number }>(t.ctx.db, sql`select id, root_org_id from tenants order by id limit 1`))!;
  await t.ctx.db.execute(sql`delete from settings where key = 'security.profile'`);
  await t.ctx.db.execute(sql`insert into settings (tenant_id, org_id, key, value, created_at, updated_at) values (${root.id}, ${root.root_org_id}, 'security.profile', ${JSON.stringify(profile)}::jsonb, ${t.ctx.clock.nowIso()}, ${t.ctx.clock.nowIso()})`);
}

async function enrol(cookie: string): Promise<{ key: Buffer; recovery: string[] }> {
  const setup = await post('/api/auth/totp/setup', cookie);
  expect(setup.statusCode, setup.body).toBe(200);
  const { secret, qrDataUrl, otpauthUrl } = setup.json();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  expect(otpauthUrl).toContain(`secret=${secret}`);
  expect(Buffer.from(qrDataUrl.split(',')[1], 'base64').toString()).toContain('<svg');
  const key = base32Decode(secret);
  const bad = await post('/api/auth/totp/confirm', cookie, { code: '000000' === totpAt(key, Date.now()) ? '111111' : '000000' });
  expect(bad.statusCode).toBe(400);
  const ok = await post('/api/auth/totp/confirm', cookie, { code: totpAt(key, Date.now()) });
  expect(ok.statusCode, ok.body).toBe(200);
  const recovery = ok.json().recoveryCodes as string[];
  expect(recovery).toHaveLength(10);
  return { key, recovery };
}

describe(`TOTP and the mlps3 profile (${process.env.ZHIBU_TEST_DB ?? 'pglite'})`, () => {
  it('under mlps3 an administrator without TOTP may only enrol; then logs in with a code, a replay is refused, recovery codes work once', async () => {
    await setProfile('mlps3');
    const first = await login('street1', 'zhibu123');
    expect(first.statusCode).toBe(200);
    const c1 = cookieOf(first);
    const me = await get('/api/auth/me', c1);
    expect(me.json().totpEnrolRequired).toBe(true);
    const blocked = await get('/api/orgs/tree', c1);
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().message).toMatch(/双因素认证/);
    const { key, recovery } = await enrol(c1);
    expect((await get('/api/orgs/tree', c1)).statusCode).toBe(200); // the enrolling session is freed
    // the secret is stored encrypted, the recovery codes hashed
    const row = (await one<{ totp_secret: string; recovery_codes: string[] }>(t.ctx.db, sql`select totp_secret, recovery_codes from users where username = 'street1'`))!;
    expect(row.totp_secret).not.toContain(Buffer.from(key).toString('hex'));
    expect(JSON.stringify(row.recovery_codes)).not.toContain(recovery[0]);

    const noCode = await login('street1', 'zhibu123');
    expect(noCode.statusCode).toBe(401);
    expect(noCode.json().totpRequired).toBe(true);
    // a code of the next step (the confirm used the current one)
    const step = Math.floor(Date.now() / 30_000);
    const next = hotp(key, step + 1);
    const ok = await login('street1', 'zhibu123', next);
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await get('/api/orgs/tree', cookieOf(ok))).statusCode).toBe(200);
    const replay = await login('street1', 'zhibu123', next);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().message).toMatch(/动态验证码/);
    expect((await login('street1', 'zhibu123', hotp(key, step))).statusCode).toBe(401); // older step
    expect((await login('street1', 'wrong-pass-1', hotp(key, step + 1))).statusCode).toBe(401);
    const rec = await login('street1', 'zhibu123', recovery[3].toUpperCase());
    expect(rec.statusCode).toBe(200);
    expect((await login('street1', 'zhibu123', recovery[3])).statusCode).toBe(401); // once only
    expect((await get('/api/auth/totp', cookieOf(rec))).json()).toMatchObject({ enabled: true, required: true, recoveryCodesLeft: 9 });
    await t.ctx.db.execute(sql`delete from login_attempts`);
  });

  it('non-administrators are not forced under mlps3; under standard TOTP is optional for everyone', async () => {
    await setProfile('mlps3');
    const branch = await login('branch1', 'zhibu123');
    expect((await get('/api/members?page=1', cookieOf(branch))).statusCode).toBe(200);
    await setProfile('standard');
    const admin = await login('county', 'zhibu123');
    expect((await get('/api/auth/me', cookieOf(admin))).json().totpEnrolRequired).toBe(false);
    const { key } = await enrol(cookieOf(await login('member1', 'zhibu123')));
    expect((await login('member1', 'zhibu123')).json().totpRequired).toBe(true);
    expect((await login('member1', 'zhibu123', hotp(key, Math.floor(Date.now() / 30_000) + 1))).statusCode).toBe(200);
    await t.ctx.db.execute(sql`delete from login_attempts`);
  });

  it('the mlps3 password rule: 12 characters, 3 classes, not the username, not one of the last 5', async () => {
    await setProfile('mlps3');
    const cookie = cookieOf(await login('branch1', 'zhibu123'));
    const change = (oldPassword: string, newPassword: string) => post('/api/auth/password', cookie, { oldPassword, newPassword });
    expect((await change('zhibu123', 'short1A!')).json().message).toMatch(/12 位/);
    expect((await change('zhibu123', 'alllowercase123')).json().message).toMatch(/三类/);
    expect((await change('zhibu123', 'Branch1-Strong-2026')).json().message).toMatch(/用户名/);
    let current = 'zhibu123';
    for (let i = 0; i < 5; i++) {
      const next = `Strong-Pass-${i}x`;
      expect((await change(current, next)).statusCode).toBe(200);
      current = next;
    }
    // the last five (Strong-Pass-0x … 3x and the current one) are refused
    for (const old of ['Strong-Pass-1x', 'Strong-Pass-3x', current]) {
      const r = await change(current, old);
      expect(r.statusCode).toBe(400);
      expect(r.json().message).toMatch(/最近 5 次/);
    }
    await setProfile('standard');
  });

  it('the mlps3 password rule also holds for accounts an administrator creates or resets (history included)', async () => {
    // an administrator's ordinary session (signed in before the switch; TOTP is another test's subject)
    const admin = cookieOf(await login('county', 'zhibu123'));
    await setProfile('mlps3');
    const branch = (await one<{ id: number }>(t.ctx.db, sql`select id from orgs where code = 'SFX010101'`))!.id;
    const create = (username: string, password: string) => post('/api/users', admin, { username, displayName: '测试账号', password, grant: { orgId: branch, role: 'partyWorker', canViewPersonalData: false } });
    const weak = await create('weakacct', 'zhibu1234');
    expect(weak.statusCode).toBe(400);
    expect(weak.json().message).toMatch(/12 位/);
    const made = await create('strongacct', 'Good-Pass-2026x');
    expect(made.statusCode, made.body).toBe(201);
    const id = made.json().id as number;
    const reset = (newPassword: string) => post(`/api/users/${id}/password`, admin, { newPassword });
    expect((await reset('lowercaseonly12')).json().message).toMatch(/三类/);
    expect((await reset('Good-Pass-2026x')).json().message).toMatch(/最近 5 次/);
    expect((await reset('Other-Pass-2027y')).statusCode).toBe(200);
    expect((await reset('Good-Pass-2026x')).json().message).toMatch(/最近 5 次/);
    await setProfile('standard');
  });

  it('an administrator lifts a lost second factor of a user in scope (sessions ended, audited), never their own', async () => {
    await setProfile('standard');
    const adminLogin = await login('county', 'zhibu123');
    expect(adminLogin.statusCode, adminLogin.body).toBe(200);
    const admin = cookieOf(adminLogin);
    const branch = (await one<{ id: number }>(t.ctx.db, sql`select id from orgs where code = 'SFX010101'`))!.id;
    const made = await post('/api/users', admin, { username: 'lostphone', displayName: '丢手机的干事', password: 'Lost-Phone-2026', grant: { orgId: branch, role: 'partyWorker', canViewPersonalData: false } });
    expect(made.statusCode, made.body).toBe(201);
    const branchId = made.json().id as number;
    const branchCookie = cookieOf(await login('lostphone', 'Lost-Phone-2026'));
    await enrol(branchCookie);
    expect((await login('lostphone', 'Lost-Phone-2026')).json().totpRequired).toBe(true);
    const countyId = (await one<{ id: number }>(t.ctx.db, sql`select id from users where username = 'county'`))!.id;

    expect((await post(`/api/users/${countyId}/totp/reset`, admin)).json().message).toMatch(/不能解除自己/);
    // out of scope (street1 → county) is the authorization matrix's case

    const reset = await post(`/api/users/${branchId}/totp/reset`, admin);
    expect(reset.statusCode, reset.body).toBe(200);
    // the old session is gone; the password alone signs in again (standard profile)
    expect((await get('/api/auth/me', branchCookie)).statusCode).toBe(401);
    const again = await login('lostphone', 'Lost-Phone-2026');
    expect(again.json().totpRequired).toBeUndefined();
    expect((await get('/api/auth/totp', cookieOf(again))).json()).toMatchObject({ enabled: false });
    // nothing left to lift
    expect((await post(`/api/users/${branchId}/totp/reset`, admin)).statusCode).toBe(409);
    const audit = await one<{ n: number }>(t.ctx.db, sql`select count(*)::int as n from audit_log where entity = 'totp' and entity_id = ${String(branchId)} and meta->>'by' = 'reset'`);
    expect(audit!.n).toBe(1);
    await t.ctx.db.execute(sql`delete from login_attempts`);
  });
});
