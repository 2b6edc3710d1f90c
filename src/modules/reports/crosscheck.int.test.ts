import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type SQL } from 'drizzle-orm';
import { one, rows } from '../../db/connection.js';
import { getFigure, type FigureValue } from '../../platform/figures.js';
import type { Scope } from '../../platform/scope.js';
import { inRollback, openTestApp, TEST_TODAY, type TestApp } from '../../../test/db.js';
import type { FigRef } from './contract.js';
import { eachFigRef, parseInline, periodRange, walkSections } from './template.js';
import { SHIPPED_TEMPLATES } from './templates/index.js';

/**
 * Issue 13 acceptance: every figure reference of the shipped templates, recomputed in SQL written
 * from the figure's DEFINITION (the Chinese text in the registry, never module code), for branch1's
 * branch, street1's subdistrict and the county, agrees with the registry and with the values stored
 * in drafts of every shipped template made through the API. A figure without a hand
 * definition here fails the test, so a template that starts using a new figure must bring one.
 */
let t: TestApp;
let tenantId = 0;
const orgs: { name: string; id: number; path: string }[] = [];
const YEAR = Number(TEST_TODAY.slice(0, 4));

beforeAll(async () => {
  t = await openTestApp();
  for (const user of ['branch1', 'street1', 'county']) {
    const o = await one<{ id: number; path: string; tenant_id: number }>(t.ctx.db,
      sql`select o.id, o.path, o.tenant_id from grants g join users u on u.id = g.user_id join orgs o on o.id = g.org_id where u.username = ${user} order by g.id limit 1`);
    orgs.push({ name: user, id: o!.id, path: o!.path });
    tenantId = o!.tenant_id;
  }
});
afterAll(async () => t?.close());

/** Every distinct figure reference in the shipped templates (paragraphs, `if` conditions, tables, charts). */
function templateRefs(): FigRef[] {
  const seen = new Map<string, FigRef>();
  const add = (r: FigRef) => {
    const norm: FigRef = { id: r.id, period: r.period ?? 'thisYear', by: r.by, key: r.key, params: r.params };
    seen.set(JSON.stringify([norm.id, norm.period, norm.by ?? '', norm.key ?? '', norm.params ?? {}]), norm);
  };
  for (const tpl of SHIPPED_TEMPLATES) {
    for (const s of [tpl.title, tpl.salutation ?? '', ...(tpl.closing ?? [])]) eachFigRef(parseInline(s).nodes, add);
    walkSections(tpl.sections, ({ section }) => {
      for (const b of section.blocks) {
        if (b.type === 'paragraph') eachFigRef(parseInline(b.text).nodes, add);
        else if (b.type === 'table') b.columns.forEach((c) => add(c.fig));
        else if (b.type === 'chart') add(b.fig);
      }
    });
  }
  return [...seen.values()];
}

// ─── Hand SQL, from the definitions ─────────────────────────────────────────

interface Hand { value: number | null; numerator?: number; denominator?: number; groups?: Map<string, number> }
interface Q { path: string; from: string; to: string; by?: string; params: Record<string, string> }
const under = (col: SQL, path: string) => sql`${col} like ${`${path}%`}`;

async function grouped(q: Q, from: SQL, keyExpr: SQL | null, valueExpr: SQL = sql`count(*)`): Promise<Hand> {
  const r = await rows<{ k: string; v: number }>(t.ctx.db, sql`select ${keyExpr ?? sql`'all'`} as k, (${valueExpr})::float8 as v ${from} group by 1`);
  const groups = new Map(r.map((x) => [String(x.k), Number(x.v)]));
  return { value: r.reduce((s, x) => s + Number(x.v), 0), groups };
}
const exists = async (q: SQL) => ((await one<{ n: number }>(t.ctx.db, sql`select count(*)::int as n from (${q} limit 1) x`))?.n ?? 0) > 0;
const nullIfZero = (h: Hand): Hand => (h.value ? h : { value: null });

