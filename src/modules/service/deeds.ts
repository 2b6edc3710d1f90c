import { sql } from 'drizzle-orm';
import { one, rows, type Db } from '../../db/connection.js';
import { deedOverdue, deedTransitionError, type DeedStatus } from '../../domain/serviceRules.js';
import { conflict, invalid } from '../../platform/errors.js';
import type { Scope } from '../../platform/scope.js';
import type { WriteCtx } from '../../platform/write.js';
import type { DeedInput, DeedStatusInput, DeedView } from './contract.js';
import { attachmentsInScope, intArray, listPredicate, orgRef, peopleInScope, rowInScope } from './queries.js';

/**
 * 我为群众办实事: a list per org and year. planned → in progress → done (with evidence: text or an
 * attachment) or dropped (with a reason); each step keeps its date, so "open as of a day" is
 * reproducible. Overdue (past the deadline, neither done nor dropped) is a finding (rules.ts).
 */
export async function createDeed(w: WriteCtx, scope: Scope, input: DeedInput) {
  const org = await orgRef(w.tx, scope, input.orgId);
  if (input.ownerPersonId) await peopleInScope(w.tx, scope, [input.ownerPersonId]);
  if (input.householdId) await rowInScope(w.tx, scope, 'service_households', input.householdId, '群众户', 'id, org_path');
  const year = input.year ?? Number(w.today.slice(0, 4));
  const d = await one<{ id: number }>(w.tx, sql`insert into service_deeds (tenant_id, org_id, org_path, year, item, source, household_id, owner_person_id, deadline, status, planned_on, created_at, updated_at)
    values (${w.tenantId}, ${org.id}, ${org.path}, ${year}, ${input.item}, ${input.source}, ${input.householdId ?? null}, ${input.ownerPersonId ?? null}, ${input.deadline ?? null},
      'planned', ${w.today}, ${w.now}, ${w.now}) returning id`);
  w.audit({ action: 'create', entity: 'serviceDeed', entityId: d!.id, orgId: org.id, after: { ...input, year, status: 'planned' } });
  w.touch('serviceDeed', org.path);
  return { id: Number(d!.id) };
}

interface DeedRow { id: number; org_id: number; org_path: string; status: DeedStatus; version: number; item: string }

export async function changeDeedStatus(w: WriteCtx, scope: Scope, id: number, input: DeedStatusInput) {
  const d = await rowInScope<DeedRow>(w.tx, scope, 'service_deeds', id, '实事项目', 'id, org_id, org_path, status, version, item');
  const on = input.on ?? w.today;
  await attachmentsInScope(w.tx, scope, input.attachmentIds);
  const error = deedTransitionError(d.status, input.status, { reason: input.reason, evidence: input.evidence, attachments: input.attachmentIds.length, on, today: w.today });
  if (error) throw invalid(error, { status: error });
  const set = input.status === 'inProgress' ? sql`started_on = ${on}`
    : input.status === 'done' ? sql`done_on = ${on}, evidence = ${input.evidence ?? null}, attachment_ids = ${intArray(input.attachmentIds)}::int[], feedback = ${input.feedback ?? null}`
      : sql`dropped_on = ${on}, drop_reason = ${input.reason ?? null}`;
  // conditional on the status read: two concurrent changes of one deed end with one of them
  const upd = await rows<{ id: number }>(w.tx, sql`update service_deeds set status = ${input.status}, ${set}, version = version + 1, updated_at = ${w.now}
    where id = ${d.id} and status = ${d.status} returning id`);
  if (upd.length !== 1) throw conflict('该事项已被他人修改，请刷新后重试');
  w.audit({ action: 'update', entity: 'serviceDeed', entityId: d.id, orgId: d.org_id, before: { status: d.status }, after: { status: input.status, on, reason: input.reason ?? null, evidence: input.evidence ?? null, attachmentIds: input.attachmentIds } });
  w.touch('serviceDeed', d.org_path);
  return { id: Number(d.id), status: input.status };
}

export async function listDeeds(db: Db, scope: Scope, q: { org?: number; year: number }, today: string): Promise<{ items: DeedView[] }> {
  const where = await listPredicate(db, scope, q.org, 'd.org_path');
  const r = await rows<Record<string, unknown>>(db, sql`select d.id, d.org_id, d.year, d.item, d.source, p.name as owner_name, d.deadline::text as deadline, d.status, d.planned_on::text as planned_on,
      d.done_on::text as done_on, d.drop_reason, d.evidence, d.attachment_ids, d.feedback, d.version
    from service_deeds d left join people p on p.id = d.owner_person_id where d.tenant_id = ${scope.tenantId} and ${where} and d.year = ${q.year} order by d.id limit 1000`);
  return {
    items: r.map((x) => ({
      id: Number(x.id), orgId: Number(x.org_id), year: Number(x.year), item: x.item as string, source: x.source as string, ownerName: x.owner_name as string | null,
      deadline: x.deadline as string | null, status: x.status as string, overdue: deedOverdue(x.status as DeedStatus, x.deadline as string | null, today), plannedOn: x.planned_on as string,
      doneOn: x.done_on as string | null, dropReason: x.drop_reason as string | null, evidence: x.evidence as string | null,
      attachmentIds: ((x.attachment_ids as number[] | null) ?? []).map(Number), feedback: x.feedback as string | null, version: Number(x.version),
    })),
  };
}
