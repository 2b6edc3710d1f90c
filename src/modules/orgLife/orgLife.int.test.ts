import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { one } from '../../db/connection.js';
import { addDays } from '../../domain/dates.js';
import { openTestApp, TEST_TODAY, type TestApp } from '../../../test/db.js';

/**
 * Organizational life on the demo county (issue 4 acceptance), on PGlite and PostgreSQL: branch1's
 * workbench shows a real overdue committee meeting from demo history; recording it removes the finding
 * in the same response and street1's heat map shows the change; an assembly below quorum is stored but
 * not valid for decisions; ids outside the scope answer 404.
 */
let t: TestApp;
const ids: Record<string, number> = {};
beforeAll(async () => {
  t = await openTestApp();
  for (const code of ['SFX010101', 'SFX010102', 'SFX01', 'SFX0201', 'SFX020101']) {
    ids[code] = (await one<{ id: number }>(t.ctx.db, sql`select id from orgs where code = ${code}`))!.id;
  }
});
afterAll(async () => t?.close());

async function call(user: string, method: string, url: string, payload?: unknown) {
  const res = await t.built.app.inject({ method: method as never, url, payload: payload as never, headers: { cookie: await t.login(user) } });
  const isJson = String(res.headers['content-type'] ?? '').includes('json');
  return { status: res.statusCode, body: (isJson ? res.json() : {}) as Record<string, any>, raw: res };
}

type Finding = { id: number; ruleId: string; period: string; severity: string; orgId: number; message: string };
const findings = async (user: string) => ((await call(user, 'GET', '/api/findings?pageSize=200')).body.items as Finding[]);

