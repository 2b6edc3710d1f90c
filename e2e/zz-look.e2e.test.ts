import { afterAll, beforeAll, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, login, newPage, shot, startServer, type Server, horizontalOverflow } from './harness.js';
let server: Server; let browser: Browser;
beforeAll(async () => { [server, browser] = await Promise.all([startServer(), launch()]); });
afterAll(async () => { await browser?.close(); await server?.stop(); });
it('look', async () => {
  for (const phone of [false, true]) {
    const { page, context } = await newPage(browser, { phone });
    await login(page, server.url, 'branch1');
    for (const p of (process.env.LOOK ?? '/figures').split(',')) {
      await page.goto(server.url + p);
      await page.waitForTimeout(1500);
      console.log(p, phone, await horizontalOverflow(page));
      await shot(page, `look${p.replace(/\W+/g, '-')}${phone ? '-phone' : ''}`);
    }
    await context.close();
  }
}, 120000);
