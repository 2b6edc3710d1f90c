import { sql } from 'drizzle-orm';
import { one, rows, type Db } from '../../db/connection.js';
import { WEAK_ORG_RULE_SET } from '../../domain/weakOrgRules.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { narrowToOrg, pathPredicate, type Scope } from '../../platform/scope.js';
import type { WriteCtx } from '../../platform/write.js';

/**
 * The 软弱涣散 ledger (DOMAIN.md §9.2): a case of rule set weakOrg-2014 decided with `confirmed: true`
 * becomes a ledger entry with a rectification plan (measures, owner, leader in charge, deadline),
 * progress entries, and a close-out (销号) with evidence and the higher committee's decision. A rejected
 * case (confirmed: false) never enters the ledger.
 */
const intArray = (v: unknown): number[] => (Array.isArray(v) ? v : String(v ?? '').replace(/[{}]/g, '').split(',').filter(Boolean)).map(Number);

async function checkAttachments(w: WriteCtx, scope: Scope, ids: number[]) {
  if (ids.length === 0) return;
  const found = await one<{ n: number }>(w.tx, sql`select count(*)::int as n from attachments where tenant_id = ${w.tenantId} and id in (${sql.join(ids.map((x) => sql`${x}`), sql`, `)}) and ${pathPredicate(sql`org_path`, scope)}`);
  if ((found?.n ?? 0) !== ids.length) throw notFound('附件');
}

export async function createPlan(w: WriteCtx, scope: Scope, input: { findingId: number; measures: string; ownerName: string; leaderName: string; deadline: string }) {
  const f = await one<{ id: number; org_id: number; org_path: string; rule_id: string; rule_set: string; status: string; period: string; decision: { confirmed?: boolean } | null }>(w.tx, sql`
    select id, org_id, org_path, rule_id, rule_set, status, period, decision from findings where id = ${input.findingId} and tenant_id = ${w.tenantId} and ${pathPredicate(sql`org_path`, scope)}`);
  if (!f || f.rule_set !== WEAK_ORG_RULE_SET) throw notFound('软弱涣散排查事项');
  if (f.status !== 'decided') throw conflict('该候选尚未由组织作出认定决定');
  if (f.decision?.confirmed !== true) throw conflict('该候选已被排除，不列入软弱涣散党组织台账');
  if (input.deadline < w.today) throw invalid('整顿期限不能早于今天', { deadline: '整顿期限不能早于今天' });
  const row = await one<{ id: number }>(w.tx, sql`insert into weak_orgs (tenant_id, org_id, org_path, year, finding_id, rule_id, measures, owner_name, leader_name, deadline, status, created_at, updated_at)
    values (${w.tenantId}, ${f.org_id}, ${f.org_path}, ${Number(f.period)}, ${f.id}, ${f.rule_id}, ${input.measures}, ${input.ownerName}, ${input.leaderName}, ${input.deadline}, 'rectifying', ${w.now}, ${w.now})
    on conflict (finding_id) do nothing returning id`);
  if (!row) throw conflict('该组织已有整顿方案');
  w.audit({ action: 'create', entity: 'weakOrg', entityId: row.id, orgId: Number(f.org_id), after: input });
  w.touch('weakOrg', f.org_path);
  return { id: Number(row.id) };
}

async function loadEntry(db: Db, scope: Scope, id: number, lock = false) {
  const e = await one<{ id: number; org_id: number; org_path: string; status: string }>(db, sql`select id, org_id, org_path, status from weak_orgs
    where id = ${id} and tenant_id = ${scope.tenantId} and ${pathPredicate(sql`org_path`, scope)} ${lock ? sql`for update` : sql``}`);
  if (!e) throw notFound('软弱涣散党组织台账');
  return e;
}

export async function addProgress(w: WriteCtx, scope: Scope, id: number, input: { content: string; attachmentIds: number[] }) {
  const e = await loadEntry(w.tx, scope, id, true);
  if (e.status === 'closed') throw conflict('已销号，不能再记录整顿进展');
  const ids = [...new Set(input.attachmentIds)];
  await checkAttachments(w, scope, ids);
  const row = await one<{ id: number }>(w.tx, sql`insert into weak_org_progress (tenant_id, weak_org_id, org_path, entered_on, content, attachment_ids, created_at, updated_at)
    values (${w.tenantId}, ${e.id}, ${e.org_path}, ${w.today}, ${input.content}, ${`{${ids.join(',')}}`}::int[], ${w.now}, ${w.now}) returning id`);
  w.audit({ action: 'create', entity: 'weakOrgProgress', entityId: row!.id, orgId: Number(e.org_id), after: { weakOrgId: e.id, ...input } });
  return { id: Number(row!.id) };
}

export async function closeEntry(w: WriteCtx, scope: Scope, id: number, input: { decidedBy: string; decision: string; attachmentIds: number[] }) {
  const e = await loadEntry(w.tx, scope, id, true);
  if (e.status === 'closed') throw conflict('该组织已销号');
  const ids = [...new Set(input.attachmentIds)];
  if (ids.length === 0) throw invalid('销号须上传整顿材料', { attachmentIds: '请上传整顿材料' });
  await checkAttachments(w, scope, ids);
  await w.tx.execute(sql`update weak_orgs set status = 'closed', closed_on = ${w.today}, close_decided_by = ${input.decidedBy}, close_decision = ${input.decision},
    close_attachment_ids = ${`{${ids.join(',')}}`}::int[], version = version + 1, updated_at = ${w.now} where id = ${e.id}`);
  w.audit({ action: 'update', entity: 'weakOrg', entityId: e.id, orgId: Number(e.org_id), meta: { change: 'close' }, after: input });
  w.touch('weakOrg', e.org_path);
  return { id: e.id, status: 'closed' as const, closedOn: w.today };
}

export async function ledger(db: Db, scope: Scope, q: { org?: number; year?: number }) {
  const s = q.org ? await narrowToOrg(db, scope, q.org) : scope;
  const list = await rows<Record<string, any>>(db, sql`select w.*, o.name as org_name, f.message, f.decision from weak_orgs w join orgs o on o.id = w.org_id join findings f on f.id = w.finding_id
    where w.tenant_id = ${scope.tenantId} and ${pathPredicate(sql`w.org_path`, s)} ${q.year ? sql`and w.year = ${q.year}` : sql``} order by w.year desc, w.org_path, w.id limit 1000`);
  const progress = list.length ? await rows<{ weak_org_id: number; id: number; entered_on: string; content: string; attachment_ids: unknown }>(db, sql`
    select weak_org_id, id, entered_on, content, attachment_ids from weak_org_progress where weak_org_id in (${sql.join(list.map((x) => sql`${x.id}`), sql`, `)}) order by entered_on, id`) : [];
  return list.map((x) => ({
    id: Number(x.id), findingId: Number(x.finding_id), orgId: Number(x.org_id), orgName: x.org_name, year: x.year, ruleId: x.rule_id, proposal: x.message, decision: x.decision,
    measures: x.measures, ownerName: x.owner_name, leaderName: x.leader_name, deadline: x.deadline, status: x.status,
    closedOn: x.closed_on, closeDecidedBy: x.close_decided_by, closeDecision: x.close_decision, closeAttachmentIds: intArray(x.close_attachment_ids),
    progress: progress.filter((p) => Number(p.weak_org_id) === Number(x.id)).map((p) => ({ id: Number(p.id), enteredOn: p.entered_on, content: p.content, attachmentIds: intArray(p.attachment_ids) })),
  }));
}
