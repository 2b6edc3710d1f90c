import { sql } from 'drizzle-orm';
import { one, rows, type Db } from '../db/connection.js';
import { conflict, notFound } from './errors.js';
import { inScope, type Scope } from './scope.js';
import type { WriteCtx } from './write.js';

/**
 * Findings (ARCHITECTURE.md "Findings and cases"). Rules return drafts; evaluation opens keys that
 * are not open, resolves open keys no longer returned, and never reopens a dismissed key. A `case`
 * is never resolved by evaluation: it is marked 情况已变化 and waits for a recorded decision.
 */
export const SEVERITIES = ['dueSoon', 'overdue', 'violation', 'case', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface FindingDraft {
  orgId: number;
  orgPath: string;
  subjectEntity: string;
  subjectId: string | number;
  period: string;
  severity: Severity;
  dueOn?: string | null;
  message: string;
  addresseePost?: string | null;
  addresseePersonId?: number | null;
}

export interface EvalScope {
  tenantId: number;
  /** Subtree prefixes to evaluate; null = the whole tenant. */
  paths: string[] | null;
  today: string;
}

export interface FindingRule {
  ruleId: string;
  ruleSet: string;
  source: string;
  /** Entity kinds the rule reads; a write to one re-evaluates the rule for the written org. */
  reads: string[];
  evaluate(db: Db, scope: EvalScope): Promise<FindingDraft[]>;
}

const rules = new Map<string, FindingRule>();
export function registerRule(rule: FindingRule): FindingRule {
  if (rules.has(rule.ruleId)) throw new Error(`rule ${rule.ruleId} registered twice`);
  rules.set(rule.ruleId, rule);
  return rule;
}
export const allRules = () => [...rules.values()];

export const findingKey = (ruleId: string, d: FindingDraft) => `${ruleId}:${d.orgId}:${d.subjectEntity}:${d.subjectId}:${d.period}`;

export function pathsSql(column: string, paths: string[] | null) {
  if (paths === null) return sql`true`;
  if (paths.length === 0) return sql`false`;
  return sql`(${sql.join(paths.map((p) => sql`${sql.raw(column)} like ${`${p}%`}`), sql` or `)})`;
}

export interface EvalSummary {
  opened: number;
  resolved: number;
  changed: number;
}

/** Evaluate the given rules (default all) over a scope, inside the caller's transaction. */
export async function evaluateFindings(tx: Db, scope: EvalScope, opts: { entities?: string[]; nowIso: string }): Promise<EvalSummary> {
  const chosen = allRules().filter((r) => !opts.entities || r.reads.some((e) => opts.entities!.includes(e)));
  const summary: EvalSummary = { opened: 0, resolved: 0, changed: 0 };
  for (const rule of chosen) {
    const drafts = await rule.evaluate(tx, scope);
    const byKey = new Map(drafts.map((d) => [findingKey(rule.ruleId, d), d]));
    const existing = await rows<{ id: number; key: string; status: string; severity: string; condition_changed: string | null; message: string; due_on: string | null }>(
      tx,
      sql`select id, key, status, severity, condition_changed, message, due_on from findings
          where tenant_id = ${scope.tenantId} and rule_id = ${rule.ruleId} and ${pathsSql('org_path', scope.paths)}
            and status in ('open', 'dismissed', 'decided')`,
    );
    const openKeys = new Map(existing.filter((e) => e.status === 'open').map((e) => [e.key, e]));
    // a dismissed finding or a decided case is never reopened under the same key
    const dismissed = new Set(existing.filter((e) => e.status === 'dismissed' || e.status === 'decided').map((e) => e.key));
    const toInsert = [...byKey.entries()].filter(([k]) => !openKeys.has(k) && !dismissed.has(k));
    for (let i = 0; i < toInsert.length; i += 500) {
      const chunk = toInsert.slice(i, i + 500);
      await tx.execute(sql`insert into findings (tenant_id, org_id, org_path, key, rule_id, rule_set, subject_entity, subject_id, period, severity, status, due_on, opened_on, addressee_post, addressee_person_id, message, source, created_at, updated_at) values ${sql.join(
        chunk.map(
          ([k, d]) =>
            sql`(${scope.tenantId}, ${d.orgId}, ${d.orgPath}, ${k}, ${rule.ruleId}, ${rule.ruleSet}, ${d.subjectEntity}, ${String(d.subjectId)}, ${d.period}, ${d.severity}, 'open', ${d.dueOn ?? null}, ${scope.today}, ${d.addresseePost ?? null}, ${d.addresseePersonId ?? null}, ${d.message}, ${rule.source}, ${opts.nowIso}, ${opts.nowIso})`,
        ),
        sql`, `,
      )} on conflict do nothing`);
    }
    summary.opened += toInsert.length;
    // refresh severity/message of still-open findings (due soon → overdue), resolve the rest
    for (const [k, e] of openKeys) {
      const d = byKey.get(k);
      if (d) {
        if (e.condition_changed) {
          await tx.execute(sql`update findings set condition_changed = null, version = version + 1, updated_at = ${opts.nowIso} where id = ${e.id}`);
        }
        if (d.severity !== e.severity || d.message !== e.message || (d.dueOn ?? null) !== e.due_on) {
          await tx.execute(sql`update findings set severity = ${d.severity}, message = ${d.message}, due_on = ${d.dueOn ?? null}, version = version + 1, updated_at = ${opts.nowIso} where id = ${e.id}`);
        }
        continue;
      }
      if (e.severity === 'case') {
        if (!e.condition_changed) {
          await tx.execute(sql`update findings set condition_changed = ${scope.today}, version = version + 1, updated_at = ${opts.nowIso} where id = ${e.id}`);
          summary.changed += 1;
        }
        continue;
      }
      await tx.execute(sql`update findings set status = 'resolved', resolved_on = ${scope.today}, version = version + 1, updated_at = ${opts.nowIso} where id = ${e.id}`);
      summary.resolved += 1;
    }
  }
  return summary;
}

export interface CaseDecision { decidedOn: string; meetingId?: number | null; decidedBy: string; outcome: string; confirmed?: boolean }

/**
 * A case (需组织认定事项) closes only by a recorded decision: who, when, at which meeting, with what
 * outcome (ARCHITECTURE.md "Findings and cases"). Recording it changes no person's status by itself.
 * Used by POST /api/findings/:id/decide and by the demo seed (the same checks either way).
 */
export async function decideCase(w: WriteCtx, scope: Scope, id: number, body: CaseDecision, recordedBy: number | null): Promise<void> {
  const f = await one<{ id: number; org_path: string; org_id: number; status: string; severity: string; key: string }>(
    w.tx, sql`select id, org_path, org_id, status, severity, key from findings where id = ${id} and tenant_id = ${scope.tenantId} for update`,
  );
  if (!f || !inScope(scope, f.org_path)) throw notFound('预警');
  if (f.severity !== 'case') throw conflict('只有需组织认定事项需要记录决定；其他预警在记录补齐后自动消除');
  if (f.status !== 'open') throw conflict('该事项已不是待处理状态');
  if (body.decidedOn > w.today) throw conflict('决定日期不能晚于今天');
  if (body.meetingId) {
    const m = await one<{ org_path: string }>(w.tx, sql`select org_path from meetings where id = ${body.meetingId} and tenant_id = ${scope.tenantId}`);
    if (!m || !inScope(scope, m.org_path)) throw notFound('会议');
  }
  const decision = { ...body, meetingId: body.meetingId ?? null, recordedBy };
  await w.tx.execute(sql`update findings set status = 'decided', decision = ${JSON.stringify(decision)}::jsonb, resolved_on = ${body.decidedOn},
    version = version + 1, updated_at = ${w.now} where id = ${f.id}`);
  w.audit({ action: 'decide', entity: 'finding', entityId: f.id, orgId: f.org_id, after: decision, meta: { key: f.key } });
}
