import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { boot, holdPglite } from '../boot.js';
import { buildApp } from '../app.js';
import { seedDemoIfEmpty, DEMO_LOGINS, DEMO_PASSWORD } from '../demo/demo.js';
import { startScheduler } from '../platform/jobs.js';
import { sql } from 'drizzle-orm';
import { one } from '../db/connection.js';

export const webDir = resolve(fileURLToPath(new URL('../../dist/web', import.meta.url)));

/**
 * `zhibu serve`. Production by default: an empty database gets no account (the first
 * administrator comes from `zhibu create-admin`). `--demo` (what `npm start` passes) seeds the
 * fictional demo county with its published demo password on an empty database.
 */
export async function serve(opts: { port: number; host: string; demo: boolean }) {
  const started = performance.now();
  console.log('zhibu 支部 正在启动……');
  if (opts.demo && process.env.NODE_ENV === 'production') {
    console.warn('警告：NODE_ENV=production 下以演示模式启动。演示账号的密码是公开的，切勿用于真实数据。');
  }
  let seeded = false;
  const booted = await boot({
    seed: opts.demo ? async (ctx, db) => { seeded = await seedDemoIfEmpty(ctx, db); } : undefined,
  });
  const release = holdPglite(booted.env);
  const { app } = await buildApp(booted.ctx, { logger: process.env.ZHIBU_LOG === '1', webDir });
  const stopScheduler = startScheduler(booted.ctx, (m) => console.log(m));
  const shutdown = async () => {
    stopScheduler();
    await app.close();
    await booted.close();
    release();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  await app.listen({ port: opts.port, host: opts.host });
  const shownHost = opts.host === '0.0.0.0' || opts.host === '127.0.0.1' ? 'localhost' : opts.host;
  const url = `http://${shownHost}:${opts.port}/`;
  console.log('');
  console.log(`数据库：${booted.ctx.dbKind === 'pglite' ? `内置 PGlite（${booted.env.dataDir}）` : 'PostgreSQL（DATABASE_URL）'}`);
  console.log(`今天（业务日期）：${booted.ctx.clock.today()}${process.env.ZHIBU_TODAY ? '（由 ZHIBU_TODAY 指定）' : ''}`);
  if (seeded) console.log('已生成演示数据：示范县（约 600 名党员）。');
  console.log(`已启动，用时 ${((performance.now() - started) / 1000).toFixed(1)} 秒。请在浏览器打开：${url}`);
  console.log(`接口文档：${url}api/docs`);
  console.log('');
  if (opts.demo) {
    console.log('演示模式（--demo，npm start 默认使用）：仅供体验，请勿录入真实数据。');
    console.log(`演示账号（密码均为 ${DEMO_PASSWORD}）：`);
    for (const l of DEMO_LOGINS) console.log(`  ${l.username.padEnd(8)} ${l.label}`);
    console.log('');
  } else {
    const users = await one<{ n: number }>(booted.ctx.db, sql`select count(*)::int as n from users`);
    if (!users || Number(users.n) === 0) {
      console.log('数据库中还没有任何账号。请先停止服务，再创建首个系统管理员：');
      console.log('  npx zhibu create-admin -u <用户名> --password <密码> --org-name <顶层党组织名称>');
      console.log('');
    }
  }
  console.log('按 Ctrl+C 停止。');
}
