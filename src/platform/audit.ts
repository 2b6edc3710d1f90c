import { sql } from 'drizzle-orm';
import { rows, type Db } from '../db/connection.js';
import { sha256Hex } from './crypto.js';
import { GENESIS, auditAnchor, canonicalJson, checkpointPaths, currentEpoch, pruneMac, readCheckpoints, rowMac, sameHex, type Checkpoint } from './auditAnchor.js';
import type { Clock } from './clock.js';

/**
 * Tamper-evident audit log (ARCHITECTURE.md "Audit"; issue 17 #8). Per tenant, `seq` is gap-free: it
 * comes from the head row locked FOR UPDATE in the writing transaction (a sequence would skip numbers
 * on rollback). hash = SHA-256(prevHash ‖ canonical JSON of every other column).
 *
 * Whoever holds the database could recompute those hashes, so the chain is anchored outside the rows:
 * - every row carries mac = HMAC-SHA256(auditKey, tenant:seq:hash); the audit key is derived from the
 *   secret (ZHIBU_SECRET / <data>/secret.key) with its own HKDF label and never stored in the database;
 * - signed checkpoints of each head (tenant, seq, hash, time, HMAC) are appended to
 *   <data>/audit-checkpoints.jsonl (0600) and optionally to ZHIBU_AUDIT_SINK_DIR, by the scheduler,
 *   on shutdown and after CLI commands; verify fails when the chain is empty or shorter than a
 *   checkpoint or a checkpointed hash differs;
 * - on PostgreSQL the app can run as a role that may only INSERT audit rows (docs/OPERATIONS.md).
 */
export {
  CHECKPOINT_FILE, GENESIS, auditKeyFromSecret, canonicalJson, checkpointPaths, configureAudit, readCheckpoints, resetCheckpoints, rowMac, writeCheckpoints,
  type Checkpoint,
} from './auditAnchor.js';

