import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { E2E_ENV } from './globalSetup.js';

/**
 * Browser journeys run against the real server (`zhibu serve` on a fresh PGlite data dir with the demo
 * seed) in Debian's Chromium. Screenshots go to artifacts/e2e/ for people to look at. The demo is seeded
 * once per run (e2e/globalSetup.ts); each server starts on its own copy of that data dir.
 */
export const E2E_TODAY = E2E_ENV.ZHIBU_TODAY;
export const ARTIFACTS = join(process.cwd(), 'artifacts', 'e2e');

export interface Server {
  url: string;
  dataDir: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

export async function startServer(): Promise<Server> {
  const dataDir = mkdtempSync(join(tmpdir(), 'zhibu-e2e-'));
  cpSync(inject('e2eTemplate'), dataDir, { recursive: true });
  const port = 20000 + Math.floor(Math.random() * 20000);
  const proc = spawn(process.execPath, ['bin/zhibu.js', 'serve', '--demo', '--port', String(port)], {
    env: { ...process.env, ...E2E_ENV, ZHIBU_DATA: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 120_000);
    const onData = (d: Buffer) => {
      log += d.toString();
      if (log.includes('已启动')) {
        clearTimeout(timer);
        resolve();
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`server exited ${code}:\n${log}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    dataDir,
    proc,
    stop: async () => {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launch(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const executablePath = process.env.CHROMIUM_PATH;
  if (!executablePath) throw new Error('CHROMIUM_PATH is not set (scripts/test.mjs sets it when chromium is installed)');
  return chromium.launch({
    executablePath,
    args: ['--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-gpu'],
  });
}

export async function newPage(browser: Browser, opts: { phone?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(
    opts.phone
      ? { viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN', acceptDownloads: true }
      : { viewport: { width: 1280, height: 800 }, locale: 'zh-CN', acceptDownloads: true },
  );
  const page = await context.newPage();
  return { context, page };
}

export async function login(page: Page, base: string, username: string, password = 'zhibu123') {
  await page.goto(`${base}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

export async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** No horizontal overflow at the phone width (ACCEPTANCE.md "People's screens"). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}
