import { sql } from 'drizzle-orm';
import { date, index, integer, jsonb, pgTable, serial, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { versioned } from './common.js';
import { orgs, tenants } from './orgs.js';

/**
 * Assessment (述职评议考核, issue 16, DOMAIN.md §9.1). An indicator tree is versioned data per tenant
 * (a new version is a new row, like report templates); a session snapshots the tree it uses. While a
 * session is a draft its figure-based scores are computed on every read; finishing it freezes the
 * scores, each figure's evidence digest and the confirmed grades in `result`.
 */
export const assessmentTrees = pgTable(
  'assessment_trees',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    key: text('key').notNull(),
    treeVersion: integer('tree_version').notNull(),
    name: text('name').notNull(),
    body: jsonb('body').notNull(),
    createdBy: text('created_by'),
    ...versioned,
  },
  (t) => [uniqueIndex('assessment_trees_uq').on(t.tenantId, t.key, t.treeVersion)],
);

export const assessmentSessions = pgTable(
  'assessment_sessions',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    /** The committee that holds the session (its orgs are in its subtree). */
    orgId: integer('org_id').notNull().references(() => orgs.id),
    orgPath: text('org_path').notNull(),
    year: integer('year').notNull(),
    title: text('title').notNull(),
    treeKey: text('tree_key').notNull(),
    treeVersion: integer('tree_version').notNull(),
    tree: jsonb('tree').notNull(),
    orgIds: integer('org_ids').array().notNull().default(sql`'{}'::int[]`),
    status: text('status').notNull(),
    /** Frozen on finish: per org the scores, figure values, evidence digests, proposed and confirmed grade. */
    result: jsonb('result'),
    finishedAt: text('finished_at'),
    finishedBy: text('finished_by'),
    ...versioned,
  },
  (t) => [index('assessment_sessions_path_idx').using('btree', t.orgPath.op('text_pattern_ops'), t.year)],
);

/** The committee's inputs per session, org and indicator: on-site rating counts or a manual score with its note. */
export const assessmentInputs = pgTable(
  'assessment_inputs',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    sessionId: integer('session_id').notNull().references(() => assessmentSessions.id),
    orgId: integer('org_id').notNull().references(() => orgs.id),
    orgPath: text('org_path').notNull(),
    indicatorKey: text('indicator_key').notNull(),
    /** Manual score in hundredths (also overrides a figure-based score, with a note). */
    score: integer('score'),
    /** 现场测评: grade → number of ratings. */
    ratings: jsonb('ratings'),
    note: text('note'),
    attachmentIds: integer('attachment_ids').array().notNull().default(sql`'{}'::int[]`),
    ...versioned,
  },
  (t) => [uniqueIndex('assessment_inputs_uq').on(t.sessionId, t.orgId, t.indicatorKey)],
);

/**
 * 软弱涣散 ledger (DOMAIN.md §9.2): an org confirmed weak by a recorded decision on its case gets a
 * rectification plan, progress entries, and closes out (销号) with evidence and the higher committee's
 * decision; it stays on the ledger for the year.
 */
export const weakOrgs = pgTable(
  'weak_orgs',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    orgId: integer('org_id').notNull().references(() => orgs.id),
    orgPath: text('org_path').notNull(),
    year: integer('year').notNull(),
    findingId: integer('finding_id').notNull(),
    ruleId: text('rule_id').notNull(),
    measures: text('measures').notNull(),
    ownerName: text('owner_name').notNull(),
    leaderName: text('leader_name').notNull(),
    deadline: date('deadline', { mode: 'string' }).notNull(),
    status: text('status').notNull(),
    closedOn: date('closed_on', { mode: 'string' }),
    closeDecidedBy: text('close_decided_by'),
    closeDecision: text('close_decision'),
    closeAttachmentIds: integer('close_attachment_ids').array().notNull().default(sql`'{}'::int[]`),
    ...versioned,
  },
  (t) => [uniqueIndex('weak_orgs_finding_uq').on(t.findingId), index('weak_orgs_path_idx').using('btree', t.orgPath.op('text_pattern_ops'), t.year)],
);

export const weakOrgProgress = pgTable(
  'weak_org_progress',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    weakOrgId: integer('weak_org_id').notNull().references(() => weakOrgs.id),
    orgPath: text('org_path').notNull(),
    enteredOn: date('entered_on', { mode: 'string' }).notNull(),
    content: text('content').notNull(),
    attachmentIds: integer('attachment_ids').array().notNull().default(sql`'{}'::int[]`),
    ...versioned,
  },
  (t) => [index('weak_org_progress_idx').on(t.weakOrgId)],
);
