import { sql } from 'drizzle-orm';
import { one, rows, type Db } from '../../db/connection.js';
import { compareDates, addDays } from '../../domain/dates.js';
import { medalEligibility } from '../../domain/partyAge.js';
import type { Cipher } from '../../platform/crypto.js';
import { conflict, forbidden, invalid, notFound } from '../../platform/errors.js';
import { canViewPersonalDataAt, inScope, pathPredicate, type Scope, type SessionActor } from '../../platform/scope.js';
import type { WriteCtx } from '../../platform/write.js';
import type { MemberDetail, MemberInput, MemberPatch } from './contract.js';
import { auditSnapshot, prepareMember, type FieldErrors, type PreparedMember, type RawMember } from './prepare.js';
import { LIST_COLUMNS, toListItem } from './queries.js';

/**
 * Member registry service. Org relation, stage and state are effective-dated in
 * `membership_periods` (ARCHITECTURE.md "People and membership"): a change closes the open interval
 * and opens the next, never rewriting past rows.
 */
const fieldError = (errors: FieldErrors) => {
  const first = Object.values(errors)[0] ?? '输入有误';
  return invalid(first, errors as Record<string, string>);
};

async function orgForMembers(tx: Db, scope: Scope, orgId: number) {
  const o = await one<{ id: number; path: string; kind: string; dissolved_on: string | null }>(
    tx, sql`select id, path, kind, dissolved_on from orgs where id = ${orgId} and tenant_id = ${scope.tenantId}`,
  );
  if (!o || !inScope(scope, o.path)) throw notFound('党组织');
  if (o.dissolved_on) throw invalid('该党组织已撤销', { orgId: '该党组织已撤销' });
  if (o.kind === 'partyGroup') throw invalid('组织关系应在党支部（或直属党委），党小组请填在“所在党小组”', { orgId: '请选择党支部' });
  return o;
}

/**
 * A duplicate ID number is refused; the other person is named only when the caller's scope covers their
 * record (issue 17 finding 10), else the answer says no more than "already registered". A mobile may be
 * shared (families often share one): it is never refused, and the people sharing it within the caller's
 * scope are shown on each one's page (`sharedMobileWith`).
 */
export async function assertNoDuplicate(tx: Db, scope: Scope, p: PreparedMember, exceptId?: number) {
  const tenantId = scope.tenantId;
  const who = (d: { name: string; org_path: string }) => (inScope(scope, d.org_path) ? `“${d.name}”` : '');
  if (p.idNumberBidx) {
    const dup = await one<{ id: number; name: string; org_path: string }>(tx, sql`select id, name, org_path from people where tenant_id = ${tenantId} and id_number_bidx = ${p.idNumberBidx} ${exceptId ? sql`and id <> ${exceptId}` : sql``} limit 1`);
    if (dup) throw conflict(`公民身份号码与已有人员${who(dup)}重复`, { fields: { idNumber: '公民身份号码重复' } });
  }
}

/**
 * Others in the caller's scope with the same mobile (by its blind index). Out-of-scope holders are not
 * mentioned at all: saying "shared with someone" would confirm that a number is registered.
 */
export async function sharedMobileWith(db: Db, scope: Scope, personId: number, mobileBidx: string | null): Promise<{ id: number; name: string }[]> {
  if (!mobileBidx) return [];
  return rows<{ id: number; name: string }>(db, sql`select id, name from people
    where tenant_id = ${scope.tenantId} and mobile_bidx = ${mobileBidx} and id <> ${personId} and ${pathPredicate(sql`org_path`, scope)} order by name, id limit 20`);
}

/** The party group (党小组) must be a live group under the member's branch (issue 17 finding 15). */
async function checkGroup(tx: Db, org: { id: number; path: string }, groupId: number | null | undefined) {
  if (groupId == null) return;
  const g = await one<{ id: number }>(tx, sql`select id from orgs where id = ${groupId} and kind = 'partyGroup' and dissolved_on is null and path like ${`${org.path}%`} and id <> ${org.id}`);
  if (!g) throw invalid('所在党小组不属于所选党组织', { groupId: '请选择本支部的党小组' });
}