/** Audit action vocabulary: entity-neutral verbs; the entity names what was acted on. */
export const AUDIT_ACTIONS = [
  'create', 'update', 'delete', 'move', 'dissolve', 'import', 'export', 'unmask', 'login', 'logout',
  'passwordChange', 'grant', 'revoke', 'settingChange', 'dismiss', 'decide', 'evaluate', 'restore', 'seed', 'refuse',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface Actor {
  /** 'user:<id>', 'cli:<os user>' or 'system'. */
  label: string;
  userId: number | null;
}

export interface AuditEntry {
  action: AuditAction;
  entity: string;
  entityId?: string | number | null;
  orgId?: number | null;
  before?: unknown;
  after?: unknown;
  meta?: unknown;
}

interface RowCore {
  tenantId: number;
  seq: number;
  at: string;
  actor: string;
  actorUserId: number | null;
  action: string;
  entity: string;
  entityId: string | null;
  orgId: number | null;
  before: unknown;
  after: unknown;
  meta: unknown;
}

export function rowHash(prevHash: string, r: RowCore): string {
  return sha256Hex(prevHash + canonicalJson(r));
}

const AUDIT_BATCH = 5000;

/** Append entries to the tenant's chain inside the caller's transaction. */
export async function appendAudit(tx: Db, clock: Clock, tenantId: number, actor: Actor, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.execute(sql`insert into audit_heads (tenant_id, last_seq, last_hash) values (${tenantId}, 0, ${GENESIS}) on conflict do nothing`);
  const [head] = await rows<{ last_seq: number; last_hash: string }>(
    tx,
    sql`select last_seq, last_hash from audit_heads where tenant_id = ${tenantId} for update`,
  );
  let seq = Number(head.last_seq);
  let prev = head.last_hash;
  const at = clock.nowIso();
  const { key } = auditAnchor();
  const values: (RowCore & { prevHash: string; hash: string; mac: string })[] = [];
  for (const e of entries) {
    seq += 1;
    const core: RowCore = {
      tenantId,
      seq,
      at,
      actor: actor.label,
      actorUserId: actor.userId,
      action: e.action,
      entity: e.entity,
      entityId: e.entityId == null ? null : String(e.entityId),
      orgId: e.orgId ?? null,
      before: normalizeJson(e.before),
      after: normalizeJson(e.after),
      meta: normalizeJson(e.meta),
    };
    const hash = rowHash(prev, core);
    values.push({ ...core, prevHash: prev, hash, mac: rowMac(key, tenantId, seq, hash) });
    prev = hash;
  }
  // Bulk path: each batch travels as one JSON parameter expanded by jsonb_to_recordset (a 60,000-row
  // import's entries in a dozen statements instead of 120 statements of 7,500 bind parameters).
  // A null column is left out of its object, so it arrives as SQL NULL exactly as before.
  for (let i = 0; i < values.length; i += AUDIT_BATCH) {
    const chunk = values.slice(i, i + AUDIT_BATCH).map((v) => {
      const o: Record<string, unknown> = { seq: v.seq, action: v.action, entity: v.entity, prev_hash: v.prevHash, hash: v.hash, mac: v.mac };
      if (v.entityId !== null) o.entity_id = v.entityId;
      if (v.orgId !== null) o.org_id = v.orgId;
      if (v.before !== null) o.before = v.before;
      if (v.after !== null) o.after = v.after;
      if (v.meta !== null) o.meta = v.meta;
      return o;
    });
    await tx.execute(sql`insert into audit_log (tenant_id, seq, at, actor, actor_user_id, action, entity, entity_id, org_id, before, after, meta, prev_hash, hash, mac)
      select ${tenantId}, x.seq, ${at}, ${actor.label}, ${actor.userId}::int, x.action, x.entity, x.entity_id, x.org_id, x.before, x.after, x.meta, x.prev_hash, x.hash, x.mac
      from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as x(seq bigint, action text, entity text, entity_id text, org_id int, before jsonb, after jsonb, meta jsonb,
        prev_hash text, hash text, mac text)`);
  }
  await tx.execute(sql`update audit_heads set last_seq = ${seq}, last_hash = ${prev} where tenant_id = ${tenantId}`);
}

/** JSON round trip so what we hash equals what jsonb gives back (no undefined, no Dates). */
function normalizeJson(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  return JSON.parse(JSON.stringify(v));
}

export interface VerifyResult {
  ok: boolean;
  tenants: { tenantId: number; checked: number; firstBroken?: { seq: number; reason: string } }[];
  /** Signed checkpoints compared against (current epoch), and lines whose HMAC was wrong. */
  checkpoints?: { file: string | null; compared: number; forged: number };
}

/**
 * Walk every tenant's chain in seq order; name the first broken row. A row is broken when its seq
 * leaves a gap, its prev hash or hash does not recompute, or its HMAC (audit key) is wrong; the chain
 * must end at the head row and reach at least every signed checkpoint with the same hashes; a tenant
 * with a checkpoint or a tenant row but no chain is broken too.
 */
export async function verifyAudit(db: Db, opts: { checkpointFile?: string } = {}): Promise<VerifyResult> {
  const { key } = auditAnchor();
  const file = opts.checkpointFile ?? checkpointPaths()[0] ?? null;
  const cps = file ? readCheckpoints(file) : { valid: [], forged: 0 };
  const epoch = currentEpoch(cps.valid);
  const heads = await rows<{ tenant_id: number; last_seq: number; last_hash: string; pruned_seq: number; pruned_hash: string | null; pruned_mac: string | null }>(
    db,
    sql`select tenant_id, last_seq, last_hash, pruned_seq, pruned_hash, pruned_mac from audit_heads order by tenant_id`,
  );
  const headIds = new Set(heads.map((h) => Number(h.tenant_id)));
  const result: VerifyResult = { ok: true, tenants: [], checkpoints: { file, compared: 0, forged: cps.forged } };
  if (cps.forged > 0) result.ok = false;
  const tenantsInLog = await rows<{ tenant_id: number }>(db, sql`select distinct tenant_id from audit_log`);
  const tenantRows = await rows<{ id: number }>(db, sql`select id from tenants`);
  const orphan = new Set<number>([
    ...tenantsInLog.map((t) => Number(t.tenant_id)),
    ...tenantRows.map((t) => Number(t.id)),
    ...[...epoch.entries()].filter(([, l]) => l.length > 0).map(([t]) => t),
  ]);
  for (const t of [...orphan].sort((x, y) => x - y)) {
    if (headIds.has(t)) continue;
    result.ok = false;
    result.tenants.push({ tenantId: t, checked: 0, firstBroken: { seq: 1, reason: '审计链为空或缺少头记录（审计记录与头记录被删除）' } });
  }
  for (const head of heads) {
    const tenantId = Number(head.tenant_id);
    const prunedSeq = Number(head.pruned_seq ?? 0);
    let expectedSeq = prunedSeq + 1;
    let prev = GENESIS;
    let checked = 0;
    let broken: { seq: number; reason: string } | undefined;
    if (prunedSeq > 0) {
      if (!head.pruned_hash || !sameHex(head.pruned_mac, pruneMac(key, tenantId, prunedSeq, head.pruned_hash))) {
        broken = { seq: prunedSeq, reason: '清理标记的签名无效：审计链的起点被改动' };
      } else prev = head.pruned_hash;
    }
    const lastSeq = Number(head.last_seq);
    if (!broken && lastSeq === 0) broken = { seq: 1, reason: '审计链为空' };
    const checkpoints = epoch.get(tenantId) ?? [];
    const bySeq = new Map(checkpoints.map((c) => [c.seq, c]));
    while (!broken) {
      const page = await rows<Record<string, unknown>>(
        db,
        sql`select tenant_id, seq, at, actor, actor_user_id, action, entity, entity_id, org_id, before, after, meta, prev_hash, hash, mac
            from audit_log where tenant_id = ${tenantId} and seq >= ${expectedSeq} order by seq limit 2000`,
      );
      for (const r of page) {
        const seq = Number(r.seq);
        if (seq !== expectedSeq) {
          broken = { seq: expectedSeq, reason: `第 ${expectedSeq} 条记录缺失（下一条为第 ${seq} 条）` };
          break;
        }
        if (r.prev_hash !== prev) {
          broken = { seq, reason: `第 ${seq} 条记录的前序哈希与上一条不符` };
          break;
        }
        const core: RowCore = {
          tenantId: Number(r.tenant_id),
          seq,
          at: r.at as string,
          actor: r.actor as string,
          actorUserId: r.actor_user_id == null ? null : Number(r.actor_user_id),
          action: r.action as string,
          entity: r.entity as string,
          entityId: (r.entity_id as string | null) ?? null,
          orgId: r.org_id == null ? null : Number(r.org_id),
          before: parseJsonb(r.before),
          after: parseJsonb(r.after),
          meta: parseJsonb(r.meta),
        };
        if (rowHash(prev, core) !== r.hash) {
          broken = { seq, reason: `第 ${seq} 条记录的内容已被改动（哈希不符）` };
          break;
        }
        if (!sameHex(r.mac, rowMac(key, tenantId, seq, r.hash as string))) {
          broken = { seq, reason: `第 ${seq} 条记录的签名（HMAC）无效：记录被改动后重新计算了哈希，或由不持有密钥者写入` };
          break;
        }
        const cp = bySeq.get(seq);  // checkpoints at or below a prune mark are vouched for by the mark's HMAC
        if (cp && cp.hash !== r.hash) {
          broken = { seq, reason: `第 ${seq} 条记录与库外检查点的哈希不符：审计链被改写` };
          break;
        }
        prev = r.hash as string;
        expectedSeq += 1;
        checked += 1;
      }
      if (broken || page.length < 2000) break;
    }
    if (!broken && (expectedSeq - 1 !== lastSeq || prev !== head.last_hash)) {
      broken = {
        seq: expectedSeq,
        reason: `审计链在第 ${expectedSeq - 1} 条结束，但头记录为第 ${lastSeq} 条：末尾记录被删除或头记录被改动`,
      };
    }
    const latest = checkpoints.reduce<Checkpoint | undefined>((m, c) => (!m || c.seq > m.seq ? c : m), undefined);
    if (!broken && latest && latest.seq > lastSeq) {
      broken = { seq: lastSeq + 1, reason: `审计链只到第 ${lastSeq} 条，短于 ${latest.at} 的库外检查点（第 ${latest.seq} 条）：末尾记录被删除` };
    }
    result.checkpoints!.compared += checkpoints.length;
    if (broken) result.ok = false;
    result.tenants.push({ tenantId, checked, firstBroken: broken });
  }
  result.tenants.sort((x, y) => x.tenantId - y.tenantId);
  return result;
}

/**
 * Rows written before the chain was anchored carry no HMAC. At start (boot), if the unanchored
 * rows still form an intact SHA-256 chain, sign them once; otherwise leave them for verify to report.
 */
export async function anchorLegacyRows(db: Db): Promise<number> {
  const { key } = auditAnchor();
  const pending = await rows<{ tenant_id: number }>(db, sql`select distinct tenant_id from audit_log where mac is null`);
  let signed = 0;
  for (const { tenant_id } of pending) {
    const tenantId = Number(tenant_id);
    const all = await rows<Record<string, unknown>>(
      db, sql`select tenant_id, seq, at, actor, actor_user_id, action, entity, entity_id, org_id, before, after, meta, prev_hash, hash, mac from audit_log where tenant_id = ${tenantId} order by seq`,
    );
    let prev = GENESIS;
    let ok = true;
    for (const [i, r] of all.entries()) {
      const core: RowCore = {
        tenantId, seq: Number(r.seq), at: r.at as string, actor: r.actor as string,
        actorUserId: r.actor_user_id == null ? null : Number(r.actor_user_id), action: r.action as string, entity: r.entity as string,
        entityId: (r.entity_id as string | null) ?? null, orgId: r.org_id == null ? null : Number(r.org_id),
        before: parseJsonb(r.before), after: parseJsonb(r.after), meta: parseJsonb(r.meta),
      };
      if (core.seq !== i + 1 || r.prev_hash !== prev || rowHash(prev, core) !== r.hash) { ok = false; break; }
      prev = r.hash as string;
    }
    if (!ok) continue;
    for (const r of all) {
      if (r.mac != null) continue;
      await db.execute(sql`update audit_log set mac = ${rowMac(key, tenantId, Number(r.seq), r.hash as string)} where tenant_id = ${tenantId} and seq = ${Number(r.seq)} and mac is null`);
      signed += 1;
    }
  }
  return signed;
}

function parseJsonb(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? JSON.parse(v) : v;
}

/**
 * Delete a tenant's audit rows written before `before` (ISO date), keeping the chain verifiable: the
 * head records (HMAC-signed) the seq and hash the remaining chain starts after. The caller checks the
 * retention period (auditRetention.ts); this only refuses to remove the head row.
 */
export async function pruneAudit(tx: Db, tenantId: number, before: string): Promise<{ deleted: number; prunedSeq: number }> {
  const { key } = auditAnchor();
  const [head] = await rows<{ last_seq: number; pruned_seq: number }>(tx, sql`select last_seq, pruned_seq from audit_heads where tenant_id = ${tenantId} for update`);
  if (!head) return { deleted: 0, prunedSeq: 0 };
  const [last] = await rows<{ seq: number | null }>(
    tx, sql`select max(seq) as seq from audit_log where tenant_id = ${tenantId} and at < ${before} and seq < ${Number(head.last_seq)}`,
  );
  const upto = last?.seq == null ? 0 : Number(last.seq);
  if (upto <= Number(head.pruned_seq)) return { deleted: 0, prunedSeq: Number(head.pruned_seq) };
  const [row] = await rows<{ hash: string }>(tx, sql`select hash from audit_log where tenant_id = ${tenantId} and seq = ${upto}`);
  const deleted = await rows<{ n: number }>(tx, sql`with d as (delete from audit_log where tenant_id = ${tenantId} and seq <= ${upto} returning 1) select count(*)::int as n from d`);
  await tx.execute(sql`update audit_heads set pruned_seq = ${upto}, pruned_hash = ${row.hash}, pruned_mac = ${pruneMac(key, tenantId, upto, row.hash)} where tenant_id = ${tenantId}`);
  return { deleted: Number(deleted[0].n), prunedSeq: upto };
}
