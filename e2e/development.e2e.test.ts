import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { horizontalOverflow, launch, login, newPage, shot, startServer, type Server } from './harness.js';

/**
 * Issue 14's browser journey on a 375 × 812 phone as branch1: the development board shows the demo
 * pipeline; an attempt to skip a step is refused with the rule's Chinese text; the activist with a
 * complete record (孙丽娜: activist for 13 months, contact persons and two reviews) becomes 发展对象.
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

type Item = { personId: number; name: string; stage: string; next: { no: number } | null };

describe('development journey (branch1 on a phone)', () => {
  it('refuses a skipped step with the rule text and takes an activist with a complete record to 发展对象', async () => {
    const { context, page } = await newPage(browser, { phone: true });
    await login(page, server.url, 'branch1');
    await page.goto(`${server.url}/development`);
    const board = await page.evaluate(async () => ((await (await fetch('/api/development/board')).json()) as { items: Item[] }).items);
    const activist = board.find((i) => i.name === '孙丽娜')!;
    expect(activist).toMatchObject({ stage: 'activist', next: { no: 7 } });
    const card = page.getByTestId(`dev-card-${activist.personId}`);
    await card.waitFor();
    expect(await card.textContent()).toContain('下一步：第7步 确定发展对象');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await shot(page, 'development-01-board');

    // skip: pick step 9 (入党介绍人) while step 7 is still open
    await page.getByTestId(`dev-record-${activist.personId}`).click();
    const select = page.getByTestId('step-select');
    await select.click();
    await page.keyboard.type('第9步');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await page.getByTestId('step-requirement').textContent()) ?? '').toContain('两名正式党员作入党介绍人');
    await page.getByTestId('step-actor').fill('支部书记');
    await page.getByTestId('step-submit').click();
    const error = page.getByTestId('step-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('尚未完成第7步“确定发展对象”');
    expect(await error.textContent()).toContain('不得跳过步骤');
    await shot(page, 'development-02-skip-refused');

    // the next step: 确定发展对象
    await select.click();
    await page.keyboard.type('第7步');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await page.getByTestId('step-requirement').textContent()) ?? '').toContain('满一年以上');
    await page.getByTestId('step-actor').fill('支部书记');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await shot(page, 'development-03-step-form');
    await page.getByTestId('step-submit').click();
    await expect.poll(async () => (await card.textContent()) ?? '').toContain('下一步：第8步');
    expect(await card.textContent()).toContain('发展对象');
    await shot(page, 'development-04-candidate');
    const after = await page.evaluate(async (id) => ((await (await fetch(`/api/development/people/${id}`)).json()) as { stage: string }).stage, activist.personId);
    expect(after).toBe('candidate');
    await context.close();
  });
});
