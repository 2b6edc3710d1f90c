import { sql } from 'drizzle-orm';
import { one, rows } from '../../db/connection.js';
import type { DemoSeedContext } from '../../demo/demoHooks.js';
import { DEFAULT_LOCAL_DEVELOPMENT, checkTimeline, nextStep, type StepEntry } from '../../domain/development.js';
import { stageAfter, stepOf } from '../../domain/developmentSteps.js';
import { addDays, addMonths, addYears, compareDates, type IsoDate } from '../../domain/dates.js';
import { loadCalendarFor } from '../../platform/calendar.js';
import { ruleSetForNewRecord } from './load.js';

/**
 * Demo pipeline for branch1's branch (issue 14 §11), relative to the clock's today: two applicants
 * (one whose talk is overdue), two activists (one with a complete record ready to become a 发展对象,
 * one recently listed), a 发展对象 waiting for the assembly, and development records for the
 * branch's existing 预备党员 (so members.count and every other existing figure stay as they were:
 * the new people are applicants, activists and candidates, which no member figure counts). Each
 * timeline is checked with the domain rules before it is written; findings are computed afterwards.
 */
interface DemoPerson {
  name: string;
  gender: 'male' | 'female';
  birth: IsoDate;
  entries: StepEntry[];
}

const months = (today: IsoDate, k: number) => addMonths(today, -k);

function plan(today: IsoDate, contacts: number[], introducers: number[]): DemoPerson[] {
  const c = contacts.map((id) => ({ personId: id, name: '', eligible: true }));
  const applicantFresh: StepEntry[] = [{ step: 1, date: addDays(today, -10) }];
  const applicantLate: StepEntry[] = [{ step: 1, date: addDays(today, -45) }];
  // activist since 13 months: steps 1–5, reviews each ~5 months — ready for step 7
  const a3 = months(today, 13);
  const activistReady: StepEntry[] = [
    { step: 1, date: addMonths(a3, -5) }, { step: 2, date: addDays(addMonths(a3, -5), 12) }, { step: 3, date: a3 }, { step: 4, date: addDays(a3, 7) },
    { step: 5, date: addDays(a3, 10), contactPersons: c.slice(0, 2) }, { step: 6, date: addMonths(a3, 5) }, { step: 6, date: addMonths(a3, 10) },
  ];
  const b3 = months(today, 4);
  const activistNew: StepEntry[] = [
    { step: 1, date: months(today, 9) }, { step: 2, date: addDays(months(today, 9), 20) }, { step: 3, date: b3 }, { step: 4, date: addDays(b3, 5) },
    { step: 5, date: addDays(b3, 6), contactPersons: c.slice(0, 1) },
  ];
  // 发展对象 since 4 months, through the 入党志愿书: waiting for the branch assembly
  const d3 = months(today, 16);
  const d7 = addYears(d3, 1);
  const candidate: StepEntry[] = [
    { step: 1, date: addMonths(d3, -4) }, { step: 2, date: addDays(addMonths(d3, -4), 15) }, { step: 3, date: d3 }, { step: 4, date: addDays(d3, 5) },
    { step: 5, date: addDays(d3, 6), contactPersons: c.slice(1, 2) }, { step: 6, date: addMonths(d3, 5) }, { step: 6, date: addMonths(d3, 11) },
    { step: 7, date: d7 }, { step: 8, date: addDays(d7, 5) }, { step: 9, date: addDays(d7, 10), introducers: introducers.map((id) => ({ personId: id, name: '', eligible: true })) },
    { step: 10, date: addDays(d7, 25), decision: 'approved' }, { step: 11, date: addDays(d7, 35), trainingDays: 3 }, { step: 12, date: addDays(d7, 40) },
    { step: 13, date: addDays(d7, 45) }, { step: 14, date: addDays(d7, 50) },
  ];
  return [
    { name: '赵晓雯', gender: 'female', birth: '1998-04-12', entries: applicantFresh },
    { name: '钱志强', gender: 'male', birth: '1995-09-03', entries: applicantLate },
    { name: '孙丽娜', gender: 'female', birth: '1996-02-29', entries: activistReady },
    { name: '李海涛', gender: 'male', birth: '1993-11-21', entries: activistNew },
    { name: '周雨欣', gender: 'female', birth: '1999-07-08', entries: candidate },
  ];
}

/** A probationary member's record, backwards from the admission assembly (admittedOn). */
function probationaryPlan(admittedOn: IsoDate, today: IsoDate, contacts: number[], introducers: number[]): StepEntry[] {
  const d15 = admittedOn;
  const d7 = addMonths(d15, -4);
  const d3 = addYears(d7, -1);
  const people = (ids: number[]) => ids.map((id) => ({ personId: id, name: '', eligible: true }));
  const e: StepEntry[] = [
    { step: 1, date: addMonths(d3, -3) }, { step: 2, date: addDays(addMonths(d3, -3), 14) }, { step: 3, date: d3 }, { step: 4, date: addDays(d3, 4) },
    { step: 5, date: addDays(d3, 5), contactPersons: people(contacts.slice(0, 1)) }, { step: 6, date: addMonths(d3, 5) }, { step: 6, date: addMonths(d3, 11) },
    { step: 7, date: d7 }, { step: 8, date: addDays(d7, 4) }, { step: 9, date: addDays(d7, 8), introducers: people(introducers) }, { step: 10, date: addDays(d7, 30), decision: 'approved' },
    { step: 11, date: addDays(d7, 45), trainingDays: 3 }, { step: 12, date: addDays(d7, 60) }, { step: 13, date: addDays(d15, -20) }, { step: 14, date: addDays(d15, -10) },
    // entered from the paper file (据纸质档案补录): the assembly predates the demo's meeting history, so no meeting is linked
    { step: 15, date: d15, vote: { heldOn: d15, passed: true } }, { step: 16, date: addDays(d15, 5) }, { step: 17, date: addDays(d15, 10) }, { step: 18, date: addDays(d15, 12) },
    { step: 19, date: addDays(d15, 12) }, { step: 20, date: addDays(d15, 15) },
  ];
  for (let k = 3; compareDates(addMonths(d15, k), today) <= 0 && k < 12; k += 3) e.push({ step: 21, date: addMonths(d15, k) });
  return e;
}

