import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, type TestApp } from './db.js';

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(async () => t?.close());

const login = (username: string, password: string, ip = '10.0.0.1') =>
  t.built.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: ip });

describe('login', () => {
  it('logs in by username and by mobile, sets an HttpOnly SameSite cookie', async () => {
    const r = await login('branch1', 'zhibu123');
    expect(r.statusCode).toBe(200);
    const c = r.cookies.find((x) => x.name === 'zhibu_session')!;
    expect(c.httpOnly).toBe(true);
    expect(String(c.sameSite).toLowerCase()).toBe('strict');
    const me = await t.built.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `zhibu_session=${c.value}` } });
    expect(me.json().username).toBe('branch1');
    // the web's date defaults follow the business clock, not the browser's
    expect(me.json().today).toBe(t.ctx.clock.today());
  });

  it('locks a username after 5 failures within 15 minutes, even with the right password', async () => {
    for (let i = 0; i < 5; i++) expect((await login('street1', 'wrong-pass', `10.1.0.${i}`)).statusCode).toBe(401);
    const locked = await login('street1', 'zhibu123', '10.1.0.99');
    expect(locked.statusCode).toBe(423);
    expect(locked.json().message).toMatch(/锁定/);
  });

  it('throttles an address after 20 failures, but other addresses still log in', async () => {
    for (let i = 0; i < 20; i++) await login(`nobody${i}`, 'x', '10.2.0.1');
    expect((await login('county', 'zhibu123', '10.2.0.1')).statusCode).toBe(429);
    expect((await login('county', 'zhibu123', '10.2.0.2')).statusCode).toBe(200);
  });

  it('a wrong password says so in Chinese without telling which part was wrong', async () => {
    const r = await login('member1', 'nope');
    expect(r.statusCode).toBe(401);
    expect(r.json().message).toBe('用户名或密码错误');
    const r2 = await login('no-such-user', 'nope');
    expect(r2.json().message).toBe('用户名或密码错误');
  });

  it('validation errors come back in Chinese', async () => {
    const r = await t.built.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: '', password: '' } });
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('logout ends the session', async () => {
    const r = await login('admin', 'zhibu123', '10.3.0.1');
    const cookie = `zhibu_session=${r.cookies.find((x) => x.name === 'zhibu_session')!.value}`;
    expect((await t.built.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } })).statusCode).toBe(200);
    expect((await t.built.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401);
  });
});
