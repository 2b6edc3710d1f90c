import type { Db } from '../db/connection.js';
import type { Clock } from './clock.js';
import type { Cipher } from './crypto.js';

/**
 * What every service needs. `db` is a plain mutable field so a test can hand the app a transaction
 * (rolled back after each case) — the app always reads `ctx.db` per request.
 */
export interface AppContext {
  db: Db;
  dbKind: 'pglite' | 'postgres';
  clock: Clock;
  cipher: Cipher;
  dataDir: string;
}
