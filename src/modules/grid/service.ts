import { sql } from 'drizzle-orm';
import { one, rows, type Db } from '../../db/connection.js';
import { maskIdNumber, validateIdNumber } from '../../domain/idNumber.js';
import { maskMobile, validateMobile } from '../../domain/mobile.js';
import type { Cipher } from '../../platform/crypto.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { inScope, narrowToOrg, pathPredicate, type Scope } from '../../platform/scope.js';
import type { WriteCtx } from '../../platform/write.js';
import type { GridInput, GridView, HouseholdInput, HouseholdView } from './contract.js';

/**
 * Grids and households (DOMAIN.md §10). A grid belongs to a community (a basicCommittee or general
 * branch whose unit type is 城市社区 or 农村) and copies its org path, so scope is the same path
 * predicate as everywhere; a household copies its grid's. The head's ID number and mobile are
 * encrypted with masked copies beside them: a list never decrypts and a dump shows no clear value.
 */
const COMMUNITY = sql`o.kind in ('basicCommittee', 'generalBranch') and o.unit_type in ('community', 'village') and o.dissolved_on is null`;

export async function communityInScope(db: Db, scope: Scope, orgId: number) {
  const o = await one<{ id: number; path: string; name: string }>(db, sql`select o.id, o.path, o.name from orgs o where o.id = ${orgId} and o.tenant_id = ${scope.tenantId} and ${COMMUNITY}`);
  if (!o || !inScope(scope, o.path)) throw notFound('社区');
  return o;
}

export async function listGrids(db: Db, scope: Scope, org?: number): Promise<GridView[]> {
  const s = org ? await narrowToOrg(db, scope, org) : scope;
  return rows<GridView>(db, sql`select g.id, g.org_id as "orgId", o.name as "communityName", g.code, g.name, g.kind, so.name as "servingOrgName", g.leader_name as "leaderName",
      (select count(*)::int from households h where h.grid_id = g.id) as households
    from grids g join orgs o on o.id = g.org_id left join orgs so on so.id = g.serving_org_id
    where g.tenant_id = ${s.tenantId} and ${pathPredicate(sql`g.org_path`, s)} order by o.path, g.code`);
}

export async function createGrid(w: WriteCtx, scope: Scope, input: GridInput): Promise<GridView> {
  const c = await communityInScope(w.tx, scope, input.orgId);
  if (input.servingOrgId) {
    const so = await one<{ path: string }>(w.tx, sql`select path from orgs where id = ${input.servingOrgId} and tenant_id = ${w.tenantId} and kind in ('branch', 'jointBranch', 'partyGroup', 'generalBranch')`);
    if (!so || !so.path.startsWith(c.path)) throw invalid('服务网格的党组织应为本社区的党支部或党小组', { servingOrgId: '请选择本社区的党支部或党小组' });
  }
  const r = await one<{ id: number }>(w.tx, sql`insert into grids (tenant_id, org_id, org_path, code, name, kind, serving_org_id, leader_name, recorded_on, created_at, updated_at)
    values (${w.tenantId}, ${c.id}, ${c.path}, ${input.code}, ${input.name}, ${input.kind}, ${input.servingOrgId ?? null}, ${input.leaderName ?? null}, ${w.today}, ${w.now}, ${w.now})
    on conflict do nothing returning id`);
  if (!r) throw conflict(`${c.name}已有编码为“${input.code}”的网格，请换一个编码`);
  w.audit({ action: 'create', entity: 'grid', entityId: r.id, orgId: c.id, after: { ...input } });
  w.touch('grid', c.path);
  return (await listGrids(w.tx, { ...scope, paths: [c.path] })).find((g) => g.id === r.id)!;
}

async function gridInScope(db: Db, scope: Scope, gridId: number) {
  const g = await one<{ id: number; org_id: number; org_path: string }>(db, sql`select id, org_id, org_path from grids where id = ${gridId} and tenant_id = ${scope.tenantId}`);
  if (!g || !inScope(scope, g.org_path)) throw notFound('网格');
  return g;
}

export async function listHouseholds(db: Db, scope: Scope, gridId: number): Promise<HouseholdView[]> {
  const g = await gridInScope(db, scope, gridId);
  return rows<HouseholdView>(db, sql`select id, grid_id as "gridId", building, unit, room, head_name as "headName", id_number_masked as "idNumber", mobile_masked as mobile, residents, tags
    from households where grid_id = ${g.id} order by building, unit nulls first, room, id`);
}

/** Validated and encrypted personal fields of a household head (invalid values are refused, never stored). */
export function sealPersonal(cipher: Cipher, today: string, idNumber?: string, mobile?: string) {
  let id: string | null = null;
  let mob: string | null = null;
  if (idNumber) {
    const v = validateIdNumber(idNumber, today);
    if (!v.ok) throw invalid(`身份证号码不正确：${v.reason}`, { idNumber: v.reason });
    id = v.normalized;
  }
  if (mobile) {
    const v = validateMobile(mobile);
    if (!v.ok) throw invalid(`手机号码不正确：${v.reason}`, { mobile: v.reason });
    mob = v.normalized;
  }
  return {
    idEnc: id ? cipher.encrypt(id) : null, idBidx: id ? cipher.blindIndex('idNumber', id) : null, idMasked: id ? maskIdNumber(id) : null,
    mobEnc: mob ? cipher.encrypt(mob) : null, mobBidx: mob ? cipher.blindIndex('mobile', mob) : null, mobMasked: mob ? maskMobile(mob) : null,
  };
}

export async function createHousehold(w: WriteCtx, cipher: Cipher, scope: Scope, input: HouseholdInput): Promise<HouseholdView> {
  const g = await gridInScope(w.tx, scope, input.gridId);
  const p = sealPersonal(cipher, w.today, input.idNumber, input.mobile);
  const r = (await one<{ id: number }>(w.tx, sql`insert into households (tenant_id, org_id, org_path, grid_id, building, unit, room, head_name, id_number_enc, id_number_bidx,
      id_number_masked, mobile_enc, mobile_bidx, mobile_masked, residents, tags, recorded_on, created_at, updated_at)
    values (${w.tenantId}, ${g.org_id}, ${g.org_path}, ${g.id}, ${input.building}, ${input.unit ?? null}, ${input.room}, ${input.headName}, ${p.idEnc}, ${p.idBidx}, ${p.idMasked},
      ${p.mobEnc}, ${p.mobBidx}, ${p.mobMasked}, ${input.residents}, ${JSON.stringify(input.tags)}::jsonb, ${w.today}, ${w.now}, ${w.now}) returning id`))!;
  // the audit row carries masked copies only
  w.audit({ action: 'create', entity: 'household', entityId: r.id, orgId: g.org_id, after: { gridId: g.id, building: input.building, unit: input.unit ?? null, room: input.room,
    headName: input.headName, idNumber: p.idMasked, mobile: p.mobMasked, residents: input.residents, tags: input.tags } });
  w.touch('household', g.org_path);
  return (await listHouseholds(w.tx, scope, g.id)).find((h) => h.id === r.id)!;
}
