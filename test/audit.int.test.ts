import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { verifyAudit } from '../src/platform/audit.js';
import { openTestApp, type TestApp } from './db.js';

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(async () => t?.close());

describe('audit chain', () => {
  it('verifies after writes, and names the first altered row', async () => {
    await t.login('branch1');
    const ok = await verifyAudit(t.ctx.db);
    expect(ok.ok).toBe(true);
    await t.ctx.db.execute(sql`update audit_log set actor = 'user:999' where seq = 2`);
    const bad = await verifyAudit(t.ctx.db);
    expect(bad.ok).toBe(false);
    expect(bad.tenants[0].firstBroken?.seq).toBe(2);
  });

  it('removing the last rows is caught by the checkpoint', async () => {
    await t.ctx.db.execute(sql`update audit_log set actor = 'system' where seq = 2`);
    const max = await t.ctx.db.execute(sql`select max(seq) as m from audit_log`);
    void max;
    await t.ctx.db.execute(sql`delete from audit_log where seq = (select max(seq) from audit_log)`);
    const bad = await verifyAudit(t.ctx.db);
    expect(bad.ok).toBe(false);
  });
});
