import { sql } from 'drizzle-orm';
import { one, rows, type Db } from '../../db/connection.js';
import { CARE_TAGS, labelIn, overduePairingWindows, type PairingFrequency } from '../../domain/serviceRules.js';
import { yearsBetween } from '../../domain/calendar.js';
import type { Cipher } from '../../platform/crypto.js';
import { invalid } from '../../platform/errors.js';
import { loadCalendar } from '../../platform/calendar.js';
import { getSetting } from '../../platform/settings.js';
import type { Scope } from '../../platform/scope.js';
import type { WriteCtx } from '../../platform/write.js';
import type { HouseholdInput, PairingInput, VisitInput, VisitView } from './contract.js';
import { attachmentsInScope, intArray, listPredicate, orgRef, peopleInScope, rowInScope } from './queries.js';
import { SERVICE_SETTINGS } from './settings.js';

/**
 * Visits and care (走访慰问, 结对帮扶). A household is a free-text address (encrypted like a member's
 * home address, masked in lists) with care tags, until a grid/household module exists; visits and
 * pairings link to it by id, so a later household module adopts these rows without a data migration.
 */

/** Keeps the first few characters (street, compound) and hides the rest (building, room). */
export function maskAddress(address: string): string {
  const s = address.trim();
  const keep = Math.min(6, Math.floor(s.length / 2));
  return `${s.slice(0, keep)}${'*'.repeat(Math.max(4, s.length - keep))}`;
}

export async function createHousehold(w: WriteCtx, scope: Scope, input: HouseholdInput, cipher: Cipher) {
  const org = await orgRef(w.tx, scope, input.orgId);
  if (input.personId) await peopleInScope(w.tx, scope, [input.personId]);
  const h = await one<{ id: number }>(w.tx, sql`insert into service_households (tenant_id, org_id, org_path, head_name, address_enc, address_masked, care_tags, person_id, note, created_at, updated_at)
    values (${w.tenantId}, ${org.id}, ${org.path}, ${input.headName}, ${cipher.encrypt(input.address)}, ${maskAddress(input.address)}, ${`{${input.careTags.join(',')}}`}::text[],
      ${input.personId ?? null}, ${input.note ?? null}, ${w.now}, ${w.now}) returning id`);
  w.audit({ action: 'create', entity: 'serviceHousehold', entityId: h!.id, orgId: org.id, after: { headName: input.headName, address: maskAddress(input.address), careTags: input.careTags, personId: input.personId ?? null } });
  return { id: Number(h!.id) };
}

export async function listHouseholds(db: Db, scope: Scope, orgId?: number) {
  const where = await listPredicate(db, scope, orgId, 'h.org_path');
  const r = await rows<{ id: number; org_id: number; head_name: string; address_masked: string; care_tags: string[]; last_visit: string | null; visits: number }>(db, sql`select h.id, h.org_id, h.head_name,
      h.address_masked, h.care_tags, (select max(v.visited_on)::text from service_visits v where v.household_id = h.id) as last_visit,
      (select count(*)::int from service_visits v where v.household_id = h.id) as visits
    from service_households h where h.tenant_id = ${scope.tenantId} and ${where} order by h.head_name, h.id limit 1000`);
  return {
    items: r.map((x) => ({ id: Number(x.id), orgId: Number(x.org_id), headName: x.head_name, addressMasked: x.address_masked, careTags: x.care_tags,
      careTagLabels: x.care_tags.map((t) => labelIn(CARE_TAGS, t)), lastVisit: x.last_visit, visits: x.visits })),
  };
}

export async function createVisit(w: WriteCtx, scope: Scope, input: VisitInput) {
  const org = await orgRef(w.tx, scope, input.orgId);
  const h = await rowInScope<{ id: number; org_path: string; head_name: string }>(w.tx, scope, 'service_households', input.householdId, '走访对象', 'id, org_path, head_name');
  if (input.visitedOn > w.today) throw invalid('走访日期不能晚于今天', { visitedOn: '走访日期不能晚于今天' });
  const visitors = await peopleInScope(w.tx, scope, input.visitorIds);
  await attachmentsInScope(w.tx, scope, input.attachmentIds);
  if (input.followUpNeeded && !input.followUpNote) throw invalid('需要后续跟进时请填写跟进事项', { followUpNote: '请填写跟进事项' });
  const v = await one<{ id: number }>(w.tx, sql`insert into service_visits (tenant_id, org_id, org_path, household_id, visited_on, kind, visitor_ids, money_fen, goods, note,
      follow_up_needed, follow_up_note, attachment_ids, created_at, updated_at)
    values (${w.tenantId}, ${org.id}, ${org.path}, ${h.id}, ${input.visitedOn}, ${input.kind}, ${intArray(input.visitorIds)}::int[], ${input.moneyFen}, ${input.goods ?? null}, ${input.note ?? null},
      ${input.followUpNeeded}, ${input.followUpNote ?? null}, ${intArray(input.attachmentIds)}::int[], ${w.now}, ${w.now}) returning id`);
  w.audit({ action: 'create', entity: 'serviceVisit', entityId: v!.id, orgId: org.id, after: { householdId: h.id, headName: h.head_name, visitedOn: input.visitedOn, kind: input.kind,
    visitors: [...visitors.values()].map((x) => x.name), moneyFen: input.moneyFen, goods: input.goods ?? null, attachmentIds: input.attachmentIds } });
  w.touch('serviceVisit', org.path);
  if (h.org_path !== org.path) w.touch('serviceVisit', h.org_path);
  return { id: Number(v!.id) };
}

