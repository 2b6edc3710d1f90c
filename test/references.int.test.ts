import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { one } from '../src/db/connection.js';
import { idCheckDigit } from '../src/domain/idNumber.js';
import { openTestApp, type TestApp } from './db.js';
import { loadFixtures, type Fixtures } from './routeCases.js';

/** Issue 17 finding 15: every id in a request body must exist and lie in the caller's scope. */
let t: TestApp;
let fx: Fixtures;
beforeAll(async () => {
  t = await openTestApp();
  fx = await loadFixtures(t.ctx.db);
});
afterAll(async () => t?.close());

async function post(url: string, payload: unknown, user = 'branch1', method = 'POST') {
  const res = await t.built.app.inject({ method: method as never, url, payload: payload as never, headers: { cookie: await t.login(user) } });
  return { status: res.statusCode, body: res.body };
}
const chinese = (body: string) => expect(JSON.parse(body).message).toMatch(/[\u4e00-\u9fff]/);

describe(`references in request bodies (${process.env.ZHIBU_TEST_DB ?? 'pglite'})`, () => {
  it('a vote’s subject person must exist and be in scope', async () => {
    const assembly = (subjectPersonId: number) => ({
      orgId: fx.branch, kind: 'memberAssembly', heldOn: '2026-11-02', topic: '接收预备党员',
      votes: [{ subject: '接收预备党员', subjectPersonId, yes: 1, no: 0, abstain: 0 }],
    });
    for (const id of [999999, fx.otherMember]) {
      const r = await post('/api/orgLife/meetings', assembly(id));
      expect(r.status, r.body).toBe(404);
      chinese(r.body);
    }
    const ok = await post('/api/orgLife/meetings', assembly(fx.member));
    expect(ok.status, ok.body).toBe(201);
  });

  it('a member’s party group must be a group of the member’s own branch', async () => {
    const otherGroup = await one<{ id: number }>(t.ctx.db, sql`select id from orgs where kind = 'partyGroup' and path not like ${`${(await one<{ path: string }>(t.ctx.db, sql`select path from orgs where id = ${fx.branch}`))!.path}%`} limit 1`);
    const first17 = '33099919900101004';
    const body = (groupId: number) => ({ orgId: fx.branch, groupId, name: '引用测试', gender: 'female', ethnicity: '汉族', idNumber: first17 + idCheckDigit(first17), stage: 'full', admittedOn: '2015-06-01' });
    for (const g of [999999, otherGroup!.id]) {
      const r = await post('/api/members', body(g));
      expect(r.status, r.body).toBe(400);
      chinese(r.body);
    }
    const ok = await post('/api/members', body(fx.group));
    expect(ok.status, ok.body).toBe(201);
  });

  it('a grant’s org and an account’s person must exist and be in scope', async () => {
    const user = (orgId: number, personId?: number) => ({ username: `ref_${orgId}_${personId ?? 0}`, displayName: '引用测试', password: 'Zhibu-test-2026', personId, grant: { orgId, role: 'partyWorker' } });
    for (const [orgId, personId] of [[999999, undefined], [fx.dhBranch, undefined], [fx.branch, 999999]] as const) {
      const r = await post('/api/users', user(orgId, personId), 'street1');
      expect(r.status, r.body).toBe(404);
      chinese(r.body);
    }
    expect((await post(`/api/users/${fx.branchUser}/grants`, { orgId: 999999, role: 'partyWorker' }, 'street1')).status).toBe(404);
  });

  it('dues bodies: a payment for an unknown or out-of-scope person or collecting org is refused', async () => {
    const pay = (personId: number, orgId?: number) => ({ kind: 'due', personId, months: ['2026-11'], paidOn: '2026-11-20', channel: 'cash', orgId });
    for (const body of [pay(999999), pay(fx.otherMember), pay(fx.member, 999999), pay(fx.member, fx.otherBranch)]) {
      const r = await post('/api/dues/payments', body);
      expect(r.status, r.body).toBe(404);
      chinese(r.body);
    }
    const ex = await post('/api/dues/collection', { orgId: fx.branch, month: '2026-11', paidOn: '2026-11-20', channel: 'wechat', exceptions: [{ personId: 999999, status: 'unpaid' }] });
    expect([400, 404]).toContain(ex.status);
    chinese(ex.body);
  });
});
