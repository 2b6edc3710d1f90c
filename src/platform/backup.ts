import { sql } from 'drizzle-orm';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { one, rows, type Db } from '../db/connection.js';

/**
 * Application-level backup (ARCHITECTURE.md; STACK.md: not pg_dump): one JSON-lines file per table in
 * dependency order plus meta.json with the migration id. Portable between PGlite and PostgreSQL.
 * The key is NOT included: restore needs the same ZHIBU_SECRET. Sessions and login attempts are
 * not backed up.
 */
export const BACKUP_TABLES = [
  'tenants', 'orgs', 'people', 'membership_periods', 'post_terms', 'users', 'grants', 'settings', 'findings',
  'audit_heads', 'audit_log', 'job_runs', 'import_runs', 'calendar_days', 'calendar_years', 'system_meta', 'attachments',
  'meetings', 'meeting_attendance', 'meeting_guests', 'meeting_votes', 'heart_talks', 'member_review_rounds',
  'member_review_results', 'study_records', 'study_plans', 'dues_bases', 'dues_reductions', 'dues_payments', 'dues_hand_ins',
  'report_templates', 'reports', 'report_comments', 'rectification_items', 'report_jobs',
] as const;
/** Not backed up: sessions and login counters are transient. */
export const TRANSIENT_TABLES = ['sessions', 'login_attempts'] as const;

async function migrationId(db: Db): Promise<string> {
  const r = await one<{ hash: string }>(db, sql`select hash from drizzle.__drizzle_migrations order by created_at desc limit 1`);
  return r?.hash ?? 'none';
}

export async function backup(db: Db, dir: string, onTable?: (t: string, n: number) => void): Promise<{ tables: Record<string, number> }> {
  mkdirSync(dir, { recursive: true });
  const counts: Record<string, number> = {};
  for (const t of BACKUP_TABLES) {
    const out = createWriteStream(join(dir, `${t}.jsonl`));
    let n = 0;
    const key = t === 'audit_log' ? ['tenant_id', 'seq'] : t === 'audit_heads' ? ['tenant_id'] : t === 'calendar_days' ? ['day'] : t === 'calendar_years' ? ['year'] : t === 'system_meta' ? ['key'] : ['id'];
    const order = sql.raw(key.join(', '));
    for (let offset = 0; ; offset += 5000) {
      const page = await rows<{ j: unknown }>(db, sql`select row_to_json(x) as j from (select * from ${sql.raw(t)} order by ${order} limit 5000 offset ${offset}) x`);
      for (const r of page) {
        out.write(`${typeof r.j === 'string' ? r.j : JSON.stringify(r.j)}\n`);
        n += 1;
      }
      if (page.length < 5000) break;
    }
    await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
    counts[t] = n;
    onTable?.(t, n);
  }
  writeFileSync(join(dir, 'meta.json'), JSON.stringify({ format: 'zhibu-backup/1', migration: await migrationId(db), tables: counts, keyIncluded: false }, null, 2));
  return { tables: counts };
}

export async function restore(db: Db, dir: string, onTable?: (t: string, n: number) => void): Promise<{ tables: Record<string, number> }> {
  const metaFile = join(dir, 'meta.json');
  if (!existsSync(metaFile)) throw new Error(`${dir} 不是 zhibu 备份目录（缺少 meta.json）`);
  const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as { format: string; migration: string };
  if (meta.format !== 'zhibu-backup/1') throw new Error(`不支持的备份格式：${meta.format}`);
  const counts: Record<string, number> = {};
  await db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    const current = await migrationId(tx);
    if (current !== meta.migration) throw new Error('备份的数据库结构版本与当前程序不一致，请使用相同版本的 zhibu 恢复');
    await tx.execute(sql.raw(`truncate ${[...BACKUP_TABLES].reverse().join(', ')} , sessions, login_attempts restart identity cascade`));
    for (const t of BACKUP_TABLES) {
      let batch: string[] = [];
      let n = 0;
      const flush = async () => {
        if (batch.length === 0) return;
        await tx.execute(sql`insert into ${sql.raw(t)} select * from json_populate_recordset(null::${sql.raw(t)}, ${`[${batch.join(',')}]`}::json)`);
        n += batch.length;
        batch = [];
      };
      const rl = createInterface({ input: createReadStream(join(dir, `${t}.jsonl`)), crlfDelay: Infinity });
      for await (const line of rl) {
        if (!line.trim()) continue;
        batch.push(line);
        if (batch.length >= 1000) await flush();
      }
      await flush();
      const hasId = (await rows(tx, sql`select 1 from information_schema.columns where table_name = ${t} and column_name = 'id' and column_default like 'nextval%'`)).length > 0;
      if (hasId) await tx.execute(sql.raw(`select setval(pg_get_serial_sequence('${t}', 'id'), greatest((select coalesce(max(id), 0) from ${t}), 1), (select count(*) > 0 from ${t}))`));
      counts[t] = n;
      onTable?.(t, n);
    }
  });
  return { tables: counts };
}
