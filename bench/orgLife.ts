/**
 * Organizational-life compliance benchmark (issue 4): the compliance engine over the whole generated
 * county (≈3,000 orgs × 12 months) against the equivalent hand-written SQL, in the same run, on each
 * database; both must give the same met / overdue / pending counts per org and month.
 *   node --import tsx bench/orgLife.ts [--db pglite|postgres|both] [--members 60000] [--orgs 3000] [--runs 5]
 */
import os from 'node:os';
import { sql } from 'drizzle-orm';
import { rows } from '../src/db/connection.js';
import { addMonths, addYears, monthEnd, monthStart } from '../src/domain/dates.js';
import { COMMITTEE_POSTS } from '../src/domain/vocab.js';
import { complianceMatrix, loadCompliance } from '../src/modules/orgLife/compliance.js';
import '../src/modules/registry.js';
import { generateBenchMeetings } from './orgLifeData.js';
import { BENCH_TODAY, openBenchDb, type BenchDb } from './setup.js';

const args = process.argv.slice(2);
const opt = (name: string, def: string) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : def; };
const dbs = opt('db', 'both') === 'both' ? (['postgres', 'pglite'] as const) : ([opt('db', 'postgres')] as ('pglite' | 'postgres')[]);
const MEMBERS = Number(opt('members', '60000'));
const ORGS = Number(opt('orgs', '3000'));
const RUNS = Number(opt('runs', '5'));

const lastMonth = BENCH_TODAY.slice(0, 7);
const from = addMonths(monthStart(BENCH_TODAY), -11);
const to = monthEnd(BENCH_TODAY);
type Cells = Map<string, { met: number; overdue: number; pending: number }>;

async function engine(b: BenchDb): Promise<Cells> {
  const data = await loadCompliance(b.handle.db, b.tenantId, [b.rootPath], from, to, BENCH_TODAY, { mode: 'due' });
  const out: Cells = new Map();
  for (const r of data.results) {
    const k = `${r.orgId}:${r.dueOn.slice(0, 7)}`;
    const c = out.get(k) ?? { met: 0, overdue: 0, pending: 0 };
    if (r.status === 'done') c.met += 1; else if (r.status === 'overdue') c.overdue += 1; else c.pending += 1;
    out.set(k, c);
  }
  return out;
}

/** The same obligations written by hand in one SQL statement, from DOMAIN.md §3.3–§3.4 (default settings). */
async function handSql(b: BenchDb, variant: 'exists' | 'join' = 'exists'): Promise<Cells> {
  const genFrom = addYears(from, -1);
  const posts = sql.join(COMMITTEE_POSTS.map((p) => sql`${p}`), sql`, `);
  const r = await rows<{ org_id: number; month: string; met: number; overdue: number; pending: number }>(b.handle.db, sql`
    with o as (select id, kind, established_on, dissolved_on from orgs
               where tenant_id = ${b.tenantId} and kind in ('branch','jointBranch','temporaryBranch','partyGroup') and path like ${`${b.rootPath}%`}
                 and (dissolved_on is null or dissolved_on > ${genFrom}::date)),
    months as (select d::date as s, (d + interval '1 month' - interval '1 day')::date as e
               from generate_series(date_trunc('month', ${genFrom}::date), ${to}::date, interval '1 month') d),
    quarters as (select d::date as s, (d + interval '3 month' - interval '1 day')::date as e
               from generate_series(date_trunc('quarter', ${genFrom}::date), ${to}::date, interval '3 month') d),
    years as (select make_date(y, 1, 1) as s, make_date(y, 12, 31) as e, y from generate_series(extract(year from ${genFrom}::date)::int, extract(year from ${to}::date)::int) y),
    ob as (
      select o.id as org_id, 'committeeMeeting'::text as kind, m.s, m.e, m.e as due from o cross join months m
        where o.kind in ('branch','jointBranch') and (select count(*) from post_terms t where t.org_id = o.id and t.post in (${posts})
          and t.valid_from <= m.s and (t.valid_to is null or t.valid_to > m.s)) >= 3
      union all select o.id, 'themedPartyDay', m.s, m.e, m.e from o cross join months m where o.kind in ('branch','jointBranch','temporaryBranch')
      union all select o.id, 'groupMeeting', m.s, m.e, m.e from o cross join months m where o.kind = 'partyGroup'
      union all select o.id, 'memberAssembly', q.s, q.e, q.e from o cross join quarters q where o.kind in ('branch','jointBranch')
      union all select o.id, k.kind, y.s, y.e, make_date(y.y + 1, 3, 31) from o cross join years y cross join (values ('orgLifeMeeting'), ('memberReview')) k(kind)
        where o.kind in ('branch','jointBranch')
    ),
    owed as (select ob.* from ob join o on o.id = ob.org_id
             where (o.established_on is null or o.established_on <= ob.s) and (o.dissolved_on is null or o.dissolved_on > ob.e)
               and ob.due between ${from}::date and ${to}::date),
    ${variant === 'exists' ? sql`judged as (select owed.*, exists (select 1 from meetings mt where mt.org_id = owed.org_id and mt.counts_as_held
                 and (mt.kind = owed.kind or owed.kind = any(mt.also_counts_as))
                 and case when owed.kind in ('orgLifeMeeting','memberReview')
                          then coalesce(mt.for_year, extract(year from mt.held_on)::int) = extract(year from owed.s)::int
                          else mt.held_on between owed.s and owed.e end) as met from owed)`
    : sql`mk as (select mt.org_id, k.kind, mt.held_on, coalesce(mt.for_year, extract(year from mt.held_on)::int) as fy
                 from meetings mt cross join lateral unnest(array[mt.kind] || mt.also_counts_as) as k(kind)
                 where mt.tenant_id = ${b.tenantId} and mt.counts_as_held and mt.held_on >= ${`${genFrom.slice(0, 4)}-01-01`}::date and mt.held_on <= (${to}::date + interval '3 month')),
    hits as (select distinct owed.org_id, owed.kind, owed.s from owed join mk on mk.org_id = owed.org_id and mk.kind = owed.kind
                 and case when owed.kind in ('orgLifeMeeting','memberReview') then mk.fy = extract(year from owed.s)::int else mk.held_on between owed.s and owed.e end),
    judged as (select owed.*, (h.org_id is not null) as met from owed left join hits h on h.org_id = owed.org_id and h.kind = owed.kind and h.s = owed.s)`}
    select org_id, to_char(due, 'YYYY-MM') as month, count(*) filter (where met)::int as met,
      count(*) filter (where not met and due < ${BENCH_TODAY}::date)::int as overdue, count(*) filter (where not met and due >= ${BENCH_TODAY}::date)::int as pending
    from judged group by 1, 2`);
  return new Map(r.map((x) => [`${x.org_id}:${x.month}`, { met: x.met, overdue: x.overdue, pending: x.pending }]));
}

