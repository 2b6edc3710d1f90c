import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { one } from '../../db/connection.js';
import { getFigure } from '../../platform/figures.js';
import { openTestApp, type TestApp } from '../../../test/db.js';
import { TEST_TEMPLATE } from '../../../test/reportTemplate.fixture.js';
import { libreOfficeAvailable } from './render/pdf.js';

/**
 * Reports on the demo county (issue 13), on PGlite and PostgreSQL: a draft's values equal direct
 * registry computes in the org's scope; finalize is refused with the blocking list, then accepted; a
 * later meeting record leaves the final report identical while a new version shows the new value.
 */
let t: TestApp;
const ids: Record<string, number> = {};
const paths: Record<string, string> = {};
const YEAR = 2026;

beforeAll(async () => {
  t = await openTestApp();
  for (const code of ['SFX010101', 'SFX010102', 'SFX01', 'SFX0201']) {
    const o = (await one<{ id: number; path: string }>(t.ctx.db, sql`select id, path from orgs where code = ${code}`))!;
    ids[code] = o.id;
    paths[code] = o.path;
  }
});
afterAll(async () => t?.close());

async function call(user: string, method: string, url: string, payload?: unknown) {
  const res = await t.built.app.inject({ method: method as never, url, payload: payload as never, headers: { cookie: await t.login(user) } });
  const isJson = String(res.headers['content-type'] ?? '').includes('json');
  return { status: res.statusCode, body: (isJson ? res.json() : {}) as Record<string, any>, raw: res };
}

async function direct(figureId: string, path: string, from: string, to: string, by?: string) {
  const def = getFigure(figureId)!;
  return def.compute({ db: t.ctx.db, scope: { tenantId: 1, paths: [path], personId: null }, today: t.ctx.clock.today() }, { from, to, by, params: {} });
}

