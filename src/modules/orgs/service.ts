import { sql } from 'drizzle-orm';
import { ORG_PATH_COLUMNS } from '../../db/schema/orgPaths.js';
import { one, rows, type Db } from '../../db/connection.js';
import { defaultApprovesMembers } from '../../domain/vocab.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { inScope, narrowToOrg, pathPredicate, type Scope } from '../../platform/scope.js';
import type { WriteCtx } from '../../platform/write.js';
import type { OrgDetail, OrgDirectoryItem, OrgInput, OrgNode, OrgPatch } from './contract.js';

/**
 * Org tree (组织树). Structure rules: DOMAIN.md §3.1; approval power: §2.1 and ARCHITECTURE.md.
 * The tree is not effective-dated: moves rewrite paths (audited); past figures aggregate over today's tree.
 */

export async function orgTree(db: Db, scope: Scope): Promise<OrgNode[]> {
  return rows<OrgNode>(
    db,
    sql`select o.id, o.parent_id as "parentId", o.name, o.kind, o.code, o.path, o.depth, o.unit_type as "unitType",
               coalesce(c.n, 0)::int as "memberCount"
        from orgs o
        left join (select org_id, count(*) as n from people
                   where stage in ('probationary','full') and state in ('active','lostContact') and tenant_id = ${scope.tenantId}
                   group by org_id) c on c.org_id = o.id
        where o.tenant_id = ${scope.tenantId} and o.dissolved_on is null and ${pathPredicate(sql`o.path`, scope)}
        order by o.depth, o.sort_order, o.name, o.id`,
  );
}

export async function orgDetail(db: Db, scope: Scope, id: number, today: string): Promise<OrgDetail> {
  const o = await one<Record<string, unknown>>(
    db,
    sql`select o.*, p.name as parent_name from orgs o left join orgs p on p.id = o.parent_id
        where o.id = ${id} and o.tenant_id = ${scope.tenantId} and ${pathPredicate(sql`o.path`, scope)}`,
  );
  if (!o) throw notFound('组织');
  const path = o.path as string;
  const counts = await one<{ full: number; prob: number; all: number; findings: number }>(
    db,
    sql`select count(*) filter (where stage = 'full')::int as full, count(*) filter (where stage = 'probationary')::int as prob,
               count(*)::int as all,
               (select count(*)::int from findings f where f.org_path like ${`${path}%`} and f.status = 'open') as findings
        from people where org_path like ${`${path}%`} and stage in ('probationary','full') and state in ('active','lostContact')`,
  );
  const committee = await rows<{ post: string; personId: number; name: string; validFrom: string }>(
    db,
    sql`select t.post, t.person_id as "personId", p.name, t.valid_from as "validFrom" from post_terms t join people p on p.id = t.person_id
        where t.org_id = ${id} and t.valid_from <= ${today} and (t.valid_to is null or t.valid_to > ${today})
        order by array_position(array['secretary','deputySecretary','organizationMember','publicityMember','disciplineMember']::text[], t.post), p.name`,
  );
  const approver = await one<{ id: number; name: string }>(
    db,
    sql`select id, name from orgs where approves_members and ${path} like path || '%' and dissolved_on is null order by depth desc limit 1`,
  );
  return {
    id: o.id as number,
    parentId: (o.parent_id as number | null) ?? null,
    name: o.name as string,
    kind: o.kind as string,
    code: o.code as string,
    path,
    depth: o.depth as number,
    unitType: (o.unit_type as string | null) ?? null,
    memberCount: counts?.all ?? 0,
    establishedOn: (o.established_on as string | null) ?? null,
    termStart: (o.term_start as string | null) ?? null,
    termEnd: (o.term_end as string | null) ?? null,
    address: (o.address as string | null) ?? null,
    tags: (o.tags as string[]) ?? [],
    approvesMembers: !!o.approves_members,
    approver: approver ?? null,
    parentName: (o.parent_name as string | null) ?? null,
    fullMembers: counts?.full ?? 0,
    probationaryMembers: counts?.prob ?? 0,
    committee,
    openFindings: counts?.findings ?? 0,
    version: o.version as number,
  };
}

