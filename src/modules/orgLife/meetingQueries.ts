import { sql } from 'drizzle-orm';
import { one, rows, type Db } from '../../db/connection.js';
import { COMMITTEE_POSTS } from '../../domain/vocab.js';
import { notFound } from '../../platform/errors.js';
import { inScope, narrowToOrg, pathPredicate, type Scope } from '../../platform/scope.js';
import { pgTextArray } from './compliance.js';
import type { ExpectedPerson, MeetingDetail, MeetingListItem } from './contract.js';

/**
 * Reading meetings, and "who should attend on date D" (DOMAIN.md §3.4) from the effective-dated
 * membership periods and post terms: a committee meeting, the holders of committee posts on that date;
 * a group meeting, that group's members; other kinds, members whose formal relation is with the org on
 * that date. Suspended and departed members never appear.
 */
const committeePosts = sql.join(COMMITTEE_POSTS.map((p) => sql`${p}`), sql`, `);
const validOn = (alias: string, d: string) => sql`${sql.raw(alias)}.valid_from <= ${d} and (${sql.raw(alias)}.valid_to is null or ${sql.raw(alias)}.valid_to > ${d})`;

export interface OrgRow { id: number; path: string; name: string; kind: string; parent_id: number | null }

export async function orgOf(db: Db, scope: Scope, orgId: number): Promise<OrgRow> {
  const o = await one<OrgRow>(db, sql`select id, path, name, kind, parent_id from orgs where id = ${orgId} and tenant_id = ${scope.tenantId}`);
  if (!o || !inScope(scope, o.path)) throw notFound('党组织');
  return { ...o, id: Number(o.id) };
}

export async function expectedAttendees(db: Db, tenantId: number, org: OrgRow, kind: string, date: string): Promise<ExpectedPerson[]> {
  const committeeOf = sql`exists (select 1 from post_terms t where t.person_id = p.id and t.org_id = ${org.id} and t.post in (${committeePosts}) and ${validOn('t', date)})`;
  let r: { id: number; name: string; stage: string | null; voting: boolean; committee: boolean }[];
  if (kind === 'committeeMeeting') {
    r = await rows(db, sql`select p.id, p.name, m.stage, coalesce(m.stage = 'full' and m.org_id = ${org.id}, false) as voting, true as committee
        from people p left join membership_periods m on m.person_id = p.id and ${validOn('m', date)}
        where p.tenant_id = ${tenantId} and ${committeeOf} order by p.name, p.id`);
  } else if (kind === 'groupMeeting' && org.kind === 'partyGroup') {
    r = await rows(db, sql`select p.id, p.name, m.stage, m.stage = 'full' as voting, false as committee
        from people p join membership_periods m on m.person_id = p.id and ${validOn('m', date)}
        where p.tenant_id = ${tenantId} and p.group_id = ${org.id} and m.stage in ('probationary','full') and m.state in ('active','lostContact')
        order by p.name, p.id`);
  } else {
    r = await rows(db, sql`select p.id, p.name, m.stage, m.stage = 'full' as voting, ${committeeOf} as committee
        from membership_periods m join people p on p.id = m.person_id
        where m.tenant_id = ${tenantId} and m.org_id = ${org.id} and ${validOn('m', date)} and m.stage in ('probationary','full') and m.state in ('active','lostContact')
        order by p.name, p.id`);
  }
  const seen = new Set<number>();
  return r.filter((x) => !seen.has(Number(x.id)) && seen.add(Number(x.id)))
    .map((x) => ({ personId: Number(x.id), name: x.name, stage: x.stage ?? '', voting: !!x.voting, committee: !!x.committee }));
}

const LIST_COLS = sql`m.id, m.org_id, o.name as org_name, m.kind, m.also_counts_as, m.held_on, m.topic, m.late_entry, m.counts_as_held, m.valid_for_decisions, m.invalid_reason,
  (select count(*)::int from meeting_attendance a where a.meeting_id = m.id and a.status = 'present') as present,
  (select count(*)::int from meeting_attendance a where a.meeting_id = m.id) as should_attend`;

type ListRow = { id: number; org_id: number; org_name: string; kind: string; also_counts_as: string[] | string; held_on: string; topic: string; late_entry: boolean; counts_as_held: boolean; valid_for_decisions: boolean; invalid_reason: string | null; present: number; should_attend: number };

const toItem = (r: ListRow): MeetingListItem => ({
  id: Number(r.id), orgId: Number(r.org_id), orgName: r.org_name, kind: r.kind, alsoCountsAs: pgTextArray(r.also_counts_as), heldOn: r.held_on, topic: r.topic,
  lateEntry: r.late_entry, countsAsHeld: r.counts_as_held, validForDecisions: r.valid_for_decisions, invalidReason: r.invalid_reason,
  present: Number(r.present), shouldAttend: Number(r.should_attend),
});