const COLLEGE = sql`('graduate','bachelor','college')`;
const HAND: Record<string, (q: Q) => Promise<Hand>> = {
  // 截至统计日期，组织关系在本组织（含下级）的正式党员和预备党员人数（含失联，不含停止党籍和已出党人员）。
  async 'members.count'(q) {
    if (!(await exists(sql`select 1 from people where tenant_id = ${tenantId} and ${under(sql`org_path`, q.path)}`))) return { value: null };
    const from = sql`from membership_periods mp join people p on p.id = mp.person_id join orgs o on o.id = mp.org_id
      where mp.tenant_id = ${tenantId} and ${under(sql`o.path`, q.path)} and mp.valid_from <= ${q.to} and (mp.valid_to is null or mp.valid_to > ${q.to})
        and mp.stage in ('probationary','full') and mp.state in ('active','lostContact')`;
    const age = sql`extract(year from age(${q.to}::date, p.birth_date))`;
    const partyAge = sql`extract(year from age(${q.to}::date, p.full_on))`;
    const keys: Record<string, SQL> = {
      gender: sql`p.gender`,
      stage: sql`mp.stage`,
      collegePlus: sql`case when p.education is null then 'unknown' when p.education in ${COLLEGE} then 'collegePlus' else 'belowCollege' end`,
      // 党龄 in whole years from 转正 to the statistics date; probationary members have none.
      partyAgeBand: sql`case when mp.stage = 'probationary' then 'probationary' when p.full_on is null then 'unknown'
        when ${partyAge} < 10 then 'lt10' when ${partyAge} < 20 then '10_19' when ${partyAge} < 30 then '20_29'
        when ${partyAge} < 40 then '30_39' when ${partyAge} < 50 then '40_49' else 'ge50' end`,
      ageBand: sql`case when ${age} <= 30 then 'le30' when ${age} <= 35 then '31_35' when ${age} <= 40 then '36_40' when ${age} <= 45 then '41_45'
        when ${age} <= 50 then '46_50' when ${age} <= 55 then '51_55' when ${age} <= 60 then '56_60' else 'ge61' end`,
    };
    return grouped(q, from, q.by ? keys[q.by] : null);
  },
  // 统计期内（按入党日期）接收为预备党员的人数，按其当前组织关系所在组织（含下级）统计。
  async 'members.admitted.count'(q) {
    if (!(await exists(sql`select 1 from people where tenant_id = ${tenantId} and ${under(sql`org_path`, q.path)}`))) return { value: null };
    const from = sql`from people p where p.tenant_id = ${tenantId} and ${under(sql`p.org_path`, q.path)} and p.admitted_on between ${q.from} and ${q.to}`;
    const keys: Record<string, SQL> = { age35: sql`case when extract(year from age(p.admitted_on, p.birth_date)) <= 35 then 'le35' else 'ge36' end` };
    return grouped(q, from, q.by ? keys[q.by] : null);
  },
  // 截至统计日期，本组织及下级中已成立且未撤销的党组织个数（不含县（区）委和组织部本身）。
  async 'orgs.count'(q) {
    const from = sql`from orgs o where o.tenant_id = ${tenantId} and ${under(sql`o.path`, q.path)} and coalesce(o.established_on, ${q.to}) <= ${q.to}
      and coalesce(o.dissolved_on, '9999-12-31') > ${q.to} and o.kind <> 'partyCommittee' and o.kind <> 'organizationDept'`;
    const keys: Record<string, SQL> = { kind: sql`o.kind`, unitType: sql`coalesce(o.unit_type, 'unknown')` };
    return grouped(q, from, q.by ? keys[q.by] : null);
  },
  // 统计期内（按成立日期）本组织下级新成立的党组织个数（含此后已撤销的；不含县（区）委和组织部本身）。
  async 'orgs.established.count'(q) {
    const from = sql`from orgs o where o.tenant_id = ${tenantId} and ${under(sql`o.path`, q.path)} and o.established_on between ${q.from} and ${q.to}
      and o.kind <> 'partyCommittee' and o.kind <> 'organizationDept'`;
    const keys: Record<string, SQL> = { kind: sql`o.kind`, unitType: sql`coalesce(o.unit_type, 'unknown')` };
    return grouped(q, from, q.by ? keys[q.by] : null);
  },
  // 截至统计日期，本组织及下级未撤销的党组织中在任的职务人次；post 限定职务；按学历层次分组。
  async 'orgs.postHolder.count'(q) {
    if (!(await exists(sql`select 1 from post_terms t join orgs o on o.id = t.org_id where t.tenant_id = ${tenantId} and ${under(sql`o.path`, q.path)}`))) return { value: null };
    const from = sql`from post_terms t join orgs o on o.id = t.org_id join people p on p.id = t.person_id
      where t.tenant_id = ${tenantId} and ${under(sql`o.path`, q.path)} and coalesce(o.dissolved_on, '9999-12-31') > ${q.to}
        and t.valid_from <= ${q.to} and coalesce(t.valid_to, '9999-12-31') > ${q.to} ${q.params.post ? sql`and t.post = ${q.params.post}` : sql``}`;
    const keys: Record<string, SQL> = { post: sql`t.post`, collegePlus: sql`case when p.education is null then 'unknown' when p.education in ${COLLEGE} then 'collegePlus' else 'belowCollege' end` };
    return grouped(q, from, q.by ? keys[q.by] : null);
  },
  // 统计期内（按任职起始日期）本组织及下级党组织新任职务的人次。
  async 'orgs.postAppointed.count'(q) {
    if (!(await exists(sql`select 1 from post_terms t join orgs o on o.id = t.org_id where t.tenant_id = ${tenantId} and ${under(sql`o.path`, q.path)}`))) return { value: null };
    const from = sql`from post_terms t join orgs o on o.id = t.org_id where t.tenant_id = ${tenantId} and ${under(sql`o.path`, q.path)}
      and coalesce(o.dissolved_on, '9999-12-31') > ${q.to} and t.valid_from between ${q.from} and ${q.to} ${q.params.post ? sql`and t.post = ${q.params.post}` : sql``}`;
    return grouped(q, from, q.by === 'post' ? sql`t.post` : null);
  },
  // 统计期内按召开日期计，本组织（含下级）召开并计为已召开的会议次数，每次会议按主要类型计一次。
  async 'orgLife.meeting.held'(q) {
    const from = sql`from meetings m where m.tenant_id = ${tenantId} and ${under(sql`m.org_path`, q.path)} and m.counts_as_held and m.held_on between ${q.from} and ${q.to}`;
    return nullIfZero(await grouped(q, from, q.by === 'kind' ? sql`m.kind` : null));
  },
  // 出席人次 ÷ 应到人次 × 100%，计为已召开的会议中（请假计入应到）。
  async 'orgLife.attendance.rate'(q) {
    const r = await one<{ n: number; d: number }>(t.ctx.db, sql`select count(*) filter (where a.status = 'present')::int as n, count(*)::int as d
      from meeting_attendance a join meetings m on m.id = a.meeting_id
      where m.tenant_id = ${tenantId} and ${under(sql`m.org_path`, q.path)} and m.counts_as_held and m.held_on between ${q.from} and ${q.to}`);
    return r!.d ? { value: Math.round((r!.n * 1000) / r!.d) / 10, numerator: r!.n, denominator: r!.d } : { value: null };
  },
  // 统计期内本组织（含下级）记录的谈心谈话次数。
  async 'orgLife.heartTalk.count'(q) {
    return nullIfZero(await grouped(q, sql`from heart_talks h where h.tenant_id = ${tenantId} and ${under(sql`h.org_path`, q.path)} and h.held_on between ${q.from} and ${q.to}`, null));
  },
  // 统计期内完成评定（按支部评定日期）的民主评议党员人数，按评定等次分组。
  async 'orgLife.review.count'(q) {
    const from = sql`from member_review_results x join member_review_rounds r on r.id = x.round_id where r.tenant_id = ${tenantId} and ${under(sql`r.org_path`, q.path)}
      and r.status = 'concluded' and x.grade is not null and r.concluded_on between ${q.from} and ${q.to}`;
    return nullIfZero(await grouped(q, from, q.by === 'grade' ? sql`x.grade` : null));
  },
  // 统计期所在年度内，组织关系现在本组织（含下级）的党员制定的个人学习计划份数。
  async 'orgLife.studyPlan.count'(q) {
    return nullIfZero(await grouped(q, sql`from study_plans s join people p on p.id = s.person_id where s.tenant_id = ${tenantId} and ${under(sql`p.org_path`, q.path)}
      and s.year between ${Number(q.from.slice(0, 4))} and ${Number(q.to.slice(0, 4))}`, null));
  },
  // 统计期内（按缴费日期）收缴的按月党费金额，含补交，冲正按冲正日期冲减；不含自愿多交。
  async 'dues.paid.amount'(q) {
    return duesSum(q, sql`true`);
  },
  // 统计期内（按缴费日期）收缴的补交党费金额，冲正按冲正日期冲减。
  async 'dues.backPayment.amount'(q) {
    return duesSum(q, sql`coalesce(orig.back_payment, x.back_payment)`);
  },
  // 统计期内（按缴费日期）收缴的补交党费笔数，截至统计期末已被冲正的不计。
  async 'dues.backPayment.count'(q) {
    if (!(await hasDues(q))) return { value: null };
    return grouped(q, sql`from dues_payments x where x.tenant_id = ${tenantId} and ${under(sql`x.org_path`, q.path)} and x.kind = 'due' and x.back_payment
      and x.paid_on between ${q.from} and ${q.to} and x.id not in (select r.reversal_of from dues_payments r where r.reversal_of is not null and r.paid_on <= ${q.to})`, null);
  },
  // 统计期内（按上缴日期）本组织及下级各级党组织向上级上缴党费的登记金额合计。
  async 'dues.handIn.amount'(q) {
    if (!(await hasDues(q))) return { value: null };
    return grouped(q, sql`from dues_hand_ins h where h.tenant_id = ${tenantId} and ${under(sql`h.org_path`, q.path)} and h.handed_on between ${q.from} and ${q.to}`, null, sql`coalesce(sum(h.amount_fen), 0)`);
  },
  // 统计期内（按活动日期）本组织（含下级）开展的志愿服务活动次数，每次活动计1次。
  async 'service.activity.held'(q) {
    if (!(await exists(sql`select 1 from service_activities where tenant_id = ${tenantId} and ${under(sql`org_path`, q.path)}`))) return { value: null };
    return grouped(q, sql`from service_activities a where a.tenant_id = ${tenantId} and ${under(sql`a.org_path`, q.path)} and a.held_on between ${q.from} and ${q.to}`, q.by ? sql`a.kind` : null);
  },
  // 统计期内（按走访日期）本组织（含下级）的走访慰问次数，每条走访记录计1次。
  async 'service.visit.count'(q) {
    if (!(await exists(sql`select 1 from service_visits where tenant_id = ${tenantId} and ${under(sql`org_path`, q.path)}`))) return { value: null };
    return grouped(q, sql`from service_visits v where v.tenant_id = ${tenantId} and ${under(sql`v.org_path`, q.path)} and v.visited_on between ${q.from} and ${q.to}`, q.by ? sql`v.kind` : null);
  },
  // 统计期内（按办结日期）本组织（含下级）“我为群众办实事”项目办结件数。
  async 'service.deed.done'(q) {
    if (!(await exists(sql`select 1 from service_deeds where tenant_id = ${tenantId} and ${under(sql`org_path`, q.path)}`))) return { value: null };
    return grouped(q, sql`from service_deeds d where d.tenant_id = ${tenantId} and ${under(sql`d.org_path`, q.path)} and d.done_on between ${q.from} and ${q.to}`, q.by ? sql`d.source` : null);
  },
};

