import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { one, rows, type Db } from '../src/db/connection.js';
import { appendAudit, auditKeyFromSecret, configureAudit, verifyAudit, writeCheckpoints } from '../src/platform/audit.js';
import { auditRetentionDays, pruneAuditBefore, writeAuditExport } from '../src/platform/auditExport.js';
import { SETTINGS } from '../src/platform/settings.js';
import { openTestApp, type TestApp } from './db.js';
import { TEST_SECRET } from './env.js';

/** Issue 17, 等保 profile: audit retention (no pruning inside it) and export with checkpoints. */
let t: TestApp;
let tenantId = 0;
beforeAll(async () => {
  t = await openTestApp();
  await t.login('branch1');
  tenantId = Number((await one<{ id: number }>(t.ctx.db, sql`select id from tenants order by id limit 1`))!.id);
  await writeCheckpoints(t.ctx.db, t.ctx.clock);
});
afterAll(async () => t?.close());

const keyHex = auditKeyFromSecret(TEST_SECRET).toString('hex');
const runVerify = (target: string, key = keyHex) => spawnSync(process.execPath, [join(target.endsWith('.ndjson') ? join(target, '..') : target, 'verify.mjs'), target], { env: { ...process.env, AUDIT_KEY: key }, encoding: 'utf8' });

class Rollback extends Error {}
async function inTx(fn: (tx: Db) => Promise<void>) {
  await t.ctx.db.transaction(async (tx) => { await fn(tx as unknown as Db); throw new Rollback(); }).catch((e) => { if (!(e instanceof Rollback)) throw e; });
}
async function setSetting(tx: Db, key: string, value: unknown) {
  await tx.execute(sql`insert into settings (tenant_id, org_id, key, value, created_at, updated_at) select id, root_org_id, ${key}, ${JSON.stringify(value)}::jsonb, '', '' from tenants where id = ${tenantId}`);
}

describe('audit retention', () => {
  it('refuses to prune inside the retention period; under mlps3 the floor is 180 days even if the setting says less', async () => {
    await inTx(async (tx) => {
      await expect(pruneAuditBefore(tx, tenantId, '2026-11-01', '2026-11-20')).rejects.toThrow(/须保留至少 180 天/);
      await setSetting(tx, auditRetentionDays.key, 30);
      await setSetting(tx, SETTINGS.securityProfile.key, 'mlps3');
      await expect(pruneAuditBefore(tx, tenantId, '2026-10-01', '2026-11-20')).rejects.toThrow(/须保留至少 180 天/);
      expect((await one<{ n: number }>(tx, sql`select count(*)::int as n from audit_log where tenant_id = ${tenantId}`))!.n).toBeGreaterThan(0);
    });
  });

  it('prunes older rows outside the retention; the chain still verifies (signed prune mark) and checkpoints go on', async () => {
    configureAudit({ secret: TEST_SECRET, dataDir: mkdtempSync(join(tmpdir(), 'zhibu-cp-')) });
    try {
      await inTx(async (tx) => {
        expect((await writeCheckpoints(tx, t.ctx.clock)).written).toBeGreaterThan(0);
        await appendAudit(tx, t.ctx.clock, tenantId, { label: 'system', userId: null }, [{ action: 'evaluate', entity: 'test' }]);
        const all = await rows<{ seq: number }>(tx, sql`select seq from audit_log where tenant_id = ${tenantId} order by seq`);
        expect(all.length).toBeGreaterThan(2);
        // the rows are dated 2026-11-20; pretend we are a year later
        const r = await pruneAuditBefore(tx, tenantId, '2027-05-01', '2027-11-20');
        expect(r.deleted).toBe(all.length - 1);
        expect((await verifyAudit(tx)).ok).toBe(true);
        // the last checkpoint points at a pruned row: checkpoints are still written
        await appendAudit(tx, t.ctx.clock, tenantId, { label: 'system', userId: null }, [{ action: 'evaluate', entity: 'test' }]);
        expect(await writeCheckpoints(tx, t.ctx.clock)).toEqual({ written: 1, problems: [] });
        expect((await verifyAudit(tx)).ok).toBe(true);
        // moving the start of the chain by hand (no key) is caught
        await tx.execute(sql`update audit_heads set pruned_seq = pruned_seq - 1 where tenant_id = ${tenantId}`);
        expect((await verifyAudit(tx)).ok).toBe(false);
      });
    } finally {
      configureAudit({ secret: TEST_SECRET, dataDir: t.ctx.dataDir });
    }
  });
});

describe('audit export for an external auditor', () => {
  it('writes rows, heads, checkpoints and a verify script that passes offline, and fails on a changed row or without the key', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'zhibu-ax-')), 'export');
    const r = await writeAuditExport(t.ctx.db, out, { secret: TEST_SECRET });
    expect(r.rows).toBeGreaterThan(0);
    expect(r.checkpoints).toBeGreaterThan(0);
    expect(statSync(out).mode & 0o777).toBe(0o700);
    for (const f of ['audit.jsonl', 'heads.json', 'audit-checkpoints.jsonl', 'verify.mjs', 'README.txt', 'audit-key.hex']) expect(statSync(join(out, f)).mode & 0o777).toBe(0o600);
    const ok = runVerify(out);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('审计链完整');
    expect(runVerify(out, 'ab'.repeat(32)).status).toBe(1);
    const lines = readFileSync(join(out, 'audit.jsonl'), 'utf8').trim().split('\n');
    const row = JSON.parse(lines[1]);
    row.actor = 'user:999';
    lines[1] = JSON.stringify(row);
    writeFileSync(join(out, 'audit.jsonl'), `${lines.join('\n')}\n`);
    const bad = runVerify(out);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/第 2 条/);
    // a shortened export is caught by the checkpoints
    writeFileSync(join(out, 'audit.jsonl'), '');
    expect(runVerify(out).status).toBe(1);
  });

  it('the API bundle is audited, verifies offline, and needs the permission at the top org', async () => {
    const res = await t.built.app.inject({ method: 'GET', url: '/api/audit/export.ndjson', headers: { cookie: await t.login('admin') } });
    expect(res.statusCode).toBe(200);
    const dir = mkdtempSync(join(tmpdir(), 'zhibu-ax2-'));
    const bundle = join(dir, 'bundle.ndjson');
    writeFileSync(bundle, res.body);
    const script = JSON.parse(res.body.split('\n')[1]) as { type: string; text: string };
    expect(script.type).toBe('verifyScript');
    writeFileSync(join(dir, 'verify.mjs'), script.text);
    const v = runVerify(bundle);
    expect(v.status, v.stderr).toBe(0);
    const last = await one<{ action: string; entity: string }>(t.ctx.db, sql`select action, entity from audit_log where tenant_id = ${tenantId} order by seq desc limit 1`);
    expect(last).toEqual({ action: 'export', entity: 'audit' });
    expect((await t.built.app.inject({ method: 'GET', url: '/api/audit/export.ndjson', headers: { cookie: await t.login('county') } })).statusCode).toBe(403);
  });
});