/** Membership periods for a new record: probationary until fullOn, then full. */
export function initialPeriods(p: PreparedMember): { stage: string; validFrom: string; validTo: string | null }[] {
  const start = p.relationStart;
  if (p.stage === 'full' && p.fullOn && compareDates(p.fullOn, start) > 0) {
    return [
      { stage: 'probationary', validFrom: start, validTo: p.fullOn },
      { stage: 'full', validFrom: p.fullOn, validTo: null },
    ];
  }
  return [{ stage: p.stage, validFrom: start, validTo: null }];
}

export async function createMember(w: WriteCtx, scope: Scope, input: MemberInput, cipher: Cipher): Promise<{ id: number }> {
  const org = await orgForMembers(w.tx, scope, input.orgId);
  const prepared = prepareMember(input as RawMember, w.today, cipher);
  if (!prepared.ok) throw fieldError(prepared.errors);
  const p = prepared.value;
  await assertNoDuplicate(w.tx, scope, p);
  await checkGroup(w.tx, org, input.groupId);
  const row = await one<{ id: number }>(
    w.tx,
    sql`insert into people (tenant_id, org_id, org_path, group_id, name, gender, ethnicity, birth_date, id_number_enc, id_number_bidx, id_number_masked,
          id_number_problem, mobile_enc, mobile_bidx, mobile_masked, address_enc, education, occupation, work_unit, stage, state, admitted_on, full_on,
          full_on_note, relation_start_presumed, created_at, updated_at)
        values (${w.tenantId}, ${org.id}, ${org.path}, ${input.groupId ?? null}, ${p.name}, ${p.gender}, ${p.ethnicity}, ${p.birthDate}, ${p.idNumberEnc},
          ${p.idNumberBidx}, ${p.idNumberMasked}, ${p.idNumberProblem}, ${p.mobileEnc}, ${p.mobileBidx}, ${p.mobileMasked}, ${p.addressEnc}, ${p.education},
          ${p.occupation}, ${p.workUnit}, ${p.stage}, 'active', ${p.admittedOn}, ${p.fullOn}, ${p.fullOnNote}, ${p.relationStartPresumed}, ${w.now}, ${w.now})
        returning id`,
  );
  const id = row!.id;
  for (const per of initialPeriods(p)) {
    await w.tx.execute(sql`insert into membership_periods (tenant_id, person_id, org_id, stage, state, valid_from, valid_to, start_presumed, created_at, updated_at)
      values (${w.tenantId}, ${id}, ${org.id}, ${per.stage}, 'active', ${per.validFrom}, ${per.validTo}, ${p.relationStartPresumed}, ${w.now}, ${w.now})`);
  }
  w.audit({ action: 'create', entity: 'person', entityId: id, orgId: org.id, after: auditSnapshot({ ...p, orgId: org.id }) });
  w.touch('person', org.path);
  return { id };
}

async function loadPerson(db: Db, scope: Scope, id: number, lock = false) {
  const p = await one<Record<string, unknown>>(
    db, sql`select * from people where id = ${id} and tenant_id = ${scope.tenantId} ${lock ? sql`for update` : sql``}`,
  );
  if (!p) throw notFound('党员');
  const self = scope.personId === id;
  if (!inScope(scope, p.org_path as string) && !self) throw notFound('党员');
  return p;
}

