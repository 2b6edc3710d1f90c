/** Fixed facts for every test run (STYLE.md §11: pin time). */
export const TEST_TODAY = '2026-11-20';
export const TEST_SECRET = 'zhibu-test-secret-not-for-production';
export const PG_ADMIN_URL = process.env.ZHIBU_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export type DbVariant = 'pglite' | 'postgres';
export const DB_VARIANT: DbVariant = process.env.ZHIBU_TEST_DB === 'postgres' ? 'postgres' : 'pglite';

export function pgUrlFor(dbName: string): string {
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${dbName}`;
  return u.toString();
}