export async function listVisits(db: Db, scope: Scope, q: { org?: number; from: string; to: string }): Promise<{ items: VisitView[] }> {
  const where = await listPredicate(db, scope, q.org, 'v.org_path');
  const r = await rows<Record<string, unknown>>(db, sql`select v.id, v.org_id, v.household_id, h.head_name, h.address_masked, h.care_tags, v.visited_on::text as visited_on, v.kind,
      v.money_fen, v.goods, v.follow_up_needed, v.follow_up_note,
      (select coalesce(json_agg(json_build_object('id', p.id, 'name', p.name) order by p.id), '[]'::json) from people p where p.id = any(v.visitor_ids)) as visitors,
      (select coalesce(json_agg(json_build_object('id', a.id, 'filename', a.filename, 'mime', a.mime, 'size', a.size) order by a.id), '[]'::json) from attachments a where a.id = any(v.attachment_ids)) as attachments
    from service_visits v join service_households h on h.id = v.household_id
    where v.tenant_id = ${scope.tenantId} and ${where} and v.visited_on between ${q.from} and ${q.to} order by v.visited_on desc, v.id desc limit 500`);
  const json = <T>(x: unknown): T => (typeof x === 'string' ? JSON.parse(x) : x) as T;
  return {
    items: r.map((x) => ({
      id: Number(x.id), orgId: Number(x.org_id), householdId: Number(x.household_id), headName: x.head_name as string, addressMasked: x.address_masked as string,
      careTags: x.care_tags as string[], visitedOn: x.visited_on as string, kind: x.kind as string, visitors: json(x.visitors), moneyFen: Number(x.money_fen),
      goods: x.goods as string | null, followUpNeeded: x.follow_up_needed as boolean, followUpNote: x.follow_up_note as string | null, attachments: json(x.attachments),
    })),
  };
}

export async function createPairing(w: WriteCtx, scope: Scope, input: PairingInput) {
  const org = await orgRef(w.tx, scope, input.orgId);
  const h = await rowInScope<{ id: number; org_path: string }>(w.tx, scope, 'service_households', input.householdId, '结对对象', 'id, org_path');
  if (input.personId) await peopleInScope(w.tx, scope, [input.personId]);
  if (input.endOn && input.endOn < input.startOn) throw invalid('结束日期不能早于开始日期', { endOn: '结束日期不能早于开始日期' });
  const p = await one<{ id: number }>(w.tx, sql`insert into service_pairings (tenant_id, org_id, org_path, household_id, person_id, start_on, end_on, frequency, created_at, updated_at)
    values (${w.tenantId}, ${org.id}, ${org.path}, ${h.id}, ${input.personId ?? null}, ${input.startOn}, ${input.endOn ?? null}, ${input.frequency ?? null}, ${w.now}, ${w.now}) returning id`);
  w.audit({ action: 'create', entity: 'servicePairing', entityId: p!.id, orgId: org.id, after: { ...input } });
  w.touch('servicePairing', org.path);
  return { id: Number(p!.id) };
}

export interface PairingRow { id: number; org_id: number; org_path: string; household_id: number; head_name: string; person_id: number | null; person_name: string | null; start_on: string; end_on: string | null; frequency: string | null; visits: string[] }

/** Pairings with the visit dates of their household, for the list and the overdue rule. */
export async function pairingRows(db: Db, tenantId: number, where: ReturnType<typeof sql>): Promise<PairingRow[]> {
  const r = await rows<PairingRow>(db, sql`select x.id, x.org_id, x.org_path, x.household_id, h.head_name, x.person_id, p.name as person_name, x.start_on::text as start_on,
      x.end_on::text as end_on, x.frequency,
      (select coalesce(array_agg(v.visited_on::text order by v.visited_on), '{}') from service_visits v where v.household_id = x.household_id and v.visited_on >= x.start_on) as visits
    from service_pairings x join service_households h on h.id = x.household_id left join people p on p.id = x.person_id
    where x.tenant_id = ${tenantId} and ${where} order by x.id`);
  return r.map((x) => ({ ...x, visits: (Array.isArray(x.visits) ? x.visits : String(x.visits).replace(/[{}]/g, '').split(',').filter(Boolean)) as string[] }));
}

export async function listPairings(db: Db, scope: Scope, orgId: number | undefined, today: string) {
  const where = await listPredicate(db, scope, orgId, 'x.org_path');
  const ps = await pairingRows(db, scope.tenantId, where);
  const first = ps.reduce((m, p) => (p.start_on < m ? p.start_on : m), today);
  const cal = await loadCalendar(db, yearsBetween(first, today));
  const items = [];
  for (const p of ps) {
    const frequency = (p.frequency ?? (await getSetting(db, scope.tenantId, p.org_path, SERVICE_SETTINGS.pairingFrequency))) as PairingFrequency;
    const overdue = overduePairingWindows(p.start_on, p.end_on, frequency, p.visits, today, cal);
    items.push({ id: Number(p.id), orgId: Number(p.org_id), householdId: Number(p.household_id), headName: p.head_name, personId: p.person_id, personName: p.person_name,
      startOn: p.start_on, endOn: p.end_on, frequency, lastVisit: p.visits.at(-1) ?? null, overdueWindows: overdue.map((w) => ({ from: w.from, to: w.to, deadline: w.deadline })) });
  }
  return { items };
}