export async function seedDevelopmentDemo(s: DemoSeedContext): Promise<void> {
  const { tx, ins, today, nowIso } = s;
  const branchId = ins.orgIds.get(s.fixtures.branch1)!;
  const branch = (await one<{ path: string }>(tx, sql`select path from orgs where id = ${branchId}`))!;
  const full = s.ds.people.filter((p) => p.orgKey === s.fixtures.branch1 && p.stage === 'full').map((p) => ins.personIds.get(p.key)!);
  const contacts = full.slice(3, 5);
  const introducers = full.slice(5, 7);
  const calendar = await loadCalendarFor(tx, today, addYears(today, -1), addYears(today, -2));
  const insertRecord = async (personId: number, birth: IsoDate, entries: StepEntry[], withStages: boolean, name: string) => {
    const ruleSet = ruleSetForNewRecord('auto', entries[0].date);
    const issues = checkTimeline({ rules: ruleSet, birthDate: birth, calendar, local: DEFAULT_LOCAL_DEVELOPMENT }, entries).filter((i) => i.kind === 'refusal');
    if (issues.length > 0) throw new Error(`demo development timeline of ${name} breaks a rule: ${issues[0].message}`);
    const steps = entries.filter((e) => !stepOf(e.step).repeatable).map((e) => e.step);
    const rec = (await one<{ id: number }>(tx, sql`insert into development_records (tenant_id, person_id, org_id, org_path, rule_set, current_step, next_step, contact_person_ids, introducer_ids, created_at, updated_at)
      values (${ins.tenantId}, ${personId}, ${branchId}, ${branch.path}, ${ruleSet.id}, ${Math.max(...steps)}, ${nextStep(entries)},
        ${sql`${`{${(entries.find((e) => e.step === 5)?.contactPersons ?? []).map((p) => p.personId).join(',')}}`}::int[]`},
        ${sql`${`{${(entries.find((e) => e.step === 9)?.introducers ?? []).map((p) => p.personId).join(',')}}`}::int[]`}, ${nowIso}, ${nowIso}) returning id`))!.id;
    for (const e of entries) {
      const details: Record<string, unknown> = {};
      if (e.trainingDays) details.trainingDays = e.trainingDays;
      await tx.execute(sql`insert into development_steps (tenant_id, record_id, person_id, org_id, org_path, step, done_on, actor_name, decision, documents, details, rule_set, note, created_at, updated_at)
        values (${ins.tenantId}, ${rec}, ${personId}, ${branchId}, ${branch.path}, ${e.step}, ${e.date}, ${stepOf(e.step).byCommittee ? '街道党工委组织委员' : '支部书记'}, ${e.decision ?? null},
          ${sql`${`{${stepOf(e.step).documents.map((d) => JSON.stringify(d)).join(',')}}`}::text[]`}, ${JSON.stringify(details)}::jsonb, ${ruleSet.id},
          ${e.vote ? '据纸质档案补录，未关联会议记录' : null}, ${nowIso}, ${nowIso})`);
    }
    if (!withStages) return;
    // the registry's effective-dated stages follow the steps that entered them
    const changes = entries.filter((e) => stepOf(e.step).entersStage).sort((a, b) => compareDates(a.date, b.date));
    for (let i = 0; i < changes.length; i += 1) {
      await tx.execute(sql`insert into membership_periods (tenant_id, person_id, org_id, stage, state, valid_from, valid_to, reason, created_at, updated_at)
        values (${ins.tenantId}, ${personId}, ${branchId}, ${stepOf(changes[i].step).entersStage!}, 'active', ${changes[i].date}, ${changes[i + 1]?.date ?? null}, '发展党员', ${nowIso}, ${nowIso})`);
    }
  };
  for (const p of plan(today, contacts, introducers)) {
    const stage = stageAfter(p.entries.map((e) => e.step))!;
    const id = (await one<{ id: number }>(tx, sql`insert into people (tenant_id, org_id, org_path, name, gender, ethnicity, birth_date, education, occupation, stage, state, created_at, updated_at)
      values (${ins.tenantId}, ${branchId}, ${branch.path}, ${p.name}, ${p.gender}, '汉族', ${p.birth}, 'bachelor', 'other', ${stage}, 'active', ${nowIso}, ${nowIso}) returning id`))!.id;
    await insertRecord(Number(id), p.birth, p.entries, true, p.name);
  }
  const probationary = await rows<{ id: number; name: string; birth_date: string; admitted_on: string }>(tx, sql`select id, name, birth_date::text as birth_date, admitted_on::text as admitted_on
    from people where org_id = ${branchId} and stage = 'probationary' and admitted_on is not null order by id`);
  for (const p of probationary) {
    await insertRecord(Number(p.id), p.birth_date, probationaryPlan(p.admitted_on, today, contacts, introducers), false, p.name);
  }
}
