import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { one, rows } from '../../db/connection.js';
import { awaitImportRun } from '../../platform/importer.js';
import { openTestApp, TEST_TODAY, type TestApp } from '../../../test/db.js';

/**
 * Figures with evidence, the ledger import (all or nothing), member review, heart talks and study
 * hours, on PGlite and PostgreSQL.
 */
let t: TestApp;
let branch = 0;
beforeAll(async () => {
  t = await openTestApp();
  branch = (await one<{ id: number }>(t.ctx.db, sql`select id from orgs where code = 'SFX010101'`))!.id;
});
afterAll(async () => t?.close());

async function call(user: string, method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) {
  const res = await t.built.app.inject({ method: method as never, url, payload: payload as never, headers: { cookie: await t.login(user), ...headers } });
  const isJson = String(res.headers['content-type'] ?? '').includes('json');
  return { status: res.statusCode, body: (isJson ? res.json() : {}) as Record<string, any> };
}

const FIGURES = ['orgLife.meeting.held', 'orgLife.obligation.due', 'orgLife.obligation.met', 'orgLife.compliance.rate', 'orgLife.attendance.rate', 'orgLife.heartTalk.count', 'orgLife.heartTalk.coverage', 'orgLife.studyHours.total', 'orgLife.review.count'];

describe(`orgLife figures and records (${process.env.ZHIBU_TEST_DB ?? 'pglite'})`, () => {
  it.each(FIGURES)('%s: evidence agrees with the value, for the county and for branch1', async (id) => {
    const from = `${Number(TEST_TODAY.slice(0, 4)) - 1}-01-01`;
    for (const [user, org] of [['county', ''], ['branch1', `&org=${branch}`]] as const) {
      const res = await call(user, 'GET', `/api/figures/${id}?from=${from}&to=${TEST_TODAY}&pageSize=500${org}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const { value, evidence } = res.body as { value: { value: number; unit: string; numerator?: number; denominator?: number }; evidence: { total: number; items: { contributes: number }[] } };
      expect(value.value, `${id} should have demo data`).not.toBeNull();
      let items = evidence.items;
      for (let page = 2; items.length < evidence.total; page += 1) {
        items = items.concat((await call(user, 'GET', `/api/figures/${id}?from=${from}&to=${TEST_TODAY}&pageSize=500&page=${page}${org}`)).body.evidence.items);
      }
      const sum = items.reduce((s, x) => s + x.contributes, 0);
      if (value.unit === 'count') {
        expect(evidence.total).toBe(value.value);
        expect(sum).toBe(value.value);
      } else if (value.unit === 'percent') {
        expect(evidence.total).toBe(value.denominator);
        expect(sum).toBe(value.numerator);
        expect(value.value).toBeCloseTo((value.numerator! * 100) / value.denominator!, 1);
      } else {
        expect(sum).toBeCloseTo(value.value, 1);
      }
    }
  });

  it('breakdowns sum to the total', async () => {
    const res = await call('county', 'GET', '/api/figures/orgLife.meeting.held?by=kind');
    const v = res.body.value as { value: number; breakdown: { value: number }[] };
    expect(v.breakdown.reduce((s, b) => s + b.value, 0)).toBe(v.value);
    const r2 = await call('county', 'GET', `/api/figures/orgLife.review.count?by=grade&from=${Number(TEST_TODAY.slice(0, 4)) - 1}-01-01`);
    expect(r2.body.value.breakdown.reduce((s: number, b: { value: number }) => s + b.value, 0)).toBe(r2.body.value.value);
  });

  async function ledger(data: Record<string, unknown>[]) {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('会议台账');
    const headers = [...new Set(data.flatMap((r) => Object.keys(r)))];
    ws.addRow(headers);
    for (const r of data) ws.addRow(headers.map((h) => r[h] ?? null));
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    const boundary = '----zhibuLedger';
    const body = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="台账.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n`), file, Buffer.from(`\r\n--${boundary}--\r\n`)]);
    const res = await call('branch1', 'POST', '/api/orgLife/meetings/import', body, { 'content-type': `multipart/form-data; boundary=${boundary}` });
    expect(res.status).toBe(202);
    await awaitImportRun(res.body.runId);
    return (await call('branch1', 'GET', `/api/imports/${res.body.runId}`)).body as { status: string; imported: number; errors: { row: number; column?: string; reason: string }[] };
  }

  it('imports a meeting ledger all or nothing, with a row-by-row report', async () => {
    const names = (await rows<{ name: string }>(t.ctx.db, sql`select p.name from people p where p.org_id = ${branch} and p.stage = 'full' order by p.id limit 5`)).map((x) => x.name);
    const count = async () => (await one<{ n: number }>(t.ctx.db, sql`select count(*)::int as n from meetings where topic like '台账导入%'`))!.n;
    const good = (k: number) => ({ 党组织: 'SFX010101', 会议类型: '主题党日', 召开日期: `2026-0${k}-1${k}`, 开始时间: '14:30', 结束时间: '16:00', 主题: `台账导入${k}`, 出席人员: names.slice(0, 4).join('、'), 请假人员: names[4] });
    const badName = { ...good(3), 出席人员: `${names[0]}、查无此人` };
    const badKind = { ...good(4), 会议类型: '茶话会' };
    const rejected = await ledger([good(1), good(2), badName, badKind]);
    expect(rejected.status).toBe('rejected');
    expect(rejected.errors.map((e) => [e.row, e.column])).toEqual([[4, '出席人员'], [5, '会议类型']]);
    expect(rejected.errors[0].reason).toContain('查无此人');
    expect(await count()).toBe(0);
    const done = await ledger([good(1), good(2)]);
    expect(done.status, JSON.stringify(done.errors)).toBe('done');
    expect(done.imported).toBe(2);
    expect(await count()).toBe(2);
    const m = await one<{ late_entry: boolean; present: number; leave: number }>(t.ctx.db, sql`select m.late_entry,
      (select count(*)::int from meeting_attendance a where a.meeting_id = m.id and a.status = 'present') as present,
      (select count(*)::int from meeting_attendance a where a.meeting_id = m.id and a.status = 'onLeave') as leave from meetings m where m.topic = '台账导入1'`);
    expect(m).toEqual({ late_entry: true, present: 4, leave: 1 });
  });

  it('records a heart talk and shows yearly coverage', async () => {
    const people = (await rows<{ id: number }>(t.ctx.db, sql`select id from people where org_id = ${branch} order by id limit 2`)).map((x) => x.id);
    const before = (await call('branch1', 'GET', `/api/orgLife/talks?org=${branch}`)).body;
    const res = await call('branch1', 'POST', '/api/orgLife/talks', { orgId: branch, heldOn: TEST_TODAY, personAId: people[0], personBId: people[1], topic: '谈心谈话' });
    expect(res.status).toBe(201);
    const after = (await call('branch1', 'GET', `/api/orgLife/talks?org=${branch}`)).body;
    expect(after.talks.length).toBe(before.talks.length + 1);
    expect(after.coverage[0].required).toBeGreaterThan(0);
    expect((await call('branch1', 'POST', '/api/orgLife/talks', { orgId: branch, heldOn: TEST_TODAY, personAId: people[0], personBId: people[0], topic: 'x' })).status).toBe(400);
  });

  it('runs a member review: open, grade, conclude; grades come from the setting', async () => {
    const year = Number(TEST_TODAY.slice(0, 4));
    expect((await call('branch1', 'POST', '/api/orgLife/reviews', { orgId: branch, forYear: year })).status).toBe(409);
    const opened = await call('branch1', 'POST', '/api/orgLife/reviews', { orgId: branch, forYear: year - 2 });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const list = (await call('branch1', 'GET', `/api/orgLife/reviews?org=${branch}&year=${year}`)).body as { id: number; status: string }[];
    expect(list.map((r) => r.status)).toEqual(['open']);
    const d = (await call('branch1', 'GET', `/api/orgLife/reviews/${list[0].id}`)).body;
    expect(d.grades).toEqual(['优秀', '合格', '基本合格', '不合格']);
    const results = d.results.map((r: { personId: number }, i: number) => ({ personId: r.personId, grade: i === 0 ? '优秀' : '合格', peerTally: { 优秀: 3, 合格: 10 } }));
    expect((await call('branch1', 'PUT', `/api/orgLife/reviews/${d.id}`, { version: d.version, results: [{ ...results[0], grade: '良好' }] })).status).toBe(400);
    expect((await call('branch1', 'PUT', `/api/orgLife/reviews/${d.id}`, { version: d.version, results: results.slice(1), conclude: true })).status).toBe(400);
    const saved = await call('branch1', 'PUT', `/api/orgLife/reviews/${d.id}`, { version: d.version, results, conclude: true });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.status).toBe('concluded');
    const fig = await call('branch1', 'GET', `/api/figures/orgLife.review.count?org=${branch}&from=${TEST_TODAY}&to=${TEST_TODAY}&by=grade`);
    expect(fig.body.value.value).toBe(results.length);
    expect(fig.body.value.breakdown.find((b: { key: string }) => b.key === '优秀').value).toBe(1);
  });

  it('counts study hours from records and attended meetings, against the targets', async () => {
    const person = (await one<{ id: number }>(t.ctx.db, sql`select id from people where org_id = ${branch} order by id limit 1`))!.id;
    const before = (await call('branch1', 'GET', `/api/orgLife/study?org=${branch}`)).body.members.find((m: { personId: number }) => m.personId === person);
    expect((await call('branch1', 'POST', '/api/orgLife/study/records', { personId: person, studiedOn: TEST_TODAY, trainingDays: 1, source: 'training', title: '专题培训' })).status).toBe(201);
    const after = (await call('branch1', 'GET', `/api/orgLife/study?org=${branch}`)).body.members.find((m: { personId: number }) => m.personId === person);
    expect(after.hours).toBeCloseTo(before.hours + 8, 1);
    expect([32, 56]).toContain(after.target);
    expect((await call('branch1', 'PUT', '/api/orgLife/study/plans', { personId: person, year: 2026, plan: '每月自学' })).status).toBe(200);
    const me = (await call('member1', 'GET', '/api/orgLife/me')).body;
    expect(me.attendance.length).toBeGreaterThan(5);
    expect(me.study.hours).toBeGreaterThan(0);
  });
});
