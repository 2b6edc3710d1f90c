import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/connection.js';
import { addMonths, monthEnd, type IsoDate } from '../../domain/dates.js';
import { attendanceRate, currentAbsenceRun, percentOf, type AbsenceRun, type ExpectedAttendance } from '../../domain/orgLifeCounting.js';
import { ORG_LIFE_2018 } from '../../domain/orgLifeRules.js';
import { pathsSql } from '../../platform/findings.js';

/**
 * Attendance over a subtree and period (issue 4 §3): per meeting, per member and per org, and the
 * absence runs of DOMAIN.md §3.4 — computed from the attendance rows of meetings that count as held.
 * The attendance list of a meeting is who should attend on that date, so its rows are the denominator.
 */
const EXPECTED = ORG_LIFE_2018.constants.ABSENCE_EXPECTED_KINDS.value;
const expectedKinds = sql`(m.kind in (${sql.join(EXPECTED.map((k) => sql`${k}`), sql`, `)}) or m.also_counts_as && ${`{${EXPECTED.join(',')}}`}::text[])`;

export interface MemberAbsence {
  personId: number;
  name: string;
  orgId: number;
  orgPath: string;
  run: AbsenceRun;
}

/** The last complete month before `today` and the first month looked at (12 months in all). */
export function absenceWindow(today: IsoDate): { firstMonth: string; lastMonth: string } {
  const lastMonth = addMonths(today, -1).slice(0, 7);
  return { firstMonth: addMonths(`${lastMonth}-01`, -11).slice(0, 7), lastMonth };
}

/** Members of the subtree whose current run of absence months (ending last month) is at least `minMonths`. */
export async function absenceRuns(db: Db, tenantId: number, paths: string[] | null, today: IsoDate, minMonths = 1): Promise<MemberAbsence[]> {
  const { firstMonth, lastMonth } = absenceWindow(today);
  const r = await rows<{ person_id: number; name: string; org_id: number; org_path: string; held_on: string; status: string }>(
    db,
    sql`select a.person_id, p.name, p.org_id, p.org_path, m.held_on, a.status
        from meeting_attendance a join meetings m on m.id = a.meeting_id join people p on p.id = a.person_id
        where m.tenant_id = ${tenantId} and ${pathsSql('p.org_path', paths)} and m.counts_as_held and ${expectedKinds}
          and m.held_on >= ${`${firstMonth}-01`} and m.held_on <= ${monthEnd(`${lastMonth}-01`)}
          and p.stage in ('probationary','full') and p.state in ('active','lostContact')
        order by a.person_id`,
  );
  const byPerson = new Map<number, { name: string; orgId: number; orgPath: string; recs: ExpectedAttendance[] }>();
  for (const x of r) {
    const id = Number(x.person_id);
    const e = byPerson.get(id) ?? { name: x.name, orgId: Number(x.org_id), orgPath: x.org_path, recs: [] };
    e.recs.push({ heldOn: x.held_on, status: x.status as ExpectedAttendance['status'] });
    byPerson.set(id, e);
  }
  const out: MemberAbsence[] = [];
  for (const [personId, e] of byPerson) {
    const run = currentAbsenceRun(e.recs, firstMonth, lastMonth);
    if (run && run.months >= minMonths) out.push({ personId, name: e.name, orgId: e.orgId, orgPath: e.orgPath, run });
  }
  return out.sort((a, b) => b.run.months - a.run.months || a.name.localeCompare(b.name));
}

/** Attendance summary for a subtree over [from, to]: the org rate, per meeting and per member. */
export async function attendanceSummary(db: Db, tenantId: number, paths: string[], from: IsoDate, to: IsoDate, today: IsoDate) {
  const base = sql`from meeting_attendance a join meetings m on m.id = a.meeting_id
    where m.tenant_id = ${tenantId} and ${pathsSql('m.org_path', paths)} and m.counts_as_held and m.held_on >= ${from} and m.held_on <= ${to}`;
  const perMeeting = await rows<{ id: number; held_on: string; kind: string; topic: string; present: number; should: number }>(
    db, sql`select m.id, m.held_on, m.kind, m.topic, count(*) filter (where a.status = 'present')::int as present, count(*)::int as should ${base}
      group by m.id, m.held_on, m.kind, m.topic order by m.held_on desc, m.id desc limit 500`,
  );
  const perMember = await rows<{ person_id: number; name: string; present: number; on_leave: number; absent: number }>(
    db, sql`select a.person_id, p.name, count(*) filter (where a.status = 'present')::int as present,
      count(*) filter (where a.status = 'onLeave')::int as on_leave, count(*) filter (where a.status = 'absent')::int as absent
      from meeting_attendance a join meetings m on m.id = a.meeting_id join people p on p.id = a.person_id
      where m.tenant_id = ${tenantId} and ${pathsSql('m.org_path', paths)} and m.counts_as_held and m.held_on >= ${from} and m.held_on <= ${to}
      group by a.person_id, p.name order by p.name, a.person_id`,
  );
  const all = perMember.flatMap((x) => [
    ...Array.from({ length: x.present }, () => ({ status: 'present' as const })),
    ...Array.from({ length: x.on_leave + x.absent }, () => ({ status: 'absent' as const })),
  ]);
  const org = attendanceRate(all);
  const absences = await absenceRuns(db, tenantId, paths, today, 1);
  return {
    org: { present: org.numerator, shouldAttend: org.denominator, rate: org.percent },
    meetings: perMeeting.map((m) => ({ id: Number(m.id), heldOn: m.held_on, kind: m.kind, topic: m.topic, present: m.present, shouldAttend: m.should, rate: percentOf(m.present, m.should) })),
    members: perMember.map((x) => ({
      personId: Number(x.person_id), name: x.name, present: x.present, onLeave: x.on_leave, absent: x.absent,
      rate: percentOf(x.present, x.present + x.on_leave + x.absent),
      absenceMonths: absences.find((a) => a.personId === Number(x.person_id))?.run.months ?? 0,
    })),
    absences: absences.filter((a) => a.run.months >= ORG_LIFE_2018.constants.ABSENCE_FINDING_MONTHS.value)
      .map((a) => ({ personId: a.personId, name: a.name, months: a.run.months, fromMonth: a.run.fromMonth, toMonth: a.run.toMonth })),
  };
}
