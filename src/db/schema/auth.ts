import { boolean, index, integer, pgTable, serial, text } from 'drizzle-orm/pg-core';
import { versioned } from './common.js';
import { orgs, tenants } from './orgs.js';
import { people } from './people.js';

export const users = pgTable(
  'users',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    username: text('username').notNull().unique(),
    displayName: text('display_name').notNull(),
    mobileBidx: text('mobile_bidx'),
    passwordHash: text('password_hash').notNull(),
    personId: integer('person_id').references(() => people.id),
    disabled: boolean('disabled').notNull().default(false),
    ...versioned,
  },
  (t) => [index('users_mobile_bidx_idx').on(t.mobileBidx)],
);

/** A role held at an org node (权限角色); scope is the subtree of `org_id`. */
export const grants = pgTable(
  'grants',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    userId: integer('user_id').notNull().references(() => users.id),
    orgId: integer('org_id').notNull().references(() => orgs.id),
    role: text('role').notNull(),
    canViewPersonalData: boolean('can_view_personal_data').notNull().default(false),
    ...versioned,
  },
  (t) => [index('grants_user_idx').on(t.userId)],
);

/** Server-side sessions; the cookie holds a random token, the table only its SHA-256. */
export const sessions = pgTable('sessions', {
  id: text('id').primaryKey(),
  userId: integer('user_id').notNull().references(() => users.id),
  createdAt: text('created_at').notNull(),
  expiresAt: text('expires_at').notNull(),
});

/** Login attempts live in the database so every process shares the lockout counters. */
export const loginAttempts = pgTable(
  'login_attempts',
  {
    id: serial('id').primaryKey(),
    username: text('username').notNull(),
    ip: text('ip').notNull(),
    at: text('at').notNull(),
    success: boolean('success').notNull(),
  },
  (t) => [index('login_attempts_user_idx').on(t.username, t.at), index('login_attempts_ip_idx').on(t.ip, t.at)],
);
