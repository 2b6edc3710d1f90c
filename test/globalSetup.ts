import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase, migrateDatabase } from '../src/db/connection.js';
import { createCipher } from '../src/platform/crypto.js';
import { configureAudit } from '../src/platform/audit.js';
import { fixedClock } from '../src/platform/clock.js';
import { seedDemo } from '../src/demo/demo.js';
import { DB_VARIANT, PG_ADMIN_URL, TEST_SECRET, TEST_TODAY, pgUrlFor } from './env.js';

/**
 * Migrate and seed once per run (ACCEPTANCE.md "Speed"): PGlite → a dumpDataDir snapshot each test
 * file loads; PostgreSQL → a template database each test file clones with CREATE DATABASE … TEMPLATE.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    pgliteSnapshot: string;
    pgTemplate: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'zhibu-test-'));
  configureAudit({ secret: TEST_SECRET });
  const ctxBase = { clock: fixedClock(TEST_TODAY), cipher: createCipher(TEST_SECRET), dataDir: dir };
  if (DB_VARIANT === 'pglite') {
    const h = await openDatabase({});
    await migrateDatabase(h, async (db) => seedDemo({ ...ctxBase, db, dbKind: 'pglite' }, db));
    const blob = await h.pglite!.dumpDataDir('none');
    const file = join(dir, 'snapshot.tar');
    writeFileSync(file, Buffer.from(await blob.arrayBuffer()));
    await h.close();
    project.provide('pgliteSnapshot', file);
    project.provide('pgTemplate', '');
    return async () => rmSync(dir, { recursive: true, force: true });
  }
  const template = `zhibu_tpl_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${template}`);
  const h = await openDatabase({ url: pgUrlFor(template), poolSize: 2 });
  await migrateDatabase(h, async (db) => seedDemo({ ...ctxBase, db, dbKind: 'postgres' }, db));
  await h.close();
  project.provide('pgliteSnapshot', '');
  project.provide('pgTemplate', template);
  return async () => {
    const clones = await admin.query(`select datname from pg_database where datname like $1`, [`zhibu_t_${process.pid}_%`]);
    for (const r of clones.rows) await admin.query(`drop database if exists ${r.datname} with (force)`);
    await admin.query(`drop database if exists ${template} with (force)`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  };
}
