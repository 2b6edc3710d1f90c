/**
 * Reports benchmark (issue 13): drafting the report of every branch of the generated county through the
 * county job's worker (draftReports, batch.ts: every placeholder through the figure registry's batch
 * path, evidence counts, last year's review, candidates, chunked inserts with audit) against hand-written
 * SQL computing the same figures for the same branches in one statement, in the same run; both must agree
 * per branch. The template holds the member and meeting figures of the shipped branch template.
 *   node --import tsx bench/reports.ts [--db pglite|postgres|both] [--members 60000] [--orgs 3000] [--limit 0] [--runs 5]
 */
import os from 'node:os';
import { sql } from 'drizzle-orm';
import { rows } from '../src/db/connection.js';
import { systemActor, write } from '../src/platform/write.js';
import type { ReportTemplate } from '../src/modules/reports/contract.js';
import { saveTemplate } from '../src/modules/reports/service.js';
import { draftReports } from '../src/modules/reports/batch.js';
import { stockFrom } from '../src/modules/members/figures.js';
import type { PlaceholderState } from '../src/modules/reports/engine.js';
import '../src/modules/registry.js';
import { generateBenchMeetings } from './orgLifeData.js';
import { BENCH_TODAY, openBenchDb, type BenchDb } from './setup.js';

const args = process.argv.slice(2);
const opt = (name: string, def: string) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : def; };
const dbs = opt('db', 'both') === 'both' ? (['postgres', 'pglite'] as const) : ([opt('db', 'postgres')] as ('pglite' | 'postgres')[]);
const MEMBERS = Number(opt('members', '60000'));
const ORGS = Number(opt('orgs', '3000'));
const LIMIT = Number(opt('limit', '0'));
const RUNS = Number(opt('runs', '5'));
const YEAR = Number(BENCH_TODAY.slice(0, 4));

const TEMPLATE: Omit<ReportTemplate, 'version'> = {
  key: 'benchBranchSummary', name: '基准测试支部工作总结', kind: 'workSummary', orgKinds: ['branch', 'jointBranch'],
  title: '{{org}}{{year}}年度工作总结', signature: true,
  sections: [{
    heading: '一、基本情况', level: 1, blocks: [
      { type: 'paragraph', text: '支部共有党员{{fig members.count}}名，其中女党员{{fig members.count by=gender key=female}}名、预备党员{{fig members.count by=stage key=probationary}}名；全年发展党员{{fig members.admitted.count}}名。' },
      { type: 'paragraph', text: '全年召开会议{{fig orgLife.meeting.held}}次，其中主题党日{{fig orgLife.meeting.held by=kind key=themedPartyDay}}次、党员大会{{fig orgLife.meeting.held by=kind key=memberAssembly}}次、支委会{{fig orgLife.meeting.held by=kind key=committeeMeeting}}次、党课{{fig orgLife.meeting.held by=kind key=partyLecture}}次。' },
      { type: 'narrative', label: '主要做法' },
    ],
  }],
};
const FIGS = 9;

type Vals = Map<number, number[]>;

/** The nine figures for every branch, by hand: per-org aggregates, then summed over each branch's subtree. */
function handSql(b: BenchDb, branchIds: number[]) {
  const to = `${YEAR}-12-31`;
  const from = `${YEAR}-01-01`;
  return sql`
    with br as (select id, path from orgs where id in (${sql.join(branchIds.map((i) => sql`${i}`), sql`, `)})),
    per as (
      select o.path, count(*)::int as n, count(*) filter (where p.gender = 'female')::int as f, count(*) filter (where m.stage = 'probationary')::int as pr,
             0 as ad, 0 as h, 0 as t, 0 as ma, 0 as cm, 0 as pl
      from membership_periods m join people p on p.id = m.person_id join orgs o on o.id = m.org_id
      where m.tenant_id = ${b.tenantId} and m.valid_from <= ${to} and (m.valid_to is null or m.valid_to > ${to})
        and m.stage in ('probationary','full') and m.state in ('active','lostContact') group by o.path
      union all
      select p.org_path, 0, 0, 0, count(*)::int, 0, 0, 0, 0, 0 from people p
      where p.tenant_id = ${b.tenantId} and p.admitted_on >= ${from} and p.admitted_on <= ${to} group by p.org_path
      union all
      select org_path, 0, 0, 0, 0, count(*)::int, count(*) filter (where kind = 'themedPartyDay')::int, count(*) filter (where kind = 'memberAssembly')::int,
             count(*) filter (where kind = 'committeeMeeting')::int, count(*) filter (where kind = 'partyLecture')::int
      from meetings where tenant_id = ${b.tenantId} and counts_as_held and held_on >= ${from} and held_on <= ${to} group by org_path)
    select br.id, array[coalesce(sum(per.n), 0), coalesce(sum(per.f), 0), coalesce(sum(per.pr), 0), coalesce(sum(per.ad), 0), coalesce(sum(per.h), 0),
      coalesce(sum(per.t), 0), coalesce(sum(per.ma), 0), coalesce(sum(per.cm), 0), coalesce(sum(per.pl), 0)]::int[] as v
    from br left join per on per.path like br.path || '%' group by br.id`;
}
async function hand(b: BenchDb, branchIds: number[]): Promise<Vals> {
  const r = await rows<{ id: number; v: number[] | string }>(b.handle.db, handSql(b, branchIds));
  const arr = (v: number[] | string) => (typeof v === 'string' ? v.replace(/[{}]/g, '').split(',').map(Number) : v.map(Number));
  return new Map(r.map((x) => [Number(x.id), arr(x.v)]));
}

