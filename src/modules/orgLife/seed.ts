import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../../db/connection.js';
import type { DemoSeedContext } from '../../demo/demoHooks.js';
import { addDays, addMonths, compareDates, minDate, monthStart, parseIso } from '../../domain/dates.js';
import { ORG_LIFE_2018, isLateEntry } from '../../domain/orgLifeRules.js';
import { committeeHeldOn, generateMeetingHistory, type DemoPlan, type GenMeeting } from './seedHistory.js';

/**
 * Demo history for organizational life (issue 4 §12), relative to the clock's today: twelve months of
 * meetings for every branch of the demo county with realistic attendance. branch1's branch (SFX010101)
 * skips its committee meeting in exactly one of the last three complete months (a real overdue
 * obligation on branch1's workbench) and has two members who stopped attending (3+ and 6+ months);
 * some other branches are behind so street1's heat map shows variety; last year's 组织生活会 and
 * 民主评议, heart talks, study records and plans. Records only — findings are computed afterwards.
 */
async function reserveIds(db: Db, table: string, n: number): Promise<number[]> {
  if (n === 0) return [];
  return (await rows<{ id: number }>(db, sql`select nextval(pg_get_serial_sequence(${table}, 'id'))::int as id from generate_series(1, ${n})`)).map((r) => Number(r.id));
}
async function batch(db: Db, head: SQL, tuples: SQL[], size: number) {
  for (let i = 0; i < tuples.length; i += size) await db.execute(sql`${head} values ${sql.join(tuples.slice(i, i + size), sql`, `)}`);
}
const textArray = (a: string[]) => sql`${`{${a.join(',')}}`}::text[]`;

function demoPlan(s: DemoSeedContext): DemoPlan {
  const M = monthStart(s.today);
  const mo = (k: number) => addMonths(M, -k).slice(0, 7);
  const y = parseIso(s.today).y;
  const branch1 = s.fixtures.branch1;
  const committeeKeys = new Set(s.ds.posts.filter((p) => p.orgKey === branch1).map((p) => p.personKey));
  const candidates = s.ds.people.filter((p) => p.orgKey === branch1 && p.stage === 'full' && !committeeKeys.has(p.key) && p.key !== s.fixtures.member1);
  const hb1 = s.ds.people.filter((p) => p.orgKey === 'hb1' && p.stage === 'full');
  let low = M;
  do low = addMonths(low, -1); while (parseIso(low).m % 3 !== 2);
  return {
    skipCommittee: new Map([
      [branch1, new Set([mo(2)])],
      ['hp2', new Set([mo(1), mo(3), mo(5)])],
      ['xc2', new Set([mo(1)])],
      ['qsjg', new Set([mo(6)])],
    ]),
    skipKinds: new Map([
      ['cgjg', { kinds: ['themedPartyDay'], months: new Set([mo(1), mo(2)]) }],
      ['sqc3', { kinds: ['committeeMeeting', 'themedPartyDay', 'memberAssembly', 'groupMeeting', 'studySession'], months: new Set([mo(1), mo(2), mo(3), mo(4)]) }],
      ['hp2', { kinds: ['orgLifeMeeting', 'themedPartyDay'], months: new Set([String(y - 1), mo(4)]) }],
      ['cy2', { kinds: ['memberAssembly'], months: new Set([mo(1), mo(2), mo(3), mo(4), mo(5)]) }],
    ]),
    absentFrom: new Map([
      ...(candidates[2] ? [[candidates[2].key, mo(4)] as [string, string]] : []),
      ...(candidates[5] ? [[candidates[5].key, mo(7)] as [string, string]] : []),
      ...(hb1[5] ? [[hb1[5].key, mo(3)] as [string, string]] : []),
    ]),
    lowQuorum: new Map([['xf2', low.slice(0, 7)]]),
    alwaysCommittee: new Set([branch1]),
  };
}

