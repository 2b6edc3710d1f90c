import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { one } from '../../db/connection.js';
import { openTestApp, type TestApp } from '../../../test/db.js';
import { resetSubmitLimits } from './public.js';
import { runJob } from '../../platform/jobs.js';

/**
 * Resident requests end to end over HTTP (issue 15 acceptance): a resident submits without login and
 * gets a tracking token; grid1 (gridWorker at branch1's community) accepts and answers; the resident
 * reads the answer by token and rates it; the satisfaction figure moves. Guessed and altered tokens
 * reveal nothing; oversized, malformed and markup-carrying input is refused in Chinese, storing nothing.
 */
let t: TestApp;
let community = 0;
let otherCommunity = 0;
let ipN = 0;
beforeAll(async () => {
  t = await openTestApp();
  community = (await one<{ id: number }>(t.ctx.db, sql`select id from orgs where code = 'SFX0101'`))!.id;
  otherCommunity = (await one<{ id: number }>(t.ctx.db, sql`select id from orgs where code = 'SFX0201'`))!.id;
  resetSubmitLimits();
});
afterAll(async () => t?.close());

const pub = (url: string, payload: unknown, ip = `10.55.0.${++ipN}`) => t.built.app.inject({ method: 'POST', url, payload: payload as never, remoteAddress: ip });
const staff = async (method: 'GET' | 'POST', url: string, user = 'grid1', payload?: unknown) =>
  t.built.app.inject({ method, url, payload: payload as never, headers: { cookie: await t.login(user) } });
const body = (over: Record<string, unknown> = {}) => ({ communityId: community, kind: 'repair', content: '2栋门口路面塌陷，雨天积水严重。', contactName: '测试居民', mobile: '13912340001', ...over });
const count = async () => (await one<{ n: number }>(t.ctx.db, sql`select count(*)::int as n from resident_requests`))!.n;
const satisfaction = async () => (await staff('GET', '/api/figures/requests.satisfaction.rate?from=2026-01-01&to=2026-11-20', 'street1')).json().value as { value: number; numerator: number; denominator: number };

