import { sql } from 'drizzle-orm';
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { chmodSync, closeSync, createReadStream, createWriteStream, existsSync, mkdirSync, openSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { PassThrough, type Readable } from 'node:stream';
import { one, rows, type Db } from '../db/connection.js';
import { LocalDiskStore } from './attachments.js';

/**
 * Application-level backup (ARCHITECTURE.md; STACK.md: not pg_dump): one JSON-lines file per table in
 * dependency order, the attachment files, and meta.json with the migration id. Portable between
 * PGlite and PostgreSQL. Issue 17 #12:
 * - written readable by the owner only (directories 0700, files 0600);
 * - one consistent snapshot: every table is read in ONE read-only REPEATABLE READ transaction (the
 *   application-level equivalent of pg_dump's snapshot), so writes during the backup do not tear it;
 *   attachment files are copied for the attachment rows of that snapshot (files are write-once);
 * - optionally encrypted with a passphrase: scrypt → AES-256-GCM per file, the file name as
 *   associated data, so a file can be neither read nor swapped without the passphrase.
 * The key is NOT included: restore needs the same ZHIBU_SECRET. Sessions and login attempts are not
 * backed up.
 */
export const BACKUP_TABLES = [
  'tenants', 'orgs', 'people', 'membership_periods', 'post_terms', 'users', 'grants', 'settings', 'findings',
  'audit_heads', 'audit_log', 'job_runs', 'import_runs', 'calendar_days', 'calendar_years', 'system_meta', 'attachments',
  'meetings', 'meeting_attendance', 'meeting_guests', 'meeting_votes', 'heart_talks', 'member_review_rounds',
  'member_review_results', 'study_records', 'study_plans', 'dues_bases', 'dues_reductions', 'dues_payments', 'dues_hand_ins',
  'report_templates', 'reports', 'report_comments', 'rectification_items', 'report_jobs',
  'assessment_trees', 'assessment_sessions', 'assessment_inputs', 'weak_orgs', 'weak_org_progress',
  'development_records', 'development_steps',
  'grids', 'households', 'resident_requests', 'request_claims',
  'service_teams', 'service_volunteers', 'service_team_members', 'service_activities', 'service_participations',
  'service_households', 'service_visits', 'service_pairings', 'service_deeds',
] as const;
/** Not backed up: sessions and login counters are transient. */
export const TRANSIENT_TABLES = ['sessions', 'login_attempts'] as const;
/**
 * Not backed up: kept by triggers from the backed-up tables (member_counts from people; the dues
 * member-month ledger from people, periods, bases, reductions and payments), rebuilt on restore.
 */
export const DERIVED_TABLES = ['member_counts', 'dues_member_months'] as const;

export const BACKUP_FORMAT = 'zhibu-backup/2';
const MAGIC = Buffer.from('ZHIBUENC1');
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export interface BackupOptions {
  /** The data dir whose attachments/ are copied (restore: written back). Omitted: no attachment files. */
  dataDir?: string;
  /** Encrypt every file with a key derived from this passphrase (restore: required to read it). */
  passphrase?: string;
  onTable?: (t: string, n: number) => void | Promise<void>;
}

interface BackupMeta {
  format: string;
  migration: string;
  tables: Record<string, number>;
  attachments: { files: number; missing: string[] };
  keyIncluded: false;
  encryption: null | { cipher: 'aes-256-gcm'; kdf: 'scrypt'; salt: string; N: number; r: number; p: number; check: string };
  snapshot: string;
}

async function migrationId(db: Db): Promise<string> {
  const r = await one<{ hash: string }>(db, sql`select hash from drizzle.__drizzle_migrations order by created_at desc limit 1`);
  return r?.hash ?? 'none';
}

function deriveKey(passphrase: string, salt: Buffer, p = SCRYPT): Buffer {
  return scryptSync(passphrase.normalize('NFC'), salt, 32, p);
}

function sealBytes(key: Buffer, name: string, plain: Buffer): Buffer {
  const nonce = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, nonce);
  c.setAAD(Buffer.from(name));
  return Buffer.concat([MAGIC, nonce, c.update(plain), c.final(), c.getAuthTag()]);
}
function openBytes(key: Buffer, name: string, sealed: Buffer): Buffer {
  if (!sealed.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error(`备份文件 ${name} 不是加密格式`);
  const nonce = sealed.subarray(MAGIC.length, MAGIC.length + 12);
  const d = createDecipheriv('aes-256-gcm', key, nonce);
  d.setAAD(Buffer.from(name));
  d.setAuthTag(sealed.subarray(sealed.length - 16));
  try {
    return Buffer.concat([d.update(sealed.subarray(MAGIC.length + 12, sealed.length - 16)), d.final()]);
  } catch {
    throw new Error(`备份文件 ${name} 无法解密：口令错误或文件被改动`);
  }
}

/** Write a whole table or file: plain, or sealed as one GCM message (streaming, tag at the end). */
async function writeStreamed(file: string, name: string, key: Buffer | null, produce: (write: (chunk: string | Buffer) => void) => Promise<void>): Promise<void> {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const out = createWriteStream(file, { mode: 0o600 });
  const done = new Promise<void>((res, rej) => { out.on('finish', () => res()); out.on('error', rej); });
  let write: (chunk: string | Buffer) => void;
  let finish: () => void;
  if (key) {
    const nonce = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', key, nonce);
    c.setAAD(Buffer.from(name));
    out.write(Buffer.concat([MAGIC, nonce]));
    write = (chunk) => { const b = c.update(typeof chunk === 'string' ? Buffer.from(chunk) : chunk); if (b.length) out.write(b); };
    finish = () => { const last = c.final(); out.end(Buffer.concat([last, c.getAuthTag()])); };
  } else {
    write = (chunk) => { out.write(chunk); };
    finish = () => out.end();
  }
  await produce(write);
  finish();
  await done;
  chmodSync(file, 0o600);
}

/** A readable of a backup file's plain bytes; a wrong passphrase or a changed byte fails the stream. */
function readStreamed(file: string, name: string, key: Buffer | null): Readable {
  if (!key) return createReadStream(file);
  const size = statSync(file).size;
  const head = Buffer.alloc(MAGIC.length + 12);
  const tag = Buffer.alloc(16);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
    readSync(fd, tag, 0, 16, size - 16);
  } finally {
    closeSync(fd);
  }
  if (!head.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error(`备份文件 ${name} 不是加密格式`);
  const d = createDecipheriv('aes-256-gcm', key, head.subarray(MAGIC.length));
  d.setAAD(Buffer.from(name));
  d.setAuthTag(tag);
  const out = new PassThrough();
  const src = size - 16 > head.length ? createReadStream(file, { start: head.length, end: size - 17 }) : null;
  const fail = () => out.destroy(new Error(`备份文件 ${name} 无法解密：口令错误或文件被改动`));
  d.on('error', fail);
  if (src) {
    src.on('error', (e) => out.destroy(e));
    src.pipe(d).pipe(out);
  } else {
    d.pipe(out);
    d.end();
  }
  return out;
}

const tableOrder = (t: string) =>
  t === 'audit_log' ? ['tenant_id', 'seq'] : t === 'audit_heads' ? ['tenant_id'] : t === 'calendar_days' ? ['day'] : t === 'calendar_years' ? ['year'] : t === 'system_meta' ? ['key'] : ['id'];

export async function backup(
  db: Db,
  dir: string,
  optsOrOnTable?: BackupOptions | ((t: string, n: number) => void),
): Promise<{ tables: Record<string, number>; attachments: number }> {
  const opts: BackupOptions = typeof optsOrOnTable === 'function' ? { onTable: optsOrOnTable } : optsOrOnTable ?? {};
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  let key: Buffer | null = null;
  let encryption: BackupMeta['encryption'] = null;
  if (opts.passphrase) {
    const salt = randomBytes(16);
    key = deriveKey(opts.passphrase, salt);
    encryption = { cipher: 'aes-256-gcm', kdf: 'scrypt', salt: salt.toString('base64'), N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, check: sealBytes(key, 'check', Buffer.from('zhibu')).toString('base64') };
  }
  const counts: Record<string, number> = {};
  const storageKeys: string[] = [];
  let migration = 'none';
  let snapshot = '';
  // One read-only REPEATABLE READ transaction: every table from the same snapshot.
  await db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    migration = await migrationId(tx);
    snapshot = String((await one<{ now: string }>(tx, sql`select now()::text as now`))?.now ?? '');
    for (const t of BACKUP_TABLES) {
      let n = 0;
      const order = sql.raw(tableOrder(t).join(', '));
      await writeStreamed(join(dir, `${t}.jsonl`), `${t}.jsonl`, key, async (write) => {
        for (let offset = 0; ; offset += 5000) {
          const page = await rows<{ j: unknown }>(tx, sql`select row_to_json(x) as j from (select * from ${sql.raw(t)} order by ${order} limit 5000 offset ${offset}) x`);
          for (const r of page) {
            const line = typeof r.j === 'string' ? r.j : JSON.stringify(r.j);
            write(`${line}\n`);
            if (t === 'attachments') storageKeys.push((JSON.parse(line) as { storage_key: string }).storage_key);
            n += 1;
          }
          if (page.length < 5000) break;
        }
      });
      counts[t] = n;
      await opts.onTable?.(t, n);
    }
  }, { isolationLevel: 'repeatable read', accessMode: 'read only' });

  const missing: string[] = [];
  let files = 0;
  if (opts.dataDir) {
    const store = new LocalDiskStore(join(opts.dataDir, 'attachments'));
    for (const k of storageKeys) {
      let src: Readable;
      try {
        src = await store.get(k);
      } catch {
        missing.push(k);
        continue;
      }
      const name = `files/${k}`;
      await writeStreamed(join(dir, ...name.split('/')), name, key, async (write) => {
        for await (const chunk of src) write(chunk as Buffer);
      });
      files += 1;
    }
  }
  const meta: BackupMeta = { format: BACKUP_FORMAT, migration, tables: counts, attachments: { files, missing }, keyIncluded: false, encryption, snapshot };
  writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta, null, 2), { mode: 0o600 });
  chmodSync(join(dir, 'meta.json'), 0o600);
  return { tables: counts, attachments: files };
}

