import { sql } from 'drizzle-orm';
import { one, rows, type Db } from '../../db/connection.js';
import { compareDates, parseIso, todayInShanghai } from '../../domain/dates.js';
import { assemblyQuorum, committeeMajority, type QuorumResult } from '../../domain/orgLifeCounting.js';
import { ORG_LIFE_2018, YEARLY_KINDS, allowedForYears, isLateEntry, meetingKindLabel } from '../../domain/orgLifeRules.js';
import { evaluateVote, tallyRollCall } from '../../domain/votes.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { assertPlainText, sanitizeHtml } from '../../platform/sanitizer.js';
import { pathPredicate, requireAllInScope, type Scope } from '../../platform/scope.js';
import type { WriteCtx } from '../../platform/write.js';
import type { MeetingInput, MeetingUpdate } from './contract.js';
import { expectedAttendees, meetingRow, orgOf, type OrgRow } from './meetingQueries.js';
import { orgLifeSettingsFor } from './settings.js';

/**
 * Recording a meeting (issue 4 §1; DOMAIN.md §3.3–§3.4) as one command in the caller's write
 * transaction: the attendance list defaults to who should attend on the date held; a 党员大会 below
 * quorum is stored but marked not valid for decisions, with the reason; a 支委会 without more than half
 * of the committee present is stored but does not count as held; entries made more than 30 days after
 * the meeting are marked 补录. The write touches `meeting`, so the finding rules re-run before commit
 * and the answer already reflects a resolved obligation.
 */
export interface PreparedMeeting {
  org: OrgRow;
  kinds: string[];
  alsoCountsAs: string[];
  forYear: number | null;
  attendance: { personId: number; status: string; leaveReason: string | null; voting: boolean }[];
  quorum: QuorumResult | null;
  majority: QuorumResult | null;
  countsAsHeld: boolean;
  validForDecisions: boolean;
  invalidReason: string | null;
  votes: (MeetingInput['votes'][number] & { result: { quorum: boolean; passed: boolean | null; reason: string } })[];
  minutesHtml: string | null;
}