const out: string[] = [`# reports drafting benchmark — ${BENCH_TODAY}`, `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`, ''];
for (const kind of dbs) {
  const b = await openBenchDb(kind, MEMBERS, ORGS);
  const meetings = await generateBenchMeetings(b.handle.db, b.tenantId, BENCH_TODAY);
  await b.handle.db.execute(sql`analyze`);
  await write(b.ctx, b.tenantId, systemActor, (w) => saveTemplate(w, TEMPLATE));
  let branches = (await rows<{ id: number }>(b.handle.db, sql`select id from orgs where tenant_id = ${b.tenantId} and kind in ('branch','jointBranch') and dissolved_on is null order by path`)).map((x) => Number(x.id));
  if (LIMIT > 0) branches = branches.slice(0, LIMIT);
  const scope = { tenantId: b.tenantId, paths: [b.rootPath], personId: null };
  // Median of RUNS alternating runs of each side (the drafts of a run are deleted before the next one,
  // so every run drafts all branches); a first warm-up run of each is not counted.
  const median = (xs: number[]) => [...xs].sort((a, b2) => a - b2)[Math.floor(xs.length / 2)]!;
  const handTimes: number[] = [];
  const engineTimes: number[] = [];
  let handVals: Vals = new Map();
  let timings = { contextMs: 0, figuresMs: 0, draftMs: 0, evaluateMs: 0, insertMs: 0 };
  for (let run = 0; run <= RUNS; run += 1) {
    const h0 = performance.now();
    handVals = await hand(b, branches);
    if (run > 0) handTimes.push(performance.now() - h0);
    await b.handle.db.execute(sql`delete from reports where tenant_id = ${b.tenantId} and template_key = ${TEMPLATE.key}`);
    const e0 = performance.now();
    const r = await draftReports(b.ctx, scope, systemActor, branches.map((orgId) => ({ orgId, templateKey: TEMPLATE.key })), YEAR);
    if (run > 0) { engineTimes.push(performance.now() - e0); timings = r.timings; }
    if (r.failed.length) throw new Error(`drafting failed for ${r.failed.length} branches`);
  }
  const tHand = median(handTimes);
  const tEngine = median(engineTimes);
  // agreement: a missing figure must be a zero by hand (never a made-up value)
  const stored = await rows<{ org_id: number; placeholders: PlaceholderState[] | string }>(b.handle.db, sql`select org_id, placeholders from reports where tenant_id = ${b.tenantId} and template_key = ${TEMPLATE.key}`);
  let differ = 0;
  for (const s of stored) {
    const ph = (typeof s.placeholders === 'string' ? JSON.parse(s.placeholders) : s.placeholders) as PlaceholderState[];
    const mine = ph.filter((p) => p.figureId).map((p) => (p.status === 'missing' ? 0 : p.value ?? 0));
    const theirs = handVals.get(Number(s.org_id))!;
    if (mine.some((v, i) => v !== theirs[i])) { differ += 1; if (differ <= 3) console.error('differs', s.org_id, mine, theirs); }
  }
  out.push(`## ${kind === 'postgres' ? 'PostgreSQL 15 (127.0.0.1)' : 'PGlite (embedded)'} — ${branches.length} branches, ${meetings} meetings, ${MEMBERS} members; seeded in ${b.seedSeconds.toFixed(1)} s`, '',
    `Load average at the end: ${os.loadavg().map((x) => x.toFixed(1)).join(' / ')} (1 / 5 / 15 min)`, '', '| measurement | zhibu | hand-written SQL (same run) | ratio |', '|---|---|---|---|',
    `| draft every branch's report (${FIGS} figures each; values ${differ ? `DIFFER for ${differ}` : 'identical'}; median of ${RUNS} runs after a warm-up) | ${(tEngine / 1000).toFixed(2)} s (${(tEngine / branches.length).toFixed(1)} ms per report; runs ${engineTimes.map((x) => (x / 1000).toFixed(2)).join(', ')} s) | ${tHand.toFixed(0)} ms (one statement; runs ${handTimes.map((x) => x.toFixed(0)).join(', ')} ms) | **${(tEngine / tHand).toFixed(1)}×** |`, '',
    `Phases of zhibu's last run: orgs, children, last year's review and candidates ${(timings.contextMs / 1000).toFixed(1)} s; figures (grouped) ${(timings.figuresMs / 1000).toFixed(1)} s; evaluating and inserting the drafts with audit ${(timings.draftMs / 1000).toFixed(1)} s (evaluating ${(timings.evaluateMs / 1000).toFixed(2)} s, the insert statements ${(timings.insertMs / 1000).toFixed(2)} s, the rest — audit entries and commits — ${((timings.draftMs - timings.evaluateMs - timings.insertMs) / 1000).toFixed(2)} s).`, '');
  if (args.includes('--explain')) {
    const to = `${YEAR}-12-31`;
    const fctx = { db: b.handle.db, scope, today: BENCH_TODAY };
    for (const [name, q] of [['members.count by org (batch path)', sql`select o.path, '' as k, count(*)::int as n ${stockFrom(fctx, to)} group by 1, 2`], ['hand statement', handSql(b, branches)]] as const) {
      const plan = await rows<Record<string, string>>(b.handle.db, sql`explain (analyze, costs off) ${q}`);
      out.push(`EXPLAIN ANALYZE ${name}:`, '```', ...plan.map((r) => Object.values(r)[0]!), '```', '');
    }
  }
  await b.close();
  if (differ) process.exitCode = 1;
}
console.log(out.join('\n'));