export async function updateMember(w: WriteCtx, scope: Scope, id: number, patch: MemberPatch, cipher: Cipher): Promise<void> {
  const cur = await loadPerson(w.tx, scope, id, true);
  if (!inScope(scope, cur.org_path as string)) throw notFound('党员');
  if (cur.version !== patch.version) throw conflict('该记录已被他人修改，请刷新后重试');
  const currentId = cur.id_number_enc ? cipher.decrypt(cur.id_number_enc as string) : null;
  const currentMobile = cur.mobile_enc ? cipher.decrypt(cur.mobile_enc as string) : null;
  const currentAddress = cur.address_enc ? cipher.decrypt(cur.address_enc as string) : null;
  const pick = <T,>(v: T | undefined, old: T) => (v === undefined ? old : v);
  const merged: RawMember = {
    name: pick(patch.name, cur.name as string),
    gender: pick(patch.gender, cur.gender as string),
    ethnicity: pick(patch.ethnicity, cur.ethnicity as string),
    birthDate: pick(patch.birthDate, cur.birth_date as string),
    idNumber: pick(patch.idNumber, currentId),
    mobile: pick(patch.mobile, currentMobile),
    education: pick(patch.education, cur.education as string | null),
    occupation: pick(patch.occupation, cur.occupation as string | null),
    workUnit: pick(patch.workUnit, cur.work_unit as string | null),
    address: pick(patch.address, currentAddress),
    stage: pick(patch.stage, cur.stage as string),
    admittedOn: pick(patch.admittedOn, cur.admitted_on as string),
    fullOn: pick(patch.fullOn, cur.full_on as string | null),
  };
  const prepared = prepareMember(merged, w.today, cipher);
  if (!prepared.ok) throw fieldError(prepared.errors);
  const p = prepared.value;
  await assertNoDuplicate(w.tx, scope, p, id);
  const orgChanged = patch.orgId !== undefined && patch.orgId !== cur.org_id;
  const org = orgChanged ? await orgForMembers(w.tx, scope, patch.orgId!) : { id: cur.org_id as number, path: cur.org_path as string };
  if (patch.groupId !== undefined || orgChanged) await checkGroup(w.tx, org, patch.groupId === undefined ? (cur.group_id as number | null) : patch.groupId);
  const keepEnc = (newPlain: string | null, oldPlain: string | null, oldEnc: unknown, enc: string | null) =>
    newPlain === oldPlain ? (oldEnc as string | null) : enc;
  await w.tx.execute(sql`update people set org_id = ${org.id}, org_path = ${org.path}, group_id = ${patch.groupId === undefined ? (cur.group_id as number | null) : patch.groupId ?? null},
      name = ${p.name}, gender = ${p.gender}, ethnicity = ${p.ethnicity}, birth_date = ${p.birthDate},
      id_number_enc = ${keepEnc(p.idNumber, currentId, cur.id_number_enc, p.idNumberEnc)}, id_number_bidx = ${p.idNumberBidx}, id_number_masked = ${p.idNumberMasked},
      id_number_problem = ${p.idNumberProblem},
      mobile_enc = ${keepEnc(p.mobile, currentMobile, cur.mobile_enc, p.mobileEnc)}, mobile_bidx = ${p.mobileBidx}, mobile_masked = ${p.mobileMasked},
      address_enc = ${keepEnc(merged.address?.trim() || null, currentAddress, cur.address_enc, p.addressEnc)},
      education = ${p.education}, occupation = ${p.occupation}, work_unit = ${p.workUnit}, stage = ${p.stage}, admitted_on = ${p.admittedOn},
      full_on = ${p.fullOn}, full_on_note = ${p.fullOnNote}, version = version + 1, updated_at = ${w.now}
      where id = ${id}`);
  const stageChanged = p.stage !== cur.stage;
  if (orgChanged || stageChanged) {
    const changeOn = stageChanged && p.stage === 'full' && p.fullOn && !orgChanged ? p.fullOn : w.today;
    await changePeriod(w, id, { orgId: org.id, stage: p.stage, state: cur.state as string }, changeOn, orgChanged ? '组织关系变更' : '人员类别变更');
  }
  w.audit({
    action: 'update', entity: 'person', entityId: id, orgId: org.id,
    before: auditSnapshot({ ...(cur as Record<string, unknown>), idNumberMasked: cur.id_number_masked as string, mobileMasked: cur.mobile_masked as string, birthDate: cur.birth_date as string, admittedOn: cur.admitted_on as string, fullOn: cur.full_on as string, workUnit: cur.work_unit as string, orgId: cur.org_id } as never),
    after: auditSnapshot({ ...p, orgId: org.id }),
  });
  w.touch('person', cur.org_path as string);
  if (orgChanged) w.touch('person', org.path);
}

