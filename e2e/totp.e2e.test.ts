import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { base32Decode, hotp } from '../src/platform/totp.js';
import { launch, login, newPage, shot, startServer, type Server } from './harness.js';

/**
 * Issue 17 journey: an administrator enrols TOTP on the profile page (the code is computed here from
 * the secret shown as text), logs out, and logs in with password and code. Every page loads under
 * the Content-Security-Policy with no console error, page error or CSP violation.
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

/** Console errors, page errors and CSP violations; 401s of the login flow are expected answers, not errors. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (/Failed to load resource: the server responded with a status of 401/.test(m.text())) return;
    problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  return problems;
}

async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);
}

describe('TOTP enrolment and login under the CSP (admin)', () => {
  it('enrols, logs out, logs in with the dynamic code; no console error or CSP violation', async () => {
    const { context, page } = await newPage(browser);
    await context.addInitScript(() => {
      const w = window as unknown as { __csp: string[] };
      w.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const problems = watch(page);
    const first = await page.goto(`${server.url}/login`);
    expect(first!.headers()['content-security-policy']).toContain("script-src 'self'");
    await login(page, server.url, 'admin');
    await page.goto(`${server.url}/profile`);
    await page.getByTestId('totp-begin').click();
    const secret = (await page.getByTestId('totp-secret').innerText()).trim();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await expect.poll(() => page.getByTestId('totp-qr').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    const key = base32Decode(secret);
    const step = Math.floor(Date.now() / 30_000);
    await page.getByTestId('totp-code').fill(hotp(key, step));
    await page.getByTestId('totp-confirm').click();
    await page.getByTestId('totp-recovery').waitFor();
    expect(await page.getByTestId('totp-recovery').locator('code').count()).toBe(10);
    await page.getByTestId('totp-enabled').waitFor();
    await shot(page, 'totp-enrolled');

    // log out through the API (the same cookie), then log in again with the code
    await page.evaluate(() => fetch('/api/auth/logout', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }));
    await page.goto(`${server.url}/login`);
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill('zhibu123');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-code').waitFor();
    await shot(page, 'totp-login-code');
    await page.getByTestId('login-code').fill(hotp(key, Math.max(step + 1, Math.floor(Date.now() / 30_000))));
    await page.getByTestId('login-submit').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    // a few pages under the CSP
    for (const path of ['/', '/members', '/orgs', '/stats', '/profile']) {
      await page.goto(`${server.url}${path}`);
      await page.waitForLoadState('networkidle');
    }
    expect(await cspViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  }, 180_000);
});
