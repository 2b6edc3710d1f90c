import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { one, rows, type Db } from '../../db/connection.js';
import { compareDates } from '../../domain/dates.js';
import { studyHoursOf, studyTarget, trainingDayMinutes } from '../../domain/orgLifeCounting.js';
import { ORG_LIFE_2018 } from '../../domain/orgLifeRules.js';
import { COMMITTEE_POSTS } from '../../domain/vocab.js';
import { invalid, notFound } from '../../platform/errors.js';
import { pathsSql } from '../../platform/findings.js';
import { assertPlainText } from '../../platform/sanitizer.js';
import { inScope, type Scope } from '../../platform/scope.js';
import type { WriteCtx } from '../../platform/write.js';
import type { studyPlanInput, studyRecordInput } from './contract.js';
import { settingsResolver } from './settings.js';

/**
 * Study hours (学时, DOMAIN.md §3.3–§3.4) per member per year: recorded self-study and training plus
 * attended study meetings by their duration; targets 32 (members) and 56 (secretaries and committee
 * members, anyone holding a committee post during the year) are settings; personal study plans.
 */
const STUDY_KINDS = ORG_LIFE_2018.constants.STUDY_KINDS.value;
const kindsSql = sql.join(STUDY_KINDS.map((k) => sql`${k}`), sql`, `);
const postsSql = sql.join(COMMITTEE_POSTS.map((p) => sql`${p}`), sql`, `);

export interface MemberStudy {
  personId: number;
  name: string;
  orgId: number;
  orgName: string;
  leader: boolean;
  recordMinutes: number;
  meetingMinutes: number;
  hours: number;
  target: number;
  met: boolean;
  plan: string | null;
}

/** Members of the subtree (or one person) with their study hours in `year`. */
export async function studyHours(db: Db, tenantId: number, paths: string[] | null, year: number, personId?: number): Promise<MemberStudy[]> {
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  const who = personId ? sql`p.id = ${personId}` : sql`${pathsSql('p.org_path', paths)} and p.stage in ('probationary','full') and p.state in ('active','lostContact')`;
  const r = await rows<{ id: number; name: string; org_id: number; org_name: string; org_path: string; leader: boolean; rec: number; mtg: number; plan: string | null }>(db,
    sql`select p.id, p.name, p.org_id, o.name as org_name, o.path as org_path,
          exists (select 1 from post_terms t where t.person_id = p.id and t.post in (${postsSql}) and t.valid_from <= ${to} and (t.valid_to is null or t.valid_to > ${from})) as leader,
          coalesce((select sum(s.minutes) from study_records s where s.person_id = p.id and s.studied_on between ${from} and ${to}), 0)::int as rec,
          coalesce((select sum(extract(epoch from (m.end_time::time - m.start_time::time)) / 60) from meeting_attendance a join meetings m on m.id = a.meeting_id
             where a.person_id = p.id and a.status = 'present' and m.counts_as_held and m.kind in (${kindsSql}) and m.held_on between ${from} and ${to}
               and m.start_time is not null and m.end_time is not null and m.end_time > m.start_time), 0)::int as mtg,
          (select plan from study_plans sp where sp.person_id = p.id and sp.year = ${year}) as plan
        from people p join orgs o on o.id = p.org_id where p.tenant_id = ${tenantId} and ${who} order by o.path, p.name, p.id limit 5000`);
  const resolve = await settingsResolver(db, tenantId);
  return r.map((x) => {
    const s = resolve(x.org_path);
    const hours = studyHoursOf(x.rec + x.mtg, s.minutesPerStudyHour);
    const target = studyTarget(x.leader, s);
    return { personId: Number(x.id), name: x.name, orgId: Number(x.org_id), orgName: x.org_name, leader: x.leader, recordMinutes: x.rec, meetingMinutes: x.mtg, hours, target, met: hours >= target, plan: x.plan };
  });
}

async function personIn(db: Db, scope: Scope, personId: number) {
  const p = await one<{ id: number; org_id: number; org_path: string; name: string }>(db, sql`select id, org_id, org_path, name from people where id = ${personId} and tenant_id = ${scope.tenantId}`);
  if (!p || !inScope(scope, p.org_path)) throw notFound('党员');
  return p;
}

