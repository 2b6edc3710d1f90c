import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { one, rows, type Db } from '../src/db/connection.js';
import { backup, restore } from '../src/platform/backup.js';
import { appendAudit, verifyAudit } from '../src/platform/audit.js';
import { saveAttachment } from '../src/platform/attachments.js';
import { systemActor } from '../src/platform/write.js';
import { TINY_PNG } from './routeCases.platform.js';
import { openTestDb, type TestDb } from './db.js';

/** Issue 17 #12: backups readable by the owner only, with attachment files, consistent, encryptable. */
let t: TestDb;
let attachmentId = 0;
const photo = Buffer.concat([TINY_PNG, Buffer.from('支部活动照片的其余字节')]);
beforeAll(async () => {
  t = await openTestDb();
  const org = (await one<{ id: number; path: string; tenant_id: number }>(t.ctx.db, sql`select id, path, tenant_id from orgs order by id desc limit 1`))!;
  attachmentId = (await saveAttachment(t.ctx, { tenantId: org.tenant_id, actor: systemActor, org, filename: '活动.png', data: photo })).id;
});
afterAll(async () => t?.close());

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? [join(dir, e.name), ...walk(join(dir, e.name))] : [join(dir, e.name)]));
}
const counts = async (db: Db = t.ctx.db) =>
  one<{ people: number; audit: number; att: number }>(db, sql`select (select count(*)::int from people) as people, (select count(*)::int from audit_log) as audit, (select count(*)::int from attachments) as att`);
const storageKey = async () => (await one<{ storage_key: string }>(t.ctx.db, sql`select storage_key from attachments where id = ${attachmentId}`))!.storage_key;

describe('backup security', () => {
  it('writes directories 0700 and files 0600, and copies the attachment files', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'zhibu-bk-')), 'out');
    const r = await backup(t.ctx.db, dir, { dataDir: t.ctx.dataDir });
    expect(r.attachments).toBeGreaterThanOrEqual(1);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const p of walk(dir)) expect([p, statSync(p).mode & 0o777]).toEqual([p, statSync(p).isDirectory() ? 0o700 : 0o600]);
    expect(readFileSync(join(dir, 'files', ...(await storageKey()).split('/')))).toEqual(photo);
  });

  it('restores attachment files byte-identical into an empty data dir', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'zhibu-bk-')), 'out');
    await backup(t.ctx.db, dir, { dataDir: t.ctx.dataDir });
    const target = mkdtempSync(join(tmpdir(), 'zhibu-data2-'));
    const r = await restore(t.ctx.db, dir, { dataDir: target });
    expect(r.attachments).toBeGreaterThanOrEqual(1);
    expect(readFileSync(join(target, 'attachments', ...(await storageKey()).split('/')))).toEqual(photo);
    rmSync(target, { recursive: true, force: true });
  });

  it('an encrypted backup holds no readable data, refuses without or with a wrong passphrase, restores with it', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'zhibu-bk-')), 'out');
    const name = (await one<{ name: string }>(t.ctx.db, sql`select name from people order by id limit 1`))!.name;
    const orgName = (await one<{ name: string }>(t.ctx.db, sql`select name from orgs order by id limit 1`))!.name;
    await backup(t.ctx.db, dir, { dataDir: t.ctx.dataDir, passphrase: '正确的备份口令-2026' });
    for (const p of walk(dir).filter((x) => statSync(x).isFile() && !x.endsWith('meta.json'))) {
      const bytes = readFileSync(p);
      expect(bytes.includes(Buffer.from(name))).toBe(false);
      expect(bytes.includes(Buffer.from(orgName))).toBe(false);
      expect(bytes.includes(Buffer.from('"tenant_id"'))).toBe(false);
      expect(bytes.includes(TINY_PNG.subarray(0, 8))).toBe(false);
    }
    const before = await counts();
    await expect(restore(t.ctx.db, dir)).rejects.toThrow(/口令/);
    await expect(restore(t.ctx.db, dir, { passphrase: '错误的口令-xxxxxxxx' })).rejects.toThrow(/口令错误/);
    expect(await counts()).toEqual(before);
    const target = mkdtempSync(join(tmpdir(), 'zhibu-data3-'));
    await restore(t.ctx.db, dir, { dataDir: target, passphrase: '正确的备份口令-2026' });
    expect(await counts()).toEqual(before);
    expect((await verifyAudit(t.ctx.db)).ok).toBe(true);
    expect(readFileSync(join(target, 'attachments', ...(await storageKey()).split('/')))).toEqual(photo);
    rmSync(target, { recursive: true, force: true });
  });

  it('a changed byte in an encrypted table file makes the restore fail and change nothing', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'zhibu-bk-')), 'out');
    await backup(t.ctx.db, dir, { passphrase: '正确的备份口令-2026' });
    const f = join(dir, 'people.jsonl');
    const bytes = readFileSync(f);
    bytes[40] ^= 1;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(f, bytes);
    const before = await counts();
    await expect(restore(t.ctx.db, dir, { passphrase: '正确的备份口令-2026' })).rejects.toThrow();
    expect(await counts()).toEqual(before);
  });

  it.runIf(process.env.ZHIBU_TEST_DB === 'postgres')('is one snapshot: audit entries written during the backup do not tear the chain (PostgreSQL)', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'zhibu-bk-')), 'out');
    const before = await counts();
    const tenantId = Number((await rows<{ id: number }>(t.ctx.db, sql`select id from tenants order by id limit 1`))[0].id);
    let wrote = false;
    await backup(t.ctx.db, dir, {
      onTable: async (table) => {
        if (table !== 'tenants' || wrote) return;
        wrote = true;
        // another connection of the pool commits while the backup transaction is open
        await t.ctx.db.transaction(async (tx) => appendAudit(tx as unknown as Db, t.ctx.clock, tenantId, systemActor, [{ action: 'evaluate', entity: 'test' }]));
      },
    });
    expect(wrote).toBe(true);
    expect((await counts())!.audit).toBe(before!.audit + 1);
    await restore(t.ctx.db, dir);
    expect(await counts()).toEqual(before);
    expect((await verifyAudit(t.ctx.db)).ok).toBe(true);
  });
});
