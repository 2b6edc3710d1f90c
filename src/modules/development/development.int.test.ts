import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { one, rows } from '../../db/connection.js';
import { addDays, addMonths } from '../../domain/dates.js';
import { evaluateFindings } from '../../platform/findings.js';
import { openTestApp, TEST_TODAY, type TestApp } from '../../../test/db.js';

/**
 * The development pipeline on the demo county (issue 14), on PGlite and PostgreSQL: branch1's board,
 * a skipped step refused with the rule's Chinese text, an activist with a complete record taken to
 * 发展对象 (the registry's stage and membership period follow), introducers checked, the admission
 * vote taken from a member-assembly meeting, deadline findings (talk, approval at the approver),
 * figures with evidence, and 404 outside the scope.
 */
let t: TestApp;
const ids: Record<string, number> = {};
beforeAll(async () => {
  t = await openTestApp();
  for (const code of ['SFX010101', 'SFX010102', 'SFX01']) ids[code] = (await one<{ id: number }>(t.ctx.db, sql`select id from orgs where code = ${code}`))!.id;
  for (const name of ['赵晓雯', '钱志强', '孙丽娜', '李海涛', '周雨欣']) ids[name] = (await one<{ id: number }>(t.ctx.db, sql`select id from people where name = ${name} and org_id = ${ids.SFX010101}`))!.id;
});
afterAll(async () => t?.close());

async function call(user: string, method: string, url: string, payload?: unknown) {
  const res = await t.built.app.inject({ method: method as never, url, payload: payload as never, headers: { cookie: await t.login(user) } });
  return { status: res.statusCode, body: res.json() as Record<string, any> };
}
const step = (personId: number, body: Record<string, unknown>, user = 'branch1') =>
  call(user, 'POST', `/api/development/people/${personId}/steps`, { actorName: '支部书记', ...body });
type Item = { personId: number; name: string; stage: string; currentStep: number; next: { no: number; dueOn: string | null; documents: string[]; earliestOn: string | null } | null };

