import { Command } from 'commander';
import { userInfo } from 'node:os';
import { sql } from 'drizzle-orm';
import { boot } from '../boot.js';
import { serve } from './serve.js';
import { verifyAudit, appendAudit, resetCheckpoints, writeCheckpoints } from '../platform/audit.js';
import { pruneAuditBefore, writeAuditExport } from '../platform/auditExport.js';
import { createCipher, loadOrCreateSecret } from '../platform/crypto.js';
import { rotateKeys } from '../platform/keyRotation.js';
import { backup, readBackupMeta, restore } from '../platform/backup.js';
import { askSecret } from './prompt.js';
import { runJob, JOBS } from '../platform/jobs.js';
import { hashPassword, passwordProblem } from '../platform/auth.js';
import { clearSecondFactor } from '../platform/totp.js';
import { seedDemo, seedDemoIfEmpty } from '../demo/demo.js';
import { generateCounty } from '../demo/generator.js';
import { insertDataset } from '../demo/insert.js';
import { one, rows, type Db } from '../db/connection.js';
import { cliActor } from '../platform/write.js';
import { systemClock } from '../platform/clock.js';
import { evaluateFindings } from '../platform/findings.js';
import { progressBar } from './progress.js';
import { registerImportExport } from './importExport.js';

/**
 * The `zhibu` command. It acts as `cli:<os user>` with sysAdmin scope and is audited; it reads the
 * same DATABASE_URL, ZHIBU_DATA and ZHIBU_SECRET as the server and never opens a PGlite data dir a
 * running server holds.
 */
export const osActor = () => cliActor(userInfo().username);

const program = new Command();
program.name('zhibu').description('支部 — 基层党建工作平台命令行').showHelpAfterError('（使用 --help 查看用法）');

program
  .command('serve')
  .description('启动服务（生产模式：数据库为空时不创建任何账号，请用 create-admin 创建首个管理员）')
  .option('-p, --port <port>', '端口', process.env.PORT ?? '3000')
  .option('--host <host>', '监听地址', process.env.HOST ?? '127.0.0.1')
  .option('--demo', '演示模式：数据库为空时生成演示数据和演示账号（密码公开，切勿用于真实数据）')
  .option('--no-demo', '不生成演示数据（默认）')
  .action(async (o) => serve({ port: Number(o.port), host: o.host, demo: o.demo === true }));

program.command('migrate').description('执行数据库迁移').action(async () => {
  const b = await boot();
  console.log(`迁移完成（${b.ctx.dbKind === 'pglite' ? '内置 PGlite' : 'PostgreSQL'}）。`);
  await b.close();
});

const seed = program.command('seed').description('生成数据');
seed.command('demo').description('生成示范县演示数据（仅当数据库为空）').option('--force', '即使已有数据也追加一个示范县（用于测试）').action(async (o) => {
  const b = await boot();
  try {
    const done = o.force ? (await seedDemo(b.ctx, b.ctx.db), true) : await seedDemoIfEmpty(b.ctx, b.ctx.db);
    console.log(done ? '已生成示范县演示数据。' : '数据库中已有数据，未生成演示数据。');
  } finally {
    await b.close();
  }
});
seed.command('county').description('生成基准测试用县（约 3000 个组织）').option('--members <n>', '党员人数', '60000').option('--orgs <n>', '组织个数', '3000').action(async (o) => {
  const b = await boot();
  try {
    const ds = generateCounty(b.ctx.clock.today(), { members: Number(o.members), orgs: Number(o.orgs) });
    const bar = progressBar('写入党员');
    await b.ctx.db.transaction(async (tx) => {
      const ins = await insertDataset(tx as unknown as Db, ds, b.ctx.cipher, b.ctx.clock.nowIso(), (_w, d, t) => bar.update(d, t));
      await evaluateFindings(tx as unknown as Db, { tenantId: ins.tenantId, paths: null, today: b.ctx.clock.today() }, { nowIso: b.ctx.clock.nowIso() });
      await appendAudit(tx as unknown as Db, b.ctx.clock, ins.tenantId, osActor(), [{ action: 'seed', entity: 'system', meta: { dataset: 'county', orgs: ds.orgs.length, people: ds.people.length } }]);
    });
    bar.done();
    console.log(`已生成 ${ds.orgs.length} 个组织、${ds.people.length} 名党员。`);
  } finally {
    await b.close();
  }
});