function same(a: Cells, b: Cells): string | null {
  if (a.size !== b.size) return `cell count differs: ${a.size} vs ${b.size}`;
  for (const [k, v] of a) {
    const w = b.get(k);
    if (!w || w.met !== v.met || w.overdue !== v.overdue || w.pending !== v.pending) return `cell ${k} differs: ${JSON.stringify(v)} vs ${JSON.stringify(w)}`;
  }
  return null;
}

async function time(fn: () => Promise<unknown>) {
  await fn();
  const t: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const s = performance.now();
    await fn();
    t.push(performance.now() - s);
  }
  t.sort((x, y) => x - y);
  return { median: t[Math.floor(t.length / 2)], max: t[t.length - 1] };
}

const out: string[] = [`# orgLife compliance benchmark — ${BENCH_TODAY}`, `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  `Data: generated county, ${ORGS} orgs target, ${MEMBERS} members, 12 months of meetings; window ${from} … ${to}; ${RUNS} timed runs after one warm-up.`, ''];
for (const kind of dbs) {
  const b = await openBenchDb(kind, MEMBERS, ORGS);
  const n = await generateBenchMeetings(b.handle.db, b.tenantId, BENCH_TODAY);
  await b.handle.db.execute(sql`analyze`);
  const orgs = (await rows<{ n: number }>(b.handle.db, sql`select count(*)::int as n from orgs where tenant_id = ${b.tenantId}`))[0].n;
  const mine = await engine(b);
  const hand = await handSql(b);
  const diff = same(mine, hand);
  const tEngine = await time(() => engine(b));
  const tMatrix = await time(() => complianceMatrix(b.handle.db, b.tenantId, [b.rootPath], lastMonth, BENCH_TODAY, null));
  const handJoin = await handSql(b, 'join');
  const diff2 = same(hand, handJoin);
  const tExists = await time(() => handSql(b));
  const tJoin = await time(() => handSql(b, 'join'));
  // the baseline is the faster of the two hand-written forms
  const tHand = tExists.median <= tJoin.median ? tExists : tJoin;
  const obligations = [...mine.values()].reduce((s, c) => s + c.met + c.overdue + c.pending, 0);
  out.push(`## ${kind === 'postgres' ? 'PostgreSQL 15 (127.0.0.1)' : 'PGlite (embedded)'} — ${orgs} orgs, ${n} meetings, ${obligations} obligations; seeded in ${b.seedSeconds.toFixed(1)} s`, '',
    '| measurement | zhibu | hand-written SQL (faster form, same run) | ratio | target |', '|---|---|---|---|---|',
    `| hand-written SQL, correlated EXISTS per obligation | ${tExists.median.toFixed(0)} ms | | | |`,
    `| hand-written SQL, meetings unnested and joined${diff2 ? ` (DIFFERS: ${diff2})` : ''} | ${tJoin.median.toFixed(0)} ms | | | |`,
    `| whole-county compliance, org × month (${mine.size} cells; results ${diff ? `DIFFER: ${diff}` : 'identical'}) | ${tEngine.median.toFixed(0)} ms (max ${tEngine.max.toFixed(0)}) | ${tHand.median.toFixed(0)} ms (max ${tHand.max.toFixed(0)}) | **${(tEngine.median / tHand.median).toFixed(2)}×** | ≤ 2× |`,
    `| higher-committee matrix route body (rows = branches, groups rolled up) | ${tMatrix.median.toFixed(0)} ms (max ${tMatrix.max.toFixed(0)}) | ${tHand.median.toFixed(0)} ms | **${(tMatrix.median / tHand.median).toFixed(2)}×** | ≤ 2× |`, '');
  await b.close();
  if (diff || diff2) process.exitCode = 1;
}
console.log(out.join('\n'));
