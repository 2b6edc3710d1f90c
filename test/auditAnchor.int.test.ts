import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../src/db/connection.js';
import { CHECKPOINT_FILE, GENESIS, canonicalJson, resetCheckpoints, verifyAudit, writeCheckpoints } from '../src/platform/audit.js';
import { sha256Hex } from '../src/platform/crypto.js';
import { openTestApp, type TestApp } from './db.js';

/**
 * Issue 17 #8: whoever holds the database must not be able to rewrite the audit chain unnoticed.
 * Each attack runs inside a transaction that is rolled back, so the cases are independent.
 */
let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
  await t.login('branch1');
  await t.login('county');
  const cp = await writeCheckpoints(t.ctx.db, t.ctx.clock);
  expect(cp.problems).toEqual([]);
});
afterAll(async () => t?.close());

class Rollback extends Error {}
async function attack(fn: (tx: Db) => Promise<void>): Promise<Awaited<ReturnType<typeof verifyAudit>>> {
  let result: Awaited<ReturnType<typeof verifyAudit>> | undefined;
  await t.ctx.db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    await fn(tx);
    result = await verifyAudit(tx);
    throw new Rollback();
  }).catch((e) => { if (!(e instanceof Rollback)) throw e; });
  return result!;
}

/** What an attacker without the key can do: recompute every SHA-256 hash from `fromSeq` on and fix the head. */
async function rehash(tx: Db, tenantId: number): Promise<void> {
  const all = await rows<Record<string, unknown>>(tx, sql`select * from audit_log where tenant_id = ${tenantId} order by seq`);
  let prev = GENESIS;
  for (const r of all) {
    const core = {
      tenantId, seq: Number(r.seq), at: r.at, actor: r.actor, actorUserId: r.actor_user_id == null ? null : Number(r.actor_user_id),
      action: r.action, entity: r.entity, entityId: r.entity_id ?? null, orgId: r.org_id == null ? null : Number(r.org_id),
      before: typeof r.before === 'string' ? JSON.parse(r.before) : r.before ?? null,
      after: typeof r.after === 'string' ? JSON.parse(r.after) : r.after ?? null,
      meta: typeof r.meta === 'string' ? JSON.parse(r.meta) : r.meta ?? null,
    };
    const hash = sha256Hex(prev + canonicalJson(core));
    await tx.execute(sql`update audit_log set prev_hash = ${prev}, hash = ${hash} where tenant_id = ${tenantId} and seq = ${core.seq}`);
    prev = hash;
  }
  await tx.execute(sql`update audit_heads set last_hash = ${prev}, last_seq = ${all.length ? Number(all.at(-1)!.seq) : 0} where tenant_id = ${tenantId}`);
}

const tenantId = async () => Number((await rows<{ id: number }>(t.ctx.db, sql`select id from tenants order by id limit 1`))[0].id);

describe('audit chain anchored outside the database', () => {
  it('an honest chain verifies against its checkpoints; the checkpoint file is 0600', async () => {
    const r = await verifyAudit(t.ctx.db);
    expect(r.ok).toBe(true);
    expect(r.checkpoints!.compared).toBeGreaterThan(0);
    expect(statSync(join(t.ctx.dataDir, CHECKPOINT_FILE)).mode & 0o777).toBe(0o600);
  });

  it('tamper and re-hash without the key is caught (HMAC)', async () => {
    const tid = await tenantId();
    const r = await attack(async (tx) => {
      await tx.execute(sql`update audit_log set actor = 'user:999' where tenant_id = ${tid} and seq = 2`);
      await rehash(tx, tid);
    });
    expect(r.ok).toBe(false);
    expect(r.tenants.find((x) => x.tenantId === tid)!.firstBroken?.seq).toBe(2);
    expect(r.tenants.find((x) => x.tenantId === tid)!.firstBroken?.reason).toMatch(/签名/);
  });

  it('copying a valid HMAC onto a re-hashed row does not help (the HMAC binds the hash)', async () => {
    const tid = await tenantId();
    const r = await attack(async (tx) => {
      await tx.execute(sql`update audit_log set actor = 'user:999' where tenant_id = ${tid} and seq = 3`);
      await rehash(tx, tid);
      await tx.execute(sql`update audit_log a set mac = b.mac from audit_log b where a.tenant_id = ${tid} and b.tenant_id = ${tid} and b.seq = 1 and a.seq = 3`);
    });
    expect(r.ok).toBe(false);
  });

  it('deleting all audit rows and the head is caught', async () => {
    const r = await attack(async (tx) => {
      await tx.execute(sql`delete from audit_log`);
      await tx.execute(sql`delete from audit_heads`);
    });
    expect(r.ok).toBe(false);
    expect(r.tenants.every((x) => x.firstBroken)).toBe(true);
  });

  it('deleting every row and resetting the head to empty is caught', async () => {
    const tid = await tenantId();
    const r = await attack(async (tx) => {
      await tx.execute(sql`delete from audit_log where tenant_id = ${tid}`);
      await tx.execute(sql`update audit_heads set last_seq = 0, last_hash = ${GENESIS} where tenant_id = ${tid}`);
    });
    expect(r.ok).toBe(false);
  });

  it('truncating the tail and moving the head back is caught by the checkpoint', async () => {
    const tid = await tenantId();
    const r = await attack(async (tx) => {
      const [h] = await rows<{ last_seq: number }>(tx, sql`select last_seq from audit_heads where tenant_id = ${tid}`);
      const keep = Number(h.last_seq) - 1;
      await tx.execute(sql`delete from audit_log where tenant_id = ${tid} and seq > ${keep}`);
      await tx.execute(sql`update audit_heads set last_seq = ${keep}, last_hash = (select hash from audit_log where tenant_id = ${tid} and seq = ${keep}) where tenant_id = ${tid}`);
    });
    expect(r.ok).toBe(false);
    expect(r.tenants.find((x) => x.tenantId === tid)!.firstBroken?.reason).toMatch(/检查点/);
  });

  it('a forged checkpoint line (no key) fails verification', async () => {
    const file = join(t.ctx.dataDir, CHECKPOINT_FILE);
    const saved = readFileSync(file, 'utf8');
    try {
      writeFileSync(file, `${saved}${JSON.stringify({ kind: 'reset', tenantId: await tenantId(), seq: 0, hash: GENESIS, at: 'x', mac: 'f'.repeat(64) })}\n`);
      const r = await verifyAudit(t.ctx.db);
      expect(r.ok).toBe(false);
      expect(r.checkpoints!.forged).toBe(1);
    } finally {
      writeFileSync(file, saved);
    }
  });

  it('a checkpoint is not written over a tampered chain; a signed reset (restore) starts a new epoch', async () => {
    const tid = await tenantId();
    await t.ctx.db.transaction(async (txRaw) => {
      const tx = txRaw as unknown as Db;
      await tx.execute(sql`delete from audit_log where tenant_id = ${tid} and seq > 3`);
      await tx.execute(sql`update audit_heads set last_seq = 3, last_hash = (select hash from audit_log where tenant_id = ${tid} and seq = 3) where tenant_id = ${tid}`);
      const w = await writeCheckpoints(tx, t.ctx.clock);
      expect(w.problems.join()).toMatch(/短于/);
      expect((await verifyAudit(tx)).ok).toBe(false);
      await resetCheckpoints(tx, t.ctx.clock);
      expect((await verifyAudit(tx)).ok).toBe(true);
      throw new Rollback();
    }).catch((e) => { if (!(e instanceof Rollback)) throw e; });
  });
});

