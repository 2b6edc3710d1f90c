import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { convertDocxToPdf, libreOfficeAvailable } from '../src/modules/reports/render/pdf.js';
import { decodePng, inkBox } from '../src/modules/reports/render/png.testkit.js';

const MM = 72 / 25.4; // pt (= px at 72 dpi) per mm
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS, E2E_TODAY, horizontalOverflow, launch, login, newPage, shot as fullShot, startServer, type Server } from './harness.js';

/** Full-page screenshot from the top (the shell header is fixed; a scrolled page would overlap it). */
async function shot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await fullShot(page, name);
}

/**
 * Issue 13's journeys. branch1 writes this year's branch duty report from the shipped template: every
 * placeholder is filled, marked missing or a typed field; a figure opens its evidence rows; the typed
 * fields are filled and any missing figure is given a value with a reason; the report is finalized and
 * the .docx downloaded (kept under artifacts/reports/ for the PDF test). street1 then comments on the
 * report in 述职评议 and raises a rectification item; branch1 sees it on the workbench and closes it with
 * evidence. A 375-px check of the draft editor runs on the way.
 */
let server: Server;
let browser: Browser;
beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launch()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const YEAR = Number(E2E_TODAY.slice(0, 4));
const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

interface Ph { id: string; status: string; evidenceCount: number; figureId?: string; fieldName?: string; label: string }
const detail = (page: Page, id: number) => page.evaluate(async (rid) => (await (await fetch(`/api/reports/${rid}`)).json()) as {
  report: { status: string; orgId: number }; placeholders: Ph[]; fields: { name: string; value: unknown }[];
}, id);
const openRectFindings = (page: Page) => page.evaluate(async () => {
  const r = (await (await fetch('/api/findings?pageSize=200')).json()) as { items: { ruleId: string }[] };
  return r.items.filter((f) => f.ruleId === 'reports.rectification.open').length;
});

/**
 * Runs an editor action that saves (a PUT under /api/reports/{id}/) and waits for both that save and the page's
 * reload of the report after it, so the next step types into the document as the server now renders it.
 */
async function savedAndReloaded(page: Page, id: number, path: string, action: () => Promise<unknown>) {
  const detailUrl = (u: string) => new URL(u).pathname === `/api/reports/${id}`;
  await Promise.all([
    page.waitForResponse((r) => r.url().includes(`/api/reports/${id}/${path}`) && r.request().method() === 'PUT'),
    page.waitForResponse((r) => detailUrl(r.url()) && r.request().method() === 'GET'),
    action(),
  ]);
}

/** Picks an antd Select option by its visible text (the dropdown renders in a portal). */
async function pickOption(page: Page, testId: string, text: RegExp | string) {
  await page.getByTestId(testId).click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: text }).first().click();
}

