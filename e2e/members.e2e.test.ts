import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { idCheckDigit } from '../src/domain/idNumber.js';
import { ARTIFACTS, horizontalOverflow, launch, login, newPage, shot, startServer, type Server } from './harness.js';

/**
 * Issue 3's journey: branch1 logs in, opens the member list, imports a roster with one bad row (sees
 * the reason, nothing stored), fixes it, imports it, and exports the list.
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

const id = (body17: string) => body17 + idCheckDigit(body17);

async function roster(rows: (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('党员名册');
  ws.addRow(['姓名', '性别', '民族', '公民身份号码', '出生日期', '学历', '手机号码', '所在党组织', '人员类别', '入党日期', '转正日期']);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function totalMembers(page: import('playwright-core').Page): Promise<number> {
  return page.evaluate(async () => (await (await fetch('/api/members?pageSize=1')).json()).total as number);
}

describe('member registry journey (branch1)', () => {
  it('imports a roster with one bad row, fixes it, imports it, exports the list', async () => {
    const { context, page } = await newPage(browser);
    await login(page, server.url, 'branch1');
    await shot(page, '01-workbench-branch1');
    await page.goto(`${server.url}/members`);
    await page.getByTestId('member-table').waitFor();
    await shot(page, '02-members-branch1');
    const before = await totalMembers(page);
    expect(before).toBeGreaterThanOrEqual(12);

    const good = ['新党员甲', '女', '汉族', id('33099919900315002'), '1990-03-15', '大学本科', '13911112222', 'SFX010101', '正式党员', '2015.07.01', '2016年7月1日'];
    const bad = ['新党员乙', '男', '汉族', '330999199004160011', '1990-04-16', '大专', '13911113333', 'SFX010101', '正式党员', '2016/7/1', '2017/7/1'];
    const fixed = ['新党员乙', '男', '汉族', id('33099919900416001'), '1990-04-16', '大专', '13911113333', 'SFX010101', '正式党员', '2016/7/1', '2017/7/1'];

    await page.goto(`${server.url}/members/import`);
    await page.getByTestId('import-upload').setInputFiles({ name: '名册.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: await roster([good, bad]) });
    const errors = page.getByTestId('import-errors');
    await errors.waitFor({ timeout: 60_000 });
    await expect.poll(async () => errors.textContent()).toMatch(/3/);
    expect(await errors.textContent()).toMatch(/校验码|身份证/);
    await shot(page, '03-import-rejected');
    expect(await totalMembers(page)).toBe(before);

    await page.goto(`${server.url}/members/import`);
    await page.getByTestId('import-upload').setInputFiles({ name: '名册（已更正）.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: await roster([good, fixed]) });
    await page.getByTestId('import-done').waitFor({ timeout: 60_000 });
    await shot(page, '04-import-done');
    expect(await totalMembers(page)).toBe(before + 2);

    await page.goto(`${server.url}/members`);
    await page.getByTestId('member-table').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('member-export').click()]);
    const file = join(ARTIFACTS, 'export-branch1.xlsx');
    await download.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(file) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const names: string[] = [];
    ws.eachRow((r, n) => { if (n > 1) names.push(String(r.getCell(1).value)); });
    expect(names).toContain('新党员甲');
    expect(names).toContain('新党员乙');
    const sheetText = JSON.stringify(ws.getSheetValues());
    expect(sheetText).not.toContain(fixed[3]);
    await context.close();
  });

  it('works on a 375-px phone with no horizontal overflow', async () => {
    const { context, page } = await newPage(browser, { phone: true });
    await login(page, server.url, 'branch1');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await shot(page, '10-phone-workbench');
    await page.goto(`${server.url}/members`);
    await page.getByTestId('member-cards').waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await shot(page, '11-phone-members');
    await page.goto(`${server.url}/members/import`);
    await page.getByTestId('import-upload').waitFor({ state: 'attached' });
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await context.close();
  });

  it('a script payload in a name is shown as text and never runs', async () => {
    const { context, page } = await newPage(browser);
    await login(page, server.url, 'branch1');
    let alerted = false;
    page.on('dialog', async (d) => { alerted = true; await d.dismiss(); });
    const res = await page.evaluate(async () => {
      const r = await fetch('/api/members', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orgId: 1, name: '<img src=x onerror=alert(1)>', gender: 'male', ethnicity: '汉族', birthDate: '1990-01-01', stage: 'full', admittedOn: '2015-01-01' }) });
      return { status: r.status, body: await r.json() };
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/标记字符|不能包含/);
    await page.goto(`${server.url}/members?q=${encodeURIComponent('<script>alert(1)</script>')}`);
    await page.waitForTimeout(500);
    expect(alerted).toBe(false);
    await context.close();
  });
});