/** Validate and derive everything a meeting record stores; throws a Chinese validation error. */
export async function prepareMeeting(db: Db, scope: Scope, input: MeetingInput, today: string): Promise<PreparedMeeting> {
  const org = await orgOf(db, scope, input.orgId);
  if (compareDates(input.heldOn, today) > 0) throw invalid('召开日期不能晚于今天', { heldOn: '召开日期不能晚于今天' });
  for (const [k, v] of Object.entries({ 主题: input.topic, 地点: input.place, 决定事项: input.decisions, 授课人: input.lecturer, 党课题目: input.lectureTitle, 主题党日主题: input.theme })) {
    if (v) assertPlainText(v, k);
  }
  if (input.startTime && input.endTime && input.endTime <= input.startTime) throw invalid('结束时间应晚于开始时间', { endTime: '结束时间应晚于开始时间' });
  const alsoCountsAs = [...new Set(input.alsoCountsAs)].filter((k) => k !== input.kind);
  if (alsoCountsAs.includes('committeeMeeting')) throw invalid('支委会不能作为其他会议的“同时计为”类型，请单独记录', { alsoCountsAs: '支委会须单独记录' });
  const kinds = [input.kind, ...alsoCountsAs];
  let forYear: number | null = null;
  if (kinds.some((k) => YEARLY_KINDS.includes(k as never))) {
    const allowed = allowedForYears(input.heldOn);
    forYear = input.forYear ?? allowed[0];
    if (!allowed.includes(forYear)) {
      throw invalid(`所属年度应为 ${allowed.join(' 或 ')} 年（1—3月召开的可计入上一年度）`, { forYear: '所属年度不正确' });
    }
  }
  const s = await orgLifeSettingsFor(db, scope.tenantId, org.path);
  const expected = await expectedAttendees(db, scope.tenantId, org, input.kind === 'groupMeeting' ? 'groupMeeting' : input.kind, input.heldOn);
  const given = input.attendance ?? expected.map((e) => ({ personId: e.personId, status: 'present' as const, leaveReason: null }));
  const ids = given.map((a) => a.personId);
  if (new Set(ids).size !== ids.length) throw invalid('出勤名单中有重复人员', { attendance: '出勤名单中有重复人员' });
  await requireAllInScope(db, scope, 'people', ids);
  for (const a of given) if (a.leaveReason) assertPlainText(a.leaveReason, '请假事由');
  // Every person named in the body (host, recorder, a vote's subject) must exist and lie in scope (finding 15).
  const persons = [input.hostPersonId, input.recorderPersonId, ...input.votes.map((v) => v.subjectPersonId)].filter((x): x is number => !!x);
  await requireAllInScope(db, scope, 'people', [...new Set(persons)]);
  // voting: a full member whose formal relation is with the org on the day (probationary members have none)
  const votingIds = new Set(ids.length ? (await rows<{ person_id: number }>(db, sql`select person_id from membership_periods
      where org_id = ${org.id} and stage = 'full' and state in ('active','lostContact') and valid_from <= ${input.heldOn} and (valid_to is null or valid_to > ${input.heldOn})
        and person_id in (${sql.join(ids.map((i) => sql`${i}`), sql`, `)})`)).map((r) => Number(r.person_id)) : []);
  const attendance = given.map((a) => ({ personId: a.personId, status: a.status, leaveReason: a.status === 'onLeave' ? (a.leaveReason ?? null) : null, voting: votingIds.has(a.personId) }));
  const present = new Set(attendance.filter((a) => a.status === 'present').map((a) => a.personId));

  let quorum: QuorumResult | null = null;
  let majority: QuorumResult | null = null;
  let countsAsHeld = true;
  let validForDecisions = true;
  let invalidReason: string | null = null;
  if (kinds.includes('memberAssembly')) {
    const voters = (input.kind === 'memberAssembly' ? expected : await expectedAttendees(db, scope.tenantId, org, 'memberAssembly', input.heldOn)).filter((e) => e.voting);
    quorum = assemblyQuorum(voters.length, voters.filter((v) => present.has(v.personId)).length, s.exactlyHalfIsQuorum);
    if (!quorum.met) {
      validForDecisions = false;
      invalidReason = quorum.reason;
    }
  }
  if (input.kind === 'committeeMeeting') {
    majority = committeeMajority(expected.length, expected.filter((e) => present.has(e.personId)).length, s.exactlyHalfIsQuorum);
    if (!majority.met) {
      countsAsHeld = false;
      validForDecisions = false;
      invalidReason = majority.reason;
    }
  }
  if (input.votes.length && !kinds.includes('memberAssembly')) throw invalid('只有党员大会可以记录表决', { votes: '只有党员大会可以记录表决' });
  const votes = input.votes.map((v0, i) => {
    let v = { ...v0, ballots: v0.ballots ?? null };
    if (v.ballots) {
      // roll call: the counts come from who voted how, checked against the attendance just prepared
      const names = new Map(expected.map((e) => [e.personId, e.name]));
      const t = tallyRollCall(v.ballots, attendance.map((a) => ({ personId: a.personId, name: names.get(a.personId), present: a.status === 'present', voting: a.voting })));
      if (t.problems.length) throw invalid(`逐人表决有误：${t.problems.join('；')}`, { [`votes.${i}.ballots`]: t.problems.join('；') });
      const entered = v0.yes + v0.no + v0.abstain + v0.writtenYes;
      if (entered > 0 && (v0.yes !== t.yes || v0.no !== t.no || v0.abstain !== t.abstain || v0.writtenYes !== t.writtenYes)) {
        const msg = `填写的票数与逐人表决结果不一致（逐人表决：赞成${t.yes}、反对${t.no}、弃权${t.abstain}、书面赞成${t.writtenYes}）`;
        throw invalid(msg, { [`votes.${i}`]: msg });
      }
      v = { ...v, yes: t.yes, no: t.no, abstain: t.abstain, writtenYes: t.writtenYes };
    }
    try {
      const r = evaluateVote({
        shouldAttendVoting: quorum!.should, presentVoting: quorum!.present, yes: v.yes, no: v.no, abstain: v.abstain, writtenYes: v.writtenYes,
        exactlyHalfIsQuorum: s.exactlyHalfIsQuorum,
      });
      return { ...v, result: { quorum: r.quorum, passed: r.passed, reason: r.reason } };
    } catch (e) {
      throw invalid((e as Error).message, { [`votes.${i}`]: (e as Error).message });
    }
  });
  if (input.attachmentIds.length) {
    const n = await one<{ n: number }>(db, sql`select count(*)::int as n from attachments where tenant_id = ${scope.tenantId}
      and id in (${sql.join(input.attachmentIds.map((x) => sql`${x}`), sql`, `)}) and ${pathPredicate(sql`org_path`, scope)}`);
    if ((n?.n ?? 0) !== new Set(input.attachmentIds).size) throw notFound('附件');
  }
  const minutesHtml = input.minutesHtml ? sanitizeHtml(input.minutesHtml) || null : null;
  return { org, kinds, alsoCountsAs, forYear, attendance, quorum, majority, countsAsHeld, validForDecisions, invalidReason, votes, minutesHtml };
}

