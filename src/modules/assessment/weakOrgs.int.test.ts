import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { one, rows, type Db } from '../../db/connection.js';
import { evaluateFindings } from '../../platform/findings.js';
import { openTestApp, TEST_TODAY, type TestApp } from '../../../test/db.js';

/**
 * 软弱涣散 identification on a constructed township under the demo county (issue 16 slice 2), on PGlite
 * and PostgreSQL: exactly the constructed orgs are proposed as cases, each with its rule and the facts
 * that triggered it; nothing enters the ledger without a decision; a confirmed org gets a plan,
 * progress and a close-out with evidence; a rejected one never enters the ledger.
 */
let t: TestApp;
const YEAR = Number(TEST_TODAY.slice(0, 4));
const ids: Record<string, number> = {};
let townPath = '';
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

async function addOrg(db: Db, tenantId: number, parent: { id: number; path: string; depth: number }, name: string, kind: string, code: string) {
  const now = `${TEST_TODAY}T01:00:00.000Z`;
  const o = await one<{ id: number }>(db, sql`insert into orgs (tenant_id, parent_id, path, depth, name, kind, code, established_on, created_at, updated_at)
    values (${tenantId}, ${parent.id}, 'tmp', ${parent.depth + 1}, ${name}, ${kind}, ${code}, '2020-01-01', ${now}, ${now}) returning id`);
  const path = `${parent.path}${o!.id}/`;
  await db.execute(sql`update orgs set path = ${path} where id = ${o!.id}`);
  return { id: Number(o!.id), path, depth: parent.depth + 1 };
}

beforeAll(async () => {
  t = await openTestApp();
  const db = t.ctx.db;
  const root = (await one<{ id: number; path: string; depth: number; tenant_id: number }>(db, sql`select id, path, depth, tenant_id from orgs where parent_id is null`))!;
  ids.root = Number(root.id);
  const tenantId = Number(root.tenant_id);
  const town = await addOrg(db, tenantId, { id: ids.root, path: root.path, depth: root.depth }, '测试镇党委', 'townshipCommittee', 'WK00');
  townPath = town.path;
  ids.town = town.id;
  const person = (await one<{ id: number }>(db, sql`select id from people order by id limit 1`))!.id;
  const now = `${TEST_TODAY}T01:00:00.000Z`;
  // A: secretary left 4+ months ago; B: no meeting in Q2 of last year; C: fine; D: graded 差 last year; E: secretary left 7 weeks ago
  for (const [k, secretaryTo, quarters] of [['A', `${YEAR}-06-30`, [1, 2, 3, 4]], ['B', null, [1, 3, 4]], ['C', null, [1, 2, 3, 4]], ['D', null, [1, 2, 3, 4]], ['E', `${YEAR}-10-01`, [1, 2, 3, 4]]] as const) {
    const o = await addOrg(db, tenantId, town, `测试村第${k}党支部`, 'branch', `WK00${k}`);
    ids[k] = o.id;
    await db.execute(sql`insert into post_terms (tenant_id, org_id, person_id, post, valid_from, valid_to, created_at, updated_at) values (${tenantId}, ${o.id}, ${person}, 'secretary', '2020-01-01', ${secretaryTo}, ${now}, ${now})`);
    for (const q of quarters) {
      await db.execute(sql`insert into meetings (tenant_id, org_id, org_path, kind, held_on, topic, entered_at, rule_set, created_at, updated_at)
        values (${tenantId}, ${o.id}, ${o.path}, 'themedPartyDay', ${`${YEAR - 1}-${String(q * 3 - 1).padStart(2, '0')}-15`}, '主题党日', ${now}, 'orgLife-2018', ${now}, ${now})`);
    }
  }
});
afterAll(async () => t?.close());

async function call(user: string, method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) {
  const res = await t.built.app.inject({ method: method as never, url, payload: payload as never, headers: { cookie: await t.login(user), ...headers } });
  return { status: res.statusCode, body: (String(res.headers['content-type'] ?? '').includes('json') ? res.json() : {}) as Record<string, any> };
}

const proposals = () => rows<{ id: number; org_id: number; rule_id: string; status: string; message: string; severity: string; period: string }>(t.ctx.db, sql`
  select id, org_id, rule_id, status, message, severity, period from findings where rule_set = 'weakOrg-2014' and org_path like ${`${townPath}%`} order by org_id, rule_id`);