/** Read meta.json; tells whether the backup is encrypted (the CLI then asks for the passphrase). */
export function readBackupMeta(dir: string): BackupMeta {
  const metaFile = join(dir, 'meta.json');
  if (!existsSync(metaFile)) throw new Error(`${dir} 不是 zhibu 备份目录（缺少 meta.json）`);
  const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as BackupMeta;
  if (meta.format === 'zhibu-backup/1') return { ...meta, attachments: { files: 0, missing: [] }, encryption: null };
  if (meta.format !== BACKUP_FORMAT) throw new Error(`不支持的备份格式：${meta.format}`);
  return meta;
}

export async function restore(
  db: Db,
  dir: string,
  optsOrOnTable?: BackupOptions | ((t: string, n: number) => void),
): Promise<{ tables: Record<string, number>; attachments: number }> {
  const opts: BackupOptions = typeof optsOrOnTable === 'function' ? { onTable: optsOrOnTable } : optsOrOnTable ?? {};
  const meta = readBackupMeta(dir);
  let key: Buffer | null = null;
  if (meta.encryption) {
    if (!opts.passphrase) throw new Error('此备份已用口令加密，恢复时须提供口令');
    const e = meta.encryption;
    key = deriveKey(opts.passphrase, Buffer.from(e.salt, 'base64'), { N: e.N, r: e.r, p: e.p, maxmem: SCRYPT.maxmem });
    try {
      openBytes(key, 'check', Buffer.from(e.check, 'base64'));
    } catch {
      throw new Error('备份口令错误');
    }
  }
  const counts: Record<string, number> = {};
  await db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    const current = await migrationId(tx);
    if (current !== meta.migration) throw new Error('备份的数据库结构版本与当前程序不一致，请使用相同版本的 zhibu 恢复');
    await tx.execute(sql.raw(`truncate ${[...BACKUP_TABLES].reverse().join(', ')}, ${[...TRANSIENT_TABLES, ...DERIVED_TABLES].join(', ')} restart identity cascade`));
    for (const t of BACKUP_TABLES) {
      let batch: string[] = [];
      let n = 0;
      const flush = async () => {
        if (batch.length === 0) return;
        await tx.execute(sql`insert into ${sql.raw(t)} select * from json_populate_recordset(null::${sql.raw(t)}, ${`[${batch.join(',')}]`}::json)`);
        n += batch.length;
        batch = [];
      };
      const rl = createInterface({ input: readStreamed(join(dir, `${t}.jsonl`), `${t}.jsonl`, key), crlfDelay: Infinity });
      for await (const line of rl) {
        if (!line.trim()) continue;
        batch.push(line);
        if (batch.length >= 1000) await flush();
      }
      await flush();
      const hasId = (await rows(tx, sql`select 1 from information_schema.columns where table_name = ${t} and column_name = 'id' and column_default like 'nextval%'`)).length > 0;
      if (hasId) await tx.execute(sql.raw(`select setval(pg_get_serial_sequence('${t}', 'id'), greatest((select coalesce(max(id), 0) from ${t}), 1), (select count(*) > 0 from ${t}))`));
      counts[t] = n;
      opts.onTable?.(t, n);
    }
  });
  // attachment files after the rows committed (write-once objects: an extra file is harmless)
  let files = 0;
  if (opts.dataDir && meta.attachments.files > 0) {
    const store = new LocalDiskStore(join(opts.dataDir, 'attachments'));
    const keys = await rows<{ storage_key: string }>(db, sql`select storage_key from attachments order by id`);
    for (const { storage_key: k } of keys) {
      const name = `files/${k}`;
      const file = join(dir, ...name.split('/'));
      if (!existsSync(file)) continue;
      const chunks: Buffer[] = [];
      for await (const c of readStreamed(file, name, key)) chunks.push(c as Buffer);
      await store.remove(k);
      await store.put(k, Buffer.concat(chunks));
      files += 1;
    }
  }
  return { tables: counts, attachments: files };
}