export async function listMeetings(db: Db, scope: Scope, q: { org?: number; from?: string; to?: string; kind?: string; page: number; pageSize: number }) {
  const s = q.org ? await narrowToOrg(db, scope, q.org) : scope;
  const where = sql`m.tenant_id = ${scope.tenantId} and ${pathPredicate(sql`m.org_path`, s)}
    ${q.from ? sql`and m.held_on >= ${q.from}` : sql``} ${q.to ? sql`and m.held_on <= ${q.to}` : sql``}
    ${q.kind ? sql`and (m.kind = ${q.kind} or ${q.kind} = any(m.also_counts_as))` : sql``}`;
  const items = await rows<ListRow>(db, sql`select ${LIST_COLS} from meetings m join orgs o on o.id = m.org_id where ${where}
    order by m.held_on desc, m.id desc limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`);
  const total = await one<{ n: number }>(db, sql`select count(*)::int as n from meetings m where ${where}`);
  return { total: total?.n ?? 0, items: items.map(toItem) };
}

/** A meeting's row when it is in scope; 404 otherwise (existence is not leaked). */
export async function meetingRow(db: Db, scope: Scope, id: number, lock = false) {
  const m = await one<Record<string, unknown> & { org_path: string; org_id: number; version: number; entered_at: string }>(
    db, sql`select * from meetings where id = ${id} and tenant_id = ${scope.tenantId} ${lock ? sql`for update` : sql``}`,
  );
  if (!m || !inScope(scope, m.org_path)) throw notFound('会议记录');
  return m;
}

export async function meetingDetail(db: Db, scope: Scope, id: number): Promise<MeetingDetail> {
  await meetingRow(db, scope, id);
  const r = (await one<ListRow & Record<string, unknown>>(db, sql`select ${LIST_COLS}, m.start_time, m.end_time, m.place, m.host_person_id, h.name as host_name,
      m.recorder_person_id, rc.name as recorder_name, m.agenda, m.minutes_html, m.decisions, m.lecturer, m.lecture_title, m.theme, m.for_year, m.entered_at,
      m.rule_set, m.quorum, m.version, m.attachment_ids
    from meetings m join orgs o on o.id = m.org_id left join people h on h.id = m.host_person_id left join people rc on rc.id = m.recorder_person_id
    where m.id = ${id}`))!;
  const attendance = await rows<{ person_id: number; name: string; status: string; leave_reason: string | null; voting: boolean }>(
    db, sql`select a.person_id, p.name, a.status, a.leave_reason, a.voting from meeting_attendance a join people p on p.id = a.person_id where a.meeting_id = ${id} order by p.name, p.id`,
  );
  const guests = await rows<{ name: string; unit_or_role: string | null }>(db, sql`select name, unit_or_role from meeting_guests where meeting_id = ${id} order by id`);
  const votes = await rows<{ subject: string; subject_person_id: number | null; yes: number; no: number; abstain: number; written_yes: number; ballots: unknown; result: unknown }>(
    db, sql`select subject, subject_person_id, yes, no, abstain, written_yes, ballots, result from meeting_votes where meeting_id = ${id} order by id`,
  );
  const attIds = (r.attachment_ids as number[] | null) ?? [];
  const attachments = attIds.length
    ? await rows<{ id: number; filename: string; mime: string; size: number }>(db, sql`select id, filename, mime, size from attachments where id in (${sql.join(attIds.map((x) => sql`${x}`), sql`, `)}) order by id`)
    : [];
  const json = <T,>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;
  return {
    ...toItem(r),
    startTime: (r.start_time as string | null) ?? null, endTime: (r.end_time as string | null) ?? null, place: (r.place as string | null) ?? null,
    hostPersonId: r.host_person_id === null ? null : Number(r.host_person_id), hostName: (r.host_name as string | null) ?? null,
    recorderPersonId: r.recorder_person_id === null ? null : Number(r.recorder_person_id), recorderName: (r.recorder_name as string | null) ?? null,
    agenda: json<string[]>(r.agenda) ?? [], minutesHtml: (r.minutes_html as string | null) ?? null, decisions: (r.decisions as string | null) ?? null,
    lecturer: (r.lecturer as string | null) ?? null, lectureTitle: (r.lecture_title as string | null) ?? null, theme: (r.theme as string | null) ?? null,
    forYear: r.for_year === null ? null : Number(r.for_year), enteredAt: r.entered_at as string, ruleSet: r.rule_set as string,
    quorum: r.quorum ? json<Record<string, unknown>>(r.quorum) : null, version: Number(r.version),
    attendance: attendance.map((a) => ({ personId: Number(a.person_id), name: a.name, status: a.status, leaveReason: a.leave_reason, voting: a.voting })),
    guests: guests.map((g) => ({ name: g.name, unitOrRole: g.unit_or_role })),
    votes: votes.map((v) => ({
      subject: v.subject, subjectPersonId: v.subject_person_id === null ? null : Number(v.subject_person_id), yes: v.yes, no: v.no, abstain: v.abstain,
      writtenYes: v.written_yes, ballots: v.ballots == null ? null : json<{ personId: number; choice: 'yes' | 'no' | 'abstain' | 'writtenYes' }[]>(v.ballots),
      result: json<{ quorum: boolean; passed: boolean | null; reason: string }>(v.result),
    })),
    attachments: attachments.map((a) => ({ id: Number(a.id), filename: a.filename, mime: a.mime, size: Number(a.size) })),
  };
}
