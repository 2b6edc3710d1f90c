import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, jsonb, pgTable, serial, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { versioned } from './common.js';
import { orgs, tenants } from './orgs.js';
import { people } from './people.js';

/**
 * The member development pipeline (发展党员, DOMAIN.md §2; issue 14). One record per person, keeping
 * the rule set it started under; `current_step` / `next_step` are denormalized from the step entries
 * for the board. Contact persons (1–2) and introducers (2) are person ids of full members.
 */
export const developmentRecords = pgTable(
  'development_records',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    personId: integer('person_id').notNull().references(() => people.id),
    orgId: integer('org_id').notNull().references(() => orgs.id),
    /** Copy of orgs.path of org_id (the person's branch when the record was last written). */
    orgPath: text('org_path').notNull(),
    ruleSet: text('rule_set').notNull(),
    currentStep: integer('current_step').notNull(),
    nextStep: integer('next_step'),
    contactPersonIds: integer('contact_person_ids').array().notNull().default(sql`'{}'::int[]`),
    introducerIds: integer('introducer_ids').array().notNull().default(sql`'{}'::int[]`),
    /** 生产工作一线 (DOMAIN.md §2.5 statistics). */
    frontLine: boolean('front_line').notNull().default(false),
    ...versioned,
  },
  (t) => [
    uniqueIndex('development_records_person_idx').on(t.personId),
    index('development_records_path_idx').using('btree', t.orgPath.op('text_pattern_ops')),
  ],
);

/**
 * A dated step entry: who did it, the decision, the documents provided and their attachments; an
 * assembly step (15, 23) names the member-assembly meeting and the subject person — never a
 * meeting_votes id, which is not stable when a meeting is edited. `details` keeps the step's own data
 * (training length, 公示 dates, the date the resolution reached the committee, a special reason), and
 * `issues` the flags raised when it was recorded, under `rule_set`.
 */
export const developmentSteps = pgTable(
  'development_steps',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    recordId: integer('record_id').notNull().references(() => developmentRecords.id),
    personId: integer('person_id').notNull().references(() => people.id),
    orgId: integer('org_id').notNull().references(() => orgs.id),
    orgPath: text('org_path').notNull(),
    step: integer('step').notNull(),
    doneOn: date('done_on', { mode: 'string' }).notNull(),
    actorName: text('actor_name').notNull(),
    decision: text('decision'),
    documents: text('documents').array().notNull().default(sql`'{}'::text[]`),
    attachmentIds: integer('attachment_ids').array().notNull().default(sql`'{}'::int[]`),
    meetingId: integer('meeting_id'),
    subjectPersonId: integer('subject_person_id'),
    details: jsonb('details').notNull().default(sql`'{}'::jsonb`),
    issues: jsonb('issues').notNull().default(sql`'[]'::jsonb`),
    ruleSet: text('rule_set').notNull(),
    note: text('note'),
    ...versioned,
  },
  (t) => [
    index('development_steps_record_idx').on(t.recordId, t.step),
    index('development_steps_path_idx').using('btree', t.orgPath.op('text_pattern_ops'), t.step, t.doneOn),
  ],
);
