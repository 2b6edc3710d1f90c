import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type DbHandle, type Db } from '../src/db/connection.js';
import { createCipher } from '../src/platform/crypto.js';
import { configureAudit } from '../src/platform/audit.js';
import { fixedClock } from '../src/platform/clock.js';
import type { AppContext } from '../src/platform/context.js';
import { buildApp, type BuiltApp } from '../src/app.js';
import { DB_VARIANT, PG_ADMIN_URL, TEST_SECRET, TEST_TODAY, pgUrlFor } from './env.js';

/**
 * One fresh database per test file, cloned from the migrated and seeded template (never migrated
 * per test, never mocked). Use `setupTestDb()` in a file's top-level `beforeAll`.
 */
export interface TestDb {
  handle: DbHandle;
  ctx: AppContext;
  variant: typeof DB_VARIANT;
  /** The database name on PostgreSQL (for a second process or pool). */
  url?: string;
  close(): Promise<void>;
}

let counter = 0;

export async function openTestDb(opts: { today?: string; poolSize?: number } = {}): Promise<TestDb> {
  const clock = fixedClock(opts.today ?? TEST_TODAY);
  const cipher = createCipher(TEST_SECRET);
  const dataDir = mkdtempSync(join(tmpdir(), 'zhibu-data-'));
  configureAudit({ secret: TEST_SECRET, dataDir });
  if (DB_VARIANT === 'pglite') {
    const snap = readFileSync(inject('pgliteSnapshot'));
    const handle = await openDatabase({ loadDataDir: new Blob([snap]) });
    const ctx: AppContext = { db: handle.db, dbKind: 'pglite', clock, cipher, dataDir };
    return { handle, ctx, variant: 'pglite', close: () => handle.close() };
  }
  const name = `zhibu_t_${process.ppid}_${process.pid}_${++counter}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name} template ${inject('pgTemplate')}`);
  await admin.end();
  const url = pgUrlFor(name);
  const handle = await openDatabase({ url, poolSize: opts.poolSize ?? 10 });
  const ctx: AppContext = { db: handle.db, dbKind: 'postgres', clock, cipher, dataDir };
  return {
    handle, ctx, variant: 'postgres', url,
    close: async () => {
      await handle.close();
      const a = new pg.Client({ connectionString: PG_ADMIN_URL });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

export interface TestApp extends TestDb {
  built: BuiltApp;
  /** Log in through the real route and return the session cookie header value. */
  login(username: string, password?: string): Promise<string>;
}

export async function openTestApp(opts: { today?: string } = {}): Promise<TestApp> {
  const tdb = await openTestDb(opts);
  const built = await buildApp(tdb.ctx);
  const cookies = new Map<string, string>();
  return {
    ...tdb,
    built,
    async login(username, password = 'zhibu123') {
      const hit = cookies.get(`${username}:${password}`);
      if (hit) return hit;
      const res = await built.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: `10.9.${++counter % 250}.${Math.floor(Math.random() * 250)}` });
      if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
      const c = res.cookies.find((x) => x.name === 'zhibu_session')!;
      const header = `zhibu_session=${c.value}`;
      cookies.set(`${username}:${password}`, header);
      return header;
    },
    close: async () => {
      await built.app.close();
      await tdb.close();
    },
  };
}

/** Run `fn` inside a transaction that is always rolled back (the app reads ctx.db per request). */
export async function inRollback(t: TestDb, fn: (tx: Db) => Promise<void>): Promise<void> {
  const outer = t.ctx.db;
  const ROLLBACK = new Error('rollback');
  try {
    await outer.transaction(async (tx) => {
      t.ctx.db = tx as unknown as Db;
      try {
        await fn(tx as unknown as Db);
      } finally {
        t.ctx.db = outer;
      }
      throw ROLLBACK;
    });
  } catch (e) {
    if (e !== ROLLBACK) throw e;
  }
}

export { DB_VARIANT, TEST_TODAY };
