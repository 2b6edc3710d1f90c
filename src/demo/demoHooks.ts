import type { Db } from '../db/connection.js';
import type { AppContext } from '../platform/context.js';
import type { Dataset } from './generator.js';
import type { Inserted } from './insert.js';
import type { Rng } from './random.js';

/**
 * What a module's demo seeder gets: the transaction, the inserted dataset with its ids, the clock's
 * today and a deterministic random source. Seeders write records only — findings are computed
 * afterwards by evaluation, never inserted.
 */
export interface DemoSeedContext {
  tx: Db;
  ctx: AppContext;
  ds: Dataset;
  ins: Inserted;
  today: string;
  rng: Rng;
  nowIso: string;
  /** Dataset keys of the acceptance fixtures: branch1's branch, street1's subdistrict, member1. */
  fixtures: { branch1: string; street1: string; member1: string; root: string };
}
