import { sql } from 'drizzle-orm';
import { one, rows, type Db } from '../../db/connection.js';
import { checkStep, nextStep, probationEnd, type StepEntry, type StepPerson } from '../../domain/development.js';
import { stageAfter, stepOf, stepTitle } from '../../domain/developmentSteps.js';
import { compareDates, type IsoDate } from '../../domain/dates.js';
import { MEMBER_STAGES, type MemberStage } from '../../domain/vocab.js';
import { loadCalendarFor } from '../../platform/calendar.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { inScope, type Scope } from '../../platform/scope.js';
import type { WriteCtx } from '../../platform/write.js';
import { changePeriod } from '../members/service.js';
import type { StepInput } from './contract.js';
import { checkContext, ruleSetForNewRecord, stepRowsByRecord, toEntry } from './load.js';
import { developmentSettingsResolver } from './settings.js';

/**
 * Recording a development step (issue 14): the person's record is checked against the rule set it
 * keeps (src/domain/development.ts); a refusal answers 409 with the rule's Chinese text and nothing is
 * written; flags are stored with the step. A step that enters a new stage updates the person in the
 * registry in the same transaction — people.stage (admittedOn / fullOn on admission and 转正) and the
 * effective-dated membership period, as the members module does (members/service.ts changePeriod).
 */
/** Stages only move forward here; a person imported as 积极分子 stays one while earlier steps are filled in. */
const STAGE_ORDER: MemberStage[] = MEMBER_STAGES.map((s) => s.key);

export interface PersonRow {
  id: number;
  name: string;
  birth_date: string;
  stage: string;
  state: string;
  org_id: number;
  org_path: string;
}

export async function personInScope(db: Db, scope: Scope, personId: number): Promise<PersonRow> {
  const p = await one<PersonRow>(db, sql`select id, name, birth_date::text as birth_date, stage, state, org_id, org_path from people
    where id = ${personId} and tenant_id = ${scope.tenantId}`);
  if (!p || !inScope(scope, p.org_path)) throw notFound('人员');
  return p;
}

export interface RecordRow {
  id: number;
  rule_set: string;
  current_step: number;
  contact_person_ids: number[];
  introducer_ids: number[];
  front_line: boolean;
  version: number;
}

export async function recordOf(db: Db, personId: number): Promise<RecordRow | undefined> {
  return one<RecordRow>(db, sql`select id, rule_set, current_step, contact_person_ids, introducer_ids, front_line, version from development_records where person_id = ${personId}`);
}

/** Contact persons and introducers: in scope (else 404), eligible when a full member in good standing. */
async function stepPeople(db: Db, scope: Scope, ids: number[]): Promise<StepPerson[]> {
  if (ids.length === 0) return [];
  const list = await rows<{ id: number; name: string; stage: string; state: string; org_path: string }>(db, sql`select id, name, stage, state, org_path from people
    where tenant_id = ${scope.tenantId} and id in (${sql.join(ids.map((i) => sql`${i}`), sql`, `)})`);
  const byId = new Map(list.map((p) => [Number(p.id), p]));
  return ids.map((id) => {
    const p = byId.get(id);
    if (!p || !inScope(scope, p.org_path)) throw notFound('党员');
    // 留党察看 is not recorded yet (discipline is a later slice): full and active is the test for now
    return { personId: id, name: p.name, eligible: p.stage === 'full' && p.state === 'active' };
  });
}

/** The member-assembly vote on this person in `meetingId` (by meeting and subject person, never a vote id). */
async function assemblyVote(db: Db, scope: Scope, meetingId: number, personId: number): Promise<{ heldOn: IsoDate; passed: boolean | null }> {
  const m = await one<{ held_on: string; kind: string; org_path: string; valid: boolean }>(db, sql`select held_on::text as held_on, kind, org_path, valid_for_decisions as valid
    from meetings where id = ${meetingId} and tenant_id = ${scope.tenantId}`);
  if (!m || !inScope(scope, m.org_path)) throw notFound('会议');
  if (m.kind !== 'memberAssembly') throw invalid('须关联支部党员大会', { meetingId: '所选会议不是支部党员大会' });
  const v = await one<{ passed: boolean | null }>(db, sql`select (result->>'passed')::boolean as passed from meeting_votes
    where meeting_id = ${meetingId} and subject_person_id = ${personId} order by id desc limit 1`);
  if (!v) throw invalid('该党员大会没有对本人的表决记录', { meetingId: '该会议没有对本人的表决记录' });
  return { heldOn: m.held_on, passed: m.valid ? v.passed : null };
}

