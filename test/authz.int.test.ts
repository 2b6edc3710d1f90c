import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { one, type Db } from '../src/db/connection.js';
import { inRollback, openTestApp, type TestApp } from './db.js';
import { loadPlatformFixtures } from './routeCases.platform.js';
import { loadWeakOrgFixtures } from './routeCases.assessment.js';
import { loadRequestFixtures } from './routeCases.requests.js';
import { loadGridFixtures } from './routeCases.grid.js';
import { ROUTE_CASES, PUBLIC_ALLOWLIST, loadFixtures, importCsv, multipartFile, type Fixtures, type Call } from './routeCases.js';

/**
 * The authorization matrix (ACCEPTANCE.md "Guarantees"; STYLE.md §3–4): for every route in the route
 * table — anonymous → 401, a role without the permission → 403, an in-scope call → success, an
 * out-of-scope id → 404. Writing cases run inside a transaction rolled back after each case, and each
 * writing route must leave an audit row. A route without a case fails the test.
 */
let t: TestApp;
let fx: Fixtures;
beforeAll(async () => {
  t = await openTestApp();
  fx = await loadFixtures(t.ctx.db);
  await loadPlatformFixtures(t.ctx, fx);
  await loadWeakOrgFixtures(t.ctx.db);
  await loadRequestFixtures(t.ctx.db);
  await loadGridFixtures(t.ctx.db);
  // Log everyone in outside the rolled-back transactions, so their sessions survive every case.
  for (const u of ['admin', 'county', 'street1', 'branch1', 'member1', 'grid1']) await t.login(u);
  // A rejected import run of branch1's (a row for another branch), for the run-reading routes.
  const started = await call({ method: 'POST', url: '/api/members/import', ...multipartFile('名册.csv', importCsv('SFX010102')) }, 'branch1');
  fx.importRun = (started.json() as { runId: string }).runId;
  await ROUTE_CASES['POST /api/members/import']!.settle!(started, (u) => call({ method: 'GET', url: u }, 'branch1'));
});

it('an import run is visible only to the user who started it', async () => {
  const res = await call({ method: 'GET', url: `/api/imports/${fx.importRun}` }, 'street1');
  expect(res.statusCode).toBe(404);
});
afterAll(async () => t?.close());

async function call(c: Call, user: string | null) {
  const headers: Record<string, string> = { ...(c.headers ?? {}) };
  if (user) headers.cookie = await t.login(user);
  return t.built.app.inject({ method: c.method as never, url: c.url, payload: c.payload as never, headers });
}

const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;

describe('route declarations', () => {
  it('every route has a declared auth and the declarations match the reviewed snapshot', async () => {
    const table = t.built.routes.map((r) => `${key(r)} → ${r.auth}${r.writes ? ' (writes)' : ''}`).sort();
    await expect(JSON.stringify(table, null, 2)).toMatchFileSnapshot('./__snapshots__/routes.json');
  });

  it('public routes are exactly the reviewed allowlist', () => {
    const pub = t.built.routes.filter((r) => r.auth === 'public').map(key).sort();
    expect(pub).toEqual([...PUBLIC_ALLOWLIST].sort());
  });

  it('every route in the table has a matrix case', () => {
    const missing = t.built.routes.map(key).filter((k) => !ROUTE_CASES[k]);
    expect(missing, `routes without an authorization case: ${missing.join(', ')}`).toEqual([]);
  });
});

describe('authorization matrix', () => {
  it('anonymous callers get 401 on every non-public route', async () => {
    for (const r of t.built.routes.filter((x) => x.auth !== 'public')) {
      const c = ROUTE_CASES[key(r)]!.inScope(fx);
      const res = await call(c, null);
      expect(res.statusCode, `${key(r)} anonymous`).toBe(401);
    }
  });

  it('a role without the permission gets 403', async () => {
    for (const r of t.built.routes) {
      const rc = ROUTE_CASES[key(r)]!;
      if (!rc.wrongRole) continue;
      await inRollback(t, async () => {
        const res = await call(rc.inScope(fx), rc.wrongRole!);
        expect(res.statusCode, `${key(r)} as ${rc.wrongRole}: ${res.body}`).toBe(403);
      });
    }
  });

  it('an in-scope call succeeds, and every writing route leaves an audit row', async () => {
    for (const r of t.built.routes) {
      const rc = ROUTE_CASES[key(r)]!;
      await inRollback(t, async (tx: Db) => {
        const before = await one<{ n: number }>(tx, sql`select coalesce(max(seq), 0)::int as n from audit_log`);
        const c = rc.inScope(fx);
        const res = await call(c, rc.user);
        expect(res.statusCode, `${key(r)} as ${rc.user}: ${res.body.slice(0, 300)}`).toBeLessThan(300);
        if (rc.settle) await rc.settle(res, (u) => call({ method: 'GET', url: u }, rc.user));
        if (r.writes) {
          const after = await one<{ n: number }>(tx, sql`select coalesce(max(seq), 0)::int as n from audit_log`);
          expect(after!.n, `${key(r)} wrote no audit row`).toBeGreaterThan(before!.n);
        }
      });
    }
  });

  it('an out-of-scope id or subtree answers 404 (existence is not leaked)', async () => {
    for (const r of t.built.routes) {
      const rc = ROUTE_CASES[key(r)]!;
      if (!rc.outOfScope) continue;
      await inRollback(t, async () => {
        const res = await call(rc.outOfScope!(fx), rc.user);
        expect(res.statusCode, `${key(r)} out of scope as ${rc.user}: ${res.body.slice(0, 200)}`).toBe(404);
      });
    }
  });
});