export async function seedOrgLifeDemo(s: DemoSeedContext): Promise<void> {
  const { tx, ds, ins, today, rng } = s;
  const plan = demoPlan(s);
  const meetings = generateMeetingHistory(ds, today, rng, plan);
  // a few records typed in long after the meeting (补录)
  for (const m of meetings.filter((x) => x.orgKey === 'cy1' && x.kind === 'themedPartyDay').slice(-3, -1)) m.enteredOn = today;
  const paths = new Map((await rows<{ id: number; path: string }>(tx, sql`select id, path from orgs where tenant_id = ${ins.tenantId}`)).map((o) => [Number(o.id), o.path]));
  const org = (key: string) => ins.orgIds.get(key)!;
  const person = (key: string | null) => (key ? (ins.personIds.get(key) ?? null) : null);
  const ids = await reserveIds(tx, 'meetings', meetings.length);
  const ts = (d: string) => `${d}T02:00:00.000Z`;
  await batch(tx, sql`insert into meetings (id, tenant_id, org_id, org_path, kind, also_counts_as, held_on, start_time, end_time, place, host_person_id, recorder_person_id,
      topic, agenda, minutes_html, lecturer, lecture_title, theme, for_year, entered_at, late_entry, counts_as_held, valid_for_decisions, invalid_reason, quorum, rule_set, created_at, updated_at)`,
  meetings.map((m, i) => {
    const late = isLateEntry(m.heldOn, m.enteredOn);
    return sql`(${ids[i]}, ${ins.tenantId}, ${org(m.orgKey)}, ${paths.get(org(m.orgKey))!}, ${m.kind}, ${textArray(m.alsoCountsAs)}, ${m.heldOn}, ${m.startTime}, ${m.endTime}, ${m.place},
      ${person(m.hostKey)}, ${person(m.recorderKey)}, ${m.topic}, ${JSON.stringify(['传达学习上级精神', m.topic, '其他事项'])}::jsonb,
      ${`<p>会议由书记主持，围绕“${m.topic}”进行了学习讨论，与会党员踊跃发言。</p><ul><li>明确了下一步工作分工</li><li>落实了联系服务群众措施</li></ul>`},
      ${m.lecturer}, ${m.lectureTitle}, ${m.theme}, ${m.forYear}, ${ts(m.enteredOn)}, ${late}, ${m.countsAsHeld}, ${m.validForDecisions}, ${m.invalidReason},
      ${m.quorum ? JSON.stringify(m.quorum) : null}::jsonb, ${ORG_LIFE_2018.id}, ${ts(m.enteredOn)}, ${ts(m.enteredOn)})`;
  }), 400);
  const att: SQL[] = [];
  meetings.forEach((m, i) => {
    for (const a of m.attendance) {
      att.push(sql`(${ins.tenantId}, ${org(m.orgKey)}, ${ids[i]}, ${person(a.personKey)}, ${a.status}, ${a.leaveReason}, ${a.voting}, ${ts(m.enteredOn)}, ${ts(m.enteredOn)})`);
    }
  });
  await batch(tx, sql`insert into meeting_attendance (tenant_id, org_id, meeting_id, person_id, status, leave_reason, voting, created_at, updated_at)`, att, 2000);
  await seedTalks(s, paths);
  await seedReviews(s, meetings, ids, paths, plan);
  await seedOpenReview(s, paths);
  await seedStudy(s, paths);
}

async function seedTalks(s: DemoSeedContext, paths: Map<number, string>) {
  const { ds, ins, today, rng } = s;
  const y = parseIso(today).y;
  const tuples: SQL[] = [];
  const behind = new Set(['hp2', 'cgjg', 'sqc3']);
  for (const b of ds.orgs.filter((o) => o.kind === 'branch' || o.kind === 'jointBranch')) {
    for (const year of [y - 1, y]) {
      const asOf = minDate(`${year}-12-31`, today);
      const committee = committeeHeldOn(ds, b.key, asOf);
      if (committee.length === 0) continue;
      const members = ds.people.filter((p) => p.orgKey === b.key && compareDates(p.relationStart, asOf) <= 0 && !committee.includes(p.key));
      const pairs: [string, string][] = [];
      for (let i = 0; i < committee.length; i += 1) for (let j = i + 1; j < committee.length; j += 1) pairs.push([committee[i], committee[j]]);
      for (const m of members) pairs.push([rng.pick(committee), m.key]);
      const share = year === y ? 0.45 : behind.has(b.key) ? 0.5 : 1;
      const lastDay = year === y ? today : `${year}-11-30`;
      for (const [a, c] of pairs) {
        if (!rng.chance(share)) continue;
        const d = addDays(`${year}-02-01`, rng.int(0, Math.max(0, Math.floor((Date.parse(lastDay) - Date.parse(`${year}-02-01`)) / 86_400_000))));
        if (compareDates(d, today) > 0) continue;
        const oid = ins.orgIds.get(b.key)!;
        tuples.push(sql`(${ins.tenantId}, ${oid}, ${paths.get(oid)!}, ${d}, ${ins.personIds.get(a)!}, ${ins.personIds.get(c)!}, ${rng.pick(['思想工作交流', '听取意见建议', '了解生活困难', '工作作风提醒'])}, ${'谈话双方坦诚交流，已记录意见建议。'}, ${s.nowIso}, ${s.nowIso})`);
      }
    }
  }
  await batch(s.tx, sql`insert into heart_talks (tenant_id, org_id, org_path, held_on, person_a_id, person_b_id, topic, notes, created_at, updated_at)`, tuples, 1000);
}