/** Any logged-in user may search the tenant's org directory (to pick a transfer target). */
export async function orgDirectory(db: Db, tenantId: number, q: string): Promise<OrgDirectoryItem[]> {
  const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return rows<OrgDirectoryItem>(
    db,
    sql`select o.id, o.name, o.code, o.kind,
               coalesce((select string_agg(a.name, ' / ' order by a.depth) from orgs a
                         where o.path like a.path || '%' and a.id <> o.id and a.depth > 0), '') as "parentNames"
        from orgs o where o.tenant_id = ${tenantId} and o.dissolved_on is null and (o.name like ${like} or o.code = ${q})
        order by o.depth, o.name limit 30`,
  );
}

const snapshot = (o: Record<string, unknown>) => ({
  name: o.name, kind: o.kind, code: o.code, parentId: o.parent_id, path: o.path, unitType: o.unit_type,
  establishedOn: o.established_on, termStart: o.term_start, termEnd: o.term_end, address: o.address, tags: o.tags,
  approvesMembers: o.approves_members, dissolvedOn: o.dissolved_on,
});

async function loadInScope(tx: Db, scope: Scope, id: number) {
  const o = await one<Record<string, unknown>>(tx, sql`select * from orgs where id = ${id} and tenant_id = ${scope.tenantId} for update`);
  if (!o || !inScope(scope, o.path as string)) throw notFound('组织');
  return o;
}

async function assertCodeFree(tx: Db, tenantId: number, code: string, exceptId?: number) {
  const dup = await one(tx, sql`select id from orgs where tenant_id = ${tenantId} and code = ${code} ${exceptId ? sql`and id <> ${exceptId}` : sql``}`);
  if (dup) throw conflict(`组织编码“${code}”已被使用`, { fields: { code: '组织编码已被使用' } });
}

async function assertNameFree(tx: Db, tenantId: number, name: string, exceptId?: number) {
  const dup = await one(tx, sql`select id from orgs where tenant_id = ${tenantId} and name = ${name} and dissolved_on is null ${exceptId ? sql`and id <> ${exceptId}` : sql``}`);
  if (dup) throw conflict(`组织名称“${name}”在本县（区）已存在，请使用全称`, { fields: { name: '组织名称已存在' } });
}

export async function createOrg(w: WriteCtx, scope: Scope, input: OrgInput): Promise<{ id: number }> {
  const parent = await loadInScope(w.tx, scope, input.parentId);
  if (parent.dissolved_on) throw invalid('上级组织已撤销');
  if (parent.kind === 'partyGroup') throw invalid('党小组下不能再设组织');
  if (input.kind === 'partyGroup' && !['branch', 'jointBranch', 'temporaryBranch'].includes(parent.kind as string)) {
    throw invalid('党小组只能设在党支部之下', { kind: '党小组只能设在党支部之下' });
  }
  await assertCodeFree(w.tx, w.tenantId, input.code);
  await assertNameFree(w.tx, w.tenantId, input.name);
  const idRow = await one<{ id: number }>(w.tx, sql`select nextval(pg_get_serial_sequence('orgs', 'id'))::int as id`);
  const id = idRow!.id;
  const path = `${parent.path as string}${id}/`;
  const now = w.now;
  const approves = input.approvesMembers ?? defaultApprovesMembers(input.kind as never, (input.unitType ?? null) as never);
  await w.tx.execute(sql`insert into orgs (id, tenant_id, parent_id, path, depth, name, kind, code, unit_type, established_on, term_start, term_end, address, tags, approves_members, created_at, updated_at)
    values (${id}, ${w.tenantId}, ${input.parentId}, ${path}, ${(parent.depth as number) + 1}, ${input.name}, ${input.kind}, ${input.code}, ${input.unitType ?? null},
            ${input.establishedOn ?? null}, ${input.termStart ?? null}, ${input.termEnd ?? null}, ${input.address ?? null}, ${sql`${`{${(input.tags ?? []).map((t) => JSON.stringify(t)).join(',')}}`}::text[]`}, ${approves}, ${now}, ${now})`);
  const created = await one<Record<string, unknown>>(w.tx, sql`select * from orgs where id = ${id}`);
  w.audit({ action: 'create', entity: 'org', entityId: id, orgId: id, after: snapshot(created!) });
  w.touch('org', path);
  return { id };
}