const audit = program.command('audit').description('审计日志');
audit.command('verify').description('校验审计哈希链，发现改动或删除时以非零状态退出').action(async () => {
  const b = await boot();
  try {
    const r = await verifyAudit(b.ctx.db);
    if (r.checkpoints?.file) console.log(`库外检查点：${r.checkpoints.file}（比对 ${r.checkpoints.compared} 个）`);
    if (r.checkpoints?.forged) console.error(`检查点文件中有 ${r.checkpoints.forged} 行签名无效（被伪造或改动）`);
    for (const t of r.tenants) {
      if (t.firstBroken) console.error(`租户 ${t.tenantId}：审计链在第 ${t.firstBroken.seq} 条处断裂：${t.firstBroken.reason}`);
      else console.log(`租户 ${t.tenantId}：已校验 ${t.checked} 条，审计链完整。`);
    }
    if (!r.ok) process.exitCode = 1;
  } finally {
    await b.close();
  }
});

audit.command('checkpoint').description('立即把各租户审计链的头写成签名检查点（数据目录之外的副本见 ZHIBU_AUDIT_SINK_DIR）').action(async () => {
  const b = await boot();
  try {
    const r = await writeCheckpoints(b.ctx.db, b.ctx.clock);
    for (const p of r.problems) console.error(p);
    console.log(`已写入 ${r.written} 个检查点。`);
    if (r.problems.length) process.exitCode = 1;
  } finally {
    await b.close();
  }
});
audit.command('export').description('导出审计日志、头记录、库外检查点与离线校验脚本，供外部审计')
  .requiredOption('-o, --out <dir>', '输出目录')
  .option('--tenant <id>', '只导出一个租户')
  .option('--include-key', '同时写出审计密钥（audit-key.hex，仅能校验与签名审计记录，不能解密个人信息）')
  .action(async (o) => {
    const b = await boot();
    try {
      const tenantIds = o.tenant ? [Number(o.tenant)] : null;
      const r = await writeAuditExport(b.ctx.db, o.out, { tenantIds, secret: o.includeKey ? loadOrCreateSecret(b.env.dataDir) : undefined });
      const t = await one<{ id: number }>(b.ctx.db, sql`select id from tenants order by id limit 1`);
      if (t) await b.ctx.db.transaction(async (tx) => appendAudit(tx as unknown as Db, b.ctx.clock, tenantIds?.[0] ?? t.id, osActor(), [{ action: 'export', entity: 'audit', meta: { out: o.out, rows: r.rows, withKey: !!o.includeKey } }]));
      console.log(`已导出 ${r.rows} 条审计记录、${r.checkpoints} 个检查点到 ${o.out}。校验：node ${o.out}/verify.mjs ${o.out}（见 README.txt）`);
    } finally {
      await b.close();
    }
  });
audit.command('prune').description('清理早于指定日期的审计记录（保留期内拒绝执行；等保三级配置下至少保留180天；须以数据库属主运行）')
  .requiredOption('--before <date>', '清理此日期（YYYY-MM-DD）之前的记录')
  .option('--tenant <id>', '租户编号（默认全部）')
  .action(async (o) => {
    const b = await boot();
    try {
      const tenants = o.tenant ? [{ id: Number(o.tenant) }] : await rows<{ id: number }>(b.ctx.db, sql`select tenant_id as id from audit_heads order by tenant_id`);
      for (const t of tenants) {
        const r = await b.ctx.db.transaction(async (txRaw) => {
          const tx = txRaw as unknown as Db;
          const res = await pruneAuditBefore(tx, Number(t.id), o.before, b.ctx.clock.today());
          await appendAudit(tx, b.ctx.clock, Number(t.id), osActor(), [{ action: 'delete', entity: 'audit', meta: { before: o.before, deleted: res.deleted, prunedThroughSeq: res.prunedSeq, retentionDays: res.retentionDays } }]);
          return res;
        });
        console.log(`租户 ${t.id}：清理 ${r.deleted} 条（保留期 ${r.retentionDays} 天）。`);
      }
    } finally {
      await b.close();
    }
  });