function detailsOf(input: StepInput): Record<string, unknown> {
  const d: Record<string, unknown> = {};
  for (const k of ['trainingDays', 'trainingHours', 'publicityFirst', 'publicityLast', 'reachedCommitteeOn', 'specialReason', 'leavesUnitOn'] as const) {
    if (input[k] !== undefined && input[k] !== null) d[k] = input[k];
  }
  return d;
}

export async function recordStep(w: WriteCtx, scope: Scope, personId: number, input: StepInput): Promise<{ id: number; issues: ReturnType<typeof checkStep>; stage: string }> {
  const person = await personInScope(w.tx, scope, personId);
  if (person.state !== 'active') throw conflict('该人员当前状态不是“正常”，不能记录发展步骤');
  if (compareDates(input.doneOn, w.today) > 0) throw invalid('日期不能晚于今天', { doneOn: '日期不能晚于今天' });
  const record = await recordOf(w.tx, personId);
  if (!record && (person.stage === 'probationary' || person.stage === 'full') && input.step === 1) throw conflict('该人员已是党员，不能从递交入党申请书开始记录');
  const resolve = await developmentSettingsResolver(w.tx, w.tenantId);
  const settings = resolve(person.org_path);
  const existing = record ? (await stepRowsByRecord(w.tx, w.tenantId, null, [record.id])).get(record.id) ?? [] : [];
  const prior: StepEntry[] = existing.map(toEntry);
  const ruleSet = record ? record.rule_set : ruleSetForNewRecord(settings.defaultRuleSet, input.doneOn).id;
  const dates = [input.doneOn, ...(input.publicityFirst ? [input.publicityFirst] : []), ...(input.publicityLast ? [input.publicityLast] : [])];
  const ctx = checkContext(ruleSet, person.birth_date, await loadCalendarFor(w.tx, ...dates), settings);
  const step = stepOf(input.step);
  const entry: StepEntry = {
    ...toEntry({ step: input.step, done_on: input.doneOn, decision: input.decision ?? null, details: detailsOf(input) }),
    leavesUnitOn: input.leavesUnitOn ?? null,
    trainingDays: input.trainingDays ?? null,
    trainingHours: input.trainingHours ?? null,
  };
  if (input.step === 5) entry.contactPersons = await stepPeople(w.tx, scope, input.contactPersonIds ?? []);
  if (input.step === 9) entry.introducers = await stepPeople(w.tx, scope, input.introducerIds ?? []);
  if (step.assembly && input.meetingId) entry.vote = await assemblyVote(w.tx, scope, input.meetingId, personId);
  const issues = checkStep(ctx, prior, entry);
  const refusals = issues.filter((i) => i.kind === 'refusal');
  if (refusals.length > 0) throw conflict(refusals.map((r) => r.message).join('；'), { issues });

  let recordId = record?.id;
  if (!recordId) {
    const r = await one<{ id: number }>(w.tx, sql`insert into development_records (tenant_id, person_id, org_id, org_path, rule_set, current_step, next_step, front_line, created_at, updated_at)
      values (${w.tenantId}, ${personId}, ${person.org_id}, ${person.org_path}, ${ruleSet}, 0, 1, ${input.frontLine ?? false}, ${w.now}, ${w.now}) returning id`);
    recordId = Number(r!.id);
  }
  const row = await one<{ id: number }>(w.tx, sql`insert into development_steps (tenant_id, record_id, person_id, org_id, org_path, step, done_on, actor_name, decision, documents,
      attachment_ids, meeting_id, subject_person_id, details, issues, rule_set, note, created_at, updated_at)
    values (${w.tenantId}, ${recordId}, ${personId}, ${person.org_id}, ${person.org_path}, ${input.step}, ${input.doneOn}, ${input.actorName}, ${input.decision ?? null},
      ${sql`${`{${input.documents.map((t) => JSON.stringify(t)).join(',')}}`}::text[]`}, ${sql`${`{${input.attachmentIds.join(',')}}`}::int[]`},
      ${step.assembly ? input.meetingId ?? null : null}, ${step.assembly ? personId : null}, ${JSON.stringify(detailsOf(input))}::jsonb, ${JSON.stringify(issues)}::jsonb,
      ${ruleSet}, ${input.note ?? null}, ${w.now}, ${w.now}) returning id`);
  const all = [...prior, entry];
  const current = Math.max(...all.filter((e) => !stepOf(e.step).repeatable).map((e) => e.step), 0);
  const contacts = input.step === 5 ? input.contactPersonIds ?? [] : record?.contact_person_ids ?? [];
  const introducers = input.step === 9 ? input.introducerIds ?? [] : record?.introducer_ids ?? [];
  await w.tx.execute(sql`update development_records set current_step = ${current}, next_step = ${nextStep(all)}, org_id = ${person.org_id}, org_path = ${person.org_path},
      contact_person_ids = ${sql`${`{${contacts.join(',')}}`}::int[]`}, introducer_ids = ${sql`${`{${introducers.join(',')}}`}::int[]`},
      front_line = ${input.frontLine ?? record?.front_line ?? false}, version = version + 1, updated_at = ${w.now} where id = ${recordId}`);

  // a step that enters a stage (and is not a rejection) moves the person in the registry
  let stage = person.stage;
  const entered = input.decision === 'rejected' ? null : step.entersStage ?? null;
  if (entered && STAGE_ORDER.indexOf(entered) > STAGE_ORDER.indexOf(person.stage as MemberStage) && stageAfter(all.filter((e) => e.decision !== 'rejected').map((e) => e.step)) === entered) {
    const assemblyOn = all.find((e) => e.step === 15)?.date ?? null;
    const admittedOn = entered === 'probationary' ? assemblyOn : null;
    const fullOn = entered === 'full' && assemblyOn ? probationEnd(ctx, assemblyOn) : null;
    const on = admittedOn ?? fullOn ?? input.doneOn;
    await w.tx.execute(sql`update people set stage = ${entered},
        admitted_on = ${admittedOn ? sql`${admittedOn}` : sql`admitted_on`}, full_on = ${fullOn ? sql`${fullOn}` : sql`full_on`},
        version = version + 1, updated_at = ${w.now} where id = ${personId}`);
    await changePeriod(w, personId, { orgId: person.org_id, stage: entered, state: person.state }, on, `发展党员：${stepTitle(input.step)}`);
    w.audit({ action: 'update', entity: 'person', entityId: personId, orgId: person.org_id, before: { stage: person.stage }, after: { stage: entered, admittedOn, fullOn } });
    w.touch('person', person.org_path);
    stage = entered;
  }
  const id = Number(row!.id);
  w.audit({
    action: 'create', entity: 'developmentStep', entityId: id, orgId: person.org_id,
    after: { personId, step: input.step, doneOn: input.doneOn, decision: input.decision ?? null, ruleSet, issues: issues.map((i) => i.ruleId), meetingId: input.meetingId ?? null },
  });
  w.touch('development', person.org_path);
  // approval deadlines sit on the approver's workbench (rules.ts): re-evaluate there too
  if (input.step >= 15) {
    const approver = await one<{ path: string }>(w.tx, sql`select path from orgs where tenant_id = ${w.tenantId} and approves_members and dissolved_on is null
      and ${person.org_path} like path || '%' and id <> ${person.org_id} order by depth desc limit 1`);
    if (approver) w.touch('development', approver.path);
  }
  return { id, issues, stage };
}