/** Dues records exist in scope: a payment collected there or a dues base of a member there. */
const hasDues = async (q: Q) =>
  (await exists(sql`select 1 from dues_payments x where x.tenant_id = ${tenantId} and ${under(sql`x.org_path`, q.path)}`))
  || (await exists(sql`select 1 from dues_bases b join people p on p.id = b.person_id where b.tenant_id = ${tenantId} and ${under(sql`p.org_path`, q.path)}`));

async function duesSum(q: Q, extra: SQL): Promise<Hand> {
  if (!(await hasDues(q))) return { value: null };
  return grouped(q, sql`from dues_payments x left join dues_payments orig on orig.id = x.reversal_of
    where x.tenant_id = ${tenantId} and ${under(sql`x.org_path`, q.path)} and x.paid_on between ${q.from} and ${q.to}
      and ((x.kind = 'due' and x.reversal_of is null) or (x.kind = 'reversal' and orig.kind = 'due')) and ${extra}`, null, sql`coalesce(sum(x.amount_fen), 0)`);
}

// ─── Comparison ─────────────────────────────────────────────────────────────

/** The registry's answer for one reference, in the shape the hand SQL gives. */
function registryAnswer(v: FigureValue, ref: FigRef): Hand {
  if (v.status !== 'ok') return { value: null };
  if (!ref.by) return { value: v.value, numerator: v.numerator, denominator: v.denominator };
  const groups = new Map((v.breakdown ?? []).filter((b) => b.value !== 0).map((b) => [b.key, b.value]));
  return { value: v.value, groups };
}