const intArray = (a: number[]) => sql`${`{${a.join(',')}}`}::int[]`;
const textArray = (a: string[]) => sql`${`{${a.map((t) => JSON.stringify(t)).join(',')}}`}::text[]`;

async function insertChildren(w: WriteCtx, meetingId: number, orgId: number, p: PreparedMeeting, input: MeetingInput) {
  if (p.attendance.length) {
    await w.tx.execute(sql`insert into meeting_attendance (tenant_id, org_id, meeting_id, person_id, status, leave_reason, voting, created_at, updated_at) values ${sql.join(
      p.attendance.map((a) => sql`(${w.tenantId}, ${orgId}, ${meetingId}, ${a.personId}, ${a.status}, ${a.leaveReason}, ${a.voting}, ${w.now}, ${w.now})`), sql`, `)}`);
  }
  for (const g of input.guests) {
    await w.tx.execute(sql`insert into meeting_guests (tenant_id, meeting_id, name, unit_or_role, created_at, updated_at) values (${w.tenantId}, ${meetingId}, ${g.name}, ${g.unitOrRole ?? null}, ${w.now}, ${w.now})`);
  }
  for (const v of p.votes) {
    await w.tx.execute(sql`insert into meeting_votes (tenant_id, meeting_id, subject, subject_person_id, yes, no, abstain, written_yes, ballots, result, created_at, updated_at)
      values (${w.tenantId}, ${meetingId}, ${v.subject}, ${v.subjectPersonId ?? null}, ${v.yes}, ${v.no}, ${v.abstain}, ${v.writtenYes}, ${v.ballots ? JSON.stringify(v.ballots) : null}::jsonb, ${JSON.stringify(v.result)}::jsonb, ${w.now}, ${w.now})`);
  }
}

const quorumJson = (p: PreparedMeeting) => (p.quorum || p.majority ? JSON.stringify({ assembly: p.quorum, committee: p.majority }) : null);

function auditAfter(input: MeetingInput, p: PreparedMeeting, lateEntry: boolean) {
  return {
    orgId: p.org.id, kind: input.kind, alsoCountsAs: p.alsoCountsAs, heldOn: input.heldOn, topic: input.topic, forYear: p.forYear, lateEntry,
    countsAsHeld: p.countsAsHeld, validForDecisions: p.validForDecisions, invalidReason: p.invalidReason,
    present: p.attendance.filter((a) => a.status === 'present').length, shouldAttend: p.attendance.length, votes: p.votes.length,
  };
}

export interface MeetingSaved {
  id: number;
  lateEntry: boolean;
  countsAsHeld: boolean;
  validForDecisions: boolean;
  invalidReason: string | null;
  message: string;
}

function savedMessage(kind: string, p: PreparedMeeting, lateEntry: boolean): string {
  const parts = [`已保存${meetingKindLabel(kind)}记录`];
  if (lateEntry) parts.push('（补录）');
  if (!p.countsAsHeld) parts.push(`；${p.invalidReason}`);
  else if (!p.validForDecisions) parts.push(`；${p.invalidReason}`);
  return parts.join('');
}

