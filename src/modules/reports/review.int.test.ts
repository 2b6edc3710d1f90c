import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { one, rows } from '../../db/connection.js';
import { openTestApp, TEST_TODAY, type TestApp } from '../../../test/db.js';

/**
 * The whole review cycle on the demo county (issue 13), on PGlite and PostgreSQL: street1 collects its
 * communities' branch reports side by side, comments and grades branch1's, raises a rectification item;
 * branch1 sees it on the workbench (findings), closes it (销号) with an attachment; the next year's draft
 * shows it as rectified. The county job drafts a subtree's reports in the background with progress.
 */
let t: TestApp;
const ids: Record<string, number> = {};
const YEAR = Number(TEST_TODAY.slice(0, 4));
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

beforeAll(async () => {
  t = await openTestApp();
  for (const code of ['SFX010101', 'SFX010102', 'SFX0101', 'SFX01']) ids[code] = (await one<{ id: number }>(t.ctx.db, sql`select id from orgs where code = ${code}`))!.id;
});
afterAll(async () => t?.close());

async function call(user: string, method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) {
  const res = await t.built.app.inject({ method: method as never, url, payload: payload as never, headers: { cookie: await t.login(user), ...headers } });
  const isJson = String(res.headers['content-type'] ?? '').includes('json');
  return { status: res.statusCode, body: (isJson ? res.json() : {}) as Record<string, any>, raw: res };
}

