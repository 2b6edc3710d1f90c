#!/usr/bin/env node
// `npm test`: every test of the project, in phases, with one closing line `N passed, N failed`.
//   1. typecheck (server and web)          3. integration on PGlite
//   2. unit (pure domain rules)            4. integration on PostgreSQL   5. browser journeys (Chromium)
// What cannot run here (no PostgreSQL, no Chromium, no LibreOffice) is named plainly; with CI=true it is a failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { findChromium } from './chromium.mjs';

const CI = process.env.CI === 'true' || process.env.CI === '1';
const only = process.argv.slice(2);
const want = (p) => only.length === 0 || only.includes(p);
mkdirSync('artifacts', { recursive: true });

let passed = 0;
let failed = 0;
let skipped = 0;
const notRun = [];
const failures = [];

function onPath(cmd) {
  return spawnSync('/bin/sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

function vitest(project, label, env = {}) {
  const out = `artifacts/vitest-${label}.json`;
  console.log(`\n━━ ${label} ━━`);
  const status = run('npx', ['vitest', 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`], env);
  if (!existsSync(out)) {
    failed += 1;
    failures.push(`${label}: vitest 没有产生结果（退出码 ${status}）`);
    return;
  }
  const j = JSON.parse(readFileSync(out, 'utf8'));
  passed += j.numPassedTests;
  failed += j.numFailedTests;
  skipped += j.numPendingTests + j.numTodoTests;
  const brokenFiles = j.testResults.filter((f) => f.status === 'failed' && f.assertionResults.every((a) => a.status !== 'failed'));
  if (brokenFiles.length) {
    failed += brokenFiles.length;
    failures.push(...brokenFiles.map((f) => `${label}: ${f.name} 无法运行：${(f.message || '').split('\n')[0]}`));
  }
  if (j.numFailedTests) failures.push(`${label}: ${j.numFailedTests} 个测试失败`);
  if (j.numTotalTests === 0 && !brokenFiles.length) failures.push(`${label}: 没有执行任何测试`);
  if (status !== 0 && j.numFailedTests === 0 && !brokenFiles.length) {
    failed += 1;
    failures.push(`${label}: vitest 退出码 ${status}`);
  }
}

function pgAnswers(url) {
  const u = new URL(url);
  return new Promise((resolve) => {
    const s = net.connect({ host: u.hostname, port: Number(u.port || 5432) });
    s.setTimeout(2000);
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
    s.once('timeout', () => { s.destroy(); resolve(false); });
  });
}

if (want('typecheck')) {
  console.log('\n━━ typecheck ━━');
  const a = run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
  const b = existsSync('web/tsconfig.json') ? run('npx', ['tsc', '-p', 'web/tsconfig.json', '--noEmit']) : 0;
  if (a === 0 && b === 0) passed += 1;
  else { failed += 1; failures.push('typecheck: TypeScript 类型检查失败'); }
}
if (want('unit')) {
  vitest('unit', 'unit');
  // the report PDF layout test (src/modules/reports/render/pdf.unit.test.ts) skips itself without these
  const soffice = process.env.ZHIBU_SOFFICE ? existsSync(process.env.ZHIBU_SOFFICE) : onPath('soffice') || onPath('libreoffice');
  const missing = [...(soffice ? [] : ['LibreOffice']), ...['pdftoppm', 'pdftotext', 'pdfinfo'].filter((c) => !onPath(c))];
  if (missing.length) notRun.push(`报告 PDF 版式测试（未找到 ${missing.join('、')}，可用 apt-get install libreoffice-writer-nogui poppler-utils 安装）`);
}
if (want('pglite')) vitest('integration', 'integration-pglite', { ZHIBU_TEST_DB: 'pglite' });
if (want('postgres')) {
  const url = process.env.ZHIBU_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  if (await pgAnswers(url)) vitest('integration', 'integration-postgres', { ZHIBU_TEST_DB: 'postgres', ZHIBU_TEST_PG_URL: url });
  else notRun.push(`PostgreSQL 上的集成测试（${new URL(url).host} 无应答）`);
}
if (want('e2e')) {
  const chromium = findChromium();
  if (!chromium) notRun.push('浏览器测试（未找到 chromium，可用 apt-get install chromium 安装）');
  else {
    console.log('\n━━ build web ━━');
    if (run('npm', ['run', '--silent', 'build:web']) !== 0) { failed += 1; failures.push('web: 前端构建失败'); }
    else vitest('e2e', 'e2e', { CHROMIUM_PATH: chromium });
  }
}

console.log('\n━━ 汇总 ━━');
for (const f of failures) console.log(`✗ ${f}`);
for (const n of notRun) console.log(`未运行：${n}${CI ? '（CI 中视为失败）' : ''}`);
if (CI && notRun.length) failed += notRun.length;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
