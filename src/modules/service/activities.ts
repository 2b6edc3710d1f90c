import { sql } from 'drizzle-orm';
import { one, rows, type Db } from '../../db/connection.js';
import { validateIdNumber, maskIdNumber } from '../../domain/idNumber.js';
import { validateMobile, maskMobile } from '../../domain/mobile.js';
import { SERVICE_2026, hoursConfirmationError } from '../../domain/serviceRules.js';
import type { Cipher } from '../../platform/crypto.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { getSetting } from '../../platform/settings.js';
import type { Scope } from '../../platform/scope.js';
import type { WriteCtx } from '../../platform/write.js';
import type { ActivityInput, ActivityView, HoursInput, ParticipantView, TeamInput, VolunteerInput, WhoInput } from './contract.js';
import { listPredicate, orgRef, peopleInScope, rowInScope, volunteersInScope } from './queries.js';
import { SERVICE_SETTINGS, hoursSettingsFor } from './settings.js';

/**
 * Volunteer teams, volunteers without a Party stage, activities, sign-up, check-in and hours.
 * Exactly one participation row per person and activity is the partial unique index (insert … on
 * conflict do nothing); exactly one check-in is the conditional update `checked_in_at is null`, so
 * concurrent check-ins from two devices (or two server processes) store one and the others answer 200
 * with the stored check-in.
 */

export async function createTeam(w: WriteCtx, scope: Scope, input: TeamInput) {
  const org = await orgRef(w.tx, scope, input.orgId);
  await peopleInScope(w.tx, scope, input.personIds);
  await volunteersInScope(w.tx, scope, input.volunteerIds);
  const t = await one<{ id: number }>(w.tx, sql`insert into service_teams (tenant_id, org_id, org_path, name, note, created_at, updated_at)
    values (${w.tenantId}, ${org.id}, ${org.path}, ${input.name}, ${input.note ?? null}, ${w.now}, ${w.now}) on conflict do nothing returning id`);
  if (!t) throw conflict(`本组织已有名为“${input.name}”的服务队`);
  for (const p of [...new Set(input.personIds)]) await addTeamMember(w, t.id, p, null);
  for (const v of [...new Set(input.volunteerIds)]) await addTeamMember(w, t.id, null, v);
  w.audit({ action: 'create', entity: 'serviceTeam', entityId: t.id, orgId: org.id, after: { name: input.name, personIds: input.personIds, volunteerIds: input.volunteerIds } });
  return { id: Number(t.id) };
}

async function addTeamMember(w: WriteCtx, teamId: number, personId: number | null, volunteerId: number | null) {
  await w.tx.execute(sql`insert into service_team_members (tenant_id, team_id, person_id, volunteer_id, created_at, updated_at)
    values (${w.tenantId}, ${teamId}, ${personId}, ${volunteerId}, ${w.now}, ${w.now}) on conflict do nothing`);
}

export async function listTeams(db: Db, scope: Scope, orgId?: number) {
  const where = await listPredicate(db, scope, orgId, 't.org_path');
  const r = await rows<{ id: number; org_id: number; name: string; note: string | null; members: number; volunteers: number }>(db, sql`select t.id, t.org_id, t.name, t.note,
      (select count(*)::int from service_team_members m where m.team_id = t.id and m.person_id is not null) as members,
      (select count(*)::int from service_team_members m where m.team_id = t.id and m.volunteer_id is not null) as volunteers
    from service_teams t where t.tenant_id = ${scope.tenantId} and ${where} order by t.name, t.id limit 500`);
  return { items: r.map((x) => ({ id: Number(x.id), orgId: Number(x.org_id), name: x.name, note: x.note, members: x.members, volunteers: x.volunteers })) };
}

/**
 * A volunteer without a Party stage: name in clear (as members' names), mobile and ID number as the
 * registry stores them (ciphertext, blind index, masked copy). The same mobile in the tenant is the
 * same volunteer: a repeat answers the existing row.
 */