const refLabel = (r: FigRef) => [r.id, r.period, r.by && `by=${r.by}`, r.key && `key=${r.key}`, ...Object.entries(r.params ?? {}).map(([k, v]) => `${k}=${v}`)].filter(Boolean).join(' ');

describe(`shipped templates' figures agree with hand SQL from their definitions (${process.env.ZHIBU_TEST_DB ?? 'pglite'})`, () => {
  const refs = templateRefs();

  it('the templates use figures, and every one has a hand definition here', () => {
    expect(refs.length).toBeGreaterThan(30);
    const missing = [...new Set(refs.map((r) => r.id))].filter((id) => !HAND[id]);
    expect(missing).toEqual([]);
  });

  it.each(refs.map((r) => [refLabel(r), r] as const))('%s', async (_label, ref) => {
    const def = getFigure(ref.id)!;
    expect(def, ref.id).toBeDefined();
    let nonNull = 0;
    // The reference's own period, and last year's (a `yoy` format and the lastYear period read it).
    for (const [period, org] of [...new Set([ref.period ?? 'thisYear', 'lastYear' as const])].flatMap((p) => orgs.map((o) => [p, o] as const))) {
      const { from, to } = periodRange(period, YEAR);
      const scope: Scope = { tenantId, paths: [org.path], personId: null };
      const params = def.params ? def.params.parse(ref.params ?? {}) : {};
      const reg = registryAnswer(await def.compute({ db: t.ctx.db, scope, today: TEST_TODAY }, { from, to, by: ref.by, params }), ref);
      const hand = await HAND[ref.id]({ path: org.path, from, to, by: ref.by, params: ref.params ?? {} });
      const where = `${refLabel(ref)} (${period}) @ ${org.name}`;
      if (hand.value === null) {
        expect(reg.value, where).toBeNull();
        continue;
      }
      nonNull += 1;
      if (def.unit === 'percent') {
        expect(reg.numerator, where).toBe(hand.numerator);
        expect(reg.denominator, where).toBe(hand.denominator);
        expect(reg.value, where).toBeCloseTo(hand.value, 1);
      } else expect(reg.value, where).toBe(hand.value);
      if (ref.by) {
        const handGroups = new Map([...hand.groups!].filter(([, v]) => v !== 0));
        if (ref.key) expect(reg.groups!.get(ref.key) ?? 0, where).toBe(handGroups.get(ref.key) ?? 0);
        else expect(Object.fromEntries(reg.groups!), where).toEqual(Object.fromEntries(handGroups));
      }
    }
    // The cross-check must compare something: some org has a value in some period for each reference.
    expect(nonNull, refLabel(ref)).toBeGreaterThan(0);
  });

  it('a temporary branch set up and dissolved within the year counts as established, not in the year-end stock', async () => {
    const street = orgs.find((o) => o.name === 'street1')!;
    const { from, to } = periodRange('thisYear', YEAR);
    const ref = (id: string) => ({ id, by: 'kind', key: 'temporaryBranch' });
    const both = async (id: string, path: string) => {
      const def = getFigure(id)!;
      const reg = registryAnswer(await def.compute({ db: t.ctx.db, scope: { tenantId, paths: [path], personId: null }, today: TEST_TODAY }, { from, to, by: 'kind', params: {} }), ref(id));
      const hand = await HAND[id]({ path, from, to, by: 'kind', params: {} });
      return { reg: reg.groups!.get('temporaryBranch') ?? 0, hand: hand.groups!.get('temporaryBranch') ?? 0 };
    };
    const before = await both('orgs.established.count', street.path);
    const stockBefore = await both('orgs.count', street.path);
    await inRollback(t, async (tx) => {
      await tx.execute(sql`insert into orgs (tenant_id, parent_id, path, depth, name, kind, code, unit_type, established_on, dissolved_on, created_at, updated_at)
        select tenant_id, id, path || 'tmpx/', depth + 1, '防汛抢险临时党支部', 'temporaryBranch', 'TMP-CROSSCHECK', unit_type, ${`${YEAR}-03-01`}, ${`${YEAR}-06-30`}, created_at, updated_at
        from orgs where id = ${street.id}`);
      // inRollback points t.ctx.db at the transaction while this runs.
      for (const path of [street.path, orgs.find((o) => o.name === 'county')!.path]) {
        const after = await both('orgs.established.count', path);
        expect(after.reg).toBe(after.hand);
        if (path === street.path) expect(after.reg).toBe(before.reg + 1);
        const stock = await both('orgs.count', path);
        expect(stock.reg).toBe(stock.hand);
        if (path === street.path) expect(stock.reg).toBe(stockBefore.reg);
      }
    });
  });

  it('drafts of every shipped template, for each of the three orgs, hold the values of the hand SQL', async () => {
    let compared = 0;
    for (const org of orgs) {
      for (const tpl of SHIPPED_TEMPLATES) {
        const res = await t.built.app.inject({
          method: 'POST', url: '/api/reports', payload: { orgId: org.id, year: YEAR, templateKey: tpl.key }, headers: { cookie: await t.login(org.name) },
        });
        expect(res.statusCode, res.body).toBe(201);
        const stored = await one<{ placeholders: unknown }>(t.ctx.db, sql`select placeholders from reports where id = ${res.json().id}`);
        const list = (typeof stored!.placeholders === 'string' ? JSON.parse(stored!.placeholders) : stored!.placeholders) as
          { figureId?: string; requestKey?: string; breakdownKey?: string; label: string; status: string; value: number | null }[];
        for (const p of list) {
          if (!p.figureId || !p.requestKey) continue;
          // The stored request: [figure, from, to, by, params, org path]; the breakdown key closes the label.
          const [figureId, from, to, by, params, path] = JSON.parse(p.requestKey) as [string, string, string, string | null, [string, string][], string];
          const key = p.breakdownKey;
          const hand = await HAND[figureId]!({ path, from, to, by: by ?? undefined, params: Object.fromEntries(params) });
          const expected = hand.value === null ? null : by && key ? (hand.groups!.get(key) ?? 0) : hand.value;
          const where = `${tpl.key} ${p.label} @ ${org.name}`;
          if (expected === null) expect(p.status, where).toBe('missing');
          else {
            expect(p.status, where).toBe('ok');
            if (getFigure(figureId)!.unit === 'percent') expect(p.value!, where).toBeCloseTo(expected, 1);
            else expect(p.value, where).toBe(expected);
          }
          compared += 1;
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
  });
});
