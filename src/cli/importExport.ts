import type { Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { userInfo } from 'node:os';
import { sql } from 'drizzle-orm';
import { boot } from '../boot.js';
import { one, type Db } from '../db/connection.js';
import { formatRowError, type ImportProgress } from '../platform/importer.js';
import type { Scope } from '../platform/scope.js';
import { cliActor } from '../platform/write.js';
import { importMembers } from '../modules/members/import.js';
import { exportMembers } from '../modules/members/export.js';
import { progressBar } from './progress.js';

/**
 * `zhibu import` / `zhibu export`. The CLI acts as `cli:<os user>` with sysAdmin scope over the
 * first tenant (ARCHITECTURE.md "Org tree and access") and is audited like any request. An import
 * with any bad row prints every row and exits 1, having stored nothing.
 */
async function cliTenant(db: Db): Promise<{ tenantId: number; scope: Scope }> {
  const t = await one<{ id: number; path: string }>(db, sql`select t.id, o.path from tenants t join orgs o on o.id = t.root_org_id order by t.id limit 1`);
  if (!t) throw new Error('数据库中还没有租户（顶层党委）。请先运行 zhibu seed demo 或导入组织。');
  return { tenantId: t.id, scope: { tenantId: t.id, paths: [t.path], personId: null } };
}

async function orgByCode(db: Db, tenantId: number, code: string) {
  const o = await one<{ id: number }>(db, sql`select id from orgs where tenant_id = ${tenantId} and code = ${code.trim()}`);
  if (!o) throw new Error(`未找到党组织代码“${code}”`);
  return o.id;
}

const PHASES: Record<string, string> = { validating: '校验数据', writing: '写入数据' };

/** One bar per phase with a known total (reading the file does not know its row count yet). */
function phaseProgress() {
  let last = '';
  let bar: ReturnType<typeof progressBar> | null = null;
  return {
    update(p: ImportProgress) {
      const key = `${p.status}:${p.done}`;
      if (!PHASES[p.status] || key === last) return;
      if (!last.startsWith(`${p.status}:`)) {
        bar?.done();
        bar = progressBar(PHASES[p.status]);
      }
      last = key;
      bar!.update(p.done, p.total);
    },
    done: () => bar?.done(),
  };
}

export function registerImportExport(program: Command): void {
  const imp = program.command('import').description('导入数据（全部成功或全部不导入）');
  imp
    .command('members')
    .description('从 .xlsx 或 .csv 导入党员；任何一行有误时不保存任何数据，逐行列出原因并以状态 1 退出')
    .argument('<file>', '导入文件（使用 zhibu 导入模板的表头）')
    .option('--org <code>', '“所在党组织”为空的行使用此党组织代码')
    .action(async (file: string, o: { org?: string }) => {
      const buffer = readFileSync(resolve(file));
      const b = await boot();
      try {
        const { tenantId, scope } = await cliTenant(b.ctx.db);
        const defaultOrgId = o.org ? await orgByCode(b.ctx.db, tenantId, o.org) : undefined;
        const progress = phaseProgress();
        const started = performance.now();
        const r = await importMembers(
          b.ctx,
          { tenantId, actor: cliActor(userInfo().username), scope, readScope: scope },
          { buffer, filename: basename(file), defaultOrgId },
          (p) => progress.update(p),
        );
        progress.done();
        if (!r.ok) {
          for (const e of r.errors) console.error(e.row > 0 ? `第 ${e.row} 行：${formatRowError(e)}` : `文件：${formatRowError(e)}`);
          const bad = new Set(r.errors.map((e) => e.row)).size;
          console.error(r.total > 0 ? `共 ${r.total} 行，其中 ${bad} 行有错误。未导入任何数据，请改正后重新导入。` : '未导入任何数据。');
          process.exitCode = 1;
          return;
        }
        for (const w of r.warnings) console.log(`提示：第 ${w.row} 行：${formatRowError(w)}`);
        console.log(`已导入 ${r.imported} 名党员（用时 ${((performance.now() - started) / 1000).toFixed(1)} 秒）。`);
      } finally {
        await b.close();
      }
    });

  const exp = program.command('export').description('导出数据');
  exp
    .command('members')
    .description('导出党员名单为 .xlsx（默认隐藏完整身份证号和手机号；导出留痕）')
    .requiredOption('-o, --out <file>', '输出文件（.xlsx）')
    .option('--org <code>', '只导出该党组织（含下级）的党员')
    .option('--unmask', '导出完整的身份证号、手机号和家庭住址（留痕）')
    .action(async (o: { out: string; org?: string; unmask?: boolean }) => {
      const b = await boot();
      try {
        const { tenantId, scope } = await cliTenant(b.ctx.db);
        const org = o.org ? await orgByCode(b.ctx.db, tenantId, o.org) : undefined;
        const r = await exportMembers(b.ctx, {
          tenantId, actor: cliActor(userInfo().username), scope, canViewAt: () => true, query: org ? { org } : {}, unmask: !!o.unmask,
        });
        writeFileSync(resolve(o.out), r.buffer);
        console.log(`已导出 ${r.rowCount} 名党员到 ${o.out}${r.unmasked ? '（含完整个人信息，已留痕）' : ''}。`);
      } finally {
        await b.close();
      }
    });
}
