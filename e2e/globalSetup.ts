import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

/** The environment every journey's server runs with (the template is seeded with the same one). */
export const E2E_ENV = { ZHIBU_TODAY: '2026-11-20', ZHIBU_SECRET: 'e2e-secret', DATABASE_URL: '' };

/**
 * Seed the demo county once per run into a template PGlite data dir; each journey's server starts on a
 * copy of it (e2e/harness.ts), so a journey no longer waits for its own demo seed.
 */
export default function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'zhibu-e2e-tpl-'));
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['bin/zhibu.js', 'seed', 'demo'], {
    env: { ...process.env, ...E2E_ENV, ZHIBU_DATA: dir },
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (r.status !== 0 || !/已生成/.test(r.stdout)) {
    throw new Error(`demo seed for the browser journeys failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  console.log(`e2e: demo seeded once in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  project.provide('e2eTemplate', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    e2eTemplate: string;
  }
}
