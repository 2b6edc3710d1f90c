import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import pg from 'pg';
import { DB_VARIANT, PG_ADMIN_URL, TEST_SECRET, TEST_TODAY, pgUrlFor } from './env.js';

/**
 * Issue 17 #14: `zhibu serve` on an empty database (no --demo) creates no account with a known
 * password; the first administrator comes from `zhibu create-admin`.
 */
let dataDir: string;
let env: NodeJS.ProcessEnv;
let pgName: string | undefined;

const freePort = () => new Promise<number>((resolve) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
});

async function withServer<T>(fn: (url: string, log: () => string) => Promise<T>): Promise<T> {
  const port = await freePort();
  const proc = spawn(process.execPath, ['bin/zhibu.js', 'serve', '--port', String(port)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 120_000);
      const on = (d: Buffer) => { log += d.toString(); if (log.includes('按 Ctrl+C 停止')) { clearTimeout(timer); resolve(); } };
      proc.stdout!.on('data', on);
      proc.stderr!.on('data', on);
      proc.once('exit', (c) => reject(new Error(`server exited ${c}:\n${log}`)));
    });
    return await fn(`http://127.0.0.1:${port}`, () => log);
  } finally {
    proc.removeAllListeners('exit');
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    await exited;
  }
}

const loginAt = (url: string, username: string, password: string) =>
  fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'zhibu-prod-'));
  env = { ...process.env, ZHIBU_DATA: dataDir, ZHIBU_SECRET: TEST_SECRET, ZHIBU_TODAY: TEST_TODAY, DATABASE_URL: '', NODE_ENV: 'production' };
  if (DB_VARIANT === 'postgres') {
    pgName = `zhibu_prod_${process.pid}_${Date.now().toString(36)}`;
    const c = new pg.Client({ connectionString: PG_ADMIN_URL });
    await c.connect();
    await c.query(`create database ${pgName}`);
    await c.end();
    env.DATABASE_URL = pgUrlFor(pgName);
  }
});
afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  if (pgName) {
    const c = new pg.Client({ connectionString: PG_ADMIN_URL });
    await c.connect();
    await c.query(`drop database if exists ${pgName} with (force)`);
    await c.end();
  }
});

describe(`production start on an empty database (${DB_VARIANT})`, () => {
  it('creates no demo account; create-admin makes the first administrator', async () => {
    await withServer(async (url, log) => {
      expect(log()).toContain('create-admin');
      expect(log()).not.toContain('zhibu123');
      for (const u of ['admin', 'county', 'street1', 'branch1', 'member1']) expect((await loginAt(url, u, 'zhibu123')).status).toBe(401);
      const r = await fetch(`${url}/api/health`);
      expect(r.status).toBe(200);
    });
    const made = spawnSync(process.execPath, ['bin/zhibu.js', 'create-admin', '-u', 'root', '--password', 'Strong-pass-2026', '--org-name', '测试县委'], { env, encoding: 'utf8', timeout: 120_000 });
    expect(made.status, made.stderr).toBe(0);
    await withServer(async (url, log) => {
      expect(log()).not.toContain('create-admin');
      const ok = await loginAt(url, 'root', 'Strong-pass-2026');
      expect(ok.status).toBe(200);
      const cookie = ok.headers.get('set-cookie')!.split(';')[0];
      const me = await (await fetch(`${url}/api/auth/me`, { headers: { cookie } })).json();
      expect(me.grants).toEqual([expect.objectContaining({ orgName: '测试县委', role: 'sysAdmin' })]);
    });
  }, 300_000);
});
