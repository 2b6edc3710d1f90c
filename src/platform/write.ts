import type { Db } from '../db/connection.js';
import { appendAudit, type Actor, type AuditEntry } from './audit.js';
import type { AppContext } from './context.js';
import { evaluateFindings } from './findings.js';
import { minimalPaths } from './scope.js';

/**
 * One write = one transaction: the change, the re-evaluation of the finding rules that read the
 * touched entities (so the response already reflects it), and the audit entries, all or nothing.
 */
export interface WriteCtx {
  tx: Db;
  tenantId: number;
  actor: Actor;
  /** Business today and the transaction's timestamp, from the clock. */
  today: string;
  now: string;
  audit(entry: AuditEntry): void;
  /** Note that an entity kind changed under an org subtree; its rules re-run before commit. */
  touch(entity: string, orgPath: string): void;
}

export async function write<T>(ctx: AppContext, tenantId: number, actor: Actor, fn: (w: WriteCtx) => Promise<T>): Promise<T> {
  return ctx.db.transaction(async (tx) => {
    const entries: AuditEntry[] = [];
    const touched = new Map<string, string[]>();
    const w: WriteCtx = {
      tx: tx as unknown as Db,
      tenantId,
      actor,
      today: ctx.clock.today(),
      now: ctx.clock.nowIso(),
      audit: (e) => entries.push(e),
      touch: (entity, orgPath) => touched.set(entity, [...(touched.get(entity) ?? []), orgPath]),
    };
    const result = await fn(w);
    if (touched.size > 0) {
      const paths = minimalPaths([...touched.values()].flat());
      await evaluateFindings(w.tx, { tenantId, paths, today: ctx.clock.today() }, { entities: [...touched.keys()], nowIso: ctx.clock.nowIso() });
    }
    await appendAudit(w.tx, ctx.clock, tenantId, actor, entries);
    return result;
  }) as Promise<T>;
}

export const actorOfUser = (userId: number): Actor => ({ label: `user:${userId}`, userId });
export const systemActor: Actor = { label: 'system', userId: null };
export const cliActor = (osUser: string): Actor => ({ label: `cli:${osUser}`, userId: null });