export async function createStudyRecord(w: WriteCtx, scope: Scope, input: z.infer<typeof studyRecordInput>): Promise<{ id: number; minutes: number }> {
  const p = await personIn(w.tx, scope, input.personId);
  if (compareDates(input.studiedOn, w.today) > 0) throw invalid('学习日期不能晚于今天', { studiedOn: '学习日期不能晚于今天' });
  assertPlainText(input.title, '学习内容');
  const mph = (await settingsResolver(w.tx, scope.tenantId))(p.org_path).minutesPerStudyHour;
  const minutes = input.trainingDays ? trainingDayMinutes(input.trainingDays, mph) : input.minutes;
  if (!minutes) throw invalid('请填写学习时长（分钟）或培训天数', { minutes: '请填写学习时长' });
  const row = await one<{ id: number }>(w.tx, sql`insert into study_records (tenant_id, org_id, org_path, person_id, studied_on, minutes, source, title, created_at, updated_at)
    values (${w.tenantId}, ${p.org_id}, ${p.org_path}, ${p.id}, ${input.studiedOn}, ${minutes}, ${input.source}, ${input.title}, ${w.now}, ${w.now}) returning id`);
  const id = Number(row!.id);
  w.audit({ action: 'create', entity: 'studyRecord', entityId: id, orgId: Number(p.org_id), after: { personId: p.id, studiedOn: input.studiedOn, minutes, source: input.source, title: input.title } });
  w.touch('studyRecord', p.org_path);
  return { id, minutes };
}

export async function saveStudyPlan(w: WriteCtx, scope: Scope, input: z.infer<typeof studyPlanInput>): Promise<{ ok: true }> {
  const p = await personIn(w.tx, scope, input.personId);
  assertPlainText(input.plan, '学习计划');
  const before = await one<{ plan: string }>(w.tx, sql`select plan from study_plans where person_id = ${p.id} and year = ${input.year}`);
  await w.tx.execute(sql`insert into study_plans (tenant_id, person_id, year, plan, created_at, updated_at) values (${w.tenantId}, ${p.id}, ${input.year}, ${input.plan}, ${w.now}, ${w.now})
    on conflict (person_id, year) do update set plan = excluded.plan, version = study_plans.version + 1, updated_at = excluded.updated_at`);
  w.audit({ action: before ? 'update' : 'create', entity: 'studyPlan', entityId: `${p.id}:${input.year}`, orgId: Number(p.org_id), before: before ?? undefined, after: { year: input.year, plan: input.plan } });
  return { ok: true };
}

/** A member's own organizational life for a year: attendance, study hours and plan (self.read). */
export async function myOrgLife(db: Db, tenantId: number, personId: number, year: number) {
  const attendance = await rows<{ meeting_id: number; held_on: string; kind: string; topic: string; org_name: string; status: string }>(db,
    sql`select m.id as meeting_id, m.held_on, m.kind, m.topic, o.name as org_name, a.status from meeting_attendance a join meetings m on m.id = a.meeting_id join orgs o on o.id = m.org_id
        where a.person_id = ${personId} and m.tenant_id = ${tenantId} and m.held_on between ${`${year}-01-01`} and ${`${year}-12-31`} order by m.held_on desc`);
  const study = (await studyHours(db, tenantId, null, year, personId))[0] ?? null;
  const records = await rows<{ studied_on: string; minutes: number; source: string; title: string }>(db,
    sql`select studied_on, minutes, source, title from study_records where person_id = ${personId} and studied_on between ${`${year}-01-01`} and ${`${year}-12-31`} order by studied_on desc`);
  return {
    year,
    attendance: attendance.map((a) => ({ meetingId: Number(a.meeting_id), heldOn: a.held_on, kind: a.kind, topic: a.topic, orgName: a.org_name, status: a.status })),
    study,
    records: records.map((r) => ({ studiedOn: r.studied_on, minutes: r.minutes, source: r.source, title: r.title })),
  };
}