describe(`member development (${process.env.ZHIBU_TEST_DB ?? 'pglite'})`, () => {
  it('branch1 sees the branch pipeline with next steps, deadlines and documents', async () => {
    const res = await call('branch1', 'GET', '/api/development/board');
    expect(res.status).toBe(200);
    const items = res.body.items as Item[];
    const by = (n: string) => items.find((i) => i.name === n)!;
    expect(by('赵晓雯')).toMatchObject({ stage: 'applicant', currentStep: 1, next: { no: 2, documents: ['谈话记录'] } });
    expect(by('钱志强').next!.dueOn! < TEST_TODAY).toBe(true);
    expect(by('孙丽娜')).toMatchObject({ stage: 'activist', currentStep: 5, next: { no: 7 } });
    expect(by('孙丽娜').next!.earliestOn! <= TEST_TODAY).toBe(true);
    expect(by('周雨欣')).toMatchObject({ stage: 'candidate', currentStep: 14, next: { no: 15 } });
    expect(items.filter((i) => i.stage === 'probationary').length).toBeGreaterThan(0);
    expect(items.every((i) => i.stage !== 'full')).toBe(true);
    expect(res.body.steps).toHaveLength(25);
  });

  it('a skipped step is refused with the rule text; the activist with a complete record becomes 发展对象', async () => {
    const skip = await step(ids['孙丽娜'], { step: 9, doneOn: TEST_TODAY, introducerIds: [] });
    expect(skip.status).toBe(409);
    expect(skip.body.message).toContain('尚未完成第7步“确定发展对象”');
    expect(skip.body.message).toContain('发展党员须按工作流程逐步进行，不得跳过步骤');
    const early = await step(ids['李海涛'], { step: 7, doneOn: TEST_TODAY });
    expect(early.status).toBe(409);
    expect(early.body.message).toContain('经过一年以上培养教育和考察方可列为发展对象');

    const ok = await step(ids['孙丽娜'], { step: 7, doneOn: TEST_TODAY, documents: ['支委会记录', '征求意见材料'] });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.stage).toBe('candidate');
    const person = await one<{ stage: string }>(t.ctx.db, sql`select stage from people where id = ${ids['孙丽娜']}`);
    expect(person!.stage).toBe('candidate');
    const periods = await rows<{ stage: string; valid_from: string; valid_to: string | null }>(t.ctx.db,
      sql`select stage, valid_from::text as valid_from, valid_to::text as valid_to from membership_periods where person_id = ${ids['孙丽娜']} order by valid_from`);
    expect(periods.at(-1)).toEqual({ stage: 'candidate', valid_from: TEST_TODAY, valid_to: null });
    expect(periods.at(-2)).toMatchObject({ stage: 'activist', valid_to: TEST_TODAY });
    const audit = await one<{ n: number }>(t.ctx.db, sql`select count(*)::int as n from audit_log where entity = 'developmentStep' and entity_id = ${String(ok.body.id)}`);
    expect(audit!.n).toBe(1);
    const record = (await call('branch1', 'GET', `/api/development/people/${ids['孙丽娜']}`)).body;
    expect(record.next).toMatchObject({ no: 8 });
    expect(record.steps.at(-1)).toMatchObject({ step: 7, documents: ['支委会记录', '征求意见材料'] });

    // introducers: two full members in good standing
    expect((await step(ids['孙丽娜'], { step: 8, doneOn: TEST_TODAY })).status).toBe(201);
    const fulls = await rows<{ id: number }>(t.ctx.db, sql`select id from people where org_id = ${ids.SFX010101} and stage = 'full' and state = 'active' order by id limit 2`);
    const one1 = await step(ids['孙丽娜'], { step: 9, doneOn: TEST_TODAY, introducerIds: [fulls[0].id] });
    expect(one1.status).toBe(409);
    expect(one1.body.message).toContain('入党介绍人应为2名');
    const applicant = await step(ids['孙丽娜'], { step: 9, doneOn: TEST_TODAY, introducerIds: [fulls[0].id, ids['赵晓雯']] });
    expect(applicant.status).toBe(409);
    expect(applicant.body.message).toContain('赵晓雯不是正常状态的正式党员');
    expect((await step(ids['孙丽娜'], { step: 9, doneOn: TEST_TODAY, introducerIds: fulls.map((f) => f.id) })).status).toBe(201);
  });

  it('the admission vote comes from a member-assembly meeting; the approval deadline goes to the approver', async () => {
    const p = ids['周雨欣'];
    const noMeeting = await step(p, { step: 15, doneOn: TEST_TODAY });
    expect(noMeeting.status).toBe(409);
    expect(noMeeting.body.message).toContain('须关联支部党员大会对本人的表决记录');
    const expected = (await call('branch1', 'GET', `/api/orgLife/meetings/expected?org=${ids.SFX010101}&kind=memberAssembly&date=${TEST_TODAY}`)).body.people as { voting: boolean }[];
    const meeting = await call('branch1', 'POST', '/api/orgLife/meetings', {
      orgId: ids.SFX010101, kind: 'memberAssembly', heldOn: TEST_TODAY, topic: '讨论接收周雨欣为预备党员',
      votes: [{ subject: '接收周雨欣为预备党员', subjectPersonId: p, yes: expected.filter((x) => x.voting).length, no: 0, abstain: 0 }],
    });
    expect(meeting.status, JSON.stringify(meeting.body)).toBe(201);
    const ok = await step(p, { step: 15, doneOn: TEST_TODAY, meetingId: meeting.body.id });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    const stored = await one<{ meeting_id: number; subject_person_id: number }>(t.ctx.db, sql`select meeting_id, subject_person_id from development_steps where id = ${ok.body.id}`);
    expect(stored).toEqual({ meeting_id: meeting.body.id, subject_person_id: p });
    expect((await step(p, { step: 16, doneOn: TEST_TODAY })).status).toBe(201);

    // two days before the approval deadline: due soon, on the approver's (城关街道) workbench, not the branch's
    const due = addMonths(TEST_TODAY, 3);
    const tenant = (await one<{ tenant_id: number }>(t.ctx.db, sql`select tenant_id from people where id = ${p}`))!.tenant_id;
    await evaluateFindings(t.ctx.db, { tenantId: tenant, paths: null, today: addDays(due, -2) }, { nowIso: `${TEST_TODAY}T08:00:00.000Z` });
    const f = await one<{ org_id: number; severity: string; due_on: string; message: string }>(t.ctx.db,
      sql`select org_id, severity, due_on::text as due_on, message from findings where rule_id = 'development.deadline' and subject_id = ${String(p)} and status = 'open'`);
    expect(f).toMatchObject({ org_id: ids.SFX01, severity: 'dueSoon', due_on: due });
    expect(f!.message).toContain('上级党委审批接收预备党员');
  });

  it('an overdue talk is a finding on branch1\'s workbench and recording the talk resolves it in the same transaction', async () => {
    const list = async () => ((await call('branch1', 'GET', '/api/findings?pageSize=200')).body.items as { ruleId: string; subjectId: string; severity: string }[])
      .filter((x) => x.ruleId === 'development.deadline' && String(x.subjectId) === String(ids['钱志强']));
    expect((await list()).map((x) => x.severity)).toEqual(['overdue']);
    const res = await step(ids['钱志强'], { step: 2, doneOn: TEST_TODAY, documents: ['谈话记录'] });
    expect(res.status).toBe(201);
    expect(res.body.issues.map((i: { ruleId: string }) => i.ruleId)).toEqual(['development-2026.TALK_DEADLINE_MONTHS']);
    expect(await list()).toEqual([]);
  });

  it('figures: the pipeline by stage matches the board, approvals have evidence', async () => {
    const board = (await call('branch1', 'GET', '/api/development/board')).body.items as Item[];
    const fig = (await call('branch1', 'GET', `/api/figures/development.pipeline.count?by=stage&to=${TEST_TODAY}&pageSize=500`)).body;
    expect(fig.value.value).toBe(board.length);
    for (const s of ['applicant', 'activist', 'candidate', 'probationary']) {
      expect(fig.value.breakdown.find((b: { key: string }) => b.key === s).value).toBe(board.filter((i) => i.stage === s).length);
    }
    expect(fig.evidence.total).toBe(fig.value.value);
    const approved = (await call('street1', 'GET', `/api/figures/development.approved.count?org=${ids.SFX010101}&from=2000-01-01&to=${TEST_TODAY}`)).body;
    const n = await one<{ n: number }>(t.ctx.db, sql`select count(*)::int as n from development_steps where step = 17 and org_id = ${ids.SFX010101}`);
    expect(approved.value.value).toBe(n!.n);
    expect(approved.value.value).toBeGreaterThan(0);
    expect(approved.evidence.total).toBe(approved.value.value);
  });

  it('outside the scope: 404; without the permission: 403', async () => {
    const other = (await one<{ id: number }>(t.ctx.db, sql`select id from people where org_id = ${ids.SFX010102} order by id limit 1`))!.id;
    expect((await call('branch1', 'GET', `/api/development/people/${other}`)).status).toBe(404);
    expect((await step(other, { step: 1, doneOn: TEST_TODAY })).status).toBe(404);
    expect((await call('branch1', 'GET', `/api/development/board?org=${ids.SFX010102}`)).status).toBe(404);
    expect((await call('member1', 'GET', '/api/development/board')).status).toBe(403);
  });
});
