import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, jsonb, pgTable, serial, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { versioned } from './common.js';
import { orgs, tenants } from './orgs.js';
import { people } from './people.js';

/**
 * Organizational life (组织生活, DOMAIN.md §3.3–§3.4). A meeting is counted by the date it was HELD
 * (`held_on`), never by when it was entered; `entered_at` is kept and entries made more than 30 days
 * after the meeting are marked late (补录). One main kind plus optional "also counts as" kinds.
 */
export const meetings = pgTable(
  'meetings',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    orgId: integer('org_id').notNull().references(() => orgs.id),
    orgPath: text('org_path').notNull(),
    kind: text('kind').notNull(),
    alsoCountsAs: text('also_counts_as').array().notNull().default(sql`'{}'::text[]`),
    heldOn: date('held_on', { mode: 'string' }).notNull(),
    startTime: text('start_time'),
    endTime: text('end_time'),
    place: text('place'),
    hostPersonId: integer('host_person_id'),
    recorderPersonId: integer('recorder_person_id'),
    topic: text('topic').notNull(),
    agenda: jsonb('agenda').notNull().default(sql`'[]'::jsonb`),
    minutesHtml: text('minutes_html'),
    decisions: text('decisions'),
    lecturer: text('lecturer'),
    lectureTitle: text('lecture_title'),
    theme: text('theme'),
    /** The year a yearly 组织生活会 / 民主评议 counts for (may be the previous year when held Jan–Mar). */
    forYear: integer('for_year'),
    enteredAt: text('entered_at').notNull(),
    lateEntry: boolean('late_entry').notNull().default(false),
    /** Whether the meeting counts as held (a 支委会 without a majority of the committee does not). */
    countsAsHeld: boolean('counts_as_held').notNull().default(true),
    /** Whether its votes are valid (a 党员大会 below quorum counts as held, but cannot decide). */
    validForDecisions: boolean('valid_for_decisions').notNull().default(true),
    invalidReason: text('invalid_reason'),
    quorum: jsonb('quorum'),
    ruleSet: text('rule_set').notNull(),
    attachmentIds: integer('attachment_ids').array().notNull().default(sql`'{}'::int[]`),
    ...versioned,
  },
  (t) => [
    index('meetings_path_held_idx').using('btree', t.orgPath.op('text_pattern_ops'), t.heldOn),
    index('meetings_org_held_idx').on(t.orgId, t.heldOn),
  ],
);

/** Attendance per member: present / onLeave (with reason) / absent. One row per meeting and person. */
export const meetingAttendance = pgTable(
  'meeting_attendance',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    orgId: integer('org_id').notNull(),
    meetingId: integer('meeting_id').notNull().references(() => meetings.id),
    personId: integer('person_id').notNull().references(() => people.id),
    status: text('status').notNull(),
    leaveReason: text('leave_reason'),
    /** Had a vote on that date (a full member of the org; probationary members have none). */
    voting: boolean('voting').notNull().default(false),
    ...versioned,
  },
  (t) => [uniqueIndex('meeting_attendance_uq').on(t.meetingId, t.personId), index('meeting_attendance_person_idx').on(t.personId)],
);

/** Non-member attendees (列席人员). */
export const meetingGuests = pgTable('meeting_guests', {
  id: serial('id').primaryKey(),
  tenantId: integer('tenant_id').notNull(),
  meetingId: integer('meeting_id').notNull().references(() => meetings.id),
  name: text('name').notNull(),
  unitOrRole: text('unit_or_role'),
  ...versioned,
});

/** Votes taken at a meeting (admission, 转正, elections): counted by the shared vote function. */
export const meetingVotes = pgTable('meeting_votes', {
  id: serial('id').primaryKey(),
  tenantId: integer('tenant_id').notNull(),
  meetingId: integer('meeting_id').notNull().references(() => meetings.id),
  subject: text('subject').notNull(),
  subjectPersonId: integer('subject_person_id'),
  yes: integer('yes').notNull(),
  no: integer('no').notNull(),
  abstain: integer('abstain').notNull(),
  writtenYes: integer('written_yes').notNull().default(0),
  /** A roll-call vote: who voted how (`[{ personId, choice }]`); null when entered as counts. */
  ballots: jsonb('ballots'),
  result: jsonb('result').notNull(),
  ...versioned,
});

/** 谈心谈话: who talked with whom, when, about what. */
export const heartTalks = pgTable(
  'heart_talks',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    orgId: integer('org_id').notNull().references(() => orgs.id),
    orgPath: text('org_path').notNull(),
    heldOn: date('held_on', { mode: 'string' }).notNull(),
    personAId: integer('person_a_id').notNull().references(() => people.id),
    personBId: integer('person_b_id').notNull().references(() => people.id),
    topic: text('topic').notNull(),
    notes: text('notes'),
    ...versioned,
  },
  (t) => [index('heart_talks_path_idx').using('btree', t.orgPath.op('text_pattern_ops'), t.heldOn)],
);

/** 民主评议 round per branch per year, and the result per member. */
export const memberReviewRounds = pgTable(
  'member_review_rounds',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    orgId: integer('org_id').notNull().references(() => orgs.id),
    orgPath: text('org_path').notNull(),
    forYear: integer('for_year').notNull(),
    status: text('status').notNull(),
    meetingId: integer('meeting_id'),
    grades: jsonb('grades').notNull(),
    concludedOn: date('concluded_on', { mode: 'string' }),
    ...versioned,
  },
  (t) => [uniqueIndex('member_review_rounds_uq').on(t.orgId, t.forYear)],
);

export const memberReviewResults = pgTable(
  'member_review_results',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull(),
    roundId: integer('round_id').notNull().references(() => memberReviewRounds.id),
    personId: integer('person_id').notNull().references(() => people.id),
    selfAssessment: text('self_assessment'),
    peerTally: jsonb('peer_tally').notNull().default(sql`'{}'::jsonb`),
    grade: text('grade'),
    comment: text('comment'),
    ...versioned,
  },
  (t) => [uniqueIndex('member_review_results_uq').on(t.roundId, t.personId)],
);

/** Study hours (学时) not derived from meetings: self-study, training; and personal study plans. */
export const studyRecords = pgTable(
  'study_records',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    orgId: integer('org_id').notNull(),
    orgPath: text('org_path').notNull(),
    personId: integer('person_id').notNull().references(() => people.id),
    studiedOn: date('studied_on', { mode: 'string' }).notNull(),
    minutes: integer('minutes').notNull(),
    source: text('source').notNull(),
    title: text('title').notNull(),
    ...versioned,
  },
  (t) => [index('study_records_person_idx').on(t.personId, t.studiedOn)],
);

export const studyPlans = pgTable(
  'study_plans',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull(),
    personId: integer('person_id').notNull().references(() => people.id),
    year: integer('year').notNull(),
    plan: text('plan').notNull(),
    ...versioned,
  },
  (t) => [uniqueIndex('study_plans_uq').on(t.personId, t.year)],
);
