/**
 * Benchmarks (non-negotiable 5): every figure is a ratio against a baseline measured in the same run.
 *   node --import tsx bench/run.ts [--db pglite|postgres|both] [--members 60000] [--orgs 3000] [--seconds 5] [list] [stats] [import]
 * Prints a Markdown table per database; BENCHMARKS.md records the results with the machine described.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import Fastify from 'fastify';
import { sql } from 'drizzle-orm';
import { one, rows } from '../src/db/connection.js';
import { buildApp } from '../src/app.js';
import { getFigure } from '../src/platform/figures.js';
import { AGE_BANDS, ageBandCutoffs, partyAgeBandCutoffs } from '../src/domain/bands.js';
import { openBenchDb, BENCH_PASSWORD, BENCH_TODAY, type BenchDb } from './setup.js';
import { benchImport } from './importBench.js';

const args = process.argv.slice(2);
const opt = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const sections = args.filter((a) => ['list', 'stats', 'import'].includes(a));
const want = (s: string) => sections.length === 0 || sections.includes(s);
const dbs = opt('db', 'both') === 'both' ? (['postgres', 'pglite'] as const) : ([opt('db', 'postgres')] as ('pglite' | 'postgres')[]);
const MEMBERS = Number(opt('members', '60000'));
const ORGS = Number(opt('orgs', '3000'));
const SECONDS = Number(opt('seconds', '5'));
const CONC = Number(opt('concurrency', '8'));

function load(url: string, cookie: string, seconds = SECONDS): Promise<{ rps: number; p50: number; p99: number; requests: number; errors: number }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', 'bench/load.ts', url, cookie || '-', String(CONC), String(seconds), '1000000'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load exited ${code}`))));
  });
}

const LIST_SQL = (tenantId: number, prefix: string | null, extra = sql``) => {
  const subtree = prefix ? sql`and (p.org_path like ${`${prefix}%`})` : sql``;
  const where = sql`p.tenant_id = ${tenantId} ${subtree} and p.stage in ('probationary','full') and p.state in ('active','lostContact') ${extra}`;
  return {
    page: sql`select p.id, p.name, p.gender, p.ethnicity, p.birth_date, p.org_id, o.name as org_name, p.stage, p.state, p.education,
      p.occupation, p.admitted_on, p.full_on, p.id_number_masked, p.mobile_masked, p.id_number_problem, p.transfer_pending
      from people p join orgs o on o.id = p.org_id where ${where} order by p.name, p.id limit 20 offset 0`,
    count: sql`select count(*)::int as n from people p where ${where}`,
    // The best shape found (issue 18): the same page, the total from a per-org summary table a DBA
    // would add (member_counts, kept by triggers), summed over the subtree; a name search still counts.
    best: sql`select coalesce(sum(c.n), 0)::int as n from member_counts c where c.tenant_id = ${tenantId} ${prefix ? sql`and c.org_path like ${`${prefix}%`}` : sql``}
      and c.stage in ('probationary','full') and c.state in ('active','lostContact')`,
  };
}

async function listBench(b: BenchDb, out: string[]) {
  const { app } = await buildApp(b.ctx);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const ours = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const bare = Fastify();
  const township = await one<{ id: number; path: string }>(b.ctx.db, sql`select id, path from orgs where tenant_id = ${b.tenantId} and depth = 1 and kind = 'subdistrictWorkCommittee' order by id limit 1`);
  // The whole county needs no subtree test (tenant_id says it); a township does.
  const cases: Record<string, { prefix: string | null; extra: ReturnType<typeof sql>; summable: boolean }> = {
    county: { prefix: null, extra: sql``, summable: true },
    township: { prefix: township!.path, extra: sql``, summable: true },
    search: { prefix: null, extra: sql`and p.name >= ${'王'} and p.name < ${'玌'}`, summable: false },
  };
  const answer = async (name: string, best: boolean) => {
    const c = cases[name];
    const q = LIST_SQL(b.tenantId, c.prefix, c.extra);
    const items = await rows(b.ctx.db, q.page);
    const total = await one<{ n: number }>(b.ctx.db, best && c.summable ? q.best : q.count);
    return { total: total!.n, items };
  };
  bare.get('/bare/:case', async (req) => answer((req.params as { case: string }).case, false));
  bare.get('/best/:case', async (req) => answer((req.params as { case: string }).case, true));
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const bareUrl = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}`;
  const login = await fetch(`${ours}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench', password: BENCH_PASSWORD }) });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const urls: Record<string, string> = {
    county: `${ours}/api/members?page=1&pageSize=20`,
    township: `${ours}/api/members?page=1&pageSize=20&org=${township!.id}`,
    search: `${ours}/api/members?page=1&pageSize=20&q=${encodeURIComponent('王')}`,
  };
  for (const name of Object.keys(cases)) {
    // the same answer three ways first: the totals are exact on every side
    const mine = (await (await fetch(urls[name], { headers: { cookie } })).json()) as { total: number };
    const [h, best] = [await answer(name, false), await answer(name, true)];
    if (mine.total !== h.total || best.total !== h.total) throw new Error(`${name}: totals differ (${mine.total}, ${h.total}, ${best.total})`);
    await load(urls[name], cookie, 1);
    await load(`${bareUrl}/bare/${name}`, '', 1);
    await load(`${bareUrl}/best/${name}`, '', 1);
    const o = await load(urls[name], cookie);
    const bb = await load(`${bareUrl}/bare/${name}`, '');
    const bs = await load(`${bareUrl}/best/${name}`, '');
    if (o.errors || bb.errors || bs.errors) throw new Error(`errors during ${name}: ours ${o.errors}, bare ${bb.errors}, best ${bs.errors}`);
    out.push(`| member list: ${name} | ${o.rps} req/s (p99 ${o.p99} ms) | ${bb.rps} req/s (p99 ${bb.p99} ms) | ${bs.rps} req/s (p99 ${bs.p99} ms) | **${(o.rps / bb.rps * 100).toFixed(0)}%** of hand, **${(o.rps / bs.rps * 100).toFixed(0)}%** of best | ≥ 60% of best |`);
  }
  await app.close();
  await bare.close();
}

/** The whole-county statistics: our figures vs one hand-written SQL with the same semantics. */
async function statsBench(b: BenchDb, out: string[]) {
  const fig = getFigure('members.count')!;
  const dims = ['gender', 'minority', 'ageBand', 'partyAgeBand', 'education', 'occupation', 'stage'];
  const fctx = { db: b.ctx.db, scope: { tenantId: b.tenantId, paths: [b.rootPath], personId: null }, today: BENCH_TODAY };
  const ours = async () => {
    const r = await fig.computeMany!(fctx, { from: '2026-01-01', to: BENCH_TODAY, params: {} }, dims);
    return r;
  };
  const age = ageBandCutoffs(AGE_BANDS, BENCH_TODAY);
  const pa = partyAgeBandCutoffs(BENCH_TODAY);
  const range = (col: string, c: { from: string | null; to: string | null }) =>
    [c.from ? `${col} >= '${c.from}'` : 'true', c.to ? `${col} <= '${c.to}'` : 'true'].join(' and ');
  const handSql = `select count(*)::int as total,
      count(*) filter (where p.gender = 'female')::int as female,
      count(*) filter (where p.ethnicity <> '汉族')::int as minority,
      ${age.map((c, i) => `count(*) filter (where ${range('p.birth_date', c)})::int as age${i}`).join(',\n      ')},
      count(*) filter (where m.stage = 'probationary')::int as probationary,
      ${pa.filter((c) => !c.includesNull).map((c, i) => `count(*) filter (where m.stage = 'full' and ${range('p.full_on', c)})::int as pa${i}`).join(',\n      ')},
      count(*) filter (where p.education in ('graduate','bachelor','college'))::int as college,
      ${['graduate', 'bachelor', 'college', 'technicalSecondary', 'highSchool', 'juniorOrBelow'].map((e) => `count(*) filter (where p.education = '${e}')::int as edu_${e}`).join(',\n      ')},
      ${['worker', 'farmer', 'professional', 'manager', 'official', 'student', 'other', 'retired'].map((e) => `count(*) filter (where p.occupation = '${e}')::int as occ_${e}`).join(',\n      ')}
    from membership_periods m join people p on p.id = m.person_id join orgs o on o.id = m.org_id
    where m.tenant_id = ${b.tenantId} and m.valid_from <= '${BENCH_TODAY}' and (m.valid_to is null or m.valid_to > '${BENCH_TODAY}')
      and m.stage in ('probationary','full') and m.state in ('active','lostContact') and o.path like '${b.rootPath}%'`;
  const hand = async () => rows(b.ctx.db, sql.raw(handSql));
  // correctness first: same totals
  const o = await ours();
  const h = (await hand())[0] as Record<string, number>;
  if (o.gender.value !== h.total) throw new Error(`stats disagree: ${o.gender.value} vs ${h.total}`);
  const time = async (fn: () => Promise<unknown>, n: number) => {
    const t: number[] = [];
    for (let i = 0; i < n; i++) {
      const s = performance.now();
      await fn();
      t.push(performance.now() - s);
    }
    t.sort((a, c) => a - c);
    return { median: t[Math.floor(n / 2)], p99: t[n - 1] };
  };
  await time(ours, 2);
  await time(hand, 2);
  const n = 15;
  const tOurs = await time(ours, n);
  const tHand = await time(hand, n);
  out.push(`| whole-county statistics (${dims.length} breakdowns) | ${tOurs.median.toFixed(0)} ms (max ${tOurs.p99.toFixed(0)}) | ${tHand.median.toFixed(0)} ms (max ${tHand.p99.toFixed(0)}) | the hand SQL (no better shape found) | **${(tOurs.median / tHand.median).toFixed(2)}×** | ≤ 2× |`);
}

console.log(`# zhibu benchmarks — ${new Date().toISOString().slice(0, 10)}`);
console.log(`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`);
console.log(`Data: generated county, ${ORGS} orgs target, ${MEMBERS} members; load: ${CONC} concurrent keep-alive clients, ${SECONDS} s per measurement, separate process.`);
for (const kind of dbs) {
  const b = await openBenchDb(kind, MEMBERS, ORGS);
  const out: string[] = [];
  console.log(`\n## ${kind === 'pglite' ? 'PGlite (embedded)' : 'PostgreSQL 15 (127.0.0.1)'} — seeded in ${b.seedSeconds.toFixed(1)} s`);
  try {
    if (want('list')) await listBench(b, out);
    if (want('stats')) await statsBench(b, out);
    if (want('import')) await benchImport(b, out, MEMBERS);
  } finally {
    console.log('\n| measurement | zhibu | module\'s hand SQL (same run) | best shape (same run) | ratios | target |\n|---|---|---|---|---|---|');
    for (const l of out) console.log(l);
    await b.close();
  }
}