async function seedReviews(s: DemoSeedContext, meetings: GenMeeting[], ids: number[], paths: Map<number, string>, plan: DemoPlan) {
  const { ds, ins, today, rng } = s;
  const y = parseIso(today).y;
  const grades = [...ORG_LIFE_2018.constants.REVIEW_GRADES.value];
  for (const [i, m] of meetings.entries()) {
    if (m.kind !== 'orgLifeMeeting' || m.forYear !== y - 1) continue;
    const oid = ins.orgIds.get(m.orgKey)!;
    const [round] = await rows<{ id: number }>(s.tx, sql`insert into member_review_rounds (tenant_id, org_id, org_path, for_year, status, meeting_id, grades, concluded_on, created_at, updated_at)
      values (${ins.tenantId}, ${oid}, ${paths.get(oid)!}, ${y - 1}, 'concluded', ${ids[i]}, ${JSON.stringify(grades)}::jsonb, ${m.heldOn}, ${s.nowIso}, ${s.nowIso}) returning id`);
    const members = ds.people.filter((p) => p.orgKey === m.orgKey && compareDates(p.relationStart, `${y - 1}-12-31`) <= 0);
    const tuples = members.map((p) => {
      const grade = plan.absentFrom.has(p.key) ? grades[2] : rng.chance(0.2) ? grades[0] : rng.chance(0.96) ? grades[1] : grades[2];
      const top = Math.max(0, members.length - rng.int(0, 3));
      const tally = grade === grades[0] ? { [grades[0]]: top, [grades[1]]: members.length - top } : { [grades[0]]: rng.int(0, 2), [grades[1]]: members.length - 2 };
      return sql`(${ins.tenantId}, ${Number(round.id)}, ${ins.personIds.get(p.key)!}, ${'本人能够认真学习党的理论，积极参加组织生活，按时缴纳党费，发挥党员作用。'}, ${JSON.stringify(tally)}::jsonb, ${grade}, ${null}, ${s.nowIso}, ${s.nowIso})`;
    });
    await batch(s.tx, sql`insert into member_review_results (tenant_id, round_id, person_id, self_assessment, peer_tally, grade, comment, created_at, updated_at)`, tuples, 500);
  }
}

/** branch1's review of the current year is under way: its list is drawn, nothing graded yet. */
async function seedOpenReview(s: DemoSeedContext, paths: Map<number, string>) {
  const { ds, ins, today } = s;
  const y = parseIso(today).y;
  const oid = ins.orgIds.get(s.fixtures.branch1)!;
  const [round] = await rows<{ id: number }>(s.tx, sql`insert into member_review_rounds (tenant_id, org_id, org_path, for_year, status, grades, created_at, updated_at)
    values (${ins.tenantId}, ${oid}, ${paths.get(oid)!}, ${y}, 'open', ${JSON.stringify(ORG_LIFE_2018.constants.REVIEW_GRADES.value)}::jsonb, ${s.nowIso}, ${s.nowIso}) returning id`);
  const members = ds.people.filter((p) => p.orgKey === s.fixtures.branch1 && compareDates(p.relationStart, today) <= 0);
  await batch(s.tx, sql`insert into member_review_results (tenant_id, round_id, person_id, created_at, updated_at)`,
    members.map((p) => sql`(${ins.tenantId}, ${Number(round.id)}, ${ins.personIds.get(p.key)!}, ${s.nowIso}, ${s.nowIso})`), 500);
}

async function seedStudy(s: DemoSeedContext, paths: Map<number, string>) {
  const { ds, ins, today, rng } = s;
  const y = parseIso(today).y;
  const start = `${y}-01-05`;
  const span = Math.max(1, Math.floor((Date.parse(today) - Date.parse(start)) / 86_400_000));
  const mph = ORG_LIFE_2018.constants.MINUTES_PER_STUDY_HOUR.value;
  const records: SQL[] = [];
  const plans: SQL[] = [];
  for (const key of [s.fixtures.branch1, 'xf2', 'hp1', 'xc1']) {
    const committee = new Set(ds.posts.filter((p) => p.orgKey === key).map((p) => p.personKey));
    const oid = ins.orgIds.get(key)!;
    for (const p of ds.people.filter((x) => x.orgKey === key)) {
      const pid = ins.personIds.get(p.key)!;
      for (let k = rng.int(2, 6); k > 0; k -= 1) {
        const d = compareDates(start, today) <= 0 ? addDays(start, rng.int(0, span)) : today;
        records.push(sql`(${ins.tenantId}, ${oid}, ${paths.get(oid)!}, ${pid}, ${d}, ${rng.pick([60, 90, 120, 180])}, ${rng.pick(['selfStudy', 'online'])}, ${rng.pick(['学习强国专题学习', '自学党章党规', '学习习近平新时代中国特色社会主义思想'])}, ${s.nowIso}, ${s.nowIso})`);
      }
      if (committee.has(p.key)) {
        const d = compareDates(`${y}-04-15`, today) <= 0 ? `${y}-04-15` : today;
        records.push(sql`(${ins.tenantId}, ${oid}, ${paths.get(oid)!}, ${pid}, ${d}, ${3 * 8 * mph}, 'training', ${'县委党校基层党组织书记培训班（3天）'}, ${s.nowIso}, ${s.nowIso})`);
      }
      if (rng.chance(0.6)) plans.push(sql`(${ins.tenantId}, ${pid}, ${y}, ${'每月自学不少于4小时；按时参加“三会一课”和主题党日；年内完成学习强国专题学习。'}, ${s.nowIso}, ${s.nowIso})`);
    }
  }
  await batch(s.tx, sql`insert into study_records (tenant_id, org_id, org_path, person_id, studied_on, minutes, source, title, created_at, updated_at)`, records, 1000);
  await batch(s.tx, sql`insert into study_plans (tenant_id, person_id, year, plan, created_at, updated_at)`, plans, 1000);
}
