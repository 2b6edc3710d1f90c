import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { one, rows } from '../../db/connection.js';
import { DUE_EXPR, memberMonthsSql } from './queries.js';
import { buildApp, type BuiltApp } from '../../app.js';
import { openTestDb, type TestDb } from '../../../test/db.js';
import { TEST_SECRET, TEST_TODAY } from '../../../test/env.js';

/**
 * "Exactly one" under concurrency (ACCEPTANCE.md "Guarantees"): many requests recording the same
 * member-month store exactly one effective payment. On PostgreSQL: a pool of 12 connections in this
 * process AND a second server process on the same database, all firing at once. The guarantee is the
 * partial unique index plus `on conflict do nothing`, not a lock in this process. PGlite is a single
 * process with one connection: the same requests still store exactly one.
 */
let tdb: TestDb;
let built: BuiltApp;
let cookie: string;
let members: number[];
beforeAll(async () => {
  tdb = await openTestDb({ poolSize: 12 });
  built = await buildApp(tdb.ctx);
  const login = await built.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'branch1', password: 'zhibu123' }, remoteAddress: '10.77.0.2' });
  cookie = `zhibu_session=${login.cookies.find((c) => c.name === 'zhibu_session')!.value}`;
  members = (await rows<{ id: number }>(tdb.ctx.db, sql`select p.id from people p join orgs o on o.id = p.org_id where o.code = 'SFX010101' order by p.id limit 4`)).map((r) => r.id);
});
afterAll(async () => {
  await built?.app.close();
  await tdb?.close();
});

const CHILD = fileURLToPath(new URL('./concurrency.child.ts', import.meta.url));

/** Start the second server process; resolves once it is logged in and waiting for "go". */
async function startChild(count: number, bodies: unknown[]): Promise<{ go(): void; done: Promise<{ status: number; id: number | null }[]> }> {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['--import', 'tsx', CHILD, tdb.url!, TEST_SECRET, TEST_TODAY, String(count), ...bodies.map((b) => JSON.stringify(b))], { stdio: 'pipe' });
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

const fire = (bodies: unknown[], count: number) =>
  Promise.all(Array.from({ length: count }, (_, i) => built.app.inject({ method: 'POST', url: '/api/dues/payments', payload: bodies[i % bodies.length] as never, headers: { cookie } })
    .then((r) => ({ status: r.statusCode, id: r.statusCode < 300 ? (r.json() as { payments: { id: number }[] }).payments[0]?.id ?? null : null, body: r.body }))));

const stored = async (personId: number, month: string) =>
  (await one<{ n: number }>(tdb.ctx.db, sql`select count(*)::int as n from dues_payments where person_id = ${personId} and month = ${month} and kind = 'due' and reversed_by is null`))!.n;