/** Close the open period on `on` and open the next one from `on`; same-day changes edit in place. */
export async function changePeriod(w: WriteCtx, personId: number, next: { orgId: number; stage: string; state: string }, on: string, reason: string) {
  const open = await one<{ id: number; valid_from: string }>(
    w.tx, sql`select id, valid_from from membership_periods where person_id = ${personId} and valid_to is null order by valid_from desc limit 1`,
  );
  if (open && compareDates(open.valid_from, on) >= 0) {
    await w.tx.execute(sql`update membership_periods set org_id = ${next.orgId}, stage = ${next.stage}, state = ${next.state}, reason = ${reason}, version = version + 1, updated_at = ${w.now} where id = ${open.id}`);
    return;
  }
  if (open) await w.tx.execute(sql`update membership_periods set valid_to = ${on}, version = version + 1, updated_at = ${w.now} where id = ${open.id}`);
  await w.tx.execute(sql`insert into membership_periods (tenant_id, person_id, org_id, stage, state, valid_from, reason, created_at, updated_at)
    values (${w.tenantId}, ${personId}, ${next.orgId}, ${next.stage}, ${next.state}, ${on}, ${reason}, ${w.now}, ${w.now})`);
}

export async function memberDetail(db: Db, actor: SessionActor, scope: Scope, id: number, today: string): Promise<MemberDetail> {
  const base = await loadPerson(db, scope, id);
  const r = await one<Record<string, unknown>>(db, sql`select ${LIST_COLUMNS}, p.group_id, p.work_unit, p.full_on_note, p.relation_start_presumed, p.is_mobile, p.version, p.mobile_bidx
     from people p join orgs o on o.id = p.org_id where p.id = ${id}`);
  const posts = await rows<MemberDetail['posts'][number]>(
    db, sql`select t.id, t.org_id as "orgId", o.name as "orgName", t.post, t.valid_from as "validFrom", t.valid_to as "validTo"
            from post_terms t join orgs o on o.id = t.org_id where t.person_id = ${id} order by t.valid_from desc`,
  );
  const history = await rows<MemberDetail['history'][number]>(
    db, sql`select o.name as "orgName", m.stage, m.state, m.valid_from as "validFrom", m.valid_to as "validTo", m.start_presumed as "startPresumed"
            from membership_periods m join orgs o on o.id = m.org_id where m.person_id = ${id} order by m.valid_from`,
  );
  return {
    ...toListItem(r!, today),
    groupId: (r!.group_id as number | null) ?? null,
    workUnit: (r!.work_unit as string | null) ?? null,
    address: base.address_enc ? '（已加密，需授权查看）' : null,
    fullOnNote: (r!.full_on_note as string | null) ?? null,
    relationStartPresumed: !!r!.relation_start_presumed,
    isMobile: !!r!.is_mobile,
    version: r!.version as number,
    masked: true,
    canUnmask: canViewPersonalDataAt(actor, base.org_path as string),
    sharedMobileWith: await sharedMobileWith(db, scope, id, (r!.mobile_bidx as string | null) ?? null),
    posts,
    history,
  };
}

