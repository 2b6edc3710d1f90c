import { sql } from 'drizzle-orm';
import { rows, type Db } from '../db/connection.js';
import { sha256Hex } from './crypto.js';
import type { Clock } from './clock.js';

/**
 * Tamper-evident audit log (ARCHITECTURE.md "Audit"). Per tenant, `seq` is gap-free: it comes from
 * the head row locked FOR UPDATE in the writing transaction (a sequence would skip numbers on
 * rollback). hash = SHA-256(prevHash ‖ canonical JSON of every other column). The head row is the
 * checkpoint: verify checks the chain ends at it, so removing the last rows is caught too.
 */
export const GENESIS = '0'.repeat(64);

/** Audit action vocabulary: entity-neutral verbs; the entity names what was acted on. */
export const AUDIT_ACTIONS = [
  'create', 'update', 'delete', 'move', 'dissolve', 'import', 'export', 'unmask', 'login', 'logout',
  'passwordChange', 'grant', 'revoke', 'settingChange', 'dismiss', 'decide', 'evaluate', 'restore', 'seed',
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

export function canonicalJson(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
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
  const values: (RowCore & { prevHash: string; hash: string })[] = [];
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
    values.push({ ...core, prevHash: prev, hash });
    prev = hash;
  }
  for (let i = 0; i < values.length; i += 500) {
    const chunk = values.slice(i, i + 500);
    await tx.execute(sql`insert into audit_log (tenant_id, seq, at, actor, actor_user_id, action, entity, entity_id, org_id, before, after, meta, prev_hash, hash) values ${sql.join(
      chunk.map(
        (v) =>
          sql`(${v.tenantId}, ${v.seq}, ${v.at}, ${v.actor}, ${v.actorUserId}, ${v.action}, ${v.entity}, ${v.entityId}, ${v.orgId}, ${jsonParam(v.before)}::jsonb, ${jsonParam(v.after)}::jsonb, ${jsonParam(v.meta)}::jsonb, ${v.prevHash}, ${v.hash})`,
      ),
      sql`, `,
    )}`);
  }
  await tx.execute(sql`update audit_heads set last_seq = ${seq}, last_hash = ${prev} where tenant_id = ${tenantId}`);
}

/** JSON round trip so what we hash equals what jsonb gives back (no undefined, no Dates). */
function normalizeJson(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  return JSON.parse(JSON.stringify(v));
}
function jsonParam(v: unknown): string | null {
  return v === null ? null : JSON.stringify(v);
}

export interface VerifyResult {
  ok: boolean;
  tenants: { tenantId: number; checked: number; firstBroken?: { seq: number; reason: string } }[];
}

/** Walk every tenant's chain in seq order; name the first broken row. */
export async function verifyAudit(db: Db): Promise<VerifyResult> {
  const heads = await rows<{ tenant_id: number; last_seq: number; last_hash: string }>(
    db,
    sql`select tenant_id, last_seq, last_hash from audit_heads order by tenant_id`,
  );
  const tenantsInLog = await rows<{ tenant_id: number }>(db, sql`select distinct tenant_id from audit_log`);
  const result: VerifyResult = { ok: true, tenants: [] };
  for (const t of tenantsInLog) {
    if (!heads.some((h) => h.tenant_id === t.tenant_id)) {
      result.ok = false;
      result.tenants.push({ tenantId: t.tenant_id, checked: 0, firstBroken: { seq: 1, reason: '审计链缺少检查点（头记录）' } });
    }
  }
  for (const head of heads) {
    let expectedSeq = 1;
    let prev = GENESIS;
    let checked = 0;
    let broken: { seq: number; reason: string } | undefined;
    for (;;) {
      const page = await rows<Record<string, unknown>>(
        db,
        sql`select tenant_id, seq, at, actor, actor_user_id, action, entity, entity_id, org_id, before, after, meta, prev_hash, hash
            from audit_log where tenant_id = ${head.tenant_id} and seq >= ${expectedSeq} order by seq limit 2000`,
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
        prev = r.hash as string;
        expectedSeq += 1;
        checked += 1;
      }
      if (broken || page.length < 2000) break;
    }
    if (!broken && (expectedSeq - 1 !== Number(head.last_seq) || prev !== head.last_hash)) {
      broken = {
        seq: expectedSeq,
        reason: `审计链在第 ${expectedSeq - 1} 条结束，但检查点记录为第 ${head.last_seq} 条：末尾记录被删除或检查点被改动`,
      };
    }
    if (broken) result.ok = false;
    result.tenants.push({ tenantId: head.tenant_id, checked, firstBroken: broken });
  }
  return result;
}

function parseJsonb(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? JSON.parse(v) : v;
}
