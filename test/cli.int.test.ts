import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../src/db/connection.js';
import { buildDemoDataset } from '../src/demo/demo.js';
import { DEMO_SERVICE_SECRETS } from '../src/modules/service/seed.js';
import { DB_VARIANT, openTestDb, type TestDb } from './db.js';
import { TEST_SECRET, TEST_TODAY } from './env.js';

/**
 * The `zhibu` command against a real database: on PGlite a data dir of its own (the CLI migrates and
 * seeds it), on PostgreSQL a cloned test database via DATABASE_URL.
 */
let dataDir: string;
let tdb: TestDb | null = null;
let env: NodeJS.ProcessEnv;

function zhibu(...args: string[]) {
  return spawnSync(process.execPath, ['bin/zhibu.js', ...args], { env, encoding: 'utf8', timeout: 120_000 });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'zhibu-cli-'));
  env = { ...process.env, ZHIBU_DATA: dataDir, ZHIBU_SECRET: TEST_SECRET, ZHIBU_TODAY: TEST_TODAY };
  if (DB_VARIANT === 'postgres') {
    tdb = await openTestDb();
    env.DATABASE_URL = tdb.url;
  } else {
    const r = zhibu('seed', 'demo');
    expect(r.status, r.stderr).toBe(0);
  }
}, 180_000);
afterAll(async () => {
  await tdb?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function tamper(statement: string) {
  if (tdb) {
    await tdb.ctx.db.execute(sql.raw(statement));
    return;
  }
  const h = await openDatabase({ dataDir: join(dataDir, 'pglite') });
  await h.db.execute(sql.raw(statement));
  await h.close();
}

describe('zhibu CLI', () => {
  it('--help lists the commands in Chinese', () => {
    const r = zhibu('--help');
    expect(r.status).toBe(0);
    for (const c of ['serve', 'migrate', 'seed', 'import', 'export', 'backup', 'restore', 'audit', 'create-admin', 'reset-totp', 'jobs']) expect(r.stdout).toContain(c);
  });

  it('audit verify passes, then fails and names the row after one audit row is altered', async () => {
    const ok = zhibu('audit', 'verify');
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/审计链完整/);
    await tamper(`update audit_log set meta = '{"tampered":true}'::jsonb where seq = 1`);
    const bad = zhibu('audit', 'verify');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/第 1 条/);
    await tamper(`update audit_log set meta = null where seq = 1`);
  });

  it('jobs run is idempotent per business date', () => {
    const first = zhibu('jobs', 'run', 'findings.daily');
    expect(first.status, first.stderr).toBe(0);
    const second = zhibu('jobs', 'run', 'findings.daily');
    expect(second.stdout).toMatch(/今天已运行过/);
  });

  it('reset-totp lifts a lost second factor, ends the sessions and writes a security event', async () => {
    await tamper(`update users set totp_secret = 'lost-phone', recovery_codes = '[]'::jsonb where username = 'branch1'`);
    const r = zhibu('reset-totp', '-u', 'branch1');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/已解除 branch1 的双因素认证/);
    const again = zhibu('reset-totp', '-u', 'branch1');
    expect(again.stdout).toMatch(/未启用双因素认证/);
    expect(zhibu('reset-totp', '-u', 'nobody-here').status).not.toBe(0);
  });

  it('backup and restore round-trip', () => {
    const out = join(dataDir, 'backup');
    const b = zhibu('backup', '--out', out);
    expect(b.status, b.stderr).toBe(0);
    const meta = JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8'));
    expect(meta.tables.people).toBeGreaterThan(500);
    const r = zhibu('restore', out);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/密钥/);
  });

  it('refuses to start with another key', () => {
    const r = spawnSync(process.execPath, ['bin/zhibu.js', 'migrate'], { env: { ...env, ZHIBU_SECRET: 'another-secret' }, encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/密钥与数据库不匹配/);
  });

  it.runIf(DB_VARIANT === 'pglite')('the data directory holds no ID number, mobile or volunteer/household personal data in clear', () => {
    const { ds } = buildDemoDataset(TEST_TODAY);
    const secrets = ds.people.flatMap((p) => [p.idNumber, p.mobile]).filter((x): x is string => !!x);
    expect(secrets.length).toBeGreaterThan(1000);
    const files: string[] = [];
    const walk = (d: string) => { for (const e of readdirSync(d)) { const p = join(d, e); if (statSync(p).isDirectory()) walk(p); else files.push(p); } };
    walk(join(dataDir, 'pglite'));
    // plus the community-service module's volunteers (mobiles) and households (home addresses, UTF-8)
    const needles = [...secrets.slice(0, 400), ...DEMO_SERVICE_SECRETS].map((s) => Buffer.from(s, 'utf8'));
    for (const f of files) {
      const buf = readFileSync(f);
      for (const n of needles) expect(buf.includes(n), `${n} found in ${f}`).toBe(false);
    }
  });
});
