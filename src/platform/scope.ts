import { sql, type SQL } from 'drizzle-orm';
import { one, type Db } from '../db/connection.js';
import { notFound, forbidden } from './errors.js';
import { SETTINGS, getSetting } from './settings.js';
import { roleHas, type Permission, type Profile, type Role } from './permissions.js';

/**
 * THE scope helper (ARCHITECTURE.md "Scope"; STYLE.md §1–2). Every module turns the actor into a
 * predicate "org path under one of my role nodes" here and nowhere else. Ids outside the scope
 * answer 404 so existence is not leaked; bulk work checks the whole id set at once.
 */
export interface GrantInfo {
  orgId: number;
  path: string;
  role: Role;
  canViewPersonalData: boolean;
}

export interface SessionActor {
  userId: number;
  tenantId: number;
  username: string;
  displayName: string;
  personId: number | null;
  grants: GrantInfo[];
  /** The tenant's security profile (setting `security.profile`), attached per request; default standard. */
  profile?: Profile;
  /** SHA-256 of the session token (auth.ts); absent for actors not built from a session. */
  sessionId?: string;
  /** Signed in but must enrol TOTP before anything else (mlps3 administrators). */
  enrolOnly?: boolean;
}

export interface Scope {
  tenantId: number;
  /** Minimal set of subtree prefixes (no prefix is under another). Empty: nothing. */
  paths: string[];
  /** For a `self.*` permission: the actor's own person id. */
  personId: number | null;
}

/** Drop any path lying under another one, so predicates stay short and disjoint. */
export function minimalPaths(paths: string[]): string[] {
  const sorted = [...new Set(paths)].sort((a, b) => a.length - b.length || a.localeCompare(b));
  const out: string[] = [];
  for (const p of sorted) if (!out.some((q) => p.startsWith(q))) out.push(p);
  return out.sort();
}

export function scopeFor(actor: SessionActor, permission: Permission): Scope {
  const paths = actor.grants.filter((g) => roleHas(g.role, permission, actor.profile)).map((g) => g.path);
  for (const p of paths) if (!/^\/(\d+\/)+$/.test(p)) throw new Error(`corrupt org path in grant: ${p}`);
  return { tenantId: actor.tenantId, paths: minimalPaths(paths), personId: actor.personId };
}

export function hasPermission(actor: SessionActor, permission: Permission): boolean {
  return actor.grants.some((g) => roleHas(g.role, permission, actor.profile));
}

export function inScope(scope: Scope, path: string): boolean {
  return scope.paths.some((p) => path.startsWith(p));
}

/** `column LIKE '/1/7/%' OR …`; FALSE when the scope is empty (deny by default). */
export function pathPredicate(column: SQL | SQL.Aliased | unknown, scope: Scope): SQL {
  if (scope.paths.length === 0) return sql`false`;
  const col = column as SQL;
  return sql`(${sql.join(scope.paths.map((p) => sql`${col} like ${`${p}%`}`), sql` or `)})`;
}

/** Narrow the scope to one org's subtree (intersection); 404 if the org is outside it. */
export async function narrowToOrg(db: Db, scope: Scope, orgId: number): Promise<Scope & { orgPath: string }> {
  const org = await one<{ path: string }>(db, sql`select path from orgs where id = ${orgId} and tenant_id = ${scope.tenantId}`);
  if (!org) throw notFound('组织');
  if (inScope(scope, org.path)) return { ...scope, paths: [org.path], orgPath: org.path };
  // The org may be above the scope roots: the intersection is the roots beneath it.
  const below = scope.paths.filter((p) => p.startsWith(org.path));
  if (below.length === 0) throw notFound('组织');
  return { ...scope, paths: below, orgPath: org.path };
}

/** Set-based check: every id must be in scope, else the whole request is refused. */
export async function requireAllInScope(db: Db, scope: Scope, table: 'people' | 'orgs', ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  const col = table === 'people' ? sql.raw('org_path') : sql.raw('path');
  const found = await one<{ n: number }>(
    db,
    sql`select count(*)::int as n from ${sql.raw(table)} where id in ${sql`(${sql.join(ids.map((i) => sql`${i}`), sql`, `)})`} and ${pathPredicate(col, scope)}`,
  );
  if ((found?.n ?? 0) !== new Set(ids).size) throw notFound();
}

export function requirePermission(actor: SessionActor, p: Permission): void {
  if (!hasPermission(actor, p)) throw forbidden();
}

export function canViewPersonalDataAt(actor: SessionActor, path: string): boolean {
  return actor.grants.some((g) => g.canViewPersonalData && path.startsWith(g.path) && roleHas(g.role, 'members.read', actor.profile));
}

/**
 * The tenant's security profile, cached per process for a few seconds like the actor (auth.ts); a
 * change of the setting clears the cache (routes/settings.ts).
 */
const PROFILE_CACHE_MS = 3000;
const profileCache = new Map<number, { profile: Profile; until: number }>();

export async function tenantProfile(db: Db, tenantId: number, nowMs: number): Promise<Profile> {
  const hit = profileCache.get(tenantId);
  if (hit && hit.until > nowMs) return hit.profile;
  const profile = await getSetting(db, tenantId, null, SETTINGS.securityProfile);
  profileCache.set(tenantId, { profile, until: nowMs + PROFILE_CACHE_MS });
  return profile;
}

export function invalidateProfileCache(): void {
  profileCache.clear();
}
