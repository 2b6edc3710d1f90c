import { sql } from 'drizzle-orm';
import { one, rows, type Db } from '../../db/connection.js';
import { notFound } from '../../platform/errors.js';
import { inScope, narrowToOrg, pathPredicate, type Scope } from '../../platform/scope.js';

/**
 * Scope checks shared by the service module: every id a request names is looked up in the tenant and
 * must lie in the caller's subtree, else 404 (existence is not leaked).
 */
export interface OrgRef { id: number; path: string; name: string }

export async function orgRef(db: Db, scope: Scope, orgId: number): Promise<OrgRef> {
  const o = await one<OrgRef>(db, sql`select id, path, name from orgs where id = ${orgId} and tenant_id = ${scope.tenantId} and dissolved_on is null`);
  if (!o || !inScope(scope, o.path)) throw notFound('组织');
  return o;
}

/** The predicate for list queries: the requested org's subtree within the scope, else the whole scope. */
export async function listPredicate(db: Db, scope: Scope, orgId: number | undefined, column: string) {
  const s = orgId ? await narrowToOrg(db, scope, orgId) : scope;
  return pathPredicate(sql.raw(column), s);
}

export async function rowInScope<T extends { org_path: string }>(db: Db, scope: Scope, table: string, id: number, what: string, columns = '*'): Promise<T> {
  const r = await one<T>(db, sql`select ${sql.raw(columns)} from ${sql.raw(table)} where id = ${id} and tenant_id = ${scope.tenantId}`);
  if (!r || !inScope(scope, r.org_path)) throw notFound(what);
  return r;
}

/** Party members by id, all in scope (the members a branch may name), else 404 for the whole set. */
export async function peopleInScope(db: Db, scope: Scope, ids: number[]): Promise<Map<number, { id: number; name: string; org_path: string }>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const r = await rows<{ id: number; name: string; org_path: string }>(db, sql`select id, name, org_path from people where tenant_id = ${scope.tenantId}
    and id = any(${`{${unique.join(',')}}`}::int[]) and ${pathPredicate(sql`org_path`, scope)}`);
  if (r.length !== unique.length) throw notFound('党员');
  return new Map(r.map((x) => [Number(x.id), x]));
}

export async function volunteersInScope(db: Db, scope: Scope, ids: number[]): Promise<Map<number, { id: number; name: string; org_path: string }>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const r = await rows<{ id: number; name: string; org_path: string }>(db, sql`select id, name, org_path from service_volunteers where tenant_id = ${scope.tenantId}
    and id = any(${`{${unique.join(',')}}`}::int[]) and ${pathPredicate(sql`org_path`, scope)}`);
  if (r.length !== unique.length) throw notFound('志愿者');
  return new Map(r.map((x) => [Number(x.id), x]));
}

export async function attachmentsInScope(db: Db, scope: Scope, ids: number[]): Promise<void> {
  const unique = [...new Set(ids)];
  if (!unique.length) return;
  const n = await one<{ n: number }>(db, sql`select count(*)::int as n from attachments where tenant_id = ${scope.tenantId}
    and id = any(${`{${unique.join(',')}}`}::int[]) and ${pathPredicate(sql`org_path`, scope)}`);
  if ((n?.n ?? 0) !== unique.length) throw notFound('附件');
}

export const intArray = (xs: number[]) => `{${xs.join(',')}}`;