describe(`organizational life (${process.env.ZHIBU_TEST_DB ?? 'pglite'})`, () => {
  it('recording the missing committee meeting removes the overdue finding in the same response, and street1 sees it', async () => {
    const before = (await findings('branch1')).filter((f) => f.ruleId === 'orgLife.obligation' && f.period.startsWith('committeeMeeting:') && f.orgId === ids.SFX010101);
    expect(before.map((f) => f.severity)).toEqual(['overdue']);
    const month = before[0].period.split(':')[1];
    // exactly one of the last three complete months lacks a committee meeting
    const lastThree = [1, 2, 3].map((k) => { const d = new Date(`${TEST_TODAY.slice(0, 7)}-01T00:00:00Z`); d.setUTCMonth(d.getUTCMonth() - k); return d.toISOString().slice(0, 7); });
    expect(lastThree).toContain(month);

    const matrixBefore = (await call('street1', 'GET', `/api/orgLife/matrix`)).body;
    const rowBefore = matrixBefore.rows.find((r: { orgId: number }) => r.orgId === ids.SFX010101);
    const i = matrixBefore.months.indexOf(month);
    expect(rowBefore.cells[i].overdue).toBeGreaterThanOrEqual(1);

    const res = await call('branch1', 'POST', '/api/orgLife/meetings', { orgId: ids.SFX010101, kind: 'committeeMeeting', heldOn: `${month}-15`, startTime: '14:30', endTime: '16:00', topic: '研究本月党建工作（补录）' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.countsAsHeld).toBe(true);
    expect(res.body.lateEntry).toBe(true);
    const open = (await findings('branch1')).filter((f) => f.period === `committeeMeeting:${month}` && f.orgId === ids.SFX010101);
    expect(open).toEqual([]);
    const resolved = await one<{ status: string }>(t.ctx.db, sql`select status from findings where id = ${before[0].id}`);
    expect(resolved!.status).toBe('resolved');

    const rowAfter = (await call('street1', 'GET', '/api/orgLife/matrix')).body.rows.find((r: { orgId: number }) => r.orgId === ids.SFX010101);
    expect(rowAfter.cells[i].overdue).toBe(rowBefore.cells[i].overdue - 1);
    expect(rowAfter.cells[i].met).toBe(rowBefore.cells[i].met + 1);
    const summary = (await call('street1', 'GET', '/api/findings/summary')).body as { id: number; counts: Record<string, number> }[];
    expect(summary.length).toBeGreaterThan(0);
    const compliance = (await call('street1', 'GET', `/api/orgLife/compliance?org=${ids.SFX010101}&from=${month}-01&to=${month}-28`)).body;
    const ob = compliance.obligations.find((o: { kind: string; orgId: number }) => o.kind === 'committeeMeeting' && o.orgId === ids.SFX010101);
    expect(ob.status).toBe('done');
    expect(ob.meetings[0].id).toBe(res.body.id);
  });

  it('a roll-call vote stores who voted how and gives the same result as the counted vote; a probationary member\'s hand is refused', async () => {
    const exp = (await call('branch1', 'GET', `/api/orgLife/meetings/expected?org=${ids.SFX010101}&kind=memberAssembly&date=${TEST_TODAY}`)).body.people as { personId: number; voting: boolean; name: string }[];
    const voters = exp.filter((p) => p.voting);
    const nonVoters = exp.filter((p) => !p.voting);
    const absent = voters[voters.length - 1];
    const attendance = exp.map((p) => ({ personId: p.personId, status: p.personId === absent.personId ? 'absent' : 'present' }));
    const present = voters.filter((p) => p.personId !== absent.personId);
    const ballots = [
      ...present.map((p, k) => ({ personId: p.personId, choice: k === 0 ? 'no' : k === 1 ? 'abstain' : 'yes' })),
      { personId: absent.personId, choice: 'writtenYes' },
    ];
    const base = { orgId: ids.SFX010101, kind: 'memberAssembly', heldOn: TEST_TODAY, topic: '讨论接收预备党员', attendance };
    const roll = await call('branch1', 'POST', '/api/orgLife/meetings', { ...base, votes: [{ subject: '接收预备党员', ballots }] });
    expect(roll.status, JSON.stringify(roll.body)).toBe(201);
    const counted = await call('branch1', 'POST', '/api/orgLife/meetings', {
      ...base, votes: [{ subject: '接收预备党员', yes: present.length - 2, no: 1, abstain: 1, writtenYes: 1 }],
    });
    expect(counted.status).toBe(201);
    const a = (await call('branch1', 'GET', `/api/orgLife/meetings/${roll.body.id}`)).body.votes[0];
    const b = (await call('branch1', 'GET', `/api/orgLife/meetings/${counted.body.id}`)).body.votes[0];
    expect({ yes: a.yes, no: a.no, abstain: a.abstain, writtenYes: a.writtenYes }).toEqual({ yes: present.length - 2, no: 1, abstain: 1, writtenYes: 1 });
    expect(a.result).toEqual(b.result);
    expect(a.result.passed).toBe(true);
    expect(a.ballots).toHaveLength(ballots.length);
    expect(b.ballots).toBeNull();

    // counts that disagree with the roll call are refused
    const mismatch = await call('branch1', 'POST', '/api/orgLife/meetings', { ...base, votes: [{ subject: '接收预备党员', ballots, yes: 1 }] });
    expect(mismatch.status).toBe(400);
    expect(JSON.stringify(mismatch.body)).toContain('不一致');
    // a probationary member (present, no vote) raising a hand is refused, by name
    expect(nonVoters.length).toBeGreaterThan(0);
    const p = nonVoters[0];
    const bad = await call('branch1', 'POST', '/api/orgLife/meetings', { ...base, votes: [{ subject: '接收预备党员', ballots: [...ballots, { personId: p.personId, choice: 'yes' }] }] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain(`${p.name}没有表决权`);
  });

  it('a committee meeting without more than half of the committee present is stored but does not count as held', async () => {
    const exp = (await call('branch1', 'GET', `/api/orgLife/meetings/expected?org=${ids.SFX010101}&kind=committeeMeeting&date=${TEST_TODAY}`)).body.people as { personId: number }[];
    expect(exp.length).toBeGreaterThanOrEqual(3);
    const attendance = exp.map((p, k) => ({ personId: p.personId, status: k === 0 ? 'present' : 'absent' }));
    const res = await call('branch1', 'POST', '/api/orgLife/meetings', { orgId: ids.SFX010101, kind: 'committeeMeeting', heldOn: TEST_TODAY, topic: '临时支委会', attendance });
    expect(res.status).toBe(201);
    expect(res.body.countsAsHeld).toBe(false);
    expect(res.body.invalidReason).toContain('不计入已召开的支委会');
  });

  it('an assembly below quorum is stored but marked not valid for decisions, with the reason; exactly half follows the setting', async () => {
    const exp = (await call('branch1', 'GET', `/api/orgLife/meetings/expected?org=${ids.SFX010101}&kind=memberAssembly&date=${TEST_TODAY}`)).body.people as { personId: number; voting: boolean }[];
    const voters = exp.filter((p) => p.voting);
    expect(voters.length).toBeGreaterThanOrEqual(12);
    const few = new Set(voters.slice(0, 3).map((p) => p.personId));
    const attendance = exp.map((p) => ({ personId: p.personId, status: few.has(p.personId) ? 'present' : 'absent' }));
    const votes = [{ subject: '接收预备党员', yes: 3, no: 0, abstain: 0 }];
    const res = await call('branch1', 'POST', '/api/orgLife/meetings', { orgId: ids.SFX010101, kind: 'memberAssembly', heldOn: TEST_TODAY, topic: '支部党员大会', attendance, votes });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.validForDecisions).toBe(false);
    expect(res.body.countsAsHeld).toBe(true);
    expect(res.body.invalidReason).toMatch(/不足法定人数.*无效/);
    const detail = (await call('branch1', 'GET', `/api/orgLife/meetings/${res.body.id}`)).body;
    expect(detail.validForDecisions).toBe(false);
    expect(detail.invalidReason).toContain(`应到会有表决权的党员${voters.length}人，实到3人`);
    expect(detail.votes[0].result.passed).toBeNull();
    expect(detail.attendance.filter((a: { voting: boolean }) => a.voting)).toHaveLength(voters.length);

    // exactly half of an even number: not a quorum by default, a quorum under the setting
    const even = voters.length % 2 === 0 ? voters : voters.slice(1);
    const half = new Set(even.slice(0, even.length / 2).map((p) => p.personId));
    const skip = voters.length % 2 === 0 ? null : voters[0].personId;
    const att2 = exp.filter((p) => p.personId !== skip).map((p) => ({ personId: p.personId, status: half.has(p.personId) ? 'present' : 'absent' }));
    if (skip) att2.push({ personId: skip, status: 'onLeave' });
    const fixedShould = voters.length;
    const present = half.size;
    const byDefault = await call('branch1', 'POST', '/api/orgLife/meetings', { orgId: ids.SFX010101, kind: 'memberAssembly', heldOn: TEST_TODAY, topic: '半数测试', attendance: att2 });
    expect(byDefault.body.validForDecisions).toBe(present * 2 > fixedShould);
    const set = await call('street1', 'PUT', '/api/settings/orgLife.exactlyHalfIsQuorum', { org: ids.SFX01, value: true });
    expect(set.status).toBe(200);
    const withSetting = await call('branch1', 'POST', '/api/orgLife/meetings', { orgId: ids.SFX010101, kind: 'memberAssembly', heldOn: TEST_TODAY, topic: '半数测试', attendance: att2 });
    expect(withSetting.body.validForDecisions).toBe(present * 2 >= fixedShould);
    await call('street1', 'PUT', '/api/settings/orgLife.exactlyHalfIsQuorum', { org: ids.SFX01, value: false });
  });

  it('an omitted attendance list records everyone who should attend; a future date and markup are refused', async () => {
    const res = await call('branch1', 'POST', '/api/orgLife/meetings', { orgId: ids.SFX010101, kind: 'themedPartyDay', heldOn: addDays(TEST_TODAY, -1), topic: '主题党日', theme: '重温入党誓词', minutesHtml: '<p>好</p><script>alert(1)</script><img src=x onerror=alert(1)>' });
    expect(res.status).toBe(201);
    const d = (await call('branch1', 'GET', `/api/orgLife/meetings/${res.body.id}`)).body;
    expect(d.attendance.length).toBeGreaterThanOrEqual(15);
    expect(d.attendance.every((a: { status: string }) => a.status === 'present')).toBe(true);
    expect(d.minutesHtml).toBe('<p>好</p>');
    expect((await call('branch1', 'POST', '/api/orgLife/meetings', { orgId: ids.SFX010101, kind: 'themedPartyDay', heldOn: addDays(TEST_TODAY, 1), topic: '未来' })).status).toBe(400);
    expect((await call('branch1', 'POST', '/api/orgLife/meetings', { orgId: ids.SFX010101, kind: 'themedPartyDay', heldOn: TEST_TODAY, topic: '<b>x</b>' })).status).toBe(400);
  });

  it('answers 404 for orgs and meetings outside the scope', async () => {
    const other = await one<{ id: number }>(t.ctx.db, sql`select id from meetings where org_id = ${ids.SFX010102} limit 1`);
    expect((await call('branch1', 'GET', `/api/orgLife/meetings/${other!.id}`)).status).toBe(404);
    expect((await call('branch1', 'GET', `/api/orgLife/meetings/${other!.id}/record.docx`)).status).toBe(404);
    expect((await call('branch1', 'POST', '/api/orgLife/meetings', { orgId: ids.SFX010102, kind: 'themedPartyDay', heldOn: TEST_TODAY, topic: 'x' })).status).toBe(404);
    expect((await call('branch1', 'GET', `/api/orgLife/compliance?org=${ids.SFX010102}`)).status).toBe(404);
    expect((await call('street1', 'GET', `/api/orgLife/matrix?org=${ids.SFX0201}`)).status).toBe(404);
    expect((await call('street1', 'GET', `/api/orgLife/meetings?org=${ids.SFX020101}`)).status).toBe(404);
    const mine = await one<{ id: number }>(t.ctx.db, sql`select id from people where org_id = ${ids.SFX010102} limit 1`);
    const att = [{ personId: mine!.id, status: 'present' }];
    expect((await call('branch1', 'POST', '/api/orgLife/meetings', { orgId: ids.SFX010101, kind: 'themedPartyDay', heldOn: TEST_TODAY, topic: 'x', attendance: att })).status).toBe(404);
  });

  it('street1 sees every branch under the subdistrict, twelve months, with variety', async () => {
    const m = (await call('street1', 'GET', '/api/orgLife/matrix')).body;
    expect(m.months).toHaveLength(12);
    expect(m.months[11]).toBe(TEST_TODAY.slice(0, 7));
    expect(m.rows.length).toBeGreaterThanOrEqual(8);
    const rates = new Set(m.rows.map((r: { rate: number | null }) => r.rate));
    expect(rates.size).toBeGreaterThan(2);
    expect(m.rows.every((r: { orgName: string }) => r.orgName.length > 0)).toBe(true);
  });

  it('prints the meeting record as docx and as a print page', async () => {
    const id = (await one<{ id: number }>(t.ctx.db, sql`select id from meetings where org_id = ${ids.SFX010101} order by held_on desc limit 1`))!.id;
    const docx = await call('branch1', 'GET', `/api/orgLife/meetings/${id}/record.docx`);
    expect(docx.status).toBe(200);
    expect(docx.raw.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const html = await t.built.app.inject({ method: 'GET', url: `/api/orgLife/meetings/${id}/print`, headers: { cookie: await t.login('branch1') } });
    expect(html.statusCode).toBe(200);
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.body).toMatch(/<h1>.+记录<\/h1>/);
    expect(html.body).not.toContain('<script');
  });
});
