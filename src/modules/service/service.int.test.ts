import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { one, rows } from '../../db/connection.js';
import { openTestApp, type TestApp } from '../../../test/db.js';
import { TINY_PNG, multipartCall } from '../../../test/routeCases.platform.js';
import type { ActivityView, ParticipantView, VisitView } from './contract.js';

/**
 * Community service over HTTP on the seeded demo (today 2026-11-20), as branch1: an activity with
 * sign-up, check-in (a repeat answers the stored one) and confirmed hours within the limits; a visit
 * with a photo; a deed taken to done with evidence; pairings with a late window; personal data of
 * volunteers and households never stored in clear.
 */
let t: TestApp;
let branch: number;
let otherBranch: number;
let members: number[];
beforeAll(async () => {
  t = await openTestApp();
  branch = (await one<{ id: number }>(t.ctx.db, sql`select id from orgs where code = 'SFX010101'`))!.id;
  otherBranch = (await one<{ id: number }>(t.ctx.db, sql`select id from orgs where code = 'SFX010102'`))!.id;
  members = (await rows<{ id: number }>(t.ctx.db, sql`select id from people where org_id = ${branch} and stage = 'full' order by id limit 3`)).map((r) => Number(r.id));
});
afterAll(async () => t?.close());

const call = async (method: 'GET' | 'POST', url: string, payload?: unknown, user = 'branch1') => {
  const res = await t.built.app.inject({ method, url, payload: payload as never, headers: { cookie: await t.login(user) } });
  return { status: res.statusCode, body: res.json() };
};