function upload(orgId: number) {
  const boundary = '----zhibuReportsTest';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="org"\r\n\r\n${orgId}\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="整改照片.png"\r\nContent-Type: image/png\r\n\r\n`), PNG, Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return call('branch1', 'POST', '/api/attachments', payload, { 'content-type': `multipart/form-data; boundary=${boundary}` });
}

describe(`review upward and rectification (${process.env.ZHIBU_TEST_DB ?? 'pglite'})`, () => {
  it('street1 collects, comments, raises an item; branch1 sees it on the workbench, closes it with evidence; next year shows it rectified', async () => {
    const review = await call('street1', 'GET', `/api/report-reviews?org=${ids.SFX0101}&year=${YEAR - 1}`);
    expect(review.status, JSON.stringify(review.body)).toBe(200);
    expect(review.body.grades).toEqual(['好', '较好', '一般', '差']);
    const row = review.body.items.find((x: { org: { id: number } }) => x.org.id === ids.SFX010101);
    expect(row.report.status).toBe('final');
    expect(row.figures['members.count'].value).toBeGreaterThan(0);
    const reportId = row.report.id;

    expect((await call('branch1', 'POST', `/api/reports/${reportId}/comments`, { strengths: '好', problems: '无', grade: '好' })).status).toBe(403);
    expect((await call('street1', 'POST', `/api/reports/${reportId}/comments`, { strengths: '好', problems: '无', grade: '优秀' })).status).toBe(400);
    const c = await call('street1', 'POST', `/api/reports/${reportId}/comments`, { strengths: '三会一课落实较好', problems: '党员教育管理有短板', grade: '较好' });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    expect((await call('branch1', 'GET', `/api/reports/${reportId}/comments`)).body.map((x: { grade: string }) => x.grade)).toContain('较好');

    const item = await call('street1', 'POST', '/api/rectifications', {
      reportId, commentId: c.body.id, problem: '流动党员教育管理不到位', ownerName: '支部书记', deadline: `${YEAR}-12-31`, evidenceRequired: '流动党员联系台账',
    });
    expect(item.status, JSON.stringify(item.body)).toBe(201);
    const workbench = (await call('branch1', 'GET', '/api/findings?pageSize=200')).body.items as { ruleId: string; subjectId: string; message: string; status: string }[];
    const f = workbench.find((x) => x.ruleId === 'reports.rectification.open' && String(x.subjectId) === String(item.body.id));
    expect(f?.message).toMatch(/流动党员教育管理不到位/);

    expect((await call('branch1', 'POST', `/api/rectifications/${item.body.id}/close`, { note: '已建立台账', attachmentIds: [] })).status).toBe(400);
    const att = await upload(ids.SFX010101);
    expect(att.status, JSON.stringify(att.body)).toBe(201);
    const closed = await call('branch1', 'POST', `/api/rectifications/${item.body.id}/close`, { note: '已建立流动党员联系台账', attachmentIds: [att.body.id] });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect((await call('branch1', 'POST', `/api/rectifications/${item.body.id}/close`, { note: '再次', attachmentIds: [att.body.id] })).status).toBe(409);
    const after = (await call('branch1', 'GET', '/api/findings?pageSize=200')).body.items as { ruleId: string; subjectId: string }[];
    expect(after.some((x) => x.ruleId === 'reports.rectification.open' && String(x.subjectId) === String(item.body.id))).toBe(false);
    const list = (await call('branch1', 'GET', `/api/rectifications?year=${YEAR - 1}&status=closed`)).body;
    expect(list.find((x: { id: number }) => x.id === item.body.id)).toMatchObject({ status: 'closed', closedOn: TEST_TODAY, attachmentIds: [att.body.id] });

    // the next year's draft shows last year's comments and the item as rectified
    const tpl = (await call('branch1', 'GET', `/api/reports/${reportId}`)).body.report.templateKey;
    const draft = await call('branch1', 'POST', '/api/reports', { orgId: ids.SFX010101, year: YEAR, templateKey: tpl });
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    const d = (await call('branch1', 'GET', `/api/reports/${draft.body.id}`)).body;
    const mine = d.lastYearReview.rectifications.find((x: { id: number }) => x.id === item.body.id);
    expect(mine).toMatchObject({ closed: true, closedOn: TEST_TODAY });
    expect(d.lastYearReview.comments.map((x: { grade: string }) => x.grade)).toContain('较好');
    const text = JSON.stringify(d.rendered);
    expect(d.lastYearReview.reportId).toBe(reportId);
    expect(JSON.stringify((await call('branch1', 'GET', `/api/report-templates/${tpl}`)).body)).toContain('lastYearReview');
    expect(text).toMatch(/流动党员教育管理不到位——已整改销号/);
    // candidates: open findings and open items of the org, last year's plan as a checklist
    expect(Array.isArray(d.candidates.problems)).toBe(true);
    expect(d.candidates.lastYearPlan.length).toBeGreaterThan(0);
  });

  it('out of scope: another branch cannot close this branch\'s items; street1 cannot review outside its subtree', async () => {
    const other = await one<{ id: number }>(t.ctx.db, sql`select i.id from rectification_items i where i.org_id = ${ids.SFX010102} and not i.closed limit 1`);
    expect(other).toBeTruthy();
    const att = await upload(ids.SFX010101);
    expect((await call('branch1', 'POST', `/api/rectifications/${other!.id}/close`, { note: 'x', attachmentIds: [att.body.id] })).status).toBe(404);
    const dh = await one<{ id: number }>(t.ctx.db, sql`select id from orgs where code = 'SFX0201'`);
    expect((await call('street1', 'GET', `/api/report-reviews?org=${dh!.id}&year=${YEAR - 1}`)).status).toBe(404);
  });

  it('the county job drafts every org of a subtree that has a template, with progress', async () => {
    const res = await call('county', 'POST', '/api/report-jobs', { orgId: ids.SFX0101, year: YEAR });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    let job = res.body;
    for (let i = 0; i < 600 && job.status !== 'done'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      job = (await call('county', 'GET', `/api/report-jobs/${res.body.id}`)).body;
      expect(job.done).toBeLessThanOrEqual(job.total);
    }
    expect(job.status).toBe('done');
    expect(job.total).toBe(res.body.total);
    const drafted = await rows<{ org_id: number }>(t.ctx.db, sql`select distinct org_id from reports where year = ${YEAR} and org_path like ${`${(await one<{ path: string }>(t.ctx.db, sql`select path from orgs where id = ${ids.SFX0101}`))!.path}%`}`);
    expect(drafted.length).toBeGreaterThanOrEqual(res.body.total);
    // a second run finds nothing left to draft
    const again = await call('county', 'POST', '/api/report-jobs', { orgId: ids.SFX0101, year: YEAR });
    expect(again.body.total).toBe(0);
  });

  it('the figure catalogue lists every figure with a sample value for the org', async () => {
    const cat = (await call('branch1', 'GET', `/api/figures/catalogue?org=${ids.SFX010101}`)).body as { id: string; module: string; sample: { value: number | null } | null; dimensions: unknown[] }[];
    const ids2 = cat.map((x) => x.id);
    expect(ids2).toEqual(expect.arrayContaining(['members.count', 'reports.finalized', 'reports.rectification.open', 'reports.rectification.closed']));
    expect(cat.find((x) => x.id === 'members.count')!.sample!.value).toBeGreaterThan(0);
    expect(cat.find((x) => x.id === 'reports.finalized')!.module).toBe('reports');
  });
});
