import { defineConfig } from 'vitest/config';

/**
 * Three projects: `unit` (pure domain rules, no database), `integration` (real databases: run once
 * with ZHIBU_TEST_DB=pglite and once with ZHIBU_TEST_DB=postgres), `e2e` (real Chromium, PGlite).
 * scripts/test.mjs runs them in turn and prints the final `N passed, N failed` line.
 */
export default defineConfig({
  test: {
    env: { TZ: 'Asia/Shanghai' },
    projects: [
      {
        test: { name: 'unit', include: ['src/domain/**/*.test.ts', 'src/**/*.unit.test.ts', 'web/src/**/*.unit.test.ts'], environment: 'node' },
      },
      {
        test: {
          name: 'integration',
          include: ['src/**/*.int.test.ts', 'test/**/*.int.test.ts'],
          globalSetup: ['test/globalSetup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: 'forks',
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.test.ts'],
          globalSetup: ['e2e/globalSetup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          pool: 'forks',
          maxWorkers: 1,
          fileParallelism: false,
        },
      },
    ],
  },
});
