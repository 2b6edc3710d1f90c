#!/usr/bin/env node
// `npm start`: build the web app when it is missing or older than its sources, then `zhibu serve --demo`
// (a first look with the demo county and its published demo password; production runs `zhibu serve`).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const index = 'dist/web/index.html';
const stale = !existsSync(index) || Math.max(newest('web'), newest('src/modules')) > statSync(index).mtimeMs;
if (stale) {
  console.log('正在构建网页界面（首次启动约需半分钟）……');
  const r = spawnSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const r = spawnSync(process.execPath, ['bin/zhibu.js', 'serve', '--demo', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 0);