export async function createMeeting(w: WriteCtx, scope: Scope, input: MeetingInput): Promise<MeetingSaved> {
  const p = await prepareMeeting(w.tx, scope, input, w.today);
  const lateEntry = isLateEntry(input.heldOn, w.today);
  const row = await one<{ id: number }>(w.tx, sql`insert into meetings (tenant_id, org_id, org_path, kind, also_counts_as, held_on, start_time, end_time, place,
      host_person_id, recorder_person_id, topic, agenda, minutes_html, decisions, lecturer, lecture_title, theme, for_year, entered_at, late_entry,
      counts_as_held, valid_for_decisions, invalid_reason, quorum, rule_set, attachment_ids, created_at, updated_at)
    values (${w.tenantId}, ${p.org.id}, ${p.org.path}, ${input.kind}, ${textArray(p.alsoCountsAs)}, ${input.heldOn}, ${input.startTime ?? null}, ${input.endTime ?? null},
      ${input.place ?? null}, ${input.hostPersonId ?? null}, ${input.recorderPersonId ?? null}, ${input.topic}, ${JSON.stringify(input.agenda)}::jsonb, ${p.minutesHtml},
      ${input.decisions ?? null}, ${input.lecturer ?? null}, ${input.lectureTitle ?? null}, ${input.theme ?? null}, ${p.forYear}, ${w.now}, ${lateEntry},
      ${p.countsAsHeld}, ${p.validForDecisions}, ${p.invalidReason}, ${quorumJson(p)}::jsonb, ${ORG_LIFE_2018.id}, ${intArray(input.attachmentIds)}, ${w.now}, ${w.now})
    returning id`);
  const id = Number(row!.id);
  await insertChildren(w, id, p.org.id, p, input);
  w.audit({ action: 'create', entity: 'meeting', entityId: id, orgId: p.org.id, after: auditAfter(input, p, lateEntry) });
  touchMeeting(w, p.org);
  return { id, lateEntry, countsAsHeld: p.countsAsHeld, validForDecisions: p.validForDecisions, invalidReason: p.invalidReason, message: savedMessage(input.kind, p, lateEntry) };
}

/** Replace a meeting record (optimistic: the version must match). The entry time stays the first one. */
export async function updateMeeting(w: WriteCtx, scope: Scope, id: number, input: MeetingUpdate): Promise<MeetingSaved> {
  const cur = await meetingRow(w.tx, scope, id, true);
  if (Number(cur.version) !== input.version) throw conflict('该会议记录已被他人修改，请刷新后重试');
  const p = await prepareMeeting(w.tx, scope, input, w.today);
  const lateEntry = isLateEntry(input.heldOn, todayInShanghai(new Date(cur.entered_at)));
  await w.tx.execute(sql`delete from meeting_attendance where meeting_id = ${id}`);
  await w.tx.execute(sql`delete from meeting_guests where meeting_id = ${id}`);
  await w.tx.execute(sql`delete from meeting_votes where meeting_id = ${id}`);
  await w.tx.execute(sql`update meetings set org_id = ${p.org.id}, org_path = ${p.org.path}, kind = ${input.kind}, also_counts_as = ${textArray(p.alsoCountsAs)},
      held_on = ${input.heldOn}, start_time = ${input.startTime ?? null}, end_time = ${input.endTime ?? null}, place = ${input.place ?? null},
      host_person_id = ${input.hostPersonId ?? null}, recorder_person_id = ${input.recorderPersonId ?? null}, topic = ${input.topic},
      agenda = ${JSON.stringify(input.agenda)}::jsonb, minutes_html = ${p.minutesHtml}, decisions = ${input.decisions ?? null}, lecturer = ${input.lecturer ?? null},
      lecture_title = ${input.lectureTitle ?? null}, theme = ${input.theme ?? null}, for_year = ${p.forYear}, late_entry = ${lateEntry},
      counts_as_held = ${p.countsAsHeld}, valid_for_decisions = ${p.validForDecisions}, invalid_reason = ${p.invalidReason}, quorum = ${quorumJson(p)}::jsonb,
      attachment_ids = ${intArray(input.attachmentIds)}, version = version + 1, updated_at = ${w.now}
    where id = ${id}`);
  await insertChildren(w, id, p.org.id, p, input);
  w.audit({ action: 'update', entity: 'meeting', entityId: id, orgId: p.org.id, before: { orgId: Number(cur.org_id), kind: cur.kind, heldOn: cur.held_on, topic: cur.topic }, after: auditAfter(input, p, lateEntry) });
  if (cur.org_path !== p.org.path) touchMeeting(w, { path: cur.org_path, kind: '' });
  touchMeeting(w, p.org);
  return { id, lateEntry, countsAsHeld: p.countsAsHeld, validForDecisions: p.validForDecisions, invalidReason: p.invalidReason, message: savedMessage(input.kind, p, lateEntry) };
}

/**
 * Re-run the rules over the meeting's org; a party group's meetings also change its branch members'
 * absence runs, so the branch (the group's parent) is touched instead.
 */
export function touchMeeting(w: WriteCtx, org: { path: string; kind: string }) {
  const path = org.kind === 'partyGroup' ? org.path.replace(/\d+\/$/, '') : org.path;
  w.touch('meeting', path);
  w.touch('meetingAttendance', path);
}

/** The year of a date, for forYear defaults elsewhere. */
export const yearOf = (d: string) => parseIso(d).y;