describe(`resident requests (${process.env.ZHIBU_TEST_DB ?? 'pglite'})`, () => {
  it('submit without login → grid1 accepts and answers → the resident reads the answer and rates; satisfaction moves', async () => {
    const before = await satisfaction();
    const res = await pub('/api/public/requests', body());
    expect(res.statusCode, res.body).toBe(201);
    const { token, trackUrl } = res.json() as { token: string; trackUrl: string };
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(trackUrl).toBe(`/h5/track#${token}`);
    // only the hash is stored
    const row = (await one<{ id: number; token_hash: string; mobile_masked: string }>(t.ctx.db, sql`select id, token_hash, mobile_masked from resident_requests order by id desc limit 1`))!;
    expect(row.token_hash).not.toContain(token);
    expect(row.mobile_masked).toBe('139****0001');

    const tracked = await pub('/api/public/requests/track', { token });
    expect(tracked.statusCode).toBe(200);
    expect(tracked.json()).toMatchObject({ state: 'submitted', stateLabel: '已提交', content: body().content, answer: null, canRate: false });
    expect(tracked.body).not.toContain('13912340001');
    expect(tracked.body).not.toContain('139****0001');

    const inbox = (await staff('GET', `/api/requests?state=submitted`)).json() as { items: { id: number; mobile: string; sla: string }[] };
    const mine = inbox.items.find((i) => i.id === row.id)!;
    expect(mine.mobile).toBe('139****0001');
    expect(mine.sla).toBe('ok');
    expect((await staff('POST', `/api/requests/${row.id}/transition`, 'grid1', { action: 'answer', answer: '太早了' })).statusCode).toBe(409);
    expect((await staff('POST', `/api/requests/${row.id}/transition`, 'grid1', { action: 'accept' })).json()).toMatchObject({ state: 'accepted' });
    const answered = await staff('POST', `/api/requests/${row.id}/transition`, 'grid1', { action: 'answer', answer: '已联系市政维修，本周内修复。' });
    expect(answered.statusCode, answered.body).toBe(200);

    const seen = (await pub('/api/public/requests/track', { token })).json();
    expect(seen).toMatchObject({ state: 'answered', answer: '已联系市政维修，本周内修复。', canRate: true, acceptedOn: '2026-11-20', answeredOn: '2026-11-20' });
    const rated = await pub('/api/public/requests/rate', { token, rating: 'dissatisfied', comment: '希望尽快' });
    expect(rated.statusCode, rated.body).toBe(200);
    expect(rated.json()).toMatchObject({ state: 'rated', ratingLabel: '不满意', canRate: false });
    expect((await pub('/api/public/requests/rate', { token, rating: 'satisfied' })).json().message).toBe('您已评价过该诉求，不能重复评价');

    const after = await satisfaction();
    expect(after.denominator).toBe(before.denominator + 1);
    expect(after.numerator).toBe(before.numerator);
    expect(after.value).toBeLessThan(before.value);
    // the audit shows the transitions, without the mobile
    const audit = await one<{ n: number; leaks: number }>(t.ctx.db, sql`select count(*)::int as n, count(*) filter (where after::text like '%13912340001%')::int as leaks
      from audit_log where entity = 'residentRequest' and entity_id = ${String(row.id)}`);
    expect(audit).toEqual({ n: 4, leaks: 0 });
  });

  it('a guessed or altered token reveals nothing: the same 404 as any unknown token', async () => {
    const { token } = (await pub('/api/public/requests', body({ content: '只属于我的诉求内容，不应被他人看到。' }))).json() as { token: string };
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
    const guesses = [flip(token, 0), flip(token, 21), flip(token, 42), 'A'.repeat(43), token.split('').reverse().join('')];
    const answers = await Promise.all(guesses.map((g) => pub('/api/public/requests/track', { token: g })));
    for (const a of answers) {
      expect(a.statusCode).toBe(404);
      expect(a.json()).toEqual({ error: 'notFound', message: '查询码无效或诉求不存在，请核对查询链接' });
    }
    for (const g of guesses) expect((await pub('/api/public/requests/rate', { token: g, rating: 'satisfied' })).statusCode).toBe(404);
    // malformed tokens are refused before any lookup
    for (const bad of [token.slice(1), `${token}x`, `<script>${token.slice(8)}`, '']) {
      const r = await pub('/api/public/requests/track', { token: bad });
      expect(r.statusCode).toBe(400);
      expect(r.json().message).toContain('查询码');
    }
    expect((await pub('/api/public/requests/track', { token })).json().content).toBe('只属于我的诉求内容，不应被他人看到。');
  });

  it('refuses oversized, malformed and markup-carrying input with a clear Chinese message and stores nothing', async () => {
    const n = await count();
    const cases: [Record<string, unknown> | string, RegExp][] = [
      [body({ content: '长'.repeat(1001) }), /诉求内容不能超过 1000 个字/],
      [body({ content: '<script>alert(1)</script>楼道灯坏了' }), /诉求内容不能包含 HTML 标记/],
      [body({ contactName: '<img src=x onerror=alert(1)>' }), /联系人不能包含 HTML 标记/],
      [body({ content: '<b>加粗</b>的诉求内容' }), /HTML 标记/],
      [body({ mobile: '1234' }), /手机号码应为11位数字/],
      [body({ kind: 'bribe' }), /诉求类别/],
      [body({ content: '短' }), /诉求内容至少 5 个字/],
      [body({ isAdmin: true }), /./],
      [body({ communityId: 'x' }), /社区/],
      [body({ content: '正常内容\u0007带响铃字符' }), /控制字符/],
    ];
    for (const [payload, msg] of cases) {
      const r = await pub('/api/public/requests', payload);
      expect(r.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
      expect(r.json().message, r.body).toMatch(msg);
      expect(r.json().message).toMatch(/[\u4e00-\u9fff]/);
    }
    const big = await t.built.app.inject({ method: 'POST', url: '/api/public/requests', payload: JSON.stringify(body({ address: 'x'.repeat(9000) })), headers: { 'content-type': 'application/json' }, remoteAddress: '10.55.1.1' });
    expect(big.statusCode).toBe(413);
    expect(big.json().message).toBe('提交内容过大（不能超过 8 KB），请精简后再提交');
    const notJson = await t.built.app.inject({ method: 'POST', url: '/api/public/requests', payload: '{"communityId":', headers: { 'content-type': 'application/json' }, remoteAddress: '10.55.1.2' });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().message).toMatch(/[\u4e00-\u9fff]/);
    // a community id that is not a community
    const branch = (await one<{ id: number }>(t.ctx.db, sql`select id from orgs where code = 'SFX010101'`))!.id;
    expect((await pub('/api/public/requests', body({ communityId: branch }))).json().message).toBe('所选社区不存在，请重新选择');
    expect(await count()).toBe(n);
  });

  it('limits submissions per address (setting requests.public.submitsPerHour, default 10)', async () => {
    const ip = '10.56.0.1';
    const codes: number[] = [];
    for (let i = 0; i < 11; i++) codes.push((await pub('/api/public/requests', body({ content: `第${i + 1}条测试诉求内容` }), ip)).statusCode);
    expect(codes.slice(0, 10).every((c) => c === 201)).toBe(true);
    expect(codes[10]).toBe(429);
    expect((await pub('/api/public/requests', body(), ip)).json().message).toContain('同一网络每小时最多提交10条诉求');
  });

  it("grid1 sees and handles only its community's requests; another community's answer 404", async () => {
    const { token } = (await pub('/api/public/requests', body({ communityId: otherCommunity }))).json() as { token: string };
    expect(token).toBeTruthy();
    const id = (await one<{ id: number }>(t.ctx.db, sql`select id from resident_requests where org_id = ${otherCommunity} order by id desc limit 1`))!.id;
    expect((await staff('POST', `/api/requests/${id}/transition`, 'grid1', { action: 'accept' })).statusCode).toBe(404);
    const list = (await staff('GET', '/api/requests?pageSize=100')).json() as { items: { id: number; communityName: string }[] };
    expect(list.items.map((i) => i.id)).not.toContain(id);
    expect(new Set(list.items.map((i) => i.communityName))).toEqual(new Set(['中共示范县城关街道幸福社区委员会']));
    expect((await staff('GET', `/api/requests?org=${otherCommunity}`)).statusCode).toBe(404);
    expect((await staff('GET', '/api/members')).statusCode).toBe(403);
  });

  it('late requests show as late in the inbox and as overdue findings of the community', async () => {
    const inbox = (await staff('GET', '/api/requests?pageSize=100')).json() as { items: { content: string; sla: string }[] };
    expect(inbox.items.find((i) => i.content.startsWith('小区东门外早市'))!.sla).toBe('late');
    expect(inbox.items.find((i) => i.content.startsWith('楼上住户空调'))!.sla).toBe('late');
    const f = await one<{ n: number }>(t.ctx.db, sql`select count(*)::int as n from findings where rule_id = 'requests.sla.overdue' and status = 'open' and org_id = ${community}`);
    // not accepted in time (submitted 7 days ago), and not answered in time: the dispute in progress and the claimed wish
    expect(f!.n).toBe(3);
  });

  it('the daily job escalates requests unanswered one working day past the answer deadline, once, by the system actor', async () => {
    const first = await runJob(t.ctx, 'requests.escalate');
    expect(first.ran).toBe(true);
    const escalated = await one<{ ids: string }>(t.ctx.db, sql`select string_agg(content, '|' order by id) as ids from resident_requests where state = 'escalated' and org_id = ${community}`);
    // the dispute accepted 19 days ago and the claimed wish accepted 11 days ago; not the errand accepted 3 days ago
    expect(escalated!.ids.split('|').map((c) => c.slice(0, 6)).sort()).toEqual(['微心愿：留守', '楼上住户空调'].sort());
    const audit = await one<{ n: number; actor: string }>(t.ctx.db, sql`select count(*)::int as n, min(actor) as actor from audit_log where entity = 'residentRequest' and meta->>'action' = 'escalate'`);
    expect(audit).toEqual({ n: 2, actor: 'system' });
    expect((await runJob(t.ctx, 'requests.escalate')).ran).toBe(false);
    expect((await runJob(t.ctx, 'requests.escalate', { force: true })).result).toEqual({ escalated: {} });
    const f = await one<{ n: number }>(t.ctx.db, sql`select count(*)::int as n from findings where rule_id = 'requests.sla.overdue' and status = 'open' and org_id = ${community} and message like '%应上报街道%'`);
    expect(f!.n).toBe(0);
  });
});
