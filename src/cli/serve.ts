import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { boot, holdPglite } from '../boot.js';
import { buildApp } from '../app.js';
import { seedDemoIfEmpty, DEMO_LOGINS, DEMO_PASSWORD } from '../demo/demo.js';
import { startScheduler } from '../platform/jobs.js';

export const webDir = resolve(fileURLToPath(new URL('../../dist/web', import.meta.url)));

export async function serve(opts: { port: number; host: string; demo: boolean }) {
  const started = performance.now();
  console.log('zhibu 支部 正在启动……');
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
  console.log(`演示账号（密码均为 ${DEMO_PASSWORD}）：`);
  for (const l of DEMO_LOGINS) console.log(`  ${l.username.padEnd(8)} ${l.label}`);
  console.log('');
  console.log('按 Ctrl+C 停止。');
}