describe('duty report journey (branch1 writes, street1 reviews, branch1 rectifies)', () => {
  let reportId = 0;
  let branchOrg = 0;

  it('branch1 drafts, checks evidence, fills gaps, finalizes and downloads the Word file', async () => {
    const { context, page } = await newPage(browser);
    await login(page, server.url, 'branch1');
    await page.goto(`${server.url}/reports`);
    await page.getByTestId('report-new').click();
    await pickOption(page, 'report-template', /社区党支部书记/);
    await page.locator('.ant-modal-footer .ant-btn-primary').filter({ hasText: '生成草稿' }).click();
    await page.waitForURL(/\/reports\/\d+$/);
    reportId = Number(new URL(page.url()).pathname.split('/').pop());
    await page.getByTestId('report-doc').waitFor();
    await shot(page, 'reports-01-draft');

    // every placeholder is filled, marked missing, or a typed field; no raw braces or "X" in the text
    let d = await detail(page, reportId);
    branchOrg = d.report.orgId;
    expect(d.report.status).toBe('draft');
    expect(d.placeholders.length).toBeGreaterThan(5);
    for (const p of d.placeholders) expect(['ok', 'missing', 'field', 'override']).toContain(p.status);
    const docText = (await page.getByTestId('report-doc').textContent()) ?? '';
    expect(docText).not.toContain('{{');
    expect(docText).not.toMatch(/(^|[^A-Za-z])X{1,2}([^A-Za-z]|$)/);
    const okCount = d.placeholders.filter((p) => p.status === 'ok').length;
    expect(await page.getByTestId('report-fig').count()).toBeGreaterThanOrEqual(Math.min(okCount, 1));

    // a figure opens its evidence rows
    const withEvidence = d.placeholders.find((p) => p.status === 'ok' && p.evidenceCount > 0);
    expect(withEvidence).toBeTruthy();
    await page.locator(`[data-testid="report-fig"][data-ref="${withEvidence!.id}"]`).first().click();
    const rows = page.getByTestId('evidence-drawer').locator('.ant-table-tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    expect(await rows.count()).toBe(Math.min(withEvidence!.evidenceCount, 20));
    await shot(page, 'reports-02-evidence');
    await page.keyboard.press('Escape');

    // the editor fits a 375-px phone
    const phone = await newPage(browser, { phone: true });
    await login(phone.page, server.url, 'branch1');
    await phone.page.goto(`${server.url}/reports/${reportId}`);
    await phone.page.getByTestId('report-doc').waitFor();
    expect(await horizontalOverflow(phone.page)).toBeLessThanOrEqual(0);
    await shot(phone.page, 'reports-03-draft-phone');
    await phone.page.screenshot({ path: join(ARTIFACTS, 'reports-03b-draft-phone-first-screen.png') });
    await phone.page.getByTestId('report-doc').scrollIntoViewIfNeeded();
    await phone.page.screenshot({ path: join(ARTIFACTS, 'reports-03c-draft-phone-document.png') });
    await phone.context.close();

    // typed fields: type a value into each
    const fields = page.getByTestId('report-field');
    const nFields = await fields.count();
    expect(nFields).toBeGreaterThanOrEqual(d.fields.length > 0 ? 1 : 0);
    for (let i = 0; i < nFields; i++) {
      const input = fields.nth(i).locator('input');
      await input.fill(String(2 + i));
      await savedAndReloaded(page, reportId, 'fields/', () => input.press('Enter'));
    }
    // a missing figure is given a value with a reason (first), the rest have their sentence removed
    d = await detail(page, reportId);
    const missing = d.placeholders.filter((p) => p.status === 'missing');
    for (const [i, p] of missing.entries()) {
      await page.locator(`[data-testid="report-missing"][data-ref="${p.id}"]`).first().click();
      if (i === 0) {
        await page.getByTestId('fix-value').fill('1');
        await page.getByTestId('fix-reason').fill('据支部台账手工统计');
        await savedAndReloaded(page, reportId, 'placeholders/', () => page.getByTestId('fix-save').click());
      } else {
        await page.getByTestId('fix-remove').click();
        await savedAndReloaded(page, reportId, 'placeholders/', () => page.locator('.ant-popconfirm .ant-btn-primary').click());
      }
      await page.getByTestId('fix-missing').waitFor({ state: 'hidden' });
    }
    // the narrative paragraphs the author writes
    const narratives = page.getByTestId('report-narrative');
    const nNarratives = await narratives.count();
    for (let i = 0; i < nNarratives; i++) {
      const box = narratives.nth(i).locator('textarea');
      await box.fill(`本支部坚持以党的创新理论武装头脑，第${i + 1}项工作按计划推进。\n下一步将继续抓好落实。`);
      await savedAndReloaded(page, reportId, 'narratives/', () => box.blur());
    }
    d = await detail(page, reportId);
    expect(d.placeholders.filter((p) => p.status === 'missing')).toEqual([]);
    expect(d.fields.filter((f) => f.value === null || f.value === undefined || f.value === '')).toEqual([]);
    await shot(page, 'reports-04-filled');

    await page.getByTestId('report-finalize').click();
    await page.locator('.ant-popconfirm .ant-btn-primary').click();
    await page.getByTestId('report-docx').waitFor();
    expect((await detail(page, reportId)).report.status).toBe('final');
    await shot(page, 'reports-05-final');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-docx').click()]);
    const dir = join(process.cwd(), 'artifacts', 'reports');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'branch1-report.docx');
    await download.saveAs(file);
    const buf = readFileSync(file);
    expect(buf.subarray(0, 2).toString()).toBe('PK');
    const final = (await page.evaluate(async (rid) => (await (await fetch(`/api/reports/${rid}`)).json()) as { rendered: { title: string; sections: { heading: string }[] } }, reportId)).rendered;
    await context.close();

    // that .docx through LibreOffice (ACCEPTANCE.md: installed by .ci/run): A4, margins, title and body text,
    // no placeholder marks; page 1 as PNG under artifacts/reports/ for people to look at
    if (!libreOfficeAvailable()) {
      if (process.env.CI === 'true') throw new Error('未运行：述职报告 Word 转 PDF（缺少 LibreOffice）');
      console.log('未运行：述职报告 Word 转 PDF（缺少 LibreOffice）');
      return;
    }
    const pdf = await convertDocxToPdf(buf);
    const pdfFile = join(dir, 'branch1-report.pdf');
    writeFileSync(pdfFile, pdf);
    execFileSync('pdftoppm', ['-r', '72', '-png', '-f', '1', '-l', '1', pdfFile, join(dir, 'branch1-page')]);
    const info = execFileSync('pdfinfo', [pdfFile], { encoding: 'utf8' });
    const [, w, h] = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info) ?? [];
    expect(Number(w)).toBeCloseTo(595.3, 0);
    expect(Number(h)).toBeCloseTo(841.9, 0);
    const png = readFileSync(join(dir, 'branch1-page-1.png'));
    const ink = inkBox(decodePng(png), 160, { x0: 0, y0: 0, x1: 596, y1: Math.round((297 - 35) * MM) + 2 });
    expect(ink.left / MM).toBeGreaterThan(27.5);
    expect(ink.left / MM).toBeLessThan(29.5);
    expect(ink.top / MM).toBeGreaterThan(36.5);
    expect(ink.top / MM).toBeLessThan(40);
    const text = execFileSync('pdftotext', ['-layout', pdfFile, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(text).toContain(final.title.replace(/\s+/g, ''));
    expect(text).toContain(final.sections[0].heading.replace(/\s+/g, ''));
    expect(text).toContain('各位领导、同志们');
    expect(text).not.toMatch(/XX|\{\{|［缺|［待填/);
  });

  it('street1 comments on the report and raises a rectification item; branch1 closes it with evidence', async () => {
    expect(reportId).toBeGreaterThan(0);
    const desk = await newPage(browser);
    await login(desk.page, server.url, 'street1');
    // street1's subordinate communities report to it; the branch's report is reviewed at its parent
    const parent = await desk.page.evaluate(async (id) => {
      const nodes = (await (await fetch('/api/orgs/tree')).json()) as { id: number; parentId: number | null }[];
      return nodes.find((n) => n.id === id)!.parentId!;
    }, branchOrg);
    await desk.page.goto(`${server.url}/reports/review?org=${parent}&year=${YEAR}`);
    const row = desk.page.locator(`[data-testid="review-row"][data-org="${branchOrg}"]`);
    await row.waitFor();
    await shot(desk.page, 'reports-06-review-list');
    await row.getByTestId('review-open').click();
    await desk.page.getByTestId('review-strengths').fill('组织生活制度落实较好，“三会一课”按期召开。');
    await desk.page.getByTestId('review-problems').fill('党员发展和流动党员管理台账不够完整。');
    await pickOption(desk.page, 'review-grade', '较好');
    await desk.page.getByTestId('review-submit').click();
    await desk.page.getByTestId('review-comment').first().waitFor();
    await desk.page.getByTestId('rect-create').first().click();
    await desk.page.getByTestId('rect-owner').fill('支部书记');
    await desk.page.getByTestId('rect-deadline').click();
    await desk.page.keyboard.type(`${YEAR}-12-31`);
    await desk.page.keyboard.press('Enter');
    await desk.page.getByTestId('rect-evidence').fill('补齐后的台账照片');
    await desk.page.locator('.ant-modal-footer .ant-btn-primary').filter({ hasText: '建立' }).click();
    await desk.page.getByTestId('rect-form').waitFor({ state: 'hidden' });
    await shot(desk.page, 'reports-07-commented');
    await desk.context.close();

    const { context, page } = await newPage(browser);
    await login(page, server.url, 'branch1');
    expect(await openRectFindings(page)).toBeGreaterThanOrEqual(1);
    await page.getByTestId('findings-list').waitFor();
    expect(await page.getByTestId('findings-list').textContent()).toContain('整改');
    await shot(page, 'reports-08-workbench');
    const before = await openRectFindings(page);
    await page.goto(`${server.url}/reports/rectifications`);
    await page.getByTestId('rect-row').filter({ hasText: '台账不够完整' }).getByTestId('rect-close').click();
    await page.getByTestId('rect-close-note').fill('已补齐党员发展和流动党员台账，支委会审核通过。');
    await page.locator('.ant-modal input[type=file]').setInputFiles({ name: '台账照片.png', mimeType: 'image/png', buffer: TINY_PNG });
    await page.getByTestId('rect-close-file').waitFor();
    await page.getByTestId('rect-close-submit').click();
    await page.getByTestId('rect-close-note').waitFor({ state: 'hidden' });
    expect(await openRectFindings(page)).toBe(before - 1);
    await page.goto(`${server.url}/reports/rectifications?status=closed`);
    await page.getByTestId('rect-row').first().waitFor();
    await shot(page, 'reports-09-closed');
    await context.close();
  });
});
