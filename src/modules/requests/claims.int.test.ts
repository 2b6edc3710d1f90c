import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { one, rows } from '../../db/connection.js';
import { buildApp, type BuiltApp } from '../../app.js';
import { openTestDb, type TestDb } from '../../../test/db.js';
import { TEST_SECRET, TEST_TODAY } from '../../../test/env.js';

/**
 * 微心愿 claims: exactly one claimant (issue 15 acceptance). 50 concurrent claims of one wish by six
 * different users through a pool of 12 connections — and on PostgreSQL 25 more from a second server
 * process on the same database — store exactly one claim: the unique index on request_claims decides,
 * not a lock in this process. The winner's repeats answer 200 with the stored claim; everyone else 409.
 * PGlite (one process, one connection) runs the same requests.
 */
const USERS = ['member1', 'branch1', 'grid1', 'street1', 'county', 'admin'];
let tdb: TestDb;
let built: BuiltApp;
const cookies = new Map<string, string>();
let wish = 0;
beforeAll(async () => {
  tdb = await openTestDb({ poolSize: 12 });
  built = await buildApp(tdb.ctx);
  for (const [i, u] of USERS.entries()) {
    const login = await built.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: u, password: 'zhibu123' }, remoteAddress: `10.79.0.${i + 1}` });
    cookies.set(u, `zhibu_session=${login.cookies.find((c) => c.name === 'zhibu_session')!.value}`);
  }
  wish = (await one<{ id: number }>(tdb.ctx.db, sql`select r.id from resident_requests r join orgs o on o.id = r.org_id where o.code = 'SFX0101' and r.kind = 'wish' and r.state = 'accepted' order by r.id limit 1`))!.id;
});
afterAll(async () => {
  await built?.app.close();
  await tdb?.close();
});

const CHILD = fileURLToPath(new URL('./claims.child.ts', import.meta.url));

async function startChild(count: number, users: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, tdb.url!, TEST_SECRET, TEST_TODAY, String(wish), String(count), ...users], { stdio: 'pipe' });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('ready\n')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`child exited ${code}: ${err}`)));
  });
  const done = new Promise<{ status: number; user: string }[]>((resolve, reject) => {
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.split('\n').filter(Boolean).pop()!)) : reject(new Error(`child exited ${code}: ${err}`))));
  });
  await ready;
  return { go: () => child.stdin.write('go\n'), done };
}

describe(`wish claims under concurrency (${process.env.ZHIBU_TEST_DB ?? 'pglite'})`, () => {
  it('50 concurrent claims by six users (and 25 from a second server process on PostgreSQL): exactly one claimant', async () => {
    const child = tdb.variant === 'postgres' ? await startChild(25, [...USERS].reverse()) : null;
    child?.go();
    const mine = await Promise.all(Array.from({ length: 50 }, (_, i) => {
      const user = USERS[i % USERS.length]!;
      return built.app.inject({ method: 'POST', url: `/api/requests/${wish}/claim`, payload: {}, headers: { cookie: cookies.get(user)! } }).then((r) => ({ status: r.statusCode, user, body: r.body }));
    }));
    const theirs = child ? await child.done : [];
    const all = [...mine, ...theirs];
    if (child) expect(theirs).toHaveLength(25);
    expect(all.every((r) => [200, 201, 409].includes(r.status)), JSON.stringify(all.filter((r) => ![200, 201, 409].includes(r.status)).slice(0, 3))).toBe(true);
    expect(all.filter((r) => r.status === 201)).toHaveLength(1);
    const claims = await rows<{ claimant: string }>(tdb.ctx.db, sql`select u.username as claimant from request_claims c join users u on u.id = c.claimant_user_id where c.request_id = ${wish}`);
    expect(claims).toHaveLength(1);
    const winner = claims[0]!.claimant;
    expect(all.find((r) => r.status === 201)!.user).toBe(winner);
    // the winner's other requests got the stored claim back; every other user was refused
    for (const r of all) expect(r.status === 409, `${r.user} ${r.status}`).toBe(r.user !== winner);
    const state = await one<{ state: string; version: number }>(tdb.ctx.db, sql`select state, version from resident_requests where id = ${wish}`);
    expect(state).toEqual({ state: 'claimed', version: 2 });
    const audit = await one<{ n: number }>(tdb.ctx.db, sql`select count(*)::int as n from audit_log where entity = 'requestClaim' and after->>'requestId' = ${String(wish)}`);
    expect(audit!.n).toBe(1);
  });

  it('a claim of a wish not yet accepted, or of a request that is not a wish, is refused', async () => {
    const other = await one<{ id: number }>(tdb.ctx.db, sql`select r.id from resident_requests r join orgs o on o.id = r.org_id where o.code = 'SFX0101' and r.kind = 'repair' and r.state = 'submitted' limit 1`);
    const r = await built.app.inject({ method: 'POST', url: `/api/requests/${other!.id}/claim`, payload: {}, headers: { cookie: cookies.get('member1')! } });
    expect(r.statusCode).toBe(404);
  });
});
