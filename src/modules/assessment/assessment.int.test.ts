import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { one, rows } from '../../db/connection.js';
import { openTestApp, TEST_TODAY, type TestApp } from '../../../test/db.js';

/**
 * Issue 16 slice 1 on the demo county, on PGlite and PostgreSQL: the county scores its two
 * subdistricts from an indicator tree; the expected scores are computed here in SQL straight from the
 * meeting and rectification tables and the indicator definitions (never by module code). A new meeting
 * record changes the score of a draft session and not of a finished one.
 */
let t: TestApp;
const ids: Record<string, number> = {};
const YEAR = Number(TEST_TODAY.slice(0, 4)) - 1;
const RATINGS = { 好: 20, 较好: 5, 一般: 1, 差: 0 };

const TREE = {
  categories: [
    {
      key: 'orgLife', label: '组织生活',
      indicators: [
        { key: 'memberAssembly', label: '按期召开党员大会', maxScore: 5, rule: { kind: 'deductPer', figure: { id: 'orgLife.obligation.due', by: 'kind', key: 'memberAssembly' }, minus: { id: 'orgLife.obligation.met', by: 'kind', key: 'memberAssembly' }, per: 0.5, cap: 5 }, evidence: '每缺一次党员大会扣0.5分，最多扣5分' },
        { key: 'meetings', label: '组织生活会议', maxScore: 30, rule: { kind: 'awardPer', figure: { id: 'orgLife.meeting.held' }, per: 0.05 }, evidence: '每召开一次会议得0.05分，最多30分' },
      ],
    },
    { key: 'rect', label: '整改', indicators: [{ key: 'rect', label: '整改销号', maxScore: 10, rule: { kind: 'deductPer', figure: { id: 'reports.rectification.open' }, per: 2 }, evidence: '年末未销号整改事项每项扣2分' }] },
    {
      key: 'review', label: '评议',
      indicators: [
        { key: 'onSite', label: '现场测评', maxScore: 30, rule: { kind: 'rating' }, evidence: '现场测评票' },
        { key: 'work', label: '特色工作', maxScore: 25, rule: { kind: 'manual' }, evidence: '实地考核记录' },
      ],
    },
  ],
};

beforeAll(async () => {
  t = await openTestApp();
  for (const code of ['SFX01', 'SFX02', 'SFX010101']) ids[code] = (await one<{ id: number }>(t.ctx.db, sql`select id from orgs where code = ${code}`))!.id;
  ids.root = (await one<{ id: number }>(t.ctx.db, sql`select id from orgs where parent_id is null`))!.id;
});
afterAll(async () => t?.close());

async function call(user: string, method: string, url: string, payload?: unknown) {
  const res = await t.built.app.inject({ method: method as never, url, payload: payload as never, headers: { cookie: await t.login(user) } });
  return { status: res.statusCode, body: res.json() as Record<string, any> };
}

/** Expected totals per org, from the tables and the tree above (same manual score for all). */
async function expectedTotals(manual: number) {
  const r = await rows<{ id: number; missing: number; held: number; open: number; total: string }>(t.ctx.db, sql`
    with scored as (select id, path from orgs where id in (${ids.SFX01}, ${ids.SFX02})),
    quarters as (select q, make_date(${YEAR}, q * 3 - 2, 1) as qfrom, (make_date(${YEAR}, q * 3 - 2, 1) + interval '3 months' - interval '1 day')::date as qto from generate_series(1, 4) q),
    owing as (
      select s.id as scored, b.id as branch, qu.qfrom, qu.qto from scored s join orgs b on b.path like s.path || '%' and b.kind in ('branch', 'jointBranch')
      cross join quarters qu where (b.established_on is null or b.established_on <= qu.qfrom) and (b.dissolved_on is null or b.dissolved_on > qu.qfrom)
    ),
    missing as (
      select scored, count(*) filter (where not exists (
        select 1 from meetings m where m.org_id = o.branch and m.counts_as_held and m.held_on between o.qfrom and o.qto
          and (m.kind = 'memberAssembly' or 'memberAssembly' = any(m.also_counts_as)))) as n
      from owing o group by scored
    ),
    held as (select s.id as scored, count(m.id) as n from scored s left join meetings m on m.org_path like s.path || '%' and m.counts_as_held and m.held_on between ${`${YEAR}-01-01`} and ${`${YEAR}-12-31`} group by s.id),
    open as (select s.id as scored, count(i.id) as n from scored s left join rectification_items i on i.org_path like s.path || '%'
      and substr(i.created_at, 1, 10) <= ${`${YEAR}-12-31`} and (not i.closed or i.closed_on > ${`${YEAR}-12-31`}) group by s.id)
    select s.id, coalesce(mi.n, 0)::int as missing, h.n::int as held, op.n::int as open,
      ((5 - least(5, 0.5 * coalesce(mi.n, 0))) + least(30, 0.05 * h.n) + (10 - least(10, 2 * op.n))
        + round(30 * (${RATINGS.好} * 1 + ${RATINGS.较好} * 0.8 + ${RATINGS.一般} * 0.6 + ${RATINGS.差} * 0) / ${RATINGS.好 + RATINGS.较好 + RATINGS.一般 + RATINGS.差}, 2) + ${manual})::text as total
    from scored s left join missing mi on mi.scored = s.id join held h on h.scored = s.id join open op on op.scored = s.id`);
  return new Map(r.map((x) => [Number(x.id), { ...x, total: Number(x.total) }]));
}

