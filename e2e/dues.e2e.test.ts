import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { horizontalOverflow, launch, login, newPage, shot, startServer, type Server } from './harness.js';

/**
 * Issue 5's journey: branch1, on a phone, records the month for the whole branch with one exception,
 * then reverses member1's payment; member1 sees both in their own history.
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

interface Row { personId: number; name: string; status: string; dueFen: number | null; payment: { id: number } | null }
const collection = (page: Page) =>
  page.evaluate(async () => {
    const me = await (await fetch('/api/auth/me')).json();
    const r = await fetch(`/api/dues/collection?org=${me.grants[0].orgId}`);
    return (await r.json()) as { month: string; rows: Row[] };
  });

describe('dues journey', () => {
  it('collects a month with one exception, reverses a payment, and the member sees it', async () => {
    const m = await newPage(browser);
    await login(m.page, server.url, 'member1');
    const member1 = await m.page.evaluate(async () => (await (await fetch('/api/auth/me')).json()).personId as number);

    const { context, page } = await newPage(browser, { phone: true });
    await login(page, server.url, 'branch1');
    await page.goto(`${server.url}/dues`);
    await page.getByTestId('dues-list').waitFor();
    const before = await collection(page);
    const open = before.rows.filter((r) => !r.payment && (r.dueFen ?? 0) > 0 && r.status !== 'exempt');
    expect(open.length).toBeGreaterThanOrEqual(2);
    expect(open.some((r) => r.personId === member1)).toBe(true);
    const exception = open.find((r) => r.personId !== member1)!;
    await page.getByTestId(`dues-exception-${exception.personId}`).getByText('未缴').click();
    await shot(page, 'dues-01-collection-phone');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await page.getByTestId('dues-collect-all').click();
    await expect.poll(async () => (await collection(page)).rows.find((r) => r.personId === member1)?.payment?.id ?? null, { timeout: 30_000 }).not.toBeNull();
    const after = await collection(page);
    for (const r of open) {
      const now = after.rows.find((x) => x.personId === r.personId)!;
      if (r.personId === exception.personId) expect(now.payment, r.name).toBeNull();
      else expect(now.payment, r.name).not.toBeNull();
    }
    await shot(page, 'dues-02-collected');

    await page.getByTestId(`dues-reverse-${member1}`).click();
    await page.getByTestId('dues-reverse-reason').fill('金额登记错误，冲正后重新登记');
    await page.getByTestId('dues-reverse-ok').click();
    await expect.poll(async () => (await collection(page)).rows.find((r) => r.personId === member1)?.payment ?? null, { timeout: 30_000 }).toBeNull();
    await shot(page, 'dues-03-reversed');
    await context.close();

    await m.page.goto(`${server.url}/dues/mine`);
    await m.page.getByTestId('my-dues-records').waitFor();
    const text = await m.page.getByTestId('my-dues-records').textContent();
    expect(text).toMatch(/冲正/);
    await shot(m.page, 'dues-04-member1-history');
    await m.context.close();
  });
});
