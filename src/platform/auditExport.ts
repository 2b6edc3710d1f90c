import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { chmodSync, copyFileSync, existsSync, mkdirSync, writeFileSync, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { one, rows, type Db } from '../db/connection.js';
import { auditKeyFromSecret, checkpointPaths, readCheckpoints, CHECKPOINT_FILE, pruneAudit } from './audit.js';
import { defineSetting, getSetting, SETTINGS } from './settings.js';

/**
 * Audit retention and export (issue 17, 等保 profile; GB/T 22239-2019 8.1.4.3 安全审计 c: 审计记录应受到
 * 保护，避免受到未预期的删除、修改或覆盖等; 《网络安全法》第二十一条: 网络日志留存不少于六个月).
 * Nothing deletes audit rows except `zhibu audit prune --before`, which refuses inside the retention
 * period; under the mlps3 profile the period is at least 180 days whatever the setting says.
 */
export const MLPS3_MIN_RETENTION_DAYS = 180;

export const auditRetentionDays = defineSetting({
  key: 'audit.retentionDays',
  label: '审计日志最短保留天数（等保三级配置下不少于180天）',
  schema: z.number().int().min(30).max(36500),
  default: MLPS3_MIN_RETENTION_DAYS,
  source: '《网络安全法》第二十一条（网络日志留存不少于六个月）；GB/T 22239-2019 第三级 安全审计',
  mark: 'PROJECT',
});

/** The retention that applies to a tenant: the setting, floored at 180 days under mlps3. */
export async function effectiveRetentionDays(db: Db, tenantId: number): Promise<number> {
  const days = await getSetting(db, tenantId, null, auditRetentionDays);
  const profile = await getSetting(db, tenantId, null, SETTINGS.securityProfile);
  return profile === 'mlps3' ? Math.max(days, MLPS3_MIN_RETENTION_DAYS) : days;
}

const addDays = (isoDay: string, n: number) => new Date(Date.parse(`${isoDay}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * Prune a tenant's audit rows older than `before` (YYYY-MM-DD), refusing when `before` lies inside the
 * retention period counted back from `today`. Runs as the database owner (the insert-only role may not
 * delete). The chain stays verifiable through the signed prune mark on the head.
 */
export async function pruneAuditBefore(tx: Db, tenantId: number, before: string, today: string): Promise<{ deleted: number; prunedSeq: number; retentionDays: number }> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(before)) throw new Error('日期格式应为 YYYY-MM-DD');
  const retentionDays = await effectiveRetentionDays(tx, tenantId);
  const earliest = addDays(today, -retentionDays);
  if (before > earliest) {
    throw new Error(`拒绝清理：审计日志须保留至少 ${retentionDays} 天，只能清理 ${earliest} 之前的记录（--before 不得晚于 ${earliest}）。`);
  }
  return { ...(await pruneAudit(tx, tenantId, before)), retentionDays };
}

// --- export for an external auditor ----------------------------------------------------------------

export interface ExportRow {
  tenantId: number; seq: number; at: string; actor: string; actorUserId: number | null; action: string; entity: string;
  entityId: string | null; orgId: number | null; before: unknown; after: unknown; meta: unknown; prevHash: string; hash: string; mac: string | null;
}
export interface ExportHead { tenantId: number; lastSeq: number; lastHash: string; prunedSeq: number; prunedHash: string | null; prunedMac: string | null }

const parse = (v: unknown) => (v === null || v === undefined ? null : typeof v === 'string' ? JSON.parse(v) : v);

/** Every head and row of the given tenants (all when null), in seq order, page by page. */
export async function* auditRowsForExport(db: Db, tenantIds: number[] | null): AsyncGenerator<{ head: ExportHead } | { row: ExportRow }> {
  const heads = await rows<Record<string, unknown>>(db, sql`select * from audit_heads ${tenantIds ? sql`where tenant_id in (${sql.join(tenantIds.map((i) => sql`${i}`), sql`, `)})` : sql``} order by tenant_id`);
  for (const h of heads) {
    const tenantId = Number(h.tenant_id);
    yield { head: { tenantId, lastSeq: Number(h.last_seq), lastHash: String(h.last_hash), prunedSeq: Number(h.pruned_seq ?? 0), prunedHash: (h.pruned_hash as string | null) ?? null, prunedMac: (h.pruned_mac as string | null) ?? null } };
    for (let from = 0; ;) {
      const page = await rows<Record<string, unknown>>(db, sql`select * from audit_log where tenant_id = ${tenantId} and seq > ${from} order by seq limit 2000`);
      for (const r of page) {
        yield {
          row: {
            tenantId, seq: Number(r.seq), at: String(r.at), actor: String(r.actor), actorUserId: r.actor_user_id == null ? null : Number(r.actor_user_id),
            action: String(r.action), entity: String(r.entity), entityId: (r.entity_id as string | null) ?? null, orgId: r.org_id == null ? null : Number(r.org_id),
            before: parse(r.before), after: parse(r.after), meta: parse(r.meta), prevHash: String(r.prev_hash), hash: String(r.hash), mac: (r.mac as string | null) ?? null,
          },
        };
      }
      if (page.length < 2000) break;
      from = Number(page[page.length - 1].seq);
    }
  }
}

export const AUDIT_EXPORT_README = `支部（zhibu）审计日志导出
==========================

文件：
  audit.jsonl              审计记录，每行一条（按租户、序号排列），含前序哈希 prevHash、哈希 hash 与签名 mac
  heads.json               各租户审计链的头记录（最后序号与哈希、清理标记）
  audit-checkpoints.jsonl  库外检查点（租户、序号、哈希、时间、HMAC），由系统定期写在数据库之外
  verify.mjs               离线校验脚本（Node.js 18 及以上，无需安装其他软件）

校验方法（需要审计密钥；审计密钥由系统管理员用 zhibu audit export --include-key 导出，或单独交付）：
  AUDIT_KEY=<64位十六进制审计密钥> node verify.mjs <本目录>
  或把密钥放在本目录的 audit-key.hex 中后运行 node verify.mjs <本目录>

校验内容：每条记录的哈希按规则重算一致、序号连续无缺、前后哈希相连；每条记录的 HMAC 签名正确
（证明记录由持有密钥的系统写入，没有被改动后重算哈希）；审计链终止于头记录；每个检查点的签名正确，
且审计链不短于最新检查点、检查点处的哈希与记录一致（证明末尾记录没有被删除）。
任何一项不符，脚本以非零状态退出并指出第一条出问题的记录。

哈希规则：hash = SHA-256(prevHash ‖ 规范 JSON)，规范 JSON 为下列字段按键名排序、无空白：
  tenantId, seq, at, actor, actorUserId, action, entity, entityId, orgId, before, after, meta
签名：mac = HMAC-SHA256(审计密钥, "row:" + tenantId + ":" + seq + ":" + hash)
检查点签名：HMAC-SHA256(审计密钥, "checkpoint:" + 规范 JSON(除 mac 外的字段))
注意：审计密钥只能用于校验与签名，不能解密个人信息；持有者能伪造签名，请妥善保管。
`;

/** The offline verifier, standalone (no dependencies): the same rules as src/platform/audit.ts. */
export const AUDIT_VERIFY_SCRIPT = String.raw`#!/usr/bin/env node
// zhibu audit export verifier. Usage: AUDIT_KEY=<hex> node verify.mjs <export dir | bundle.ndjson>
import { createHash, createHmac } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const target = process.argv[2] || '.';
const GENESIS = '0'.repeat(64);
function canonicalJson(v) {
  if (v === undefined || v === null) return 'null';
  if (Array.isArray(v)) return '[' + v.map(canonicalJson).join(',') + ']';
  if (typeof v === 'object') {
    const keys = Object.keys(v).filter((k) => v[k] !== undefined).sort();
    return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson(v[k])).join(',') + '}';
  }
  return JSON.stringify(v);
}
const lines = (text) => text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
let rowsIn = [], heads = [], checkpoints = [], keyHex = process.env.AUDIT_KEY;
if (statSync(target).isDirectory()) {
  rowsIn = lines(readFileSync(join(target, 'audit.jsonl'), 'utf8'));
  heads = JSON.parse(readFileSync(join(target, 'heads.json'), 'utf8'));
  const cpf = join(target, 'audit-checkpoints.jsonl');
  checkpoints = existsSync(cpf) ? lines(readFileSync(cpf, 'utf8')) : [];
  if (!keyHex && existsSync(join(target, 'audit-key.hex'))) keyHex = readFileSync(join(target, 'audit-key.hex'), 'utf8').trim();
} else {
  for (const l of lines(readFileSync(target, 'utf8'))) {
    if (l.type === 'row') rowsIn.push(l.row);
    else if (l.type === 'head') heads.push(l.head);
    else if (l.type === 'checkpoint') checkpoints.push(l.checkpoint);
  }
}
if (!keyHex || !/^[0-9a-f]{64}$/i.test(keyHex)) { console.error('缺少审计密钥：请设置环境变量 AUDIT_KEY（64位十六进制）'); process.exit(2); }
const key = Buffer.from(keyHex, 'hex');
const hmac = (m) => createHmac('sha256', key).update(m).digest('hex');
let ok = true;
const fail = (msg) => { ok = false; console.error(msg); };
const epoch = new Map();
for (const c of checkpoints) {
  const { mac, ...rest } = c;
  if (hmac('checkpoint:' + canonicalJson(rest)) !== mac) { fail('检查点签名无效：' + JSON.stringify(c)); continue; }
  if (c.kind === 'reset') epoch.set(c.tenantId, []);
  else epoch.set(c.tenantId, [...(epoch.get(c.tenantId) || []), c]);
}
for (const [tenantId, cps] of epoch) if (cps.length && !heads.some((h) => h.tenantId === tenantId)) fail('租户 ' + tenantId + '：有检查点但审计链为空');
for (const h of heads) {
  const rs = rowsIn.filter((r) => r.tenantId === h.tenantId).sort((a, b) => a.seq - b.seq);
  let prev = GENESIS, expected = 1, broken = null;
  if (h.prunedSeq > 0) {
    if (hmac('prune:' + h.tenantId + ':' + h.prunedSeq + ':' + h.prunedHash) !== h.prunedMac) broken = '清理标记签名无效';
    prev = h.prunedHash; expected = h.prunedSeq + 1;
  }
  const cps = epoch.get(h.tenantId) || [];
  const bySeq = new Map(cps.map((c) => [c.seq, c]));
  for (const r of rs) {
    if (broken) break;
    if (r.seq !== expected) { broken = '第 ' + expected + ' 条记录缺失'; break; }
    if (r.prevHash !== prev) { broken = '第 ' + r.seq + ' 条前序哈希不符'; break; }
    const core = { tenantId: r.tenantId, seq: r.seq, at: r.at, actor: r.actor, actorUserId: r.actorUserId, action: r.action, entity: r.entity, entityId: r.entityId, orgId: r.orgId, before: r.before, after: r.after, meta: r.meta };
    if (createHash('sha256').update(prev + canonicalJson(core)).digest('hex') !== r.hash) { broken = '第 ' + r.seq + ' 条内容被改动（哈希不符）'; break; }
    if (hmac('row:' + r.tenantId + ':' + r.seq + ':' + r.hash) !== r.mac) { broken = '第 ' + r.seq + ' 条签名无效'; break; }
    const c = bySeq.get(r.seq);
    if (c && c.hash !== r.hash) { broken = '第 ' + r.seq + ' 条与检查点哈希不符'; break; }
    prev = r.hash; expected += 1;
  }
  if (!broken && (expected - 1 !== h.lastSeq || prev !== h.lastHash)) broken = '审计链在第 ' + (expected - 1) + ' 条结束，头记录为第 ' + h.lastSeq + ' 条';
  if (!broken && h.lastSeq === 0) broken = '审计链为空';
  const latest = cps.reduce((m, c) => (!m || c.seq > m.seq ? c : m), null);
  if (!broken && latest && latest.seq > h.lastSeq) broken = '审计链短于检查点（第 ' + latest.seq + ' 条）';
  if (broken) fail('租户 ' + h.tenantId + '：' + broken);
  else console.log('租户 ' + h.tenantId + '：已校验 ' + rs.length + ' 条，对照检查点 ' + cps.length + ' 个，审计链完整。');
}
process.exit(ok ? 0 : 1);
`;

/** CLI export: a directory an external auditor verifies offline (files 0600, directory 0700). */
export async function writeAuditExport(db: Db, outDir: string, opts: { tenantIds?: number[] | null; secret?: string } = {}): Promise<{ rows: number; checkpoints: number }> {
  mkdirSync(outDir, { recursive: true, mode: 0o700 });
  chmodSync(outDir, 0o700);
  const out = createWriteStream(join(outDir, 'audit.jsonl'), { mode: 0o600 });
  const heads: ExportHead[] = [];
  let n = 0;
  for await (const item of auditRowsForExport(db, opts.tenantIds ?? null)) {
    if ('head' in item) heads.push(item.head);
    else {
      if (!out.write(`${JSON.stringify(item.row)}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
      n += 1;
    }
  }
  await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
  const file = (name: string, text: string) => { writeFileSync(join(outDir, name), text, { mode: 0o600 }); chmodSync(join(outDir, name), 0o600); };
  file('heads.json', JSON.stringify(heads, null, 2));
  const src = checkpointPaths()[0];
  let cps = 0;
  if (src && existsSync(src)) {
    copyFileSync(src, join(outDir, CHECKPOINT_FILE));
    chmodSync(join(outDir, CHECKPOINT_FILE), 0o600);
    cps = readCheckpoints(src).valid.length;
  }
  file('verify.mjs', AUDIT_VERIFY_SCRIPT);
  file('README.txt', AUDIT_EXPORT_README);
  if (opts.secret) file('audit-key.hex', `${auditKeyFromSecret(opts.secret).toString('hex')}\n`);
  return { rows: n, checkpoints: cps };
}

export async function tenantRootPath(db: Db, tenantId: number): Promise<string | null> {
  return (await one<{ path: string }>(db, sql`select o.path from tenants t join orgs o on o.id = t.root_org_id where t.id = ${tenantId}`))?.path ?? null;
}
