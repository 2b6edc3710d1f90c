/**
 * Dues benchmark (issue 5): in the same run, against hand-written SQL with the same meaning,
 *   1. the monthly collection screen's data for a 50-member branch (collectionView), and
 *   2. the whole-county dues figures for a year (the seven dues.* figures' compute()).
 *   node --import tsx bench/dues.ts [--db pglite|postgres|both] [--members 60000] [--orgs 3000] [--runs 200] [--figureRuns 5] [--explain]
 * The county comes from bench/setup.ts; a year of dues (a base per member, monthly payments with some
 * members in arrears, voluntary dues, quarterly hand-ins) is added with set-based SQL.
 */
import os from 'node:os';
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../src/db/connection.js';
import { getFigure } from '../src/platform/figures.js';
import { evaluateFindings } from '../src/platform/findings.js';
import type { Scope } from '../src/platform/scope.js';
import { collectionView } from '../src/modules/dues/collection.js';
import '../src/modules/registry.js';
import { openBenchDb, BENCH_TODAY, type BenchDb } from './setup.js';
import { MONTH, YEAR_FROM, bestFigures, handCollection, handFigures, seedDues } from './duesData.js';

const args = process.argv.slice(2);
const opt = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const dbs = opt('db', 'both') === 'both' ? (['postgres', 'pglite'] as const) : ([opt('db', 'postgres')] as ('pglite' | 'postgres')[]);
const MEMBERS = Number(opt('members', '60000'));
const ORGS = Number(opt('orgs', '3000'));
const RUNS = Number(opt('runs', '200'));

async function time(fn: () => Promise<unknown>, n: number) {
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await fn();
    t.push(performance.now() - s);
  }
  t.sort((a, c) => a - c);
  return { median: t[Math.floor(n / 2)], max: t[n - 1] };
}

