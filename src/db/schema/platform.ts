import { sql } from 'drizzle-orm';
import { bigint, date, index, integer, jsonb, pgTable, primaryKey, serial, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { versioned } from './common.js';
import { tenants } from './orgs.js';

/** Process-wide facts: the key check value, the demo seed marker. */
export const systemMeta = pgTable('system_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/** Per-tenant head of the audit chain: the checkpoint that verify checks the chain ends at. */
export const auditHeads = pgTable('audit_heads', {
  tenantId: integer('tenant_id').primaryKey(),
  lastSeq: bigint('last_seq', { mode: 'number' }).notNull(),
  lastHash: text('last_hash').notNull(),
  /** Rows up to this seq were pruned after the retention period; the chain restarts from prunedHash. */
  prunedSeq: bigint('pruned_seq', { mode: 'number' }).notNull().default(0),
  prunedHash: text('pruned_hash'),
  /** HMAC (audit key) over the prune mark, so the start of the chain cannot be moved without the key. */
  prunedMac: text('pruned_mac'),
});

export const auditLog = pgTable(
  'audit_log',
  {
    tenantId: integer('tenant_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    at: text('at').notNull(),
    actor: text('actor').notNull(),
    actorUserId: integer('actor_user_id'),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id'),
    orgId: integer('org_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    meta: jsonb('meta'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
    /** HMAC-SHA256 of (tenant, seq, hash) under a key derived from the secret, which the database does not hold. */
    mac: text('mac'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.seq] }), index('audit_log_entity_idx').on(t.entity, t.entityId)],
);

/** Typed settings (zod schemas in code); tenant level when org_id is the tenant root. */
export const settings = pgTable(
  'settings',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    orgId: integer('org_id').notNull(),
    key: text('key').notNull(),
    value: jsonb('value').notNull(),
    ...versioned,
  },
  (t) => [uniqueIndex('settings_uq').on(t.tenantId, t.orgId, t.key)],
);

/**
 * Findings (预警/待办). The key `ruleId:orgId:subjectEntity:subjectId:period` is unique among open
 * findings; evaluation opens, resolves, and never reopens a dismissed key.
 */
export const findings = pgTable(
  'findings',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    orgId: integer('org_id').notNull(),
    orgPath: text('org_path').notNull(),
    key: text('key').notNull(),
    ruleId: text('rule_id').notNull(),
    ruleSet: text('rule_set').notNull(),
    subjectEntity: text('subject_entity').notNull(),
    subjectId: text('subject_id').notNull(),
    period: text('period').notNull(),
    severity: text('severity').notNull(),
    status: text('status').notNull(),
    dueOn: date('due_on', { mode: 'string' }),
    openedOn: date('opened_on', { mode: 'string' }).notNull(),
    resolvedOn: date('resolved_on', { mode: 'string' }),
    addresseePost: text('addressee_post'),
    addresseePersonId: integer('addressee_person_id'),
    message: text('message').notNull(),
    source: text('source').notNull(),
    conditionChanged: text('condition_changed'),
    dismissedReason: text('dismissed_reason'),
    dismissedBy: integer('dismissed_by'),
    decision: jsonb('decision'),
    ...versioned,
  },
  (t) => [
    uniqueIndex('findings_open_key_uq').on(t.key).where(sql`status = 'open'`),
    index('findings_path_idx').using('btree', t.orgPath.op('text_pattern_ops')),
    index('findings_key_idx').on(t.key),
  ],
);

/** Background job runs: `run_key` (e.g. the date) makes a daily run idempotent. */
export const jobRuns = pgTable(
  'job_runs',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id'),
    name: text('name').notNull(),
    runKey: text('run_key').notNull(),
    status: text('status').notNull(),
    startedAt: text('started_at').notNull(),
    finishedAt: text('finished_at'),
    result: jsonb('result'),
  },
  (t) => [uniqueIndex('job_runs_uq').on(t.name, t.runKey)],
);

/** Import runs (the rows themselves are never stored here: no personal data in job payloads). */
export const importRuns = pgTable('import_runs', {
  id: serial('id').primaryKey(),
  tenantId: integer('tenant_id').notNull(),
  orgId: integer('org_id').notNull(),
  kind: text('kind').notNull(),
  filename: text('filename').notNull(),
  status: text('status').notNull(),
  total: integer('total').notNull().default(0),
  errorCount: integer('error_count').notNull().default(0),
  errors: jsonb('errors'),
  createdBy: text('created_by').notNull(),
  ...versioned,
});

/** The working-day calendar (DOMAIN.md §2.1a): national data, editable by sysAdmin. */
export const calendarDays = pgTable('calendar_days', {
  day: date('day', { mode: 'string' }).primaryKey(),
  kind: text('kind').notNull(),
  name: text('name'),
});

export const calendarYears = pgTable('calendar_years', {
  year: integer('year').primaryKey(),
  source: text('source').notNull(),
});