export async function createVolunteer(w: WriteCtx, scope: Scope, input: VolunteerInput, cipher: Cipher) {
  const org = await orgRef(w.tx, scope, input.orgId);
  let mobile: string | null = null;
  if (input.mobile) {
    const m = validateMobile(input.mobile);
    if (!m.ok) throw invalid(m.reason, { mobile: m.reason });
    mobile = m.normalized;
  }
  let idNumber: string | null = null;
  if (input.idNumber) {
    const r = validateIdNumber(input.idNumber, w.today);
    if (!r.ok) throw invalid(r.reason, { idNumber: r.reason });
    idNumber = r.normalized;
  }
  if (input.teamId) await rowInScope(w.tx, scope, 'service_teams', input.teamId, '服务队', 'id, org_path');
  const mobileBidx = mobile ? cipher.blindIndex('mobile', mobile) : null;
  const v = await one<{ id: number }>(w.tx, sql`insert into service_volunteers (tenant_id, org_id, org_path, name, gender, mobile_enc, mobile_bidx, mobile_masked,
      id_number_enc, id_number_bidx, id_number_masked, created_at, updated_at)
    values (${w.tenantId}, ${org.id}, ${org.path}, ${input.name}, ${input.gender ?? null}, ${mobile ? cipher.encrypt(mobile) : null}, ${mobileBidx}, ${mobile ? maskMobile(mobile) : null},
      ${idNumber ? cipher.encrypt(idNumber) : null}, ${idNumber ? cipher.blindIndex('idNumber', idNumber) : null}, ${idNumber ? maskIdNumber(idNumber) : null}, ${w.now}, ${w.now})
    on conflict do nothing returning id`);
  let id = v?.id ? Number(v.id) : null;
  let created = true;
  if (!id) {
    const existing = await one<{ id: number; name: string; org_path: string }>(w.tx, sql`select id, name, org_path from service_volunteers where tenant_id = ${w.tenantId} and mobile_bidx = ${mobileBidx}`);
    if (!existing || existing.name !== input.name || !scope.paths.some((p) => existing.org_path.startsWith(p))) throw conflict('该手机号码已登记为其他志愿者');
    id = Number(existing.id);
    created = false;
  } else {
    w.audit({ action: 'create', entity: 'serviceVolunteer', entityId: id, orgId: org.id, after: { name: input.name, mobile: mobile ? maskMobile(mobile) : null, idNumber: idNumber ? maskIdNumber(idNumber) : null } });
  }
  if (input.teamId) await addTeamMember(w, input.teamId, null, id);
  return { id, created };
}

export async function listVolunteers(db: Db, scope: Scope, orgId?: number) {
  const where = await listPredicate(db, scope, orgId, 'v.org_path');
  const r = await rows<{ id: number; org_id: number; name: string; gender: string | null; mobile_masked: string | null; id_number_masked: string | null }>(db,
    sql`select v.id, v.org_id, v.name, v.gender, v.mobile_masked, v.id_number_masked from service_volunteers v where v.tenant_id = ${scope.tenantId} and ${where} order by v.name, v.id limit 1000`);
  return { items: r.map((x) => ({ id: Number(x.id), orgId: Number(x.org_id), name: x.name, gender: x.gender, mobileMasked: x.mobile_masked, idNumberMasked: x.id_number_masked })) };
}

export async function createActivity(w: WriteCtx, scope: Scope, input: ActivityInput) {
  const org = await orgRef(w.tx, scope, input.orgId);
  const kinds = await getSetting(w.tx, w.tenantId, org.path, SERVICE_SETTINGS.activityKinds);
  if (!kinds.includes(input.kind)) throw invalid(`活动类型应为：${kinds.join('、')}`, { kind: '活动类型不在设置的列表中' });
  if (input.startTime && input.endTime && input.endTime <= input.startTime) throw invalid('结束时间应晚于开始时间', { endTime: '结束时间应晚于开始时间' });
  if (input.teamId) await rowInScope(w.tx, scope, 'service_teams', input.teamId, '服务队', 'id, org_path');
  const a = await one<{ id: number }>(w.tx, sql`insert into service_activities (tenant_id, org_id, org_path, team_id, title, kind, held_on, start_time, end_time, place, capacity, rule_set, created_at, updated_at)
    values (${w.tenantId}, ${org.id}, ${org.path}, ${input.teamId ?? null}, ${input.title}, ${input.kind}, ${input.heldOn}, ${input.startTime ?? null}, ${input.endTime ?? null},
      ${input.place ?? null}, ${input.capacity ?? null}, ${SERVICE_2026.id}, ${w.now}, ${w.now}) returning id`);
  w.audit({ action: 'create', entity: 'serviceActivity', entityId: a!.id, orgId: org.id, after: { ...input } });
  w.touch('serviceActivity', org.path);
  return { id: Number(a!.id) };
}

const ACTIVITY_COLS = sql`a.id, a.org_id, o.name as org_name, a.team_id, a.title, a.kind, a.held_on::text as held_on, a.start_time, a.end_time, a.place, a.capacity, a.version,
  (select count(*)::int from service_participations p where p.activity_id = a.id and p.signed_up_at is not null) as signed_up,
  (select count(*)::int from service_participations p where p.activity_id = a.id and p.checked_in_at is not null) as checked_in,
  (select coalesce(sum(p.minutes), 0)::int from service_participations p where p.activity_id = a.id and p.confirmed_at is not null) as confirmed_minutes`;

