import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { sql, type SQL } from 'drizzle-orm';
import pg from 'pg';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
/** One handle type for PGlite, node-postgres and any transaction of either. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface DbHandle {
  db: Db;
  kind: 'pglite' | 'postgres';
  pglite?: PGlite;
  pool?: pg.Pool;
  close(): Promise<void>;
}

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

// pg returns bigint/numeric as strings; counts are cast to int in SQL, dates stay 'YYYY-MM-DD' strings.
pg.types.setTypeParser(1082, (v) => v);
pg.types.setTypeParser(20, (v) => Number(v));

export interface OpenOptions {
  /** postgres://… — when set, PostgreSQL; otherwise embedded PGlite. */
  url?: string;
  /** PGlite data directory; omitted means in memory. */
  dataDir?: string;
  /** A PGlite snapshot (from dumpDataDir) to start from, for tests. */
  loadDataDir?: Blob | File;
  poolSize?: number;
}

export async function openDatabase(opts: OpenOptions): Promise<DbHandle> {
  if (opts.url) {
    // JIT off: the planner's cost of the dues figures' statements passes jit_above_cost, and compiling
    // took ~0.7 s of a statement that runs in ~0.2 s (issue 18, EXPLAIN ANALYZE of bench/dues.ts).
    const pool = new pg.Pool({ connectionString: opts.url, max: opts.poolSize ?? 10, options: '-c jit=off' });
    // An idle client can lose its connection (server restart, admin termination); without a listener
    // that error would crash the process. The next query takes a fresh connection.
    pool.on('error', (e) => console.error(`数据库连接中断：${e.message}`));
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    return { db, kind: 'postgres', pool, close: () => pool.end() };
  }
  const pglite = await PGlite.create({
    dataDir: opts.dataDir,
    loadDataDir: opts.loadDataDir,
  });
  const db = drizzlePglite(pglite, { schema }) as unknown as Db;
  return { db, kind: 'pglite', pglite, close: () => pglite.close() };
}

/** Deterministic advisory-lock key per database name: locks are cluster-wide. */
function lockKey(name: string): number {
  return createHash('sha256').update(`zhibu-migrate:${name}`).digest().readInt32BE(0);
}

/**
 * Migrate (and run `after`, e.g. the demo seed) under a PostgreSQL advisory lock on one dedicated
 * client, so two processes starting on a fresh database do not race. PGlite is single-process.
 */
export async function migrateDatabase(handle: DbHandle, after?: (db: Db) => Promise<void>, opts: { migrate?: boolean } = {}): Promise<void> {
  if (opts.migrate === false && handle.kind === 'postgres') {
    // running as a restricted role (e.g. a member of zhibu_app) that may not create objects: the
    // owner migrated beforehand; only check the schema is current
    const journal = JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, 'utf8')) as { entries: unknown[] };
    const applied = (await handle.pool!.query('select count(*)::int as n from drizzle.__drizzle_migrations')).rows[0].n as number;
    if (applied !== journal.entries.length) {
      throw new Error(`数据库结构不是当前版本（已执行 ${applied} 个迁移，程序需要 ${journal.entries.length} 个）。请先以数据库属主身份运行 zhibu migrate。`);
    }
    if (after) await after(handle.db);
    return;
  }
  if (handle.kind === 'pglite') {
    await migratePglite(handle.db as never, { migrationsFolder });
    if (after) await after(handle.db);
    return;
  }
  const client = await handle.pool!.connect();
  try {
    const dbName = (await client.query('select current_database() as n')).rows[0].n as string;
    const key = lockKey(dbName);
    await client.query('select pg_advisory_lock($1)', [key]);
    try {
      const db = drizzlePg(client, { schema }) as unknown as Db;
      await migratePg(db as never, { migrationsFolder });
      if (after) await after(db);
    } finally {
      await client.query('select pg_advisory_unlock($1)', [key]);
    }
  } finally {
    client.release();
  }
}

/** Run raw SQL and return plain rows, the same shape on both drivers. */
export async function rows<T = Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const res = (await db.execute(query)) as unknown as { rows: T[] };
  return res.rows;
}

export async function one<T = Record<string, unknown>>(db: Db, query: SQL): Promise<T | undefined> {
  return (await rows<T>(db, query))[0];
}

export { sql, schema };
