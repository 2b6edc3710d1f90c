import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, pgTable, serial, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { versioned } from './common.js';

/** A tenant is one county/district Party committee and everything under it. */
export const tenants = pgTable('tenants', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  rootOrgId: integer('root_org_id'),
  ...versioned,
});

/**
 * The org tree (组织树). `path` is the materialized path `/1/7/42/` (ids of the ancestors and the node
 * itself), so "everything under X" is `path LIKE '/1/7/%'`; the index uses text_pattern_ops because
 * PostgreSQL servers here run the C.UTF-8 collation where a plain btree does not serve LIKE.
 */
export const orgs = pgTable(
  'orgs',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    parentId: integer('parent_id'),
    path: text('path').notNull(),
    depth: integer('depth').notNull(),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    code: text('code').notNull(),
    unitType: text('unit_type'),
    establishedOn: date('established_on', { mode: 'string' }),
    termStart: date('term_start', { mode: 'string' }),
    termEnd: date('term_end', { mode: 'string' }),
    address: text('address'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    approvesMembers: boolean('approves_members').notNull().default(false),
    approvesMembersGrant: text('approves_members_grant'),
    dissolvedOn: date('dissolved_on', { mode: 'string' }),
    sortOrder: integer('sort_order').notNull().default(0),
    ...versioned,
  },
  (t) => [
    index('orgs_path_idx').using('btree', t.path.op('text_pattern_ops')),
    uniqueIndex('orgs_code_uq').on(t.tenantId, t.code),
    index('orgs_tenant_name_idx').on(t.tenantId, t.name),
    index('orgs_parent_idx').on(t.parentId),
  ],
);