function toActivity(r: Record<string, unknown>): ActivityView {
  return {
    id: Number(r.id), orgId: Number(r.org_id), orgName: r.org_name as string, teamId: r.team_id === null ? null : Number(r.team_id), title: r.title as string, kind: r.kind as string,
    heldOn: r.held_on as string, startTime: r.start_time as string | null, endTime: r.end_time as string | null, place: r.place as string | null,
    capacity: r.capacity === null ? null : Number(r.capacity), signedUp: Number(r.signed_up), checkedIn: Number(r.checked_in), confirmedMinutes: Number(r.confirmed_minutes), version: Number(r.version),
  };
}

export async function listActivities(db: Db, scope: Scope, q: { org?: number; from: string; to: string }) {
  const where = await listPredicate(db, scope, q.org, 'a.org_path');
  const r = await rows(db, sql`select ${ACTIVITY_COLS} from service_activities a join orgs o on o.id = a.org_id
    where a.tenant_id = ${scope.tenantId} and ${where} and a.held_on between ${q.from} and ${q.to} order by a.held_on desc, a.id desc limit 500`);
  return { items: r.map(toActivity) };
}

export async function activityDetail(db: Db, scope: Scope, id: number): Promise<ActivityView & { participants: ParticipantView[] }> {
  const a = await one(db, sql`select ${ACTIVITY_COLS}, a.org_path from service_activities a join orgs o on o.id = a.org_id where a.id = ${id} and a.tenant_id = ${scope.tenantId}`);
  if (!a || !scope.paths.some((p) => (a.org_path as string).startsWith(p))) throw notFound('志愿服务活动');
  const ps = await rows<Record<string, unknown>>(db, sql`select x.id, x.person_id, x.volunteer_id, coalesce(pp.name, v.name) as name, coalesce(pp.mobile_masked, v.mobile_masked) as mobile_masked,
      x.signed_up_at, x.checked_in_at, x.minutes, x.confirmed_at
    from service_participations x left join people pp on pp.id = x.person_id left join service_volunteers v on v.id = x.volunteer_id
    where x.activity_id = ${id} order by x.id`);
  return {
    ...toActivity(a),
    participants: ps.map((p) => ({
      id: Number(p.id), personId: p.person_id === null ? null : Number(p.person_id), volunteerId: p.volunteer_id === null ? null : Number(p.volunteer_id), name: p.name as string,
      isMember: p.person_id !== null, mobileMasked: p.mobile_masked as string | null, signedUp: p.signed_up_at !== null, checkedInAt: p.checked_in_at as string | null,
      minutes: p.minutes === null ? null : Number(p.minutes), confirmedAt: p.confirmed_at as string | null,
    })),
  };
}

interface ActivityRow { id: number; org_id: number; org_path: string; held_on: string; start_time: string | null; end_time: string | null; capacity: number | null }
const activityRow = (db: Db, scope: Scope, id: number) =>
  rowInScope<ActivityRow>(db, scope, 'service_activities', id, '志愿服务活动', 'id, org_id, org_path, held_on::text as held_on, start_time, end_time, capacity');

/** The participant: a member or a volunteer in the caller's scope. */
async function participant(db: Db, scope: Scope, who: WhoInput) {
  if (who.personId) return { personId: who.personId, volunteerId: null, name: (await peopleInScope(db, scope, [who.personId])).get(who.personId)!.name };
  return { personId: null, volunteerId: who.volunteerId!, name: (await volunteersInScope(db, scope, [who.volunteerId!])).get(who.volunteerId!)!.name };
}

const whoSql = (p: { personId: number | null; volunteerId: number | null }) =>
  p.personId ? sql`person_id = ${p.personId}` : sql`volunteer_id = ${p.volunteerId}`;
const conflictTarget = (p: { personId: number | null }) =>
  p.personId ? sql`(activity_id, person_id) where person_id is not null` : sql`(activity_id, volunteer_id) where volunteer_id is not null`;

/** Ensure the participation row exists (exactly one by the partial unique index). */
async function ensureParticipation(w: WriteCtx, a: ActivityRow, p: { personId: number | null; volunteerId: number | null }, signUp: boolean): Promise<boolean> {
  const r = await rows<{ id: number }>(w.tx, sql`insert into service_participations (tenant_id, org_id, org_path, activity_id, person_id, volunteer_id, signed_up_at, created_at, updated_at)
    values (${w.tenantId}, ${a.org_id}, ${a.org_path}, ${a.id}, ${p.personId}, ${p.volunteerId}, ${signUp ? w.now : null}, ${w.now}, ${w.now})
    on conflict ${conflictTarget(p)} do nothing returning id`);
  return r.length === 1;
}

