import { sql } from 'drizzle-orm';
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import { rows, type Db } from '../db/connection.js';
import { lastCipherSecret } from './crypto.js';
import type { Clock } from './clock.js';

/**
 * The anchor of the audit chain outside the rows it protects (issue 17 #8; the chain itself is
 * audit.ts): the audit key derived from the deployment secret (never stored in the database), the row
 * and prune MACs, and the signed checkpoints of each head in <data>/audit-checkpoints.jsonl (0600) and
 * optionally ZHIBU_AUDIT_SINK_DIR, which `verifyAudit` compares the chain against.
 */
export const GENESIS = '0'.repeat(64);

// --- the anchor: key and checkpoint files ------------------------------------------------------

export interface AuditAnchor {
  key: Buffer;
  dataDir: string | null;
  sinkDir: string | null;
}
let anchor: AuditAnchor | null = null;

/** Derive the audit key from the deployment secret (its own HKDF label, like crypto.ts). */
export function auditKeyFromSecret(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), 'zhibu', 'zhibu/audit-mac/v1', 32));
}

/**
 * Called once at start (boot, test setup) before any audit entry is written or verified. `dataDir`
 * receives the checkpoint file; `sinkDir` (ZHIBU_AUDIT_SINK_DIR) an extra copy outside the data dir.
 */
export function configureAudit(opts: { secret: string; dataDir?: string | null; sinkDir?: string | null }): void {
  anchor = { key: auditKeyFromSecret(opts.secret), dataDir: opts.dataDir ?? null, sinkDir: opts.sinkDir ?? null };
}

export function auditAnchor(): AuditAnchor {
  // a process that built the app from a cipher without boot (a test's child process) signs with the
  // same secret's audit key; it writes no checkpoints (no data dir configured)
  const secret = lastCipherSecret();
  if (!anchor && secret) configureAudit({ secret });
  if (!anchor) throw new Error('审计密钥未配置：程序启动时必须先调用 configureAudit（由 boot 完成）');
  return anchor;
}

