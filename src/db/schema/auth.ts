import { bigint, boolean, index, integer, jsonb, pgTable, serial, text } from 'drizzle-orm/pg-core';
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
    /** TOTP (RFC 6238) secret, encrypted with the personal-data cipher; set once enrolment is confirmed. */
    totpSecret: text('totp_secret'),
    /** The last accepted TOTP time step: a code of this step or earlier is a replay. */
    totpLastStep: bigint('totp_last_step', { mode: 'number' }),
    /** SHA-256 hashes of the unused one-time recovery codes. */
    recoveryCodes: jsonb('recovery_codes').$type<string[]>(),
    /** argon2 hashes of the previous passwords, newest first (the mlps3 rule refuses the last 5). */
    passwordHistory: jsonb('password_history').$type<string[]>().notNull().default([]),
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
  /** Idle timeout: the session ends `idle_minutes` after `last_seen_at`. */
  lastSeenAt: text('last_seen_at'),
  idleMinutes: integer('idle_minutes').notNull().default(30),
  /** An administrator who must enrol TOTP (mlps3) before anything else: only enrolment routes answer. */
  enrolOnly: boolean('enrol_only').notNull().default(false),
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
