import { sql } from 'drizzle-orm';
import { one, rows, type Db } from '../../db/connection.js';
import { openDeadlines } from '../../domain/development.js';
import { stepOf } from '../../domain/developmentSteps.js';
import { addYears } from '../../domain/dates.js';
import { loadCalendarFor } from '../../platform/calendar.js';
import { notFound } from '../../platform/errors.js';
import { pathPredicate, type Scope } from '../../platform/scope.js';
import type { BoardItem, IssueView, RecordView } from './contract.js';
import { checkContext, developmentRuleSet, nextStepView, ruleSetForNewRecord, stepRowsByRecord, toEntry } from './load.js';
import { personInScope, recordOf } from './service.js';
import { developmentSettingsResolver } from './settings.js';

/**
 * The pipeline board: every applicant, activist, candidate and probationary member in the scope, with
 * or without a development record (imported people have none until their first step is recorded),
 * each with the next step, its deadline and the documents it needs.
 */
export async function pipelineBoard(db: Db, scope: Scope, today: string): Promise<BoardItem[]> {
  const list = await rows<{ person_id: number; name: string; gender: string; org_id: number; org_name: string; org_path: string; stage: string; birth_date: string;
    record_id: number | null; rule_set: string | null; current_step: number | null }>(db, sql`
    select p.id as person_id, p.name, p.gender, p.org_id, o.name as org_name, p.org_path, p.stage, p.birth_date::text as birth_date, r.id as record_id, r.rule_set, r.current_step
    from people p join orgs o on o.id = p.org_id left join development_records r on r.person_id = p.id
    where p.tenant_id = ${scope.tenantId} and ${pathPredicate(sql`p.org_path`, scope)} and p.state = 'active'
      and (p.stage in ('applicant','activist','candidate') or (p.stage = 'probationary'))
    order by p.org_path, array_position(array['applicant','activist','candidate','probationary'], p.stage::text), p.name, p.id`);
  const steps = await stepRowsByRecord(db, scope.tenantId, scope.paths, list.filter((r) => r.record_id).map((r) => Number(r.record_id)));
  const resolve = await developmentSettingsResolver(db, scope.tenantId);
  const calendar = await loadCalendarFor(db, today, addYears(today, -1));
  return list.map((r) => {
    const rows_ = r.record_id ? steps.get(Number(r.record_id)) ?? [] : [];
    const entries = rows_.map(toEntry);
    const settings = resolve(r.org_path);
    const ruleSet = r.rule_set ?? ruleSetForNewRecord(settings.defaultRuleSet, today).id;
    const ctx = checkContext(ruleSet, r.birth_date, calendar, settings);
    const current = Number(r.current_step ?? 0);
    const last = rows_.filter((x) => Number(x.step) === current).at(-1);
    return {
      personId: Number(r.person_id), name: r.name, gender: r.gender, orgId: Number(r.org_id), orgName: r.org_name, stage: r.stage, ruleSet,
      currentStep: current, currentLabel: current > 0 ? stepOf(current).label : '尚无发展记录', lastDoneOn: last?.done_on ?? '',
      next: nextStepView(ctx, entries),
      flags: rows_.reduce((n, s) => n + (s.issues ?? []).filter((i) => i.kind === 'flag').length, 0),
    };
  });
}

/** One person's development record with every step entry, its documents and the rules it raised. */
export async function recordDetail(db: Db, scope: Scope, personId: number, today: string): Promise<RecordView> {
  const p = await personInScope(db, scope, personId);
  if (!['applicant', 'activist', 'candidate', 'probationary', 'full'].includes(p.stage)) throw notFound('发展党员记录');
  const org = await one<{ name: string }>(db, sql`select name from orgs where id = ${p.org_id}`);
  const record = await recordOf(db, personId);
  const resolve = await developmentSettingsResolver(db, scope.tenantId);
  const settings = resolve(p.org_path);
  const ruleSet = record?.rule_set ?? ruleSetForNewRecord(settings.defaultRuleSet, today).id;
  const list = record ? (await stepRowsByRecord(db, scope.tenantId, null, [record.id])).get(record.id) ?? [] : [];
  const full = record ? await rows<{ id: number; step: number; actor_name: string; documents: string[]; attachment_ids: number[]; meeting_id: number | null; note: string | null }>(db,
    sql`select id, step, actor_name, documents, attachment_ids, meeting_id, note from development_steps where record_id = ${record.id}`) : [];
  const extra = new Map(full.map((f) => [Number(f.id), f]));
  const entries = list.map(toEntry);
  const ctx = checkContext(ruleSet, p.birth_date, await loadCalendarFor(db, today), settings);
  const names = async (ids: number[]) => ids.length === 0 ? [] : (await rows<{ id: number; name: string }>(db,
    sql`select id, name from people where tenant_id = ${scope.tenantId} and id in (${sql.join(ids.map((i) => sql`${i}`), sql`, `)}) order by array_position(${sql`${`{${ids.join(',')}}`}::int[]`}, id)`))
    .map((x) => ({ id: Number(x.id), name: x.name }));
  return {
    id: record ? Number(record.id) : 0, personId, name: p.name, orgId: Number(p.org_id), orgName: org?.name ?? '', stage: p.stage, birthDate: p.birth_date,
    ruleSet, ruleSetTitle: developmentRuleSet(ruleSet).title, frontLine: record?.front_line ?? false,
    contactPersons: await names((record?.contact_person_ids ?? []).map(Number)), introducers: await names((record?.introducer_ids ?? []).map(Number)),
    steps: list.map((s) => {
      const x = extra.get(Number(s.id));
      return {
        id: Number(s.id), step: Number(s.step), label: stepOf(Number(s.step)).label, doneOn: s.done_on, actorName: x?.actor_name ?? '', decision: s.decision,
        documents: x?.documents ?? [], requiredDocuments: stepOf(Number(s.step)).documents, attachmentIds: (x?.attachment_ids ?? []).map(Number),
        meetingId: x?.meeting_id ? Number(x.meeting_id) : null, details: s.details ?? {}, issues: (s.issues ?? []) as IssueView[], note: x?.note ?? null,
      };
    }),
    next: nextStepView(ctx, entries),
    deadlines: openDeadlines(ctx, entries).map((d) => ({ step: d.step, dueOn: d.dueOn, what: d.what, ruleId: d.ruleId })),
    version: record?.version ?? 0,
  };
}