/** Unmasked ID number, mobile and address; needs canViewPersonalData on a grant covering the member; audited. */
export async function revealPersonalData(w: WriteCtx, actor: SessionActor, scope: Scope, id: number, cipher: Cipher) {
  const p = await loadPerson(w.tx, scope, id);
  const self = actor.personId === id;
  if (!self && !canViewPersonalDataAt(actor, p.org_path as string)) throw forbidden('您没有查看完整个人信息的权限');
  const out = {
    idNumber: p.id_number_enc ? cipher.decrypt(p.id_number_enc as string) : null,
    mobile: p.mobile_enc ? cipher.decrypt(p.mobile_enc as string) : null,
    address: p.address_enc ? cipher.decrypt(p.address_enc as string) : null,
  };
  w.audit({ action: 'unmask', entity: 'person', entityId: id, orgId: p.org_id as number, meta: { fields: ['idNumber', 'mobile', 'address'] } });
  return out;
}

export async function addPost(w: WriteCtx, scope: Scope, personId: number, input: { orgId: number; post: string; validFrom: string }) {
  const p = await loadPerson(w.tx, scope, personId);
  const org = await one<{ id: number; path: string }>(w.tx, sql`select id, path from orgs where id = ${input.orgId} and tenant_id = ${w.tenantId} and ${pathPredicate(sql`path`, scope)}`);
  if (!org) throw notFound('党组织');
  const held = await one(w.tx, sql`select id from post_terms where org_id = ${org.id} and post = ${input.post} and valid_to is null and post <> 'member' and person_id = ${personId}`);
  if (held) throw conflict('该党员已担任此职务');
  const r = await one<{ id: number }>(w.tx, sql`insert into post_terms (tenant_id, org_id, person_id, post, valid_from, created_at, updated_at)
    values (${w.tenantId}, ${org.id}, ${personId}, ${input.post}, ${input.validFrom}, ${w.now}, ${w.now}) returning id`);
  w.audit({ action: 'create', entity: 'postTerm', entityId: r!.id, orgId: org.id, after: { personId, name: p.name, ...input } });
  w.touch('postTerm', org.path);
  return r!;
}

export async function endPost(w: WriteCtx, scope: Scope, postTermId: number, validTo: string) {
  const t = await one<{ id: number; org_id: number; valid_from: string; valid_to: string | null; path: string }>(
    w.tx, sql`select t.id, t.org_id, t.valid_from, t.valid_to, o.path from post_terms t join orgs o on o.id = t.org_id where t.id = ${postTermId} and t.tenant_id = ${w.tenantId}`,
  );
  if (!t || !inScope(scope, t.path)) throw notFound('任职记录');
  if (t.valid_to) throw conflict('该任职已结束');
  if (compareDates(validTo, t.valid_from) <= 0) throw invalid('离任日期应晚于任职日期');
  await w.tx.execute(sql`update post_terms set valid_to = ${validTo}, version = version + 1, updated_at = ${w.now} where id = ${postTermId}`);
  w.audit({ action: 'update', entity: 'postTerm', entityId: postTermId, orgId: t.org_id, before: { validTo: null }, after: { validTo } });
  w.touch('postTerm', t.path);
}

/** 「光荣在党50年」 list for year Y is one query: fullOn ≤ (Y−50)-07-01 (DOMAIN.md §5). */
export async function medalList(db: Db, scope: Scope, year: number, cutoff: string) {
  const list = await rows<{ id: number; name: string; org_name: string; full_on: string; admitted_on: string; full_on_note: string | null }>(
    db,
    sql`select p.id, p.name, o.name as org_name, p.full_on, p.admitted_on, p.full_on_note from people p join orgs o on o.id = p.org_id
        where p.tenant_id = ${scope.tenantId} and ${pathPredicate(sql`p.org_path`, scope)} and p.stage = 'full'
          and p.state in ('active','lostContact') and p.full_on <= ${cutoff}
        order by p.full_on, p.name`,
  );
  return list.map((r) => ({
    id: r.id, name: r.name, orgName: r.org_name, fullOn: r.full_on, admittedOn: r.admitted_on, fullOnNote: r.full_on_note,
    eligibility: medalEligibility({ alive: true, fullOn: r.full_on, alreadyAwarded: false, conductConfirmed: false }, year),
  }));
}

export { addDays };
