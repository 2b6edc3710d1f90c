import { boolean, date, index, integer, jsonb, pgTable, serial, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { versioned } from './common.js';
import { orgs, tenants } from './orgs.js';

/**
 * Reports (issue 13): 述职报告 / 工作总结 drafted from templates whose placeholders are figures.
 * A final report freezes its rendered text, values and each figure's evidence digest, so later edits
 * of module records never change it; a new version is a new draft row.
 */
export const reportTemplates = pgTable(
  'report_templates',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    key: text('key').notNull(),
    templateVersion: integer('template_version').notNull(),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    body: jsonb('body').notNull(),
    copiedFrom: text('copied_from'),
    createdBy: text('created_by'),
    ...versioned,
  },
  (t) => [uniqueIndex('report_templates_uq').on(t.tenantId, t.key, t.templateVersion)],
);

export const reports = pgTable(
  'reports',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    orgId: integer('org_id').notNull().references(() => orgs.id),
    orgPath: text('org_path').notNull(),
    year: integer('year').notNull(),
    templateKey: text('template_key').notNull(),
    templateVersion: integer('template_version').notNull(),
    /** The template as used (a snapshot, so later template edits leave the report alone). */
    template: jsonb('template').notNull(),
    reportVersion: integer('report_version').notNull().default(1),
    previousId: integer('previous_id'),
    status: text('status').notNull(),
    title: text('title').notNull(),
    /** Evaluated placeholders (values, displays, statuses, evidence counts). */
    placeholders: jsonb('placeholders').notNull(),
    narratives: jsonb('narratives').notNull(),
    fields: jsonb('fields').notNull(),
    overrides: jsonb('overrides').notNull(),
    /** figure request key → evidence digest, frozen on finalize. */
    digests: jsonb('digests'),
    rendered: jsonb('rendered').notNull(),
    evaluatedAt: text('evaluated_at').notNull(),
    finalizedAt: text('finalized_at'),
    finalizedBy: text('finalized_by'),
    ...versioned,
  },
  (t) => [
    index('reports_path_idx').using('btree', t.orgPath.op('text_pattern_ops'), t.year),
    index('reports_org_year_idx').on(t.orgId, t.year),
  ],
);

export const reportComments = pgTable(
  'report_comments',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    reportId: integer('report_id').notNull().references(() => reports.id),
    orgId: integer('org_id').notNull(),
    orgPath: text('org_path').notNull(),
    year: integer('year').notNull(),
    reviewerOrgId: integer('reviewer_org_id'),
    reviewerLabel: text('reviewer_label').notNull(),
    strengths: text('strengths').notNull(),
    problems: text('problems').notNull(),
    grade: text('grade').notNull(),
    ...versioned,
  },
  (t) => [index('report_comments_path_idx').using('btree', t.orgPath.op('text_pattern_ops'), t.year), index('report_comments_report_idx').on(t.reportId)],
);

export const rectificationItems = pgTable(
  'rectification_items',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    reportId: integer('report_id').notNull().references(() => reports.id),
    commentId: integer('comment_id'),
    orgId: integer('org_id').notNull(),
    orgPath: text('org_path').notNull(),
    /** The report year the problem was found in; rectification shows in year+1's draft. */
    year: integer('year').notNull(),
    problem: text('problem').notNull(),
    ownerName: text('owner_name').notNull(),
    deadline: date('deadline', { mode: 'string' }).notNull(),
    evidenceRequired: text('evidence_required').notNull(),
    closed: boolean('closed').notNull().default(false),
    closedOn: date('closed_on', { mode: 'string' }),
    closedBy: text('closed_by'),
    closeNote: text('close_note'),
    attachmentIds: integer('attachment_ids').array(),
    ...versioned,
  },
  (t) => [index('rectification_items_path_idx').using('btree', t.orgPath.op('text_pattern_ops'), t.year), index('rectification_items_report_idx').on(t.reportId)],
);

export const reportJobs = pgTable('report_jobs', {
  id: serial('id').primaryKey(),
  tenantId: integer('tenant_id').notNull().references(() => tenants.id),
  orgId: integer('org_id').notNull(),
  orgPath: text('org_path').notNull(),
  year: integer('year').notNull(),
  userId: integer('user_id'),
  status: text('status').notNull(),
  total: integer('total').notNull().default(0),
  done: integer('done').notNull().default(0),
  result: jsonb('result'),
  ...versioned,
});