describe(`weak organizations (${process.env.ZHIBU_TEST_DB ?? 'pglite'})`, () => {
  it('proposes exactly the constructed orgs with rule and facts; a decision is needed; plan, progress, close-out', async () => {
    // D is graded 差 in a finished assessment of last year
    const tree = { categories: [{ key: 'c', label: '综合', indicators: [{ key: 'm', label: '综合评价', maxScore: 100, rule: { kind: 'manual' }, evidence: '考核记录' }] }] };
    expect((await call('county', 'POST', '/api/assessment-trees', { key: 'plain', name: '综合评价', tree })).status).toBe(201);
    const s = await call('county', 'POST', '/api/assessment-sessions', { org: ids.root, year: YEAR - 1, title: '测试镇支部书记述职评议', treeKey: 'plain', orgIds: [ids.C, ids.D] });
    expect(s.status, JSON.stringify(s.body)).toBe(201);
    await call('county', 'PUT', `/api/assessment-sessions/${s.body.id}/inputs`, { org: ids.C, indicator: 'm', score: 92, note: '好' });
    await call('county', 'PUT', `/api/assessment-sessions/${s.body.id}/inputs`, { org: ids.D, indicator: 'm', score: 41, note: '工作停滞' });
    const fin = await call('county', 'POST', `/api/assessment-sessions/${s.body.id}/finish`, { grades: [{ org: ids.C, grade: '好' }, { org: ids.D, grade: '差' }] });
    expect(fin.status, JSON.stringify(fin.body)).toBe(200);

    await t.ctx.db.transaction(async (tx) => {
      await evaluateFindings(tx as unknown as Db, { tenantId: (await one<{ id: number }>(tx as unknown as Db, sql`select tenant_id as id from orgs where id = ${ids.root}`))!.id, paths: [townPath], today: TEST_TODAY }, { nowIso: `${TEST_TODAY}T02:00:00.000Z` });
    });
    const found = await proposals();
    expect(found.map((f) => [f.org_id, f.rule_id])).toEqual([
      [ids.A, 'assessment.weakOrg.secretaryVacant'],
      [ids.B, 'assessment.weakOrg.noOrgLife'],
      [ids.D, 'assessment.weakOrg.bottomGrade'],
    ]);
    expect(found.every((f) => f.severity === 'case' && f.status === 'open' && f.period === String(YEAR))).toBe(true);
    expect(found[0].message).toMatch(/书记自2026-06-30起空缺，已4个月/);
    expect(found[1].message).toMatch(/第2季度未召开/);
    expect(found[2].message).toMatch(/41分，评定为“差”/);

    // nothing changes state without a decision
    const [fa, fb, fd] = found;
    expect((await call('county', 'GET', `/api/weak-orgs?org=${ids.root}`)).body.filter((x: { orgId: number }) => [ids.A, ids.B, ids.D].includes(x.orgId))).toEqual([]);
    const plan = { findingId: fa.id, measures: '选优配强支部书记，县乡两级联系领导包联', ownerName: '测试镇组织委员', leaderName: '县委组织部副部长', deadline: `${YEAR}-12-31` };
    expect((await call('county', 'POST', '/api/weak-orgs', plan)).status).toBe(409);
    expect((await call('branch1', 'POST', '/api/weak-orgs', plan)).status).toBe(403);

    expect((await call('county', 'POST', `/api/findings/${fa.id}/decide`, { decidedOn: TEST_TODAY, decidedBy: '县委常委会', outcome: '认定为软弱涣散党组织，限期整顿', confirmed: true })).status).toBe(200);
    expect((await call('county', 'POST', `/api/findings/${fb.id}/decide`, { decidedOn: TEST_TODAY, decidedBy: '县委常委会', outcome: '二季度为集中换届，已补开，不予认定', confirmed: false })).status).toBe(200);
    expect((await call('county', 'POST', '/api/weak-orgs', { ...plan, findingId: fb.id })).status).toBe(409);
    const created = await call('county', 'POST', '/api/weak-orgs', plan);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect((await call('county', 'POST', '/api/weak-orgs', plan)).status).toBe(409);

    const wid = created.body.id;
    expect((await call('county', 'POST', `/api/weak-orgs/${wid}/progress`, { content: '已选派第一书记到任' })).status).toBe(201);
    expect((await call('county', 'POST', `/api/weak-orgs/${wid}/close`, { decidedBy: '县委组织部', decision: '整顿达标，同意销号', attachmentIds: [] })).status).toBe(400);
    const boundary = '----zhibuWeakOrg';
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="org"\r\n\r\n${ids.A}\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="整顿验收.png"\r\nContent-Type: image/png\r\n\r\n`), PNG, Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const att = await call('county', 'POST', '/api/attachments', payload, { 'content-type': `multipart/form-data; boundary=${boundary}` });
    expect(att.status, JSON.stringify(att.body)).toBe(201);
    const closed = await call('county', 'POST', `/api/weak-orgs/${wid}/close`, { decidedBy: '县委组织部', decision: '整顿达标，同意销号', attachmentIds: [att.body.id] });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect((await call('county', 'POST', `/api/weak-orgs/${wid}/progress`, { content: '再记' })).status).toBe(409);

    const ledger = (await call('county', 'GET', `/api/weak-orgs?org=${ids.root}&year=${YEAR}`)).body as { orgId: number; status: string; progress: unknown[]; closeDecision: string }[];
    const mine = ledger.filter((x) => [ids.A, ids.B, ids.D].includes(x.orgId));
    expect(mine.map((x) => [x.orgId, x.status, x.progress.length, x.closeDecision])).toEqual([[ids.A, 'closed', 1, '整顿达标，同意销号']]);

    // D's case stays open (undecided) and is not on the ledger; re-evaluation proposes nothing new
    await t.ctx.db.transaction(async (tx) => {
      const tenantId = (await one<{ id: number }>(tx as unknown as Db, sql`select tenant_id as id from orgs where id = ${ids.root}`))!.id;
      await evaluateFindings(tx as unknown as Db, { tenantId, paths: [townPath], today: TEST_TODAY }, { nowIso: `${TEST_TODAY}T03:00:00.000Z` });
    });
    const again = await proposals();
    expect(again.map((f) => [f.org_id, f.status])).toEqual([[ids.A, 'decided'], [ids.B, 'decided'], [ids.D, 'open']]);

    // over the constructed township (the demo county's own ledger has entries of its own)
    for (const [fig, n] of [['assessment.weakOrg.identified', 1], ['assessment.weakOrg.rectified', 1]] as const) {
      const r = await call('county', 'GET', `/api/figures/${fig}?org=${ids.town}&from=${YEAR}-01-01&to=${YEAR}-12-31`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.value.value).toBe(n);
    }
  });
});
