import { sql } from 'drizzle-orm';
import { resolve } from 'node:path';
import { mkdirSync, existsSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { openDatabase, migrateDatabase, one, type Db, type DbHandle } from './db/connection.js';
import { createCipher, loadOrCreateSecret, type Cipher } from './platform/crypto.js';
import { systemClock, type Clock } from './platform/clock.js';
import type { AppContext } from './platform/context.js';
import { ensureCalendarSeeded } from './platform/calendar.js';
import { cipherForDatabase } from './platform/keyRotation.js';
import { anchorLegacyRows, configureAudit, writeCheckpoints } from './platform/audit.js';

/**
 * Start-up shared by the server and the CLI: read DATABASE_URL / ZHIBU_DATA / ZHIBU_SECRET, open the
 * database, migrate under a lock, check the key. PGlite is single-process: the server writes a lock
 * file into the data dir and a CLI command refuses to open a data dir a running server holds.
 */
export interface BootEnv {
  databaseUrl?: string;
  dataDir: string;
}

export function readEnv(env: NodeJS.ProcessEnv = process.env): BootEnv {
  return { databaseUrl: env.DATABASE_URL || undefined, dataDir: resolve(env.ZHIBU_DATA || './data') };
}

const lockFile = (dataDir: string) => resolve(dataDir, 'server.pid');

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function assertPgliteFree(env: BootEnv): void {
  if (env.databaseUrl) return;
  const f = lockFile(env.dataDir);
  if (!existsSync(f)) return;
  const pid = Number(readFileSync(f, 'utf8').trim());
  if (pid && pid !== process.pid && pidAlive(pid)) {
    throw new Error(`内置数据库目录 ${env.dataDir} 正被运行中的 zhibu 服务（进程 ${pid}）使用。内置数据库只允许一个进程打开：请先停止服务，或设置 DATABASE_URL 使用 PostgreSQL 后再执行此命令。`);
  }
}

export function holdPglite(env: BootEnv): () => void {
  if (env.databaseUrl) return () => {};
  writeFileSync(lockFile(env.dataDir), String(process.pid));
  return () => rmSync(lockFile(env.dataDir), { force: true });
}

export async function checkKey(db: Db, cipher: Cipher): Promise<void> {
  const kc = cipher.keyCheck();
  const row = await one<{ value: string }>(db, sql`select value from system_meta where key = 'key_check'`);
  if (!row) {
    await db.execute(sql`insert into system_meta (key, value) values ('key_check', ${kc}) on conflict do nothing`);
    return;
  }
  if (row.value !== kc) {
    throw new Error('密钥与数据库不匹配：当前 ZHIBU_SECRET（或数据目录中的 secret.key）不是创建这个数据库时使用的密钥。为避免写入无法解密的数据，程序拒绝启动。请使用原密钥。');
  }
}

export interface Booted {
  handle: DbHandle;
  ctx: AppContext;
  env: BootEnv;
  close(): Promise<void>;
}

export async function boot(opts: { env?: BootEnv; clock?: Clock; seed?: (ctx: AppContext, db: Db) => Promise<void> } = {}): Promise<Booted> {
  const env = opts.env ?? readEnv();
  mkdirSync(env.dataDir, { recursive: true });
  assertPgliteFree(env);
  const handle = await openDatabase({ url: env.databaseUrl, dataDir: env.databaseUrl ? undefined : resolve(env.dataDir, 'pglite') });
  try {
    const secret = loadOrCreateSecret(env.dataDir);
    const cipher = createCipher(secret);
    configureAudit({ secret, dataDir: env.dataDir, sinkDir: process.env.ZHIBU_AUDIT_SINK_DIR || null });
    const ctx: AppContext = { db: handle.db, dbKind: handle.kind, clock: opts.clock ?? systemClock(), cipher, dataDir: env.dataDir };
    await migrateDatabase(handle, async (db) => {
      // the provider and key version are read from the database (no key material there)
      ctx.cipher = await cipherForDatabase(db, secret, process.env.ZHIBU_CRYPTO_PROVIDER || undefined);
      await checkKey(db, ctx.cipher);
      await anchorLegacyRows(db);
      await ensureCalendarSeeded(db);
      if (opts.seed) await opts.seed({ ...ctx, db }, db);
    }, { migrate: process.env.ZHIBU_MIGRATE !== '0' });
    return {
      handle, ctx, env,
      // every process that wrote audit entries leaves a signed checkpoint of the heads behind it
      close: async () => {
        try {
          const r = await writeCheckpoints(handle.db, ctx.clock);
          for (const p of r.problems) console.error(`审计检查点：${p}`);
        } finally {
          await handle.close();
        }
      },
    };
  } catch (e) {
    await handle.close();
    throw e;
  }
}