describe(`assessment (${process.env.ZHIBU_TEST_DB ?? 'pglite'})`, () => {
  it('scores the demo county from the tree as SQL computes it; a new meeting moves the draft, not the finished session', async () => {
    expect((await call('branch1', 'POST', '/api/assessment-trees', { key: 'test', name: '测试指标', tree: TREE })).status).toBe(403);
    expect((await call('county', 'POST', '/api/assessment-trees', { key: 'test', name: '测试指标', tree: { categories: [] } })).status).toBe(400);
    const saved = await call('county', 'POST', '/api/assessment-trees', { key: 'test', name: '测试指标', tree: TREE });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    expect(saved.body).toMatchObject({ version: 1, maxScore: 100 });

    const mk = async () => {
      const s = await call('county', 'POST', '/api/assessment-sessions', { org: ids.root, year: YEAR, title: `${YEAR}年度街道党工委书记述职评议考核`, treeKey: 'test', orgIds: [ids.SFX01, ids.SFX02] });
      expect(s.status, JSON.stringify(s.body)).toBe(201);
      return s.body.id as number;
    };
    expect((await call('street1', 'POST', '/api/assessment-sessions', { org: ids.root, year: YEAR, title: 'x', treeKey: 'test', orgIds: [ids.SFX01] })).status).toBe(404);
    expect((await call('county', 'POST', '/api/assessment-sessions', { org: ids.SFX01, year: YEAR, title: 'x', treeKey: 'test', orgIds: [ids.SFX02] })).status).toBe(400);
    const finished = await mk();
    const draft = await mk();

    for (const sid of [finished, draft]) {
      for (const org of [ids.SFX01, ids.SFX02]) {
        expect((await call('county', 'PUT', `/api/assessment-sessions/${sid}/inputs`, { org, indicator: 'work', score: 20 })).status).toBe(400);
        expect((await call('county', 'PUT', `/api/assessment-sessions/${sid}/inputs`, { org, indicator: 'work', score: 26, note: '超过满分' })).status).toBe(400);
        expect((await call('county', 'PUT', `/api/assessment-sessions/${sid}/inputs`, { org, indicator: 'work', score: 20, note: '党群服务中心建设有特色' })).status).toBe(200);
        expect((await call('county', 'PUT', `/api/assessment-sessions/${sid}/inputs`, { org, indicator: 'onSite', ratings: { 优秀: 3 } })).status).toBe(400);
        expect((await call('county', 'PUT', `/api/assessment-sessions/${sid}/inputs`, { org, indicator: 'onSite', ratings: RATINGS })).status).toBe(200);
      }
    }

    const expected = await expectedTotals(20);
    const sheet = await call('county', 'GET', `/api/assessment-sessions/${draft}`);
    expect(sheet.status, JSON.stringify(sheet.body)).toBe(200);
    expect(sheet.body.grades).toEqual(['好', '较好', '一般', '差']);
    for (const o of sheet.body.orgs) {
      const e = expected.get(o.org.id)!;
      expect(o.total, `${o.org.name} ${JSON.stringify(e)} ${JSON.stringify(o.cells)}`).toBeCloseTo(e.total, 6);
      const held = o.cells.find((c: { indicator: string }) => c.indicator === 'meetings');
      expect(held.figure.value).toBe(e.held);
      const ma = o.cells.find((c: { indicator: string }) => c.indicator === 'memberAssembly');
      expect(ma.score).toBeCloseTo(5 - Math.min(5, 0.5 * e.missing), 6);
      expect(ma.figure.value - ma.figure.minus).toBe(e.missing);
    }
    expect([...expected.values()].some((e) => e.held > 0)).toBe(true);

    // the score of a figure links to its evidence: the meeting records behind it
    const ev = await call('county', 'GET', `/api/assessment-sessions/${draft}/evidence?org=${ids.SFX01}&indicator=meetings&limit=5`);
    expect(ev.status, JSON.stringify(ev.body)).toBe(200);
    expect(ev.body.figures[0].total).toBe(expected.get(ids.SFX01)!.held);
    expect(ev.body.figures[0].items[0].entity).toBe('meeting');
    const evMa = await call('county', 'GET', `/api/assessment-sessions/${draft}/evidence?org=${ids.SFX01}&indicator=memberAssembly`);
    const due = evMa.body.figures[0].items as { id: string; label: string }[];
    expect(due.every((r) => r.id.split(':')[1] === 'memberAssembly')).toBe(true);

    // finishing: every grade confirmed, a change from the proposal needs a reason; then frozen
    const fSheet = (await call('county', 'GET', `/api/assessment-sessions/${finished}`)).body;
    const proposed = fSheet.orgs.map((o: { org: { id: number }; proposed: string }) => ({ org: o.org.id, grade: o.proposed }));
    const other = proposed.map((g: { org: number; grade: string }) => ({ ...g, grade: g.grade === '差' ? '一般' : '差' }));
    expect((await call('county', 'POST', `/api/assessment-sessions/${finished}/finish`, { grades: other })).status).toBe(400);
    expect((await call('county', 'POST', `/api/assessment-sessions/${finished}/finish`, { grades: proposed.slice(0, 1) })).status).toBe(400);
    const fin = await call('county', 'POST', `/api/assessment-sessions/${finished}/finish`, { grades: proposed });
    expect(fin.status, JSON.stringify(fin.body)).toBe(200);
    expect((await call('county', 'PUT', `/api/assessment-sessions/${finished}/inputs`, { org: ids.SFX01, indicator: 'work', score: 1, note: '改分' })).status).toBe(409);
    expect((await call('county', 'POST', `/api/assessment-sessions/${finished}/finish`, { grades: proposed })).status).toBe(409);

    // a new meeting record of street1's branch in the assessed year
    const m = await call('county', 'POST', '/api/orgLife/meetings', { orgId: ids.SFX010101, kind: 'memberAssembly', heldOn: `${YEAR}-06-30`, topic: '补录：党员大会' });
    expect(m.status, JSON.stringify(m.body)).toBe(201);
    const after = await expectedTotals(20);
    expect(after.get(ids.SFX01)!.held).toBe(expected.get(ids.SFX01)!.held + 1);
    const draftAfter = (await call('county', 'GET', `/api/assessment-sessions/${draft}`)).body;
    const finishedAfter = (await call('county', 'GET', `/api/assessment-sessions/${finished}`)).body;
    const totalOf = (s: Record<string, any>, id: number) => (s.orgs as { org: { id: number }; total: number }[]).find((o) => o.org.id === id)!.total;
    expect(totalOf(draftAfter, ids.SFX01)).toBeCloseTo(after.get(ids.SFX01)!.total, 6);
    expect(totalOf(draftAfter, ids.SFX01)).not.toBeCloseTo(expected.get(ids.SFX01)!.total, 6);
    expect(totalOf(finishedAfter, ids.SFX01)).toBeCloseTo(expected.get(ids.SFX01)!.total, 6);
    expect(finishedAfter.status).toBe('final');
    expect(finishedAfter.orgs.every((o: { grade: string | null }) => o.grade)).toBe(true);
    const evFrozen = await call('county', 'GET', `/api/assessment-sessions/${finished}/evidence?org=${ids.SFX01}&indicator=meetings`);
    expect(evFrozen.body.changedSinceFinish).toBe(true);

    // the figure counts the confirmed grades
    const fig = await call('county', 'GET', `/api/figures/assessment.graded?org=${ids.root}&from=${YEAR}-01-01&to=${YEAR}-12-31`);
    expect(fig.status, JSON.stringify(fig.body)).toBe(200);
  });
});
