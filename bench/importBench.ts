import { sql } from 'drizzle-orm';
import { rows, type Db } from '../src/db/connection.js';
import { addDays } from '../src/domain/dates.js';
import { idCheckDigit } from '../src/domain/idNumber.js';
import { writeXlsx } from '../src/platform/importer.js';
import { importMembers } from '../src/modules/members/import.js';
import { cliActor } from '../src/platform/write.js';
import { generateCounty } from '../src/demo/generator.js';
import { insertDataset } from '../src/demo/insert.js';
import type { BenchDb } from './setup.js';

/**
 * The all-or-nothing member import of an N-row xlsx (read, check every row, one transaction with
 * audit entries and finding re-evaluation) against the raw bulk insert of N generated members in the
 * same run (no file, no checks, no audit): the ratio is the price of validation and accountability.
 */
export async function benchImport(b: BenchDb, out: string[], n: number, trace: (phase: string) => void = () => {}): Promise<void> {
  const orgs = await rows<{ code: string }>(b.ctx.db, sql`select code from orgs where tenant_id = ${b.tenantId} and kind = 'branch' order by id`);
  const header = ['姓名', '性别', '民族', '公民身份号码', '出生日期', '学历', '手机号码', '所在党组织', '人员类别', '入党日期', '转正日期', '职业', '工作单位', '转入本组织日期', '家庭住址'];
  function* gen() {
    for (let i = 1; i <= n; i += 1) {
      const birth = addDays('1950-01-01', i % 10000);
      const male = i % 2 === 1;
      const first17 = `3301${String(i).padStart(6, '0').slice(0, 2)}${birth.replace(/-/g, '')}${String((Math.floor(i / 100) % 500) * 2 + (male ? 1 : 0)).padStart(3, '0')}`;
      yield [`党员${i}`, male ? '男' : '女', '汉族', first17 + idCheckDigit(first17), birth, '大学本科', `15${String(100000000 + i).slice(-9)}`,
        orgs[i % orgs.length].code, '正式党员', '2000年7月1日', '2001.07.01', '离退休人员', '某单位', null, '某市某路1号'];
    }
  }
  const buffer = await writeXlsx([{ name: '党员信息', columns: header.map((h) => ({ header: h })), rows: gen() }]);
  let last = '';
  trace('start');
  const t0 = performance.now();
  const r = await importMembers(b.ctx, { tenantId: b.tenantId, actor: cliActor('bench'), scope: { tenantId: b.tenantId, paths: [b.rootPath], personId: null } },
    { buffer, filename: 'bench.xlsx' }, (p) => { if (p.status !== last) trace((last = p.status)); });
  const ours = (performance.now() - t0) / 1000;
  if (!r.ok || r.imported !== n) throw new Error(`import failed: ${JSON.stringify(r.errors.slice(0, 3))}`);
  const ds = generateCounty('2026-11-20', { members: n, orgs: 300, seed: 99 });
  const t1 = performance.now();
  await b.ctx.db.transaction(async (tx) => { await insertDataset(tx as unknown as Db, ds, b.ctx.cipher, ''); });
  const raw = (performance.now() - t1) / 1000;
  out.push(`| import ${n} rows (xlsx, all-or-nothing, audited) | ${ours.toFixed(1)} s | — | raw bulk insert ${raw.toFixed(1)} s | **${(ours / raw).toFixed(1)}×** the raw insert | ≤ 10 s |`);
}