async function run(b: BenchDb, out: string[]) {
  const { branch, branchPath } = await seedDues(b);
  const db = b.handle.db;
  const scope: Scope = { tenantId: b.tenantId, paths: [b.rootPath], personId: null };
  // 1. the collection screen for a 50-member branch — the same rows first
  const ours = () => collectionView(db, scope, branch, MONTH.slice(0, 7), BENCH_TODAY);
  const hand = () => rows(db, handCollection(b.tenantId, branchPath));
  if (args.includes('--explain')) {
    const { memberMonthsSql } = await import('../src/modules/dues/queries.js');
    const { pathPredicate } = await import('../src/platform/scope.js');
    for (let i = 0; i < 3; i++) {
      const plan = await rows<{ 'QUERY PLAN': string }>(db, sql`explain analyze ${memberMonthsSql({ tenantId: b.tenantId, orgPredicate: pathPredicate(sql`o.path`, { ...scope, paths: [branchPath] }), from: MONTH, to: MONTH, withVoluntary: true })}`);
      const hplan = await rows<{ 'QUERY PLAN': string }>(db, sql`explain analyze ${handCollection(b.tenantId, branchPath)}`);
      console.log(plan.slice(-2).map((x) => x['QUERY PLAN']).join(' '), '| hand', hplan.slice(-2).map((x) => x['QUERY PLAN']).join(' '));
    }
  }
  const o = await ours();
  const h = await hand();
  if (o.rows.length !== h.length || o.rows.some((r, i) => r.personId !== (h[i] as { id: number }).id || r.dueFen !== (h[i] as { due_fen: number }).due_fen)) {
    throw new Error(`collection disagrees: ${o.rows.length} vs ${h.length} rows`);
  }
  await time(ours, 10);
  await time(hand, 10);
  const tO = await time(ours, RUNS);
  const tH = await time(hand, RUNS);
  out.push(`| collection screen, ${o.rows.length}-member branch (${branchPath}) | ${tO.median.toFixed(2)} ms (max ${tO.max.toFixed(1)}) | ${tH.median.toFixed(2)} ms (max ${tH.max.toFixed(1)}) | **${(tO.median / tH.median).toFixed(2)}×** | ≤ 2× |`);

  // 2. whole-county dues figures for the year — the same values first
  const ids = ['dues.due.amount', 'dues.paid.amount', 'dues.onTime.rate', 'dues.arrears.count', 'dues.backPayment.amount', 'dues.voluntary.amount', 'dues.handIn.amount'];
  const fctx = { db, scope, today: BENCH_TODAY };
  const q = { from: YEAR_FROM, to: BENCH_TODAY, params: {} };
  const figures = async () => {
    const v: Record<string, number | null> = {};
    for (const id of ids) v[id] = (await getFigure(id)!.compute(fctx, q)).value;
    return v;
  };
  if (args.includes('--explainFigures')) {
    // every statement the seven figures run, with its plan and timing (for BENCHMARKS.md)
    const explaining = { execute: async (query: ReturnType<typeof sql>) => {
      const t0 = performance.now();
      const plan = await rows<{ 'QUERY PLAN': string }>(db, sql`explain (analyze, buffers) ${query}`);
      console.log(`\n--- ${(performance.now() - t0).toFixed(0)} ms\n${plan.map((x) => x['QUERY PLAN']).join('\n')}`);
      return db.execute(query);
    } } as unknown as Db;
    for (const id of ids) {
      console.log(`\n===== ${id}`);
      await getFigure(id)!.compute({ ...fctx, db: explaining }, q);
    }
  }
  const fv = await figures();
  const hv = await handFigures(db, b.tenantId, b.rootPath, BENCH_TODAY);
  const bv = await bestFigures(db, b.tenantId, b.rootPath, BENCH_TODAY);
  for (const id of ids) if (fv[id] !== hv[id] || fv[id] !== bv[id]) throw new Error(`${id} disagrees: figure ${fv[id]} vs hand-written ${hv[id]} vs best shape ${bv[id]}`);
  const n = Number(opt('figureRuns', '5'));
  await figures();
  await handFigures(db, b.tenantId, b.rootPath, BENCH_TODAY);
  await bestFigures(db, b.tenantId, b.rootPath, BENCH_TODAY);
  const fO = await time(figures, n);
  const fH = await time(() => handFigures(db, b.tenantId, b.rootPath, BENCH_TODAY), n);
  const fB = await time(() => bestFigures(db, b.tenantId, b.rootPath, BENCH_TODAY), n);
  out.push(`| whole-county dues figures, year to ${BENCH_TODAY} (7 figures) | ${fO.median.toFixed(0)} ms (max ${fO.max.toFixed(0)}) | ${fH.median.toFixed(0)} ms (max ${fH.max.toFixed(0)}) | **${(fO.median / fH.median).toFixed(2)}×** | ≤ 2× |`);
  out.push(`|   best shape (one pass over the owed member-months) | | ${fB.median.toFixed(0)} ms (max ${fB.max.toFixed(0)}) | **${(fO.median / fB.median).toFixed(2)}×** the best shape | ≤ 1 s, ≤ 1.5× |`);
  out.push(`|   values | ${ids.map((id) => `${id.replace('dues.', '')} ${fv[id]}`).join(', ')} | same | | |`);

  // 3. for the record (no baseline): the daily job's evaluation of the dues rules over the whole county
  const e0 = performance.now();
  const summary = await db.transaction(async (tx) => evaluateFindings(tx as unknown as Db, { tenantId: b.tenantId, paths: null, today: BENCH_TODAY },
    { entities: ['duesPayment', 'duesBase', 'duesHandIn'], nowIso: '2026-11-20T00:00:00.000Z' }));
  out.push(`| daily evaluation of the 5 dues rules, whole county (${summary.opened} findings opened) | ${((performance.now() - e0) / 1000).toFixed(1)} s | — | — | — |`);
}

console.log(`# zhibu dues benchmark — ${new Date().toISOString().slice(0, 10)}`);
console.log(`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; county of ${ORGS} orgs target, ${MEMBERS} members.`);
for (const kind of dbs) {
  const b = await openBenchDb(kind, MEMBERS, ORGS);
  const out: string[] = [];
  console.log(`\n## ${kind === 'pglite' ? 'PGlite (embedded)' : 'PostgreSQL 15 (127.0.0.1)'} — county seeded in ${b.seedSeconds.toFixed(1)} s`);
  try {
    await run(b, out);
  } finally {
    console.log('\n| measurement | zhibu | hand-written SQL (same run) | ratio | target |\n|---|---|---|---|---|');
    for (const l of out) console.log(l);
    await b.close();
  }
}