const hmacHex = (key: Buffer, msg: string) => createHmac('sha256', key).update(msg).digest('hex');
export function sameHex(a: unknown, b: string): boolean {
  if (typeof a !== 'string' || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

export function rowMac(key: Buffer, tenantId: number, seq: number, hash: string): string {
  return hmacHex(key, `row:${tenantId}:${seq}:${hash}`);
}
export function pruneMac(key: Buffer, tenantId: number, seq: number, hash: string): string {
  return hmacHex(key, `prune:${tenantId}:${seq}:${hash}`);
}

/**
 * Canonical JSON (sorted keys, no undefined): what the row hash and the checkpoint MAC are computed over.
 * Built by one native JSON.stringify over a key-sorted copy (issue 18: a 60,000-row import spent
 * seconds in the recursive string building). Byte-identical to canonicalJsonReference, which still
 * serves the values the copy cannot reproduce: objects with integer-like keys (JavaScript orders those
 * numerically), sparse arrays, functions, symbols and bigints (canonicalJson.unit.test.ts).
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  try {
    return JSON.stringify(sortedCopy(value));
  } catch (e) {
    if (e === UNCOPYABLE) return canonicalJsonReference(value);
    throw e;
  }
}

const UNCOPYABLE = Symbol('uncopyable');
/** Integer-like keys: an object enumerates (array-index) ones first in numeric order, not sorted as text. */
const INDEX_KEY = /^(?:0|[1-9]\d*)$/;

function sortedCopy(v: unknown): unknown {
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') throw UNCOPYABLE;
    return v;
  }
  if (Array.isArray(v)) {
    const out: unknown[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) {
      if (!(i in v)) throw UNCOPYABLE;
      out[i] = sortedCopy(v[i]);
    }
    return out;
  }
  const obj = v as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  // a null-prototype copy: a key named __proto__ stays a plain property, no inherited toJSON
  const out = Object.create(null) as Record<string, unknown>;
  for (const k of keys) {
    if (INDEX_KEY.test(k)) throw UNCOPYABLE;
    const x = obj[k];
    if (x !== undefined) out[k] = sortedCopy(x);
  }
  return out;
}

/** The recursive definition (before issue 18); canonicalJson must give the same bytes. */
export function canonicalJsonReference(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJsonReference).join(',')}]`;
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJsonReference(obj[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const CHECKPOINT_FILE = 'audit-checkpoints.jsonl';

/** One line of the checkpoint file. `kind: 'reset'` (after a restore) starts a new epoch for the tenant. */
export interface Checkpoint {
  kind: 'head' | 'reset';
  tenantId: number;
  seq: number;
  hash: string;
  at: string;
  mac: string;
}

function checkpointMac(key: Buffer, c: Omit<Checkpoint, 'mac'>): string {
  return hmacHex(key, `checkpoint:${canonicalJson(c)}`);
}

export function checkpointPaths(a: AuditAnchor = auditAnchor()): string[] {
  return [a.dataDir, a.sinkDir].filter((d): d is string => !!d).map((d) => join(d, CHECKPOINT_FILE));
}

function appendCheckpointLines(lines: Checkpoint[]): void {
  if (lines.length === 0) return;
  const text = lines.map((l) => `${JSON.stringify(l)}\n`).join('');
  for (const file of checkpointPaths()) {
    const dir = join(file, '..');
    if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
    appendFileSync(file, text, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
}

/** The checkpoints of a file (the data dir's by default); lines with a wrong HMAC are returned as forged. */
export function readCheckpoints(file?: string): { valid: Checkpoint[]; forged: number } {
  const a = auditAnchor();
  const f = file ?? checkpointPaths(a)[0];
  if (!f || !existsSync(f)) return { valid: [], forged: 0 };
  const valid: Checkpoint[] = [];
  let forged = 0;
  for (const line of readFileSync(f, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const c = JSON.parse(line) as Checkpoint;
      const { mac, ...rest } = c;
      if (sameHex(mac, checkpointMac(a.key, rest))) valid.push(c);
      else forged += 1;
    } catch {
      forged += 1;
    }
  }
  return { valid, forged };
}

/** Per tenant, the checkpoints of the current epoch (after the last reset). */
export function currentEpoch(cps: Checkpoint[]): Map<number, Checkpoint[]> {
  const by = new Map<number, Checkpoint[]>();
  for (const c of cps) {
    if (c.kind === 'reset') by.set(c.tenantId, []);
    else by.set(c.tenantId, [...(by.get(c.tenantId) ?? []), c]);
  }
  return by;
}

/**
 * Append a signed checkpoint of every tenant's head whose seq moved since the last checkpoint. Refuses
 * (returns the problems, writes nothing for that tenant) when the head no longer continues the last
 * checkpoint or its row's HMAC is wrong, so a tampered chain is never blessed.
 */
export async function writeCheckpoints(db: Db, clock: Clock): Promise<{ written: number; problems: string[] }> {
  const a = auditAnchor();
  if (checkpointPaths(a).length === 0) return { written: 0, problems: [] };
  const epoch = currentEpoch(readCheckpoints().valid);
  const heads = await rows<{ tenant_id: number; last_seq: number; last_hash: string; pruned_seq: number }>(db, sql`select tenant_id, last_seq, last_hash, pruned_seq from audit_heads order by tenant_id`);
  const out: Checkpoint[] = [];
  const problems: string[] = [];
  for (const h of heads) {
    const tenantId = Number(h.tenant_id);
    const seq = Number(h.last_seq);
    const last = epoch.get(tenantId)?.at(-1);
    if (last && last.seq === seq && last.hash === h.last_hash) continue;
    if (last && last.seq > seq) {
      problems.push(`租户 ${tenantId}：审计链（第 ${seq} 条）短于上一个检查点（第 ${last.seq} 条），未写入检查点`);
      continue;
    }
    const probe = await rows<{ seq: number; hash: string; mac: string | null }>(
      db, sql`select seq, hash, mac from audit_log where tenant_id = ${tenantId} and seq in (${seq}, ${last?.seq ?? seq})`,
    );
    const headRow = probe.find((r) => Number(r.seq) === seq);
    if (seq > 0 && (!headRow || headRow.hash !== h.last_hash || !sameHex(headRow.mac, rowMac(a.key, tenantId, seq, h.last_hash)))) {
      problems.push(`租户 ${tenantId}：头记录与第 ${seq} 条审计记录不符或签名无效，未写入检查点`);
      continue;
    }
    if (last && last.seq > Number(h.pruned_seq ?? 0)) {
      // (a checkpoint at or below the prune mark points at pruned rows; the signed mark vouches for them)
      const lastRow = probe.find((r) => Number(r.seq) === last.seq);
      if (!lastRow || lastRow.hash !== last.hash) {
        problems.push(`租户 ${tenantId}：上一个检查点（第 ${last.seq} 条）的哈希与数据库不符，未写入检查点`);
        continue;
      }
    }
    const c = { kind: 'head' as const, tenantId, seq, hash: h.last_hash, at: clock.nowIso() };
    out.push({ ...c, mac: checkpointMac(a.key, c) });
  }
  appendCheckpointLines(out);
  return { written: out.length, problems };
}

/** After a restore (the chain legitimately went back): start a new checkpoint epoch for every tenant. */
export async function resetCheckpoints(db: Db, clock: Clock): Promise<void> {
  const heads = await rows<{ tenant_id: number; last_seq: number; last_hash: string }>(db, sql`select tenant_id, last_seq, last_hash from audit_heads order by tenant_id`);
  const tenants = new Set<number>([...heads.map((h) => Number(h.tenant_id)), ...currentEpoch(readCheckpoints().valid).keys()]);
  const a = auditAnchor();
  const out: Checkpoint[] = [...tenants].map((tenantId) => {
    const c = { kind: 'reset' as const, tenantId, seq: 0, hash: GENESIS, at: clock.nowIso() };
    return { ...c, mac: checkpointMac(a.key, c) };
  });
  appendCheckpointLines(out);
  await writeCheckpoints(db, clock);
}