export async function updateOrg(w: WriteCtx, scope: Scope, id: number, patch: OrgPatch): Promise<void> {
  const o = await loadInScope(w.tx, scope, id);
  if (patch.code && patch.code !== o.code) await assertCodeFree(w.tx, w.tenantId, patch.code, id);
  if (patch.name && patch.name !== o.name) await assertNameFree(w.tx, w.tenantId, patch.name, id);
  const set: ReturnType<typeof sql>[] = [];
  const col: Record<string, string> = {
    name: 'name', kind: 'kind', code: 'code', unitType: 'unit_type', establishedOn: 'established_on', termStart: 'term_start',
    termEnd: 'term_end', address: 'address', approvesMembers: 'approves_members',
  };
  for (const [k, c] of Object.entries(col)) {
    const v = (patch as Record<string, unknown>)[k];
    if (v !== undefined) set.push(sql`${sql.raw(c)} = ${v}`);
  }
  if (patch.tags) set.push(sql`tags = ${`{${patch.tags.map((t) => JSON.stringify(t)).join(',')}}`}::text[]`);
  if (set.length === 0) return;
  set.push(sql`version = version + 1`, sql`updated_at = ${w.now}`);
  await w.tx.execute(sql`update orgs set ${sql.join(set, sql`, `)} where id = ${id}`);
  const after = await one<Record<string, unknown>>(w.tx, sql`select * from orgs where id = ${id}`);
  w.audit({ action: 'update', entity: 'org', entityId: id, orgId: id, before: snapshot(o), after: snapshot(after!) });
  w.touch('org', o.path as string);
}

/** Move a subtree in one transaction: every org path under it (orgs and every ORG_PATH_COLUMNS column) is rewritten. */
export async function moveOrg(w: WriteCtx, scope: Scope, id: number, newParentId: number): Promise<void> {
  const o = await loadInScope(w.tx, scope, id);
  const parent = await loadInScope(w.tx, scope, newParentId);
  const oldPath = o.path as string;
  if ((parent.path as string).startsWith(oldPath)) throw invalid('不能把组织移动到它自己或其下级组织之下');
  if (o.parent_id === newParentId) return;
  if (!o.parent_id) throw invalid('不能移动顶层组织');
  const newPath = `${parent.path as string}${id}/`;
  const depthDelta = (parent.depth as number) + 1 - (o.depth as number);
  const len = oldPath.length;
  const like = `${oldPath}%`;
  await w.tx.execute(sql`update orgs set path = ${newPath} || substr(path, ${len + 1}), depth = depth + ${depthDelta},
      parent_id = case when id = ${id} then ${newParentId} else parent_id end, version = version + 1, updated_at = ${w.now}
      where tenant_id = ${w.tenantId} and path like ${like}`);
  // Paths are made of globally unique org ids, so the prefix alone selects the subtree's rows.
  for (const { table, column } of ORG_PATH_COLUMNS) {
    const c = sql.raw(`"${column}"`);
    await w.tx.execute(sql`update ${sql.raw(`"${table}"`)} set ${c} = ${newPath} || substr(${c}, ${len + 1}) where ${c} like ${like}`);
  }
  w.audit({ action: 'move', entity: 'org', entityId: id, orgId: id, before: { parentId: o.parent_id, path: oldPath }, after: { parentId: newParentId, path: newPath } });
  w.touch('org', newPath);
}

export async function dissolveOrg(w: WriteCtx, scope: Scope, id: number, dissolvedOn: string, reason: string): Promise<void> {
  const o = await loadInScope(w.tx, scope, id);
  if (o.dissolved_on) throw conflict('该组织已撤销');
  if (!o.parent_id) throw invalid('不能撤销顶层组织');
  const busy = await one<{ children: number; members: number }>(
    w.tx,
    sql`select (select count(*)::int from orgs where parent_id = ${id} and dissolved_on is null) as children,
               (select count(*)::int from people where org_id = ${id} and state <> 'left') as members`,
  );
  if (busy!.children > 0) throw conflict(`该组织下还有 ${busy!.children} 个下级组织，请先撤销或移走`);
  if (busy!.members > 0) throw conflict(`该组织还有 ${busy!.members} 名党员，请先转出组织关系`);
  await w.tx.execute(sql`update orgs set dissolved_on = ${dissolvedOn}, version = version + 1, updated_at = ${w.now} where id = ${id}`);
  // A dissolved org owes nothing any more: its open findings resolve (a case still waits for its decision).
  await w.tx.execute(sql`update findings set status = 'resolved', resolved_on = ${w.today}, version = version + 1, updated_at = ${w.now}
    where org_id = ${id} and status = 'open' and severity <> 'case'`);
  w.audit({ action: 'dissolve', entity: 'org', entityId: id, orgId: id, before: snapshot(o), meta: { reason, dissolvedOn } });
  w.touch('org', o.path as string);
}

export { narrowToOrg };