describe(`reports (${process.env.ZHIBU_TEST_DB ?? 'pglite'})`, () => {
  let reportId = 0;
  it('validates and saves a template (400 with Chinese errors; branch1 may not edit templates)', async () => {
    const bad = await call('street1', 'POST', '/api/report-templates/validate', { ...TEST_TEMPLATE, version: 1, title: '{{fig nope.figure}}{{if fig members.count}}' });
    expect(bad.status).toBe(200);
    expect(bad.body.errors.join('\n')).toMatch(/未知指标「nope\.figure」/);
    expect(bad.body.errors.join('\n')).toMatch(/缺少对应的/);
    const rejected = await call('street1', 'POST', '/api/report-templates', { ...TEST_TEMPLATE, title: '{{fig members.count by=colour}}' });
    expect(rejected.status).toBe(400);
    expect(rejected.body.message).toMatch(/没有分组维度「colour」/);
    expect((await call('branch1', 'POST', '/api/report-templates', TEST_TEMPLATE)).status).toBe(403);
    const saved = await call('street1', 'POST', '/api/report-templates', TEST_TEMPLATE);
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    expect(saved.body).toEqual({ key: 'testBranchSummary', version: 1 });
    const again = await call('street1', 'POST', '/api/report-templates', { ...TEST_TEMPLATE, name: '测试用支部工作总结（修订）' });
    expect(again.body.version).toBe(2);
    const list = await call('branch1', 'GET', '/api/report-templates');
    expect(list.body.find((x: { key: string }) => x.key === 'testBranchSummary')).toMatchObject({ version: 2, name: '测试用支部工作总结（修订）' });
    expect((await call('branch1', 'GET', '/api/report-templates/testBranchSummary?version=1')).body.name).toBe('测试用支部工作总结');
  });

  it('a draft shows exactly what the figure registry computes in the org scope', async () => {
    const res = await call('branch1', 'POST', '/api/reports', { orgId: ids.SFX010101, year: YEAR, templateKey: 'testBranchSummary' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    reportId = res.body.id;
    const d = (await call('branch1', 'GET', `/api/reports/${reportId}`)).body;
    expect(d.report.status).toBe('draft');
    expect(d.rendered.title).toBe(`幸福社区第一党支部${YEAR}年度工作总结`.replace('幸福社区第一党支部', d.report.orgName));
    const byFig = (id: string, n = 0) => d.placeholders.filter((p: { figureId?: string }) => p.figureId === id)[n];
    const members = await direct('members.count', paths.SFX010101, '1900-01-01', `${YEAR}-12-31`);
    expect(byFig('members.count').value).toBe(members.value);
    expect(byFig('members.count').status).toBe(members.status === 'ok' ? 'ok' : 'missing');
    const held = await direct('orgLife.meeting.held', paths.SFX010101, `${YEAR}-01-01`, `${YEAR}-12-31`, 'kind');
    expect(held.status).toBe('ok');
    expect(byFig('orgLife.meeting.held').value).toBe(held.value);
    expect(byFig('orgLife.meeting.held').display).toBe(String(held.value));
    const themed = held.breakdown!.find((b) => b.key === 'themedPartyDay');
    expect(byFig('orgLife.meeting.held', 1).value).toBe(themed?.value ?? null);
    const chart = d.rendered.sections[0].blocks.find((b: { kind: string }) => b.kind === 'chart');
    expect(chart.values).toEqual(held.breakdown!.map((b) => b.value));
    // the evidence of a placeholder is the figure's evidence, counted once
    const ev = (await call('branch1', 'GET', `/api/reports/${reportId}/placeholders/${byFig('orgLife.meeting.held').id}/evidence?pageSize=5`)).body;
    expect(ev.total).toBe(held.value);
    expect(ev.items).toHaveLength(Math.min(5, held.value!));
    expect(ev.digest).toBeNull();
    // out of scope: another branch's org → 404; member1 lacks reports.read
    expect((await call('branch1', 'POST', '/api/reports', { orgId: ids.SFX010102, year: YEAR, templateKey: 'testBranchSummary' })).status).toBe(404);
    expect((await call('member1', 'GET', `/api/reports/${reportId}`)).status).toBe(403);
    expect((await call('branch1', 'GET', `/api/reports?org=${ids.SFX010101}&year=${YEAR}`)).body.map((r: { id: number }) => r.id)).toContain(reportId);
  });

  it('finalize is refused with the blocking list, then accepted; the final report is frozen', async () => {
    const refused = await call('branch1', 'POST', `/api/reports/${reportId}/finalize`);
    expect(refused.status).toBe(409);
    expect(refused.body.blocking.join('\n')).toMatch(/走访群众户数/);
    expect(refused.body.blocking.join('\n')).toMatch(/特色做法/);
    expect((await call('branch1', 'PUT', `/api/reports/${reportId}/fields/visits`, { value: 'many' })).status).toBe(400);
    expect((await call('branch1', 'PUT', `/api/reports/${reportId}/fields/visits`, { value: 36 })).status).toBe(200);
    const n = await call('branch1', 'PUT', `/api/reports/${reportId}/narratives/n1`, { html: '<p>坚持“支部+网格”<script>alert(1)</script></p><p>开展志愿服务</p>' });
    expect(n.status).toBe(200);
    await call('branch1', 'PUT', `/api/reports/${reportId}/narratives/n2`, { html: '<p>一是加强学习</p><p>二是规范组织生活</p>' });
    let d = (await call('branch1', 'GET', `/api/reports/${reportId}`)).body;
    expect(JSON.stringify(d.rendered)).not.toMatch(/script|alert/);
    for (const p of d.placeholders.filter((x: { status: string }) => x.status === 'missing')) {
      const o = await call('branch1', 'PUT', `/api/reports/${reportId}/placeholders/${p.id}/override`, { removed: true, reason: '本年度无此项' });
      expect(o.status, JSON.stringify(o.body)).toBe(200);
    }
    const ok = await call('branch1', 'POST', `/api/reports/${reportId}/finalize`);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    d = (await call('branch1', 'GET', `/api/reports/${reportId}`)).body;
    expect(d.report.status).toBe('final');
    expect(d.rendered.status).toBe('final');
    expect(d.rendered.signature).toEqual({ orgName: d.report.orgName, date: t.ctx.clock.today() });
    expect(d.rendered.appendix.length).toBeGreaterThan(0);
    for (const a of d.rendered.appendix) expect(a.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(d.rendered)).toMatch(/36/);
    expect((await call('branch1', 'PUT', `/api/reports/${reportId}/fields/visits`, { value: 40 })).status).toBe(409);
    expect((await call('branch1', 'POST', `/api/reports/${reportId}/refresh`)).status).toBe(409);
  });

  it('after a new meeting record the final report (and its docx bytes) is identical and a new version shows the new value; print and PDF', { timeout: 180_000 }, async () => {
    const before = (await call('branch1', 'GET', `/api/reports/${reportId}`)).body;
    const docxBefore = (await call('branch1', 'GET', `/api/reports/${reportId}/docx`)).raw.rawPayload;
    expect(docxBefore.subarray(0, 2).toString()).toBe('PK');
    const heldPid = before.placeholders.find((p: { figureId?: string }) => p.figureId === 'orgLife.meeting.held').id;
    const meeting = await call('branch1', 'POST', '/api/orgLife/meetings', { orgId: ids.SFX010101, kind: 'themedPartyDay', heldOn: `${YEAR}-11-18`, topic: '报告测试主题党日', theme: '重温入党誓词' });
    expect(meeting.status, JSON.stringify(meeting.body)).toBe(201);
    const after = (await call('branch1', 'GET', `/api/reports/${reportId}`)).body;
    expect(after.rendered).toEqual(before.rendered);
    expect(after.placeholders).toEqual(before.placeholders);
    const docxAfter = (await call('branch1', 'GET', `/api/reports/${reportId}/docx`)).raw.rawPayload;
    expect(Buffer.compare(docxAfter, docxBefore)).toBe(0);
    const ev = (await call('branch1', 'GET', `/api/reports/${reportId}/placeholders/${heldPid}/evidence`)).body;
    expect(ev.digest.matches).toBe(false);
    const print = await call('branch1', 'GET', `/api/reports/${reportId}/print`);
    expect(print.status).toBe(200);
    expect(print.raw.headers['content-security-policy']).toContain("default-src 'none'");
    expect(print.raw.body).toContain(before.rendered.title);
    const pdf = await call('branch1', 'GET', `/api/reports/${reportId}/pdf`);
    if (libreOfficeAvailable()) {
      expect(pdf.status).toBe(200);
      expect(pdf.raw.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    } else {
      expect(pdf.status).toBe(503);
      expect(pdf.body.message).toMatch(/LibreOffice/);
    }
    expect((await call('branch1', 'GET', `/api/reports/${before.report.id === reportId ? 999999 : reportId}/pdf`)).status).toBe(404);
    const nv = await call('branch1', 'POST', `/api/reports/${reportId}/new-version`);
    expect(nv.status).toBe(201);
    const draft = (await call('branch1', 'GET', `/api/reports/${nv.body.id}`)).body;
    expect(draft.report).toMatchObject({ status: 'draft', reportVersion: 2, previousId: reportId });
    const oldValue = before.placeholders.find((p: { id: string }) => p.id === heldPid).value;
    expect(draft.placeholders.find((p: { id: string }) => p.id === heldPid).value).toBe(oldValue + 1);
    expect(draft.narratives[0].html).toContain('开展志愿服务');
  });
});
