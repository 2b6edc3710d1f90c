import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, serial, text, uniqueIndex } from 'drizzle-orm/pg-core';
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
