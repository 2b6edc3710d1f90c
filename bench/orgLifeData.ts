import { sql } from 'drizzle-orm';
import { rows, type Db } from '../src/db/connection.js';
import { addMonths, formatIso, lastDayOfMonth, monthStart, parseIso } from '../src/domain/dates.js';
import { Rng } from '../src/demo/random.js';

/**
 * Bench-only meeting generator for the benchmark county: for every owing org, twelve months of the
 * meetings its obligations ask for (committee meetings where a committee is held, themed days, group
 * meetings, quarterly assemblies, last year's 组织生活会 with 民主评议), about one in ten skipped and a
 * few committee meetings without a majority, so compliance is neither all nor nothing. No attendance
 * rows: compliance does not read them.
 */
export async function generateBenchMeetings(db: Db, tenantId: number, today: string, seed = 11): Promise<number> {
  const rng = new Rng(seed);
  const orgs = await rows<{ id: number; path: string; kind: string; posts: number }>(db, sql`select o.id, o.path, o.kind,
      (select count(*)::int from post_terms t where t.org_id = o.id and t.valid_to is null) as posts
    from orgs o where o.tenant_id = ${tenantId} and o.kind in ('branch','jointBranch','temporaryBranch','partyGroup') order by o.id`);
  const y = parseIso(today).y;
  const cols = { org: [] as number[], path: [] as string[], kind: [] as string[], also: [] as string[], held: [] as string[], forYear: [] as (number | null)[], held_ok: [] as boolean[] };
  const push = (o: { id: number; path: string }, kind: string, held: string, extra: { also?: string; forYear?: number; ok?: boolean } = {}) => {
    if (held > today) return;
    cols.org.push(Number(o.id)); cols.path.push(o.path); cols.kind.push(kind); cols.also.push(extra.also ?? '{}'); cols.held.push(held);
    cols.forYear.push(extra.forYear ?? null); cols.held_ok.push(extra.ok ?? true);
  };
  const first = addMonths(monthStart(today), -12);
  for (const o of orgs) {
    for (let m = first; m <= today; m = addMonths(m, 1)) {
      const { y: yy, m: mm } = parseIso(m);
      const day = () => formatIso(yy, mm, Math.min(rng.int(2, 28), lastDayOfMonth(yy, mm)));
      if (o.kind === 'partyGroup') {
        if (!rng.chance(0.1)) push(o, 'groupMeeting', day());
        continue;
      }
      if (!rng.chance(0.1)) push(o, 'themedPartyDay', day());
      if (o.kind === 'temporaryBranch') continue;
      if (o.posts >= 3 && !rng.chance(0.1)) push(o, 'committeeMeeting', day(), { ok: !rng.chance(0.03) });
      if (mm % 3 === 2 && !rng.chance(0.08)) push(o, 'memberAssembly', day());
    }
    if (o.kind !== 'partyGroup' && o.kind !== 'temporaryBranch' && !rng.chance(0.1)) {
      push(o, 'orgLifeMeeting', formatIso(y - 1, 12, rng.int(15, 28)), { also: '{memberReview}', forYear: y - 1 });
    }
  }
  const now = `${today}T00:00:00.000Z`;
  const arr = (a: unknown[]) => `{${a.map((v) => (v === null ? 'NULL' : typeof v === 'string' ? `"${v.replace(/"/g, '\\"')}"` : String(v))).join(',')}}`;
  const B = 5000;
  for (let i = 0; i < cols.org.length; i += B) {
    const s = (a: unknown[]) => arr(a.slice(i, i + B));
    await db.execute(sql`insert into meetings (tenant_id, org_id, org_path, kind, also_counts_as, held_on, for_year, counts_as_held, valid_for_decisions, topic, entered_at, late_entry, rule_set, created_at, updated_at)
      select ${tenantId}, u.org_id, u.path, u.kind, u.also::text[], u.held, u.for_year, u.ok, u.ok, '基准测试会议', ${now}, false, 'orgLife-2018', ${now}, ${now}
      from unnest(${s(cols.org)}::int[], ${s(cols.path)}::text[], ${s(cols.kind)}::text[], ${s(cols.also)}::text[], ${s(cols.held)}::date[], ${s(cols.forYear)}::int[], ${s(cols.held_ok)}::boolean[])
        as u(org_id, path, kind, also, held, for_year, ok)`);
  }
  return cols.org.length;
}