program.command('create-admin').description('创建系统管理员账号（授予顶层组织的 sysAdmin 角色）；空数据库上同时创建顶层党组织')
  .requiredOption('-u, --username <name>', '用户名')
  .requiredOption('--password <password>', '初始密码（至少 8 位，含字母和数字）')
  .option('--tenant <id>', '租户编号（默认第一个）')
  .option('--org-name <name>', '空数据库时创建的顶层党组织名称（如“某某县委”）')
  .option('--org-code <code>', '空数据库时顶层党组织的组织代码', 'ROOT')
  .action(async (o) => {
    const problem = passwordProblem(o.password);
    if (problem) {
      console.error(problem);
      process.exitCode = 2;
      return;
    }
    const b = await boot();
    try {
      let t = await one<{ id: number; root_org_id: number }>(b.ctx.db, o.tenant ? sql`select id, root_org_id from tenants where id = ${Number(o.tenant)}` : sql`select id, root_org_id from tenants order by id limit 1`);
      if (!t && !o.tenant && o.orgName) t = await createRootTenant(b.ctx.db, String(o.orgName), String(o.orgCode), b.ctx.clock.nowIso());
      if (!t) throw new Error('数据库中还没有租户（顶层党组织）。请加上 --org-name “某某县委” 同时创建顶层党组织。');
      const h = await hashPassword(o.password);
      await b.ctx.db.transaction(async (txRaw) => {
        const tx = txRaw as unknown as Db;
        const now = b.ctx.clock.nowIso();
        const u = await one<{ id: number }>(tx, sql`insert into users (tenant_id, username, display_name, password_hash, created_at, updated_at) values (${t.id}, ${o.username}, ${o.username}, ${h}, ${now}, ${now}) returning id`);
        await tx.execute(sql`insert into grants (tenant_id, user_id, org_id, role, can_view_personal_data, created_at, updated_at) values (${t.id}, ${u!.id}, ${t.root_org_id}, 'sysAdmin', true, ${now}, ${now})`);
        await appendAudit(tx, b.ctx.clock, t.id, osActor(), [{ action: 'grant', entity: 'user', entityId: u!.id, orgId: t.root_org_id, after: { username: o.username, role: 'sysAdmin' } }]);
      });
      console.log(`已创建系统管理员 ${o.username}。`);
    } finally {
      await b.close();
    }
  });

program.command('reset-totp').description('解除某账号的双因素认证（管理员手机与恢复码均丢失、且无其他管理员可在网页上解除时）')
  .requiredOption('-u, --username <name>', '用户名')
  .option('--tenant <id>', '租户编号（默认第一个）')
  .action(async (o) => {
    const b = await boot();
    try {
      const u = await one<{ id: number; tenant_id: number }>(b.ctx.db, o.tenant
        ? sql`select id, tenant_id from users where username = ${o.username} and tenant_id = ${Number(o.tenant)}`
        : sql`select id, tenant_id from users where username = ${o.username} order by tenant_id limit 1`);
      if (!u) throw new Error(`没有用户名为 ${o.username} 的账号`);
      const done = await b.ctx.db.transaction(async (txRaw) => {
        const tx = txRaw as unknown as Db;
        if (!(await clearSecondFactor(tx, u.id, b.ctx.clock.nowIso()))) return false;
        await appendAudit(tx, b.ctx.clock, u.tenant_id, osActor(), [{ action: 'update', entity: 'totp', entityId: u.id, after: { enabled: false }, meta: { by: 'cli' } }]);
        return true;
      });
      console.log(done ? `已解除 ${o.username} 的双因素认证，其会话已全部退出；等保三级配置下，该账号下次登录须重新绑定。` : `${o.username} 未启用双因素认证，无需解除。`);
    } finally {
      await b.close();
    }
  });

/** An empty database's first tenant: the root org (县（区）委) named by the operator. */
async function createRootTenant(db: Db, name: string, code: string, now: string): Promise<{ id: number; root_org_id: number }> {
  return db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    const tenant = (await one<{ id: number }>(tx, sql`insert into tenants (name, created_at, updated_at) values (${name}, ${now}, ${now}) returning id`))!;
    const org = (await one<{ id: number }>(tx, sql`insert into orgs (tenant_id, parent_id, path, depth, name, kind, code, created_at, updated_at)
      values (${tenant.id}, null, '/', 0, ${name}, 'partyCommittee', ${code}, ${now}, ${now}) returning id`))!;
    await tx.execute(sql`update orgs set path = ${`/${org.id}/`} where id = ${org.id}`);
    await tx.execute(sql`update tenants set root_org_id = ${org.id} where id = ${tenant.id}`);
    await appendAudit(tx, systemClock(), tenant.id, osActor(), [{ action: 'create', entity: 'org', entityId: org.id, orgId: org.id, after: { name, code, kind: 'partyCommittee' } }]);
    return { id: tenant.id, root_org_id: org.id };
  });
}