describe(`dues concurrency (${process.env.ZHIBU_TEST_DB ?? 'pglite'})`, () => {
  it('50 concurrent identical requests (and a second server process on PostgreSQL) store exactly one payment', async () => {
    const body = { kind: 'due', personId: members[1], months: ['2026-11'], paidOn: '2026-11-20', channel: 'wechat', amountFen: 1234 };
    const child = tdb.variant === 'postgres' ? await startChild(25, [body]) : null;
    child?.go();
    const mine = await fire([body], 50);
    const theirs = child ? await child.done : [];
    const all = [...mine, ...theirs];
    expect(all.every((r) => r.status === 200 || r.status === 201), JSON.stringify(all.filter((r) => r.status >= 300).slice(0, 3))).toBe(true);
    expect(all.filter((r) => r.status === 201)).toHaveLength(1);
    expect(new Set(all.map((r) => r.id)).size).toBe(1);
    expect(await stored(members[1], '2026-11-01')).toBe(1);
    if (child) expect(theirs).toHaveLength(25);
  });

  it('conflicting concurrent requests: exactly one is stored, the matching ones answer 200/201 and the others 409', async () => {
    const a = { kind: 'due', personId: members[2], months: ['2026-11'], paidOn: '2026-11-20', channel: 'cash', amountFen: 1000 };
    const b = { ...a, channel: 'alipay' };
    const child = tdb.variant === 'postgres' ? await startChild(20, [b, a]) : null;
    child?.go();
    const mine = await fire([a, b], 50);
    const theirs = child ? await child.done : [];
    const all = [...mine, ...theirs];
    expect(await stored(members[2], '2026-11-01')).toBe(1);
    expect(all.filter((r) => r.status === 201)).toHaveLength(1);
    expect(all.every((r) => [200, 201, 409].includes(r.status))).toBe(true);
    const winner = (await one<{ channel: string }>(tdb.ctx.db, sql`select channel from dues_payments where person_id = ${members[2]} and month = '2026-11-01' and kind = 'due'`))!.channel;
    const losing = winner === 'cash' ? 'alipay' : 'cash';
    // every request with the losing channel was refused; every request with the winning one got the stored payment
    const bodyOf = (i: number, list: unknown[]) => list[i % list.length] as { channel: string };
    mine.forEach((r, i) => expect(r.status === 409).toBe(bodyOf(i, [a, b]).channel === losing));
    theirs.forEach((r, i) => expect(r.status === 409).toBe(bodyOf(i, [b, a]).channel === losing));
  });

  it('concurrent bulk collections for the same branch and month record each member once', async () => {
    const org = (await one<{ id: number }>(tdb.ctx.db, sql`select id from orgs where code = 'SFX010101'`))!.id;
    const body = { orgId: org, month: '2026-11', paidOn: '2026-11-20', channel: 'wechat', exceptions: [] };
    const res = await Promise.all(Array.from({ length: 8 }, () => built.app.inject({ method: 'POST', url: '/api/dues/collection', payload: body, headers: { cookie } })));
    expect(res.every((r) => r.statusCode === 200 || r.statusCode === 201), res.map((r) => r.body.slice(0, 200)).join('\n')).toBe(true);
    const dup = await one<{ n: number }>(tdb.ctx.db, sql`select count(*)::int as n from (select person_id from dues_payments where month = '2026-11-01' and kind = 'due'
      and reversed_by is null and org_id = ${org} group by person_id having count(*) > 1) d`);
    expect(dup!.n).toBe(0);
  });

  it('concurrent payments and reversals of different months of one member leave the member-month ledger exact', async () => {
    const person = members[3]!;
    const months = ['2026-06', '2026-07', '2026-08', '2026-09', '2026-10'];
    for (const m of months) {
      await built.app.inject({ method: 'POST', url: '/api/dues/reversals', payload: { personId: person, month: m, reason: '并发测试冲正' }, headers: { cookie } });
    }
    const res = await Promise.all([...months, '2026-12'].map((m, i) => built.app.inject({ method: 'POST', url: '/api/dues/payments', headers: { cookie },
      payload: { kind: 'due', personId: person, months: [m], paidOn: `2026-11-${10 + i}`, channel: 'cash', amountFen: 900 + i } })));
    expect(res.every((r) => r.statusCode === 201), res.map((r) => r.body.slice(0, 200)).join('\n')).toBe(true);
    const tenantId = (await one<{ t: number }>(tdb.ctx.db, sql`select tenant_id as t from people where id = ${person}`))!.t;
    const live = await rows(tdb.ctx.db, sql`select month, org_id, due_fen, payment_id, paid_on from (${memberMonthsSql({ tenantId, orgPredicate: sql`true`, personId: person,
      from: '2025-01-01', to: (await one<{ t: string }>(tdb.ctx.db, sql`select dues_ledger_through()::text as t`))!.t, where: sql`${DUE_EXPR} is not null` })}) x order by month`);
    const ledger = await rows(tdb.ctx.db, sql`select month::text as month, org_id, due_fen, payment_id, paid_on::text as paid_on from dues_member_months
      where person_id = ${person} and seq = 1 order by month`);
    expect(live.length).toBeGreaterThan(6);
    expect(ledger).toEqual(live);
  });
});
