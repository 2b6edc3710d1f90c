import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { one } from '../../db/connection.js';
import { buildApp, type BuiltApp } from '../../app.js';
import { openTestDb, type TestDb } from '../../../test/db.js';
import { TEST_SECRET, TEST_TODAY } from '../../../test/env.js';

/**
 * Exactly one check-in per person and activity (ACCEPTANCE.md "Guarantees"): 20 concurrent check-ins
 * of one person — on PostgreSQL 10 from this process's pool of 12 connections and 10 from a second
 * server process, all released at once; on PGlite 20 from the pooled in-process app. One participation
 * row, one check-in, one 201, every other answer 200 with the same row; one audit entry.
 */
let tdb: TestDb;
let built: BuiltApp;
let cookie: string;
let branch: number;
let person: number;
beforeAll(async () => {
  tdb = await openTestDb({ poolSize: 12 });
  built = await buildApp(tdb.ctx);
  const login = await built.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'branch1', password: 'zhibu123' }, remoteAddress: '10.78.0.2' });
  cookie = `zhibu_session=${login.cookies.find((c) => c.name === 'zhibu_session')!.value}`;
  branch = (await one<{ id: number }>(tdb.ctx.db, sql`select id from orgs where code = 'SFX010101'`))!.id;
  person = (await one<{ id: number }>(tdb.ctx.db, sql`select id from people where org_id = ${branch} order by id desc limit 1`))!.id;
});
afterAll(async () => {
  await built?.app.close();
  await tdb?.close();
});

const CHILD = fileURLToPath(new URL('./concurrency.child.ts', import.meta.url));

async function startChild(count: number, path: string, body: unknown) {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, tdb.url!, TEST_SECRET, TEST_TODAY, String(count), path, JSON.stringify(body)], { stdio: 'pipe' });
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
  const done = new Promise<{ status: number; id: number | null }[]>((resolve, reject) => {
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.split('\n').filter(Boolean).pop()!)) : reject(new Error(`child exited ${code}: ${err}`))));
  });
  await ready;
  return { go: () => child.stdin.write('go\n'), done };
}

describe(`service check-in concurrency (${process.env.ZHIBU_TEST_DB ?? 'pglite'})`, () => {
  it('20 concurrent check-ins of one person (two server processes on PostgreSQL) store exactly one', async () => {
    const a = await built.app.inject({ method: 'POST', url: '/api/service/activities', headers: { cookie },
      payload: { orgId: branch, title: '并发签到测试', kind: '环境整治', heldOn: TEST_TODAY } });
    expect(a.statusCode, a.body).toBe(201);
    const path = `/api/service/activities/${a.json().id}/checkins`;
    const body = { personId: person };
    const mineCount = tdb.variant === 'postgres' ? 10 : 20;
    const child = tdb.variant === 'postgres' ? await startChild(20 - mineCount, path, body) : null;
    child?.go();
    const mine = await Promise.all(Array.from({ length: mineCount }, () => built.app.inject({ method: 'POST', url: path, payload: body, headers: { cookie } })
      .then((r) => ({ status: r.statusCode, id: r.statusCode < 300 ? (r.json() as { participationId: number }).participationId : null, body: r.body }))));
    const theirs = child ? await child.done : [];
    const all = [...mine, ...theirs];
    expect(all).toHaveLength(20);
    expect(all.every((r) => r.status === 200 || r.status === 201), JSON.stringify(all.filter((r) => r.status >= 300).slice(0, 3))).toBe(true);
    expect(all.filter((r) => r.status === 201)).toHaveLength(1);
    expect(new Set(all.map((r) => r.id)).size).toBe(1);
    const stored = await one<{ n: number; checked: number }>(tdb.ctx.db, sql`select count(*)::int as n, count(checked_in_at)::int as checked from service_participations
      where activity_id = ${a.json().id} and person_id = ${person}`);
    expect(stored).toEqual({ n: 1, checked: 1 });
    const audits = await one<{ n: number }>(tdb.ctx.db, sql`select count(*)::int as n from audit_log where entity = 'serviceCheckIn' and (after->>'activityId')::int = ${a.json().id}`);
    expect(audits!.n).toBe(1);
    if (child) expect(theirs).toHaveLength(10);
  }, 180_000); // the second process starts tsx and builds its app first: slow on a busy 2-core machine
});