export async function signUp(w: WriteCtx, scope: Scope, activityId: number, who: WhoInput) {
  const a = await activityRow(w.tx, scope, activityId);
  if (a.held_on < w.today) throw invalid('活动已结束，不能报名');
  const p = await participant(w.tx, scope, who);
  if (a.capacity) {
    const n = await one<{ n: number }>(w.tx, sql`select count(*)::int as n from service_participations where activity_id = ${a.id} and signed_up_at is not null and not (${whoSql(p)})`);
    if ((n?.n ?? 0) >= a.capacity) throw conflict(`报名人数已满（${a.capacity}人）`);
  }
  const inserted = await ensureParticipation(w, a, p, true);
  const upd = await rows<{ id: number }>(w.tx, sql`update service_participations set signed_up_at = ${w.now}, version = version + 1, updated_at = ${w.now}
    where activity_id = ${a.id} and ${whoSql(p)} and signed_up_at is null returning id`);
  const row = (await one<{ id: number }>(w.tx, sql`select id from service_participations where activity_id = ${a.id} and ${whoSql(p)}`))!;
  const created = inserted || upd.length === 1;
  if (created) w.audit({ action: 'create', entity: 'serviceSignUp', entityId: row.id, orgId: a.org_id, after: { activityId: a.id, name: p.name, personId: p.personId, volunteerId: p.volunteerId } });
  return { participationId: Number(row.id), created };
}

/**
 * Check a person in, exactly once: the row comes from the unique index, the check-in from the
 * conditional update; a repeat (another device, a double tap) answers the stored check-in.
 */
export async function checkIn(w: WriteCtx, scope: Scope, activityId: number, who: WhoInput) {
  const a = await activityRow(w.tx, scope, activityId);
  if (a.held_on > w.today) throw invalid('活动当天才能签到');
  const p = await participant(w.tx, scope, who);
  await ensureParticipation(w, a, p, false);
  const upd = await rows<{ id: number }>(w.tx, sql`update service_participations set checked_in_at = ${w.now}, checked_in_by = ${w.actor.userId}, version = version + 1, updated_at = ${w.now}
    where activity_id = ${a.id} and ${whoSql(p)} and checked_in_at is null returning id`);
  const row = (await one<{ id: number; checked_in_at: string }>(w.tx, sql`select id, checked_in_at from service_participations where activity_id = ${a.id} and ${whoSql(p)}`))!;
  if (upd.length === 1) {
    w.audit({ action: 'create', entity: 'serviceCheckIn', entityId: row.id, orgId: a.org_id, after: { activityId: a.id, name: p.name, personId: p.personId, volunteerId: p.volunteerId } });
    w.touch('serviceParticipation', a.org_path);
  }
  return { participationId: Number(row.id), checkedInAt: row.checked_in_at, created: upd.length === 1 };
}

/** The organizer confirms minutes per checked-in person (hoursConfirmationError, settings of the org). */
export async function confirmHours(w: WriteCtx, scope: Scope, activityId: number, input: HoursInput) {
  const a = await activityRow(w.tx, scope, activityId);
  const s = await hoursSettingsFor(w.tx, w.tenantId, a.org_path);
  const out: { participationId: number; minutes: number }[] = [];
  for (const e of input.entries) {
    const p = { personId: e.personId ?? null, volunteerId: e.volunteerId ?? null };
    const row = await one<{ id: number; checked_in_at: string | null; minutes: number | null; confirmed_at: string | null; name: string }>(w.tx, sql`select x.id, x.checked_in_at, x.minutes, x.confirmed_at,
        coalesce(pp.name, v.name) as name from service_participations x left join people pp on pp.id = x.person_id left join service_volunteers v on v.id = x.volunteer_id
        where x.activity_id = ${a.id} and ${whoSql(p)}`);
    const error = hoursConfirmationError({ activityDate: a.held_on, startTime: a.start_time, endTime: a.end_time, minutes: e.minutes, checkedIn: !!row?.checked_in_at, today: w.today, ...s });
    if (error) throw invalid(`${row?.name ?? '该人员'}：${error}`, { entries: error });
    await w.tx.execute(sql`update service_participations set minutes = ${e.minutes}, confirmed_by = ${w.actor.userId}, confirmed_at = ${w.now}, version = version + 1, updated_at = ${w.now} where id = ${row!.id}`);
    w.audit({ action: 'update', entity: 'serviceHours', entityId: row!.id, orgId: a.org_id, before: { minutes: row!.minutes }, after: { activityId: a.id, name: row!.name, minutes: e.minutes } });
    out.push({ participationId: Number(row!.id), minutes: e.minutes });
  }
  w.touch('serviceParticipation', a.org_path);
  return { confirmed: out };
}
