import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openTestApp, type TestApp } from './db.js';
import { buildApp, type BuiltApp } from '../src/app.js';
import { rows } from '../src/db/connection.js';
import { parseTrustProxy } from '../src/platform/httpSecurity.js';

/** Issue 17 #5 (sessions), #6 (headers), #7 (cross-site requests), #10/#11 (login oracles, throttling). */
let t: TestApp;
let proxied: BuiltApp;
beforeAll(async () => {
  t = await openTestApp();
  proxied = await buildApp(t.ctx, { security: { trustProxy: parseTrustProxy('127.0.0.1'), publicOrigins: ['https://dj.example.cn'] } });
});
afterAll(async () => {
  await proxied?.app.close();
  await t?.close();
});

let ipCounter = 0;
const freshIp = () => `10.77.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;
const login = (username: string, password: string, ip = freshIp(), app = t.built.app) =>
  app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: ip });
const cookieOf = (r: { cookies: { name: string; value: string }[] }) => `zhibu_session=${r.cookies.find((c) => c.name === 'zhibu_session')!.value}`;

describe('security headers (#6)', () => {
  it('every API answer, error and page carries CSP, nosniff, frame and referrer headers', async () => {
    for (const url of ['/api/health', '/api/auth/me', '/api/no-such', '/somewhere']) {
      const r = await t.built.app.inject({ method: 'GET', url });
      const csp = String(r.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['x-frame-options']).toBe('DENY');
      expect(r.headers['referrer-policy']).toBe('same-origin');
    }
  });

  it('sends HSTS and a Secure cookie only over TLS (a trusted proxy’s X-Forwarded-Proto)', async () => {
    const plain = await login('branch1', 'zhibu123');
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    expect(plain.cookies.find((c) => c.name === 'zhibu_session')!.secure).toBeFalsy();
    // An untrusted client claiming https is not believed.
    const spoofed = await t.built.app.inject({ method: 'GET', url: '/api/health', headers: { 'x-forwarded-proto': 'https' } });
    expect(spoofed.headers['strict-transport-security']).toBeUndefined();
    const viaProxy = await proxied.app.inject({
      method: 'POST', url: '/api/auth/login', payload: { username: 'branch1', password: 'zhibu123' }, remoteAddress: '127.0.0.1',
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9', host: 'dj.example.cn', origin: 'https://dj.example.cn' },
    });
    expect(viaProxy.statusCode).toBe(200);
    expect(viaProxy.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    const c = viaProxy.cookies.find((x) => x.name === 'zhibu_session')!;
    expect(c.secure).toBe(true);
    expect(String(c.sameSite).toLowerCase()).toBe('strict');
  });
});

describe('cross-site requests (#7)', () => {
  it('refuses POST/PUT/PATCH/DELETE, multipart and body-less, from another origin or a cross-site fetch', async () => {
    const cookie = await t.login('county');
    const attempts = [
      { method: 'POST' as const, url: '/api/auth/logout', headers: { origin: 'https://evil.example' } },
      { method: 'POST' as const, url: '/api/auth/logout', headers: { 'sec-fetch-site': 'cross-site' } },
      { method: 'POST' as const, url: '/api/auth/logout', headers: { 'sec-fetch-site': 'same-site' } },
      { method: 'POST' as const, url: '/api/auth/logout', headers: { origin: 'null' } },
      { method: 'POST' as const, url: '/api/members/import', headers: { origin: 'http://evil.example', 'content-type': 'multipart/form-data; boundary=x' }, payload: '--x--\r\n' },
      { method: 'PUT' as const, url: '/api/settings/x', headers: { origin: 'http://evil.example', 'content-type': 'application/json' }, payload: '{}' },
      { method: 'PATCH' as const, url: '/api/members/1', headers: { origin: 'http://evil.example', 'content-type': 'application/json' }, payload: '{}' },
      { method: 'DELETE' as const, url: '/api/attachments/1', headers: { origin: 'http://evil.example' } },
    ];
    for (const a of attempts) {
      const r = await t.built.app.inject({ ...a, headers: { ...a.headers, cookie } });
      expect(r.statusCode, `${a.method} ${a.url} ${JSON.stringify(a.headers)}`).toBe(403);
      expect(r.json().message).toMatch(/跨站/);
    }
    // The session survived every attempt.
    expect((await t.built.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(200);
  });

  it('accepts the same origin (by Host, or the configured public origin) and non-browser clients', async () => {
    const r1 = await t.built.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'branch1', password: 'zhibu123' }, remoteAddress: freshIp(), headers: { origin: 'http://zhibu.local:3000', host: 'zhibu.local:3000', 'sec-fetch-site': 'same-origin' } });
    expect(r1.statusCode).toBe(200);
    const r2 = await proxied.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'branch1', password: 'zhibu123' }, remoteAddress: '127.0.0.1', headers: { origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000' } });
    expect(r2.statusCode).toBe(403); // not the configured public origin
    expect((await login('branch1', 'zhibu123')).statusCode).toBe(200); // no Origin, no Sec-Fetch-*: CLI or curl
    // Safe methods are never refused (links from other sites keep working).
    expect((await t.built.app.inject({ method: 'GET', url: '/api/health', headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } })).statusCode).toBe(200);
  });
});

describe('sessions (#5)', () => {
  it('ends a session after the idle timeout, before its absolute lifetime', async () => {
    const r = await login('street1', 'zhibu123');
    const cookie = cookieOf(r);
    expect(r.cookies.find((c) => c.name === 'zhibu_session')!.maxAge).toBe(12 * 3600);
    expect((await t.built.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(200);
    const real = t.ctx.clock;
    try {
      t.ctx.clock = { ...real, nowMs: () => Date.now() + 20 * 60_000, nowIso: () => new Date(Date.now() + 20 * 60_000).toISOString() };
      expect((await t.built.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(200); // 20 min: still active, and seen
      t.ctx.clock = { ...real, nowMs: () => Date.now() + 45 * 60_000, nowIso: () => new Date(Date.now() + 45 * 60_000).toISOString() };
      expect((await t.built.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(200); // 25 min after last seen
      t.ctx.clock = { ...real, nowMs: () => Date.now() + 80 * 60_000, nowIso: () => new Date(Date.now() + 80 * 60_000).toISOString() };
      expect((await t.built.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401); // 35 min idle
    } finally {
      t.ctx.clock = real;
    }
  });

  it('ends a session at the absolute lifetime even when active', async () => {
    const cookie = cookieOf(await login('street1', 'zhibu123'));
    const real = t.ctx.clock;
    try {
      for (let h = 0; h <= 12; h += 1) {
        const at = Date.now() + h * 3_600_000;
        // keep it active: a request every 20 minutes
        for (const m of [1, 20, 40]) {
          t.ctx.clock = { ...real, nowMs: () => at + m * 60_000, nowIso: () => new Date(at + m * 60_000).toISOString() };
          const s = (await t.built.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode;
          expect(s, `${h} h ${m} min`).toBe(h < 12 ? 200 : 401);
        }
      }
    } finally {
      t.ctx.clock = real;
    }
  });

  it('changing one’s own password ends one’s other sessions, keeps this one', async () => {
    const a = cookieOf(await login('branch1', 'zhibu123'));
    const b = cookieOf(await login('branch1', 'zhibu123'));
    for (const c of [a, b]) expect((await t.built.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: c } })).statusCode).toBe(200);
    const ch = await t.built.app.inject({ method: 'POST', url: '/api/auth/password', headers: { cookie: a }, payload: { oldPassword: 'zhibu123', newPassword: 'newpass456' } });
    expect(ch.statusCode).toBe(200);
    expect((await t.built.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: a } })).statusCode).toBe(200);
    expect((await t.built.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: b } })).statusCode).toBe(401);
    // put it back for the other tests
    expect((await t.built.app.inject({ method: 'POST', url: '/api/auth/password', headers: { cookie: a }, payload: { oldPassword: 'newpass456', newPassword: 'zhibu123' } })).statusCode).toBe(200);
  });
});

describe('login throttling and oracles (#10, #11)', () => {
  it('the lockout key is the normalized account: a spaced mobile is locked with the plain one', async () => {
    await t.ctx.db.execute(sql`update users set mobile_bidx = ${t.ctx.cipher.blindIndex('mobile', '13800138000')} where username = 'county'`);
    expect((await login('138 0013 8000', 'zhibu123')).statusCode).toBe(200);
    for (let i = 0; i < 5; i++) expect((await login('13800138000', 'wrong-pass')).statusCode).toBe(401);
    expect((await login('138 0013 8000', 'zhibu123')).statusCode).toBe(423);
    expect((await login('+86 138-0013-8000', 'zhibu123')).statusCode).toBe(423);
    expect((await login('county', 'zhibu123')).statusCode).toBe(423);
    expect((await login('COUNTY ', 'zhibu123')).statusCode).toBe(423);
    await t.ctx.db.execute(sql`delete from login_attempts where username = (select 'user:' || id from users where username = 'county')`);
  });

  it('behind a trusted proxy, throttles the client address, not the proxy', async () => {
    const via = (ip: string, username: string, password: string) => proxied.app.inject({
      method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': ip },
    });
    for (let i = 0; i < 20; i++) await via('198.51.100.7', `nobody-proxy-${i}`, 'x');
    expect((await via('198.51.100.7', 'branch1', 'zhibu123')).statusCode).toBe(429);
    expect((await via('198.51.100.8', 'branch1', 'zhibu123')).statusCode).toBe(200);
    const ips = await rows<{ ip: string }>(t.ctx.db, sql`select distinct ip from login_attempts where username like 'name:nobody-proxy-%'`);
    expect(ips.map((r) => r.ip)).toEqual(['198.51.100.7']);
  });

  it('failed logins are audit events (known and unknown accounts)', async () => {
    await login('member1', 'bad-password-1', '10.88.0.1');
    await login('ghost-account', 'bad-password-2', '10.88.0.2');
    const ev = await rows<{ entity: string; entity_id: string | null; meta: { ip: string; account: string } }>(
      t.ctx.db, sql`select entity, entity_id, meta from audit_log where action = 'login' and entity = 'loginFailure' and meta->>'ip' in ('10.88.0.1', '10.88.0.2') order by seq`,
    );
    expect(ev.map((e) => e.meta.account)).toEqual(['member1', 'ghost-account']);
    expect(ev[0].entity_id).not.toBeNull();
    expect(JSON.stringify(ev)).not.toContain('bad-password');
  });

  it('unknown accounts and wrong passwords take the same time (both verify an argon2 hash)', async () => {
    const time = async (username: string) => {
      const s = performance.now();
      const r = await login(username, 'wrong-password-x');
      expect(r.statusCode).toBe(401);
      return performance.now() - s;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    // interleaved; distinct known accounts so no lockout (4 failures each at most)
    const users = ['admin', 'street1', 'member1'];
    for (let i = 0; i < 9; i++) {
      known.push(await time(users[i % 3]));
      unknown.push(await time(`no-such-user-${i}`));
    }
    await t.ctx.db.execute(sql`delete from login_attempts where not success`);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const ratio = median(unknown) / median(known);
    // Without the dummy hash an unknown account answered in a few ms against ~100 ms (ratio < 0.1).
    // The bounds are generous because the suite shares two cores with other work.
    expect(ratio).toBeGreaterThan(0.4);
    expect(ratio).toBeLessThan(3);
  });
});
