import type { BenchDb } from './setup.js';

/** Filled in when the member import lands: 60,000-row import time against the raw bulk insert. */
export async function benchImport(b: BenchDb, out: string[], members: number): Promise<void> {
  void b;
  out.push(`| import ${members} rows | not measured yet | | | ≤ 30 s |`);
}
