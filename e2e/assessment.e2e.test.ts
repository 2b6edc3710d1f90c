import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS, E2E_TODAY, horizontalOverflow, launch, login, newPage, shot as fullShot, startServer, type Server } from './harness.js';

/**
 * Issue 16's web journey as `county`: open last year's 述职评议考核 from the menu, click a score and
 * drill from its evidence down to a meeting record behind it, export the score sheet (the downloaded
 * xlsx is opened and its totals compared with the page's), and look at the 软弱涣散 ledger; the sheet
 * and the ledger are checked at phone width. Screenshots go to artifacts/e2e/assessment-*.png.
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

const LAST_YEAR = Number(E2E_TODAY.slice(0, 4)) - 1;

async function shot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await fullShot(page, name);
}

interface Sheet { title: string; status: string; orgs: { org: { id: number; name: string }; total: number | null; grade: string | null }[] }

describe('assessment journey (county)', () => {
  let sessionUrl = '';

  it('opens last year\'s assessment, drills from a score to the meeting records behind it, exports the score sheet', async () => {
    const { context, page } = await newPage(browser);
    await login(page, server.url, 'county');
    await page.getByText('述职与评议', { exact: true }).click();
    await page.getByTestId('menu-assessment').click();
    await page.waitForURL((u) => u.pathname === '/assessment');
    const row = page.getByTestId('assessment-row').filter({ hasText: `${LAST_YEAR}年度街道党工委书记` });
    await row.waitFor();
    await shot(page, 'assessment-01-list');
    await row.click();
    await page.waitForURL((u) => /^\/assessment\/\d+$/.test(u.pathname));
    sessionUrl = page.url();
    const id = Number(new URL(sessionUrl).pathname.split('/').pop());
    await page.getByTestId('score-cell').first().waitFor();
    const sheet = await page.evaluate(async (sid) => (await (await fetch(`/api/assessment-sessions/${sid}`)).json()) as Sheet, id);
    expect(sheet.status).toBe('final');
    await expect.poll(() => page.getByTestId('score-total').allInnerTexts(), { timeout: 15_000 }).toEqual(sheet.orgs.map((o) => String(o.total)));
    await expect.poll(() => page.getByTestId('score-grade').allInnerTexts(), { timeout: 15_000 }).toEqual(sheet.orgs.map((o) => o.grade));
    await shot(page, 'assessment-02-sheet');

    // the member-assembly score of the first subdistrict: its obligations, the met ones link to their meetings
    await page.locator(`[data-testid="score-cell"][data-indicator="memberAssembly"][data-org="${sheet.orgs[0].org.id}"]`).click();
    const drawer = page.getByTestId('score-evidence');
    await drawer.getByTestId('score-evidence-figure').first().waitFor();
    const link = drawer.getByTestId('evidence-record-link').first();
    await link.waitFor();
    await shot(page, 'assessment-03-evidence');
    await link.click();
    await page.waitForURL((u) => /^\/orgLife\/meetings\/\d+$/.test(u.pathname));
    await page.getByTestId('meeting-docx').waitFor();
    await expect.poll(() => page.locator('.page-title').innerText(), { timeout: 15_000 }).toContain('党员大会');
    await shot(page, 'assessment-04-meeting');

    // back to the sheet; export it
    await page.goBack();
    await page.getByTestId('assessment-export-xlsx').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('assessment-export-xlsx').click()]);
    expect(download.suggestedFilename()).toBe(`${sheet.title}评分表.xlsx`);
    const file = join(ARTIFACTS, 'assessment-sheet.xlsx');
    await download.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(file) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('评分表')!;
    const values = (n: number) => (ws.getRow(n).values as unknown[]).slice(1);
    expect(values(1).slice(3)).toEqual(sheet.orgs.map((o) => o.org.name));
    let totalRow = 0;
    ws.eachRow((r, n) => { if (r.getCell(2).value === '总分') totalRow = n; });
    expect(values(totalRow).slice(3)).toEqual(sheet.orgs.map((o) => o.total));
    const [docx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('assessment-export-docx').click()]);
    expect(docx.suggestedFilename()).toBe(`关于${sheet.title}结果的通报.docx`);
    await context.close();
  });

  it('shows the 软弱涣散 ledger (one closed out, one rectifying) and candidates to decide', async () => {
    const { context, page } = await newPage(browser);
    await login(page, server.url, 'county');
    await page.goto(`${server.url}/assessment/weak-orgs`);
    await page.getByTestId('weak-entry').first().waitFor();
    await expect.poll(() => page.getByTestId('weak-entry').count(), { timeout: 15_000 }).toBe(2);
    const text = await page.getByTestId('weak-ledger').innerText();
    expect(text).toContain('已销号');
    expect(text).toContain('整顿中');
    await page.getByTestId('weak-candidate').first().waitFor();
    await shot(page, 'assessment-05-weak-orgs');
    await context.close();
  });

  it('reads on a phone: the sheet scrolls inside its card, the ledger fits the screen', async () => {
    const { context, page } = await newPage(browser, { phone: true });
    await login(page, server.url, 'county');
    await page.goto(sessionUrl);
    await page.getByTestId('score-cell').first().waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await shot(page, 'assessment-06-sheet-phone');
    await page.getByTestId('score-cell').first().click();
    await page.getByTestId('score-evidence-figure').first().waitFor();
    await shot(page, 'assessment-07-evidence-phone');
    await page.goto(`${server.url}/assessment/weak-orgs`);
    await page.getByTestId('weak-entry').first().waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await shot(page, 'assessment-08-weak-orgs-phone');
    await context.close();
  });
});
