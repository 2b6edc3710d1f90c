import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { horizontalOverflow, launch, login, newPage, shot, startServer, type Server } from './harness.js';

/**
 * Issue 4's journey on a 375 × 812 phone: branch1's workbench shows the overdue committee meeting from
 * demo history; branch1 records it with the quick meeting form (one tap per member); the finding is gone;
 * street1's heat map shows the month complete. Needs the orgLife pages wired at /orgLife/new and
 * /orgLife/matrix (web/src/pages/orgLife/index.ts).
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

type Finding = { ruleId: string; period: string; orgId: number };
const committeeFindings = (page: Page) => page.evaluate(async () => {
  const r = (await (await fetch('/api/findings?pageSize=200')).json()) as { items: Finding[] };
  return r.items.filter((f) => f.ruleId === 'orgLife.obligation' && f.period.startsWith('committeeMeeting:'));
});

describe('organizational life journey (branch1 on a phone, street1 on a desktop)', () => {
  it('records the missing committee meeting with the quick form and the finding goes away', async () => {
    const { context, page } = await newPage(browser, { phone: true });
    await login(page, server.url, 'branch1');
    await shot(page, 'orgLife-01-workbench-branch1');
    const before = await committeeFindings(page);
    expect(before).toHaveLength(1);
    const month = before[0].period.split(':')[1];

    await page.goto(`${server.url}/orgLife/new`);
    await page.getByTestId('quick-kind-committeeMeeting').click();
    // the Chinese date picker (not the browser's native input): type the date, confirm with Enter
    const date = page.locator('input[data-testid="quick-date"], [data-testid="quick-date"] input').first();
    await date.click();
    await date.fill(`${month}-15`);
    await date.press('Enter');
    await expect.poll(() => date.inputValue()).toBe(`${month}-15`);
    await page.getByTestId('quick-topic').fill('研究本月党建工作（补录）');
    const items = page.locator('[data-testid^="attendance-"][data-status]');
    await expect.poll(() => items.count()).toBeGreaterThanOrEqual(3);
    // one tap marks a member absent, a second tap on leave, a third present again
    const first = items.first();
    await first.click();
    expect(await first.getAttribute('data-status')).toBe('absent');
    await first.click();
    expect(await first.getAttribute('data-status')).toBe('onLeave');
    await first.click();
    expect(await first.getAttribute('data-status')).toBe('present');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await shot(page, 'orgLife-02-quick-form');
    await page.getByTestId('quick-submit').click();
    await page.getByTestId('quick-result').waitFor();
    expect(await page.getByTestId('quick-result').textContent()).toContain('补录');
    await shot(page, 'orgLife-03-saved');
    expect(await committeeFindings(page)).toEqual([]);
    await context.close();

    const desk = await newPage(browser);
    await login(desk.page, server.url, 'street1');
    await desk.page.goto(`${server.url}/orgLife/matrix`);
    await desk.page.getByTestId('matrix-table').waitFor();
    const branch = before[0].orgId;
    expect(await desk.page.getByTestId(`cell-${branch}-${month}`).textContent()).toMatch(/^(\d+)\/\1$/);
    await shot(desk.page, 'orgLife-04-matrix-street1');
    await desk.context.close();
  });
});
