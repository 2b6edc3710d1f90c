import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase, migrateDatabase, type Db, type DbHandle } from '../src/db/connection.js';
import { createCipher } from '../src/platform/crypto.js';
import { fixedClock } from '../src/platform/clock.js';
import type { AppContext } from '../src/platform/context.js';
import { generateCounty } from '../src/demo/generator.js';
import { insertDataset } from '../src/demo/insert.js';
import { hashPassword } from '../src/platform/auth.js';
import { evaluateFindings } from '../src/platform/findings.js';
import { sql } from 'drizzle-orm';
import { one } from '../src/db/connection.js';

/** The benchmark county on a fresh database of the chosen kind, with a county orgAdmin login. */
export const BENCH_TODAY = '2026-11-20';
export const BENCH_PASSWORD = 'bench2026';
export const PG_ADMIN = process.env.ZHIBU_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDb {
  handle: DbHandle;
  ctx: AppContext;
  kind: 'pglite' | 'postgres';
  tenantId: number;
  rootPath: string;
  seedSeconds: number;
  close(): Promise<void>;
}

export async function openBenchDb(kind: 'pglite' | 'postgres', members: number, orgs: number): Promise<BenchDb> {
  let handle: DbHandle;
  let dropName: string | null = null;
  if (kind === 'pglite') {
    handle = await openDatabase({ dataDir: join(mkdtempSync(join(tmpdir(), 'zhibu-bench-')), 'pglite') });
  } else {
    dropName = `zhibu_bench_${process.pid}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN });
    await admin.connect();
    await admin.query(`drop database if exists ${dropName} with (force)`);
    await admin.query(`create database ${dropName}`);
    await admin.end();
    const u = new URL(PG_ADMIN);
    u.pathname = `/${dropName}`;
    handle = await openDatabase({ url: u.toString(), poolSize: 10 });
  }
  const ctx: AppContext = { db: handle.db, dbKind: kind, clock: fixedClock(BENCH_TODAY), cipher: createCipher('bench-secret'), dataDir: tmpdir() };
  await migrateDatabase(handle);
  const t0 = performance.now();
  const ds = generateCounty(BENCH_TODAY, { members, orgs });
  let tenantId = 0;
  await handle.db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    const ins = await insertDataset(tx, ds, ctx.cipher, new Date(0).toISOString());
    tenantId = ins.tenantId;
    const pw = await hashPassword(BENCH_PASSWORD);
    const u = await one<{ id: number }>(tx, sql`insert into users (tenant_id, username, display_name, password_hash, created_at, updated_at) values (${tenantId}, 'bench', '基准', ${pw}, '', '') returning id`);
    await tx.execute(sql`insert into grants (tenant_id, user_id, org_id, role, created_at, updated_at) values (${tenantId}, ${u!.id}, ${ins.orgIds.get('root')!}, 'orgAdmin', '', '')`);
    await evaluateFindings(tx, { tenantId, paths: null, today: BENCH_TODAY }, { nowIso: '' });
  });
  await handle.db.execute(sql`analyze`);
  const seedSeconds = (performance.now() - t0) / 1000;
  const root = await one<{ path: string }>(handle.db, sql`select o.path from orgs o join tenants t on t.root_org_id = o.id where t.id = ${tenantId}`);
  return {
    handle, ctx, kind, tenantId, rootPath: root!.path, seedSeconds,
    close: async () => {
      await handle.close();
      if (dropName) {
        const admin = new pg.Client({ connectionString: PG_ADMIN });
        await admin.connect();
        await admin.query(`drop database if exists ${dropName} with (force)`);
        await admin.end();
      }
    },
  };
}