describe(`service (${process.env.ZHIBU_TEST_DB ?? 'pglite'})`, () => {
  it('activity: create, sign up, check in exactly once, confirm hours within the limits', async () => {
    const bad = await call('POST', '/api/service/activities', { orgId: branch, title: '测试', kind: '跳广场舞', heldOn: '2026-11-20' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('活动类型应为');
    const a = await call('POST', '/api/service/activities', { orgId: branch, title: '楼道清理', kind: '环境整治', heldOn: '2026-11-20', startTime: '08:30', endTime: '10:30', place: '幸福路12号', capacity: 20 });
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    const id = a.body.id as number;
    const v = await call('POST', '/api/service/volunteers', { orgId: branch, name: '居民张阿姨', gender: 'female', mobile: '13911112222' });
    expect(v.status).toBe(201);
    expect((await call('POST', '/api/service/volunteers', { orgId: branch, name: '居民张阿姨', mobile: '139 1111 2222' })).status).toBe(200);
    expect((await call('POST', `/api/service/activities/${id}/signups`, { personId: members[0] })).status).toBe(201);
    expect((await call('POST', `/api/service/activities/${id}/signups`, { personId: members[0] })).status).toBe(200);
    const first = await call('POST', `/api/service/activities/${id}/checkins`, { personId: members[0] });
    expect(first.status).toBe(201);
    const again = await call('POST', `/api/service/activities/${id}/checkins`, { personId: members[0] });
    expect(again.status).toBe(200);
    expect(again.body.checkedInAt).toBe(first.body.checkedInAt);
    expect((await call('POST', `/api/service/activities/${id}/checkins`, { volunteerId: v.body.id })).status).toBe(201);
    expect((await call('POST', `/api/service/activities/${id}/checkins`, { personId: members[0], volunteerId: v.body.id })).status).toBe(400);
    // not checked in; longer than the activity; not a multiple of 30 minutes
    const notIn = await call('POST', `/api/service/activities/${id}/hours`, { entries: [{ personId: members[1], minutes: 60 }] });
    expect(notIn.status).toBe(400);
    expect(notIn.body.message).toContain('未签到');
    expect((await call('POST', `/api/service/activities/${id}/hours`, { entries: [{ personId: members[0], minutes: 150 }] })).body.message).toContain('不能超过活动时长');
    expect((await call('POST', `/api/service/activities/${id}/hours`, { entries: [{ personId: members[0], minutes: 100 }] })).status).toBe(400);
    const ok = await call('POST', `/api/service/activities/${id}/hours`, { entries: [{ personId: members[0], minutes: 120 }, { volunteerId: v.body.id, minutes: 90 }] });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const d = (await call('GET', `/api/service/activities/${id}`)).body as ActivityView & { participants: ParticipantView[] };
    expect(d).toMatchObject({ signedUp: 1, checkedIn: 2, confirmedMinutes: 210 });
    expect(d.participants.find((p) => p.volunteerId)!).toMatchObject({ isMember: false, mobileMasked: '139****2222', minutes: 90 });
    // stored once each; an activity of another branch is out of scope
    const n = await one<{ n: number }>(t.ctx.db, sql`select count(*)::int as n from service_participations where activity_id = ${id}`);
    expect(n!.n).toBe(2);
    const other = await one<{ id: number }>(t.ctx.db, sql`select id from service_activities where org_id = ${otherBranch} limit 1`);
    expect((await call('POST', `/api/service/activities/${other!.id}/checkins`, { personId: members[0] })).status).toBe(404);
    // the audit holds one check-in entry per person, not per request
    const audits = await one<{ n: number }>(t.ctx.db, sql`select count(*)::int as n from audit_log where entity = 'serviceCheckIn' and (after->>'activityId')::int = ${id}`);
    expect(audits!.n).toBe(2);
  });

  it('a future activity cannot be checked into; a past one outside the confirmation period cannot be confirmed', async () => {
    const fut = await call('POST', '/api/service/activities', { orgId: branch, title: '下周活动', kind: '助老', heldOn: '2026-11-27' });
    expect((await call('POST', `/api/service/activities/${fut.body.id}/checkins`, { personId: members[0] })).body.message).toContain('活动当天才能签到');
    const old = await call('POST', '/api/service/activities', { orgId: branch, title: '旧活动', kind: '助老', heldOn: '2026-10-20' });
    expect((await call('POST', `/api/service/activities/${old.body.id}/checkins`, { personId: members[1] })).status).toBe(201);
    const late = await call('POST', `/api/service/activities/${old.body.id}/hours`, { entries: [{ personId: members[1], minutes: 60 }] });
    expect(late.body.message).toContain('已超过确认期限');
  });

  it('visit with a photo; the household address and volunteer mobiles are never stored in clear', async () => {
    const c = multipartCall('/api/attachments', { org: String(branch) }, { filename: '走访.png', data: TINY_PNG });
    const photo = await t.built.app.inject({ method: 'POST', url: c.url, payload: c.payload as Buffer, headers: { ...c.headers, cookie: await t.login('branch1') } });
    expect(photo.statusCode, photo.body).toBe(201);
    const h = await call('POST', '/api/service/households', { orgId: branch, headName: '李奶奶', address: '幸福路88号3单元502室', careTags: ['elderlyAlone'] });
    expect(h.status).toBe(201);
    const visit = await call('POST', '/api/service/visits', { orgId: branch, householdId: h.body.id, visitedOn: '2026-11-19', kind: 'holidayCare', visitorIds: [members[0], members[1]],
      moneyFen: 50_000, goods: '米、油', followUpNeeded: true, followUpNote: '联系家庭医生', attachmentIds: [photo.json().id] });
    expect(visit.status, JSON.stringify(visit.body)).toBe(201);
    const list = (await call('GET', `/api/service/visits?org=${branch}&from=2026-11-19&to=2026-11-19`)).body.items as VisitView[];
    const mine = list.find((x) => x.id === visit.body.id)!;
    expect(mine.attachments).toHaveLength(1);
    expect(mine.visitors).toHaveLength(2);
    expect(mine.addressMasked).not.toContain('502');
    const dump = (await rows<{ j: string }>(t.ctx.db, sql`select row_to_json(x)::text as j from service_households x union all select row_to_json(x)::text from service_volunteers x
      union all select row_to_json(x)::text from audit_log x where entity like 'service%'`)).map((r) => r.j).join('\n');
    expect(dump).not.toContain('幸福路88号3单元502室');
    expect(dump).not.toContain('13911112222');
    expect(dump).toContain('李奶奶');
    // markup is refused in plain-text fields
    expect((await call('POST', '/api/service/households', { orgId: branch, headName: '<script>alert(1)</script>', address: 'x' })).status).toBe(400);
  });

  it('deeds: planned → in progress → done only with evidence; dropped only with a reason', async () => {
    const d = await call('POST', '/api/service/deeds', { orgId: branch, item: '修补楼道台阶', source: 'consultation', ownerPersonId: members[0], deadline: '2026-12-31' });
    expect(d.status).toBe(201);
    expect((await call('POST', `/api/service/deeds/${d.body.id}/status`, { status: 'inProgress' })).status).toBe(200);
    const noEvidence = await call('POST', `/api/service/deeds/${d.body.id}/status`, { status: 'done' });
    expect(noEvidence.body.message).toBe('办结须有佐证材料（文字说明或附件）');
    expect((await call('POST', `/api/service/deeds/${d.body.id}/status`, { status: 'done', evidence: '台阶已修补，居民验收' })).status).toBe(200);
    expect((await call('POST', `/api/service/deeds/${d.body.id}/status`, { status: 'inProgress' })).status).toBe(400);
    const list = (await call('GET', `/api/service/deeds?org=${branch}&year=2026`)).body.items as { id: number; status: string; overdue: boolean }[];
    expect(list.find((x) => x.id === d.body.id)!.status).toBe('done');
    expect(list.filter((x) => x.overdue).length).toBe(2);
    const drop = await call('POST', '/api/service/deeds', { orgId: branch, item: '试点项目', source: 'other' });
    expect((await call('POST', `/api/service/deeds/${drop.body.id}/status`, { status: 'dropped' })).body.message).toBe('终止办理须填写原因');
  });

  it('pairings: the demo pairing without visits shows its late windows, the visited ones none', async () => {
    const p = (await call('GET', `/api/service/pairings?org=${branch}`)).body.items as { householdId: number; overdueWindows: { deadline: string }[] }[];
    expect(p).toHaveLength(3);
    expect(p.filter((x) => x.overdueWindows.length > 0)).toHaveLength(1);
    const late = p.find((x) => x.overdueWindows.length > 0)!;
    expect(late.overdueWindows.length).toBeGreaterThanOrEqual(2);
  });

  it('findings: an overdue deed and a late pairing are open on the demo and resolve when the records satisfy the rule', async () => {
    const open = (rule: string) => rows<{ subject_id: string; period: string }>(t.ctx.db, sql`select subject_id, period from findings where rule_id = ${rule} and org_id = ${branch} and status = 'open' order by id`);
    const deeds = await open('service.deed.overdue');
    expect(deeds).toHaveLength(2);
    const pairings = await open('service.pairing.late');
    expect(pairings).toHaveLength(1);
    // closing a late deed resolves its finding in the same request
    expect((await call('POST', `/api/service/deeds/${deeds[0]!.subject_id}/status`, { status: 'done', evidence: '已完工，居民验收' })).status).toBe(200);
    expect((await open('service.deed.overdue')).map((f) => f.subject_id)).toEqual([deeds[1]!.subject_id]);
    // a visit recorded late (补录) inside the late window resolves the pairing's finding
    const p = (await call('GET', `/api/service/pairings?org=${branch}`)).body.items.find((x: { id: number }) => String(x.id) === pairings[0]!.subject_id) as { householdId: number; overdueWindows: { from: string }[] };
    const window = p.overdueWindows.at(-1)!;
    expect(window.from).toBe(pairings[0]!.period);
    const v = await call('POST', '/api/service/visits', { orgId: branch, householdId: p.householdId, visitedOn: window.from, kind: 'pairing', visitorIds: [members[0]] });
    expect(v.status).toBe(201);
    expect(await open('service.pairing.late')).toHaveLength(0);
  });
});