program.command('backup').description('备份为应用级 JSON-lines 目录（一致快照，含附件文件，仅属主可读；不含密钥）')
  .requiredOption('-o, --out <dir>', '输出目录')
  .option('--encrypt', '用口令加密备份（口令取自环境变量 ZHIBU_BACKUP_PASSPHRASE，未设置时提示输入）')
  .action(async (o) => {
    const passphrase = o.encrypt ? await askSecret('备份口令：', 'ZHIBU_BACKUP_PASSPHRASE') : undefined;
    if (o.encrypt && (!passphrase || passphrase.length < 12)) {
      console.error('备份口令至少 12 个字符。');
      process.exitCode = 2;
      return;
    }
    const b = await boot();
    try {
      const r = await backup(b.ctx.db, o.out, { dataDir: b.env.dataDir, passphrase, onTable: (t, n) => console.log(`  ${t}: ${n} 行`) });
      console.log(`  附件文件：${r.attachments} 个`);
      console.log(`备份完成：${o.out}${passphrase ? '（已加密，恢复时须提供同一口令）' : ''}。注意：备份不含密钥，恢复时须使用相同的 ZHIBU_SECRET（或数据目录中的 secret.key）。`);
    } finally {
      await b.close();
    }
  });

program.command('restore').description('从备份目录恢复（在一个事务中替换全部数据，并写回附件文件）').argument('<dir>', '备份目录').action(async (dir) => {
  const meta = readBackupMeta(dir);
  const passphrase = meta.encryption ? await askSecret('此备份已加密，请输入备份口令：', 'ZHIBU_BACKUP_PASSPHRASE') : undefined;
  const b = await boot();
  try {
    const r = await restore(b.ctx.db, dir, { dataDir: b.env.dataDir, passphrase, onTable: (t, n) => console.log(`  ${t}: ${n} 行`) });
    console.log(`  附件文件：${r.attachments} 个`);
    const head = await one<{ id: number }>(b.ctx.db, sql`select id from tenants order by id limit 1`);
    if (head) await b.ctx.db.transaction(async (tx) => appendAudit(tx as unknown as Db, b.ctx.clock, head.id, osActor(), [{ action: 'restore', entity: 'system', meta: { from: dir } }]));
    // the restored chain may be shorter than the last checkpoints: start a new, signed epoch
    await resetCheckpoints(b.ctx.db, b.ctx.clock);
    console.log('恢复完成。备份不含密钥：本程序使用的密钥必须与备份时相同，否则加密字段无法解密。');
  } finally {
    await b.close();
  }
});

const keys = program.command('keys').description('个人信息加密密钥');
keys.command('rotate').description('轮换密钥版本（可同时改用 SM4 算法）：在一个事务中重新加密全部加密字段、重算盲索引并更新密钥校验值')
  .option('--provider <name>', '改用的密码算法：aes-gcm（AES-256-GCM + HMAC-SHA256）或 sm4（SM4-CTR + HMAC-SM3）')
  .action(async (o) => {
    const b = await boot();
    try {
      const from = b.ctx.cipher;
      const to = createCipher(loadOrCreateSecret(b.env.dataDir), { provider: o.provider ?? from.provider, keyVersion: from.keyVersion + 1 });
      const r = await b.ctx.db.transaction(async (txRaw) => {
        const tx = txRaw as unknown as Db;
        const res = await rotateKeys(tx, from, to);
        const t = await one<{ id: number }>(tx, sql`select id from tenants order by id limit 1`);
        if (t) await appendAudit(tx, b.ctx.clock, t.id, osActor(), [{ action: 'update', entity: 'system', before: { provider: from.provider, keyVersion: from.keyVersion }, after: { provider: to.provider, keyVersion: to.keyVersion }, meta: res }]);
        return res;
      });
      console.log(`已轮换为 ${to.provider} 第 ${to.keyVersion} 版密钥：重新加密 ${r.people} 名人员，更新 ${r.users} 个账号的手机号索引${r.usersUnlinked ? `，${r.usersUnlinked} 个账号的登录手机号无法对应到人员、已解除（须重新绑定）` : ''}。`);
      if (process.env.ZHIBU_CRYPTO_PROVIDER && process.env.ZHIBU_CRYPTO_PROVIDER !== to.provider) console.log(`请把环境变量 ZHIBU_CRYPTO_PROVIDER 改为 ${to.provider}。`);
    } finally {
      await b.close();
    }
  });

const jobs = program.command('jobs').description('后台任务');
jobs.command('run').description(`立即运行任务（${Object.keys(JOBS).join('、')}）`).argument('<name>', '任务名').option('--force', '今天已运行过也再运行一次').action(async (name, o) => {
  const b = await boot();
  try {
    const r = await runJob(b.ctx, name, { force: o.force });
    console.log(r.ran ? `任务 ${name} 已完成：${JSON.stringify(r.result)}` : `任务 ${name} 今天已运行过（使用 --force 再次运行）。`);
  } finally {
    await b.close();
  }
});

registerImportExport(program);

program.parseAsync(process.argv).catch((e: Error) => {
  console.error(e.message);
  process.exitCode = 1;
});