describe('the insert-only database role (custom migration)', () => {
  async function asApp(fn: (tx: Db) => Promise<void>): Promise<Error | null> {
    let err: Error | null = null;
    await t.ctx.db.transaction(async (txRaw) => {
      const tx = txRaw as unknown as Db;
      await tx.execute(sql`set local role zhibu_app`);
      try {
        await fn(tx);
      } catch (e) {
        err = e as Error;
      }
      throw new Rollback();
    }).catch((e) => { if (!(e instanceof Rollback)) throw e; });
    return err;
  }

  it('may append through the normal API', async () => {
    const { appendAudit } = await import('../src/platform/audit.js');
    const tid = await tenantId();
    expect(await asApp(async (tx) => {
      await appendAudit(tx, t.ctx.clock, tid, { label: 'system', userId: null }, [{ action: 'evaluate', entity: 'test' }]);
      await tx.execute(sql`select 1 from people limit 1`);
    })).toBeNull();
  });

  it('may not update, delete or truncate audit rows, nor move the head back', async () => {
    const tid = await tenantId();
    const refused = (e: Error | null) => expect(String((e as { cause?: Error } | null)?.cause?.message ?? e?.message)).toMatch(/permission denied|audit head may only move forward/);
    refused(await asApp(async (tx) => { await tx.execute(sql`update audit_log set actor = 'x' where tenant_id = ${tid} and seq = 1`); }));
    refused(await asApp(async (tx) => { await tx.execute(sql`delete from audit_log where tenant_id = ${tid}`); }));
    refused(await asApp(async (tx) => { await tx.execute(sql`truncate audit_log`); }));
    refused(await asApp(async (tx) => { await tx.execute(sql`delete from audit_heads`); }));
    refused(await asApp(async (tx) => { await tx.execute(sql`update audit_heads set last_seq = 1, last_hash = (select hash from audit_log where tenant_id = ${tid} and seq = 1) where tenant_id = ${tid}`); }));
    refused(await asApp(async (tx) => { await tx.execute(sql`update audit_heads set pruned_seq = 5 where tenant_id = ${tid}`); }));
  });
});

describe.runIf(process.env.ZHIBU_TEST_DB === 'postgres')('running the app as a login role in zhibu_app (PostgreSQL)', () => {
  it('starts without migrating, appends audit rows, and cannot rewrite them', async () => {
    const pg = (await import('pg')).default;
    const { openDatabase, migrateDatabase } = await import('../src/db/connection.js');
    const { appendAudit } = await import('../src/platform/audit.js');
    const { PG_ADMIN_URL } = await import('./env.js');
    const role = `zhibu_t_app_${process.pid}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`create role ${role} login in role zhibu_app`);
    const u = new URL(t.url!);
    u.username = role;
    const h = await openDatabase({ url: u.toString(), poolSize: 1 });
    try {
      const tid = await tenantId();
      await migrateDatabase(h, async (db) => {
        await appendAudit(db, t.ctx.clock, tid, { label: 'system', userId: null }, [{ action: 'evaluate', entity: 'test' }]);
      }, { migrate: false });
      await expect(h.db.execute(sql`update audit_log set actor = 'x' where tenant_id = ${tid}`)).rejects.toThrow();
      await expect(h.db.execute(sql`delete from audit_log where tenant_id = ${tid}`)).rejects.toThrow();
      expect((await verifyAudit(t.ctx.db)).ok).toBe(true);
    } finally {
      await h.close();
      await admin.query(`drop owned by ${role}`);
      await admin.query(`drop role ${role}`);
      await admin.end();
    }
  });
});
