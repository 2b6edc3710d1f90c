import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { one, rows } from '../src/db/connection.js';
import { BACKUP_TABLES, DERIVED_TABLES, TRANSIENT_TABLES, backup, restore } from '../src/platform/backup.js';
import { verifyAudit } from '../src/platform/audit.js';
import { openTestDb, type TestDb } from './db.js';

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
afterAll(async () => t?.close());

describe('backup and restore', () => {
  it('covers every table of the schema (a new table must be added to the backup list)', async () => {
    const tables = await rows<{ table_name: string }>(t.ctx.db, sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`);
    const listed = new Set<string>([...BACKUP_TABLES, ...TRANSIENT_TABLES, ...DERIVED_TABLES]);
    expect(tables.map((x) => x.table_name).filter((n) => !listed.has(n))).toEqual([]);
  });

  it('round-trips every row; the audit chain still verifies and sequences continue', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zhibu-backup-'));
    const before = await one<{ people: number; audit: number }>(t.ctx.db, sql`select (select count(*)::int from people) as people, (select count(*)::int from audit_log) as audit`);
    const ledger = sql`select * from dues_member_months order by person_id, month, org_id`;
    const ledgerBefore = await rows(t.ctx.db, ledger);
    expect(ledgerBefore.length).toBeGreaterThan(0);
    await backup(t.ctx.db, dir);
    await t.ctx.db.execute(sql`delete from login_attempts`);
    await restore(t.ctx.db, dir);
    const after = await one<{ people: number; audit: number }>(t.ctx.db, sql`select (select count(*)::int from people) as people, (select count(*)::int from audit_log) as audit`);
    expect(after).toEqual(before);
    // the per-org member counts are rebuilt by the triggers, not doubled or lost
    const drift = await rows(t.ctx.db, sql`select coalesce(c.org_path, p.org_path) as path from (select tenant_id, org_path, stage, state, sum(n)::int as n from member_counts group by 1, 2, 3, 4 having sum(n) <> 0) c
      full join (select tenant_id, org_path, stage, state, count(*)::int as n from people group by 1, 2, 3, 4) p using (tenant_id, org_path, stage, state) where c.n is distinct from p.n`);
    expect(drift).toEqual([]);
    // the dues member-month ledger is rebuilt by its triggers, row for row
    expect(await rows(t.ctx.db, ledger)).toEqual(ledgerBefore);
    expect((await verifyAudit(t.ctx.db)).ok).toBe(true);
    const next = await one<{ id: number }>(t.ctx.db, sql`insert into tenants (name, created_at, updated_at) values ('x', '', '') returning id`);
    const max = await one<{ m: number }>(t.ctx.db, sql`select max(id)::int as m from tenants where name <> 'x'`);
    expect(next!.id).toBeGreaterThan(max!.m);
  });
});
