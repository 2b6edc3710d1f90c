import { sql } from 'drizzle-orm';
import { one, rows } from '../../db/connection.js';
import { DEFAULT_TREE, DEFAULT_TREE_KEY, DEFAULT_TREE_NAME, indicatorsOf } from '../../domain/assessmentRules.js';
import type { DemoSeedContext } from '../../demo/demoHooks.js';
import type { Scope } from '../../platform/scope.js';
import { systemActor, type WriteCtx } from '../../platform/write.js';
import { computeSheet } from './score.js';
import { createSession, finishSession, loadSession, setInput } from './sessions.js';
import { saveTree } from './trees.js';

/**
 * Assessment demo (issue 16): the county's indicator tree (the default, saved as its own), last year's
 * finished 述职评议考核 of its two subdistricts with on-site ratings, manual scores and confirmed grades,
 * and this year's drafts of each subdistrict scoring its communities, every score entered.
 */
const RATINGS = [{ 好: 28, 较好: 6, 一般: 2, 差: 0 }, { 好: 19, 较好: 12, 一般: 4, 差: 1 }, { 好: 24, 较好: 9, 一般: 3, 差: 0 }];
const NOTES = ['党群服务中心阵地建设规范，“红色网格”特色鲜明', '结对共建工作有成效，但台账资料不够完整', '重点任务按期完成，亮点工作不够突出'];
const WORK = [22, 17, 19];

export async function seedAssessmentDemo(s: DemoSeedContext): Promise<void> {
  const { tx, ins, today } = s;
  const year = Number(today.slice(0, 4)) - 1;
  const rootId = ins.orgIds.get(s.fixtures.root)!;
  const root = await one<{ path: string }>(tx, sql`select path from orgs where id = ${rootId}`);
  const scope: Scope = { tenantId: ins.tenantId, paths: [root!.path], personId: null };
  const w = (day: string): WriteCtx => ({ tx, tenantId: ins.tenantId, actor: systemActor, today: day, now: `${day}T02:00:00.000Z`, audit: () => undefined, touch: () => undefined });
  await saveTree(w(`${year}-11-01`), { key: DEFAULT_TREE_KEY, name: DEFAULT_TREE_NAME, tree: DEFAULT_TREE });

  const streets = await rows<{ id: number; name: string }>(tx, sql`select id, name from orgs where parent_id = ${rootId} and kind <> 'partyGroup' and dissolved_on is null
    and exists (select 1 from orgs c where c.parent_id = orgs.id) order by sort_order, id`);
  const held = `${year + 1}-01-15`;
  await scoreAndMaybeFinish(s, scope, w(held), rootId, year, `${year}年度街道党工委书记抓基层党建工作述职评议考核`, streets.map((x) => Number(x.id)), true);
  for (const st of streets) {
    const communities = await rows<{ id: number }>(tx, sql`select id from orgs where parent_id = ${st.id} and kind <> 'partyGroup' and dissolved_on is null order by sort_order, id`);
    if (communities.length) await scoreAndMaybeFinish(s, scope, w(today), Number(st.id), year + 1, `${year + 1}年度${st.name}社区（村）党组织书记述职评议考核`, communities.map((c) => Number(c.id)), false);
  }
}

async function scoreAndMaybeFinish(s: DemoSeedContext, scope: Scope, w: WriteCtx, committee: number, year: number, title: string, orgIds: number[], finish: boolean) {
  const { id } = await createSession(w, scope, { org: committee, year, title, treeKey: DEFAULT_TREE_KEY, orgIds });
  const list = indicatorsOf(DEFAULT_TREE);
  for (const [n, org] of orgIds.entries()) {
    for (const i of list) {
      if (i.rule.kind === 'rating') await setInput(w, scope, id, { org, indicator: i.key, ratings: RATINGS[n % RATINGS.length] });
      if (i.rule.kind === 'manual') await setInput(w, scope, id, { org, indicator: i.key, score: Math.min(i.maxScore, WORK[n % WORK.length]), note: NOTES[n % NOTES.length] });
    }
  }
  // a figure without data (e.g. an org owing nothing yet) is scored by the committee on site, with a note
  const sheet = await computeSheet(s.tx, await loadSession(s.tx, scope, id), w.today, { digests: false });
  for (const o of sheet) for (const c of o.cells.filter((x) => x.score === null)) {
    await setInput(w, scope, id, { org: o.org.id, indicator: c.indicator, score: c.maxScore, note: '本年度暂无应尽事项，考核组实地核查后按满分计' });
  }
  if (!finish) return;
  const proposed = (await computeSheet(s.tx, await loadSession(s.tx, scope, id), w.today, { digests: false })).map((o) => ({ org: o.org.id, grade: o.proposed! }));
  await finishSession(w, scope, id, { grades: proposed });
}
