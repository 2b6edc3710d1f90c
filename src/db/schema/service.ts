import { boolean, check, date, index, integer, pgTable, serial, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { versioned } from './common.js';
import { orgs, tenants } from './orgs.js';
import { people } from './people.js';

/**
 * Serving the community (issue 19, src/modules/service): volunteer teams, activities and hours; visits
 * and care; pairings (结对); practical deeds (我为群众办实事). Every row belongs to an org and carries a
 * copy of its path (ORG_PATH_COLUMNS). Personal data of non-members (mobile, ID number, home address)
 * is stored exactly like the registry's: AES-256-GCM ciphertext, blind index, masked copy.
 */
export const serviceTeams = pgTable(
  'service_teams',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    orgId: integer('org_id').notNull().references(() => orgs.id),
    orgPath: text('org_path').notNull(),
    name: text('name').notNull(),
    note: text('note'),
    ...versioned,
  },
  (t) => [uniqueIndex('service_teams_org_name_uq').on(t.orgId, t.name), index('service_teams_path_idx').using('btree', t.orgPath.op('text_pattern_ops'))],
);

/** Volunteers without a Party stage (群众志愿者): not in `people`, so no member list or figure counts them. */
export const serviceVolunteers = pgTable(
  'service_volunteers',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    orgId: integer('org_id').notNull().references(() => orgs.id),
    orgPath: text('org_path').notNull(),
    name: text('name').notNull(),
    gender: text('gender'),
    mobileEnc: text('mobile_enc'),
    mobileBidx: text('mobile_bidx'),
    mobileMasked: text('mobile_masked'),
    idNumberEnc: text('id_number_enc'),
    idNumberBidx: text('id_number_bidx'),
    idNumberMasked: text('id_number_masked'),
    ...versioned,
  },
  (t) => [
    index('service_volunteers_path_idx').using('btree', t.orgPath.op('text_pattern_ops')),
    uniqueIndex('service_volunteers_mobile_uq').on(t.tenantId, t.mobileBidx).where(sql`mobile_bidx is not null`),
  ],
);

/** Members of a team: a Party member (person_id) or a volunteer (volunteer_id), each once per team. */
export const serviceTeamMembers = pgTable(
  'service_team_members',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    teamId: integer('team_id').notNull().references(() => serviceTeams.id),
    personId: integer('person_id').references(() => people.id),
    volunteerId: integer('volunteer_id').references(() => serviceVolunteers.id),
    ...versioned,
  },
  (t) => [
    uniqueIndex('service_team_members_person_uq').on(t.teamId, t.personId).where(sql`person_id is not null`),
    uniqueIndex('service_team_members_volunteer_uq').on(t.teamId, t.volunteerId).where(sql`volunteer_id is not null`),
    check('service_team_members_one_chk', sql`(person_id is null) <> (volunteer_id is null)`),
  ],
);

export const serviceActivities = pgTable(
  'service_activities',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    orgId: integer('org_id').notNull().references(() => orgs.id),
    orgPath: text('org_path').notNull(),
    teamId: integer('team_id').references(() => serviceTeams.id),
    title: text('title').notNull(),
    /** One of the setting `service.activityKinds` when recorded. */
    kind: text('kind').notNull(),
    heldOn: date('held_on', { mode: 'string' }).notNull(),
    startTime: text('start_time'),
    endTime: text('end_time'),
    place: text('place'),
    capacity: integer('capacity'),
    ruleSet: text('rule_set').notNull(),
    ...versioned,
  },
  (t) => [index('service_activities_path_held_idx').using('btree', t.orgPath.op('text_pattern_ops'), t.heldOn)],
);

/**
 * One row per person and activity: sign-up, check-in and confirmed minutes. Exactly one row per
 * member or volunteer and activity is the partial unique index; the check-in is a conditional update
 * (`checked_in_at is null`), so two devices checking the same person in store one check-in.
 */
export const serviceParticipations = pgTable(
  'service_participations',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    orgId: integer('org_id').notNull().references(() => orgs.id),
    orgPath: text('org_path').notNull(),
    activityId: integer('activity_id').notNull().references(() => serviceActivities.id),
    personId: integer('person_id').references(() => people.id),
    volunteerId: integer('volunteer_id').references(() => serviceVolunteers.id),
    signedUpAt: text('signed_up_at'),
    checkedInAt: text('checked_in_at'),
    checkedInBy: integer('checked_in_by'),
    minutes: integer('minutes'),
    confirmedBy: integer('confirmed_by'),
    confirmedAt: text('confirmed_at'),
    ...versioned,
  },
  (t) => [
    uniqueIndex('service_participations_person_uq').on(t.activityId, t.personId).where(sql`person_id is not null`),
    uniqueIndex('service_participations_volunteer_uq').on(t.activityId, t.volunteerId).where(sql`volunteer_id is not null`),
    check('service_participations_one_chk', sql`(person_id is null) <> (volunteer_id is null)`),
    index('service_participations_path_idx').using('btree', t.orgPath.op('text_pattern_ops')),
  ],
);

/**
 * A household as free text until a grid/household module exists: the address is personal data
 * (encrypted, masked in lists); care tags from the vocabulary. Visits, pairings and deeds link here,
 * so a later household module links these rows without a data migration.
 */
export const serviceHouseholds = pgTable(
  'service_households',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    orgId: integer('org_id').notNull().references(() => orgs.id),
    orgPath: text('org_path').notNull(),
    headName: text('head_name').notNull(),
    addressEnc: text('address_enc').notNull(),
    addressMasked: text('address_masked').notNull(),
    careTags: text('care_tags').array().notNull().default(sql`'{}'::text[]`),
    /** A member of the household who is a Party member (e.g. a 困难党员), when there is one. */
    personId: integer('person_id').references(() => people.id),
    note: text('note'),
    ...versioned,
  },
  (t) => [index('service_households_path_idx').using('btree', t.orgPath.op('text_pattern_ops'))],
);

export const serviceVisits = pgTable(
  'service_visits',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    orgId: integer('org_id').notNull().references(() => orgs.id),
    orgPath: text('org_path').notNull(),
    householdId: integer('household_id').notNull().references(() => serviceHouseholds.id),
    visitedOn: date('visited_on', { mode: 'string' }).notNull(),
    kind: text('kind').notNull(),
    /** Who visited: Party members (people ids), at least one. */
    visitorIds: integer('visitor_ids').array().notNull(),
    moneyFen: integer('money_fen').notNull().default(0),
    goods: text('goods'),
    note: text('note'),
    followUpNeeded: boolean('follow_up_needed').notNull().default(false),
    followUpNote: text('follow_up_note'),
    attachmentIds: integer('attachment_ids').array().notNull().default(sql`'{}'::int[]`),
    ...versioned,
  },
  (t) => [index('service_visits_path_on_idx').using('btree', t.orgPath.op('text_pattern_ops'), t.visitedOn), index('service_visits_household_idx').on(t.householdId, t.visitedOn)],
);

/** 结对帮扶: a member (or the org itself when person_id is null) and a household, with a visit frequency. */
export const servicePairings = pgTable(
  'service_pairings',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    orgId: integer('org_id').notNull().references(() => orgs.id),
    orgPath: text('org_path').notNull(),
    householdId: integer('household_id').notNull().references(() => serviceHouseholds.id),
    personId: integer('person_id').references(() => people.id),
    startOn: date('start_on', { mode: 'string' }).notNull(),
    endOn: date('end_on', { mode: 'string' }),
    /** Null: the setting `service.pairing.frequency` in force for the org. */
    frequency: text('frequency'),
    ...versioned,
  },
  (t) => [index('service_pairings_path_idx').using('btree', t.orgPath.op('text_pattern_ops')), index('service_pairings_household_idx').on(t.householdId)],
);

/** 我为群众办实事: planned → in progress → done (with evidence) or dropped (with a reason). */
export const serviceDeeds = pgTable(
  'service_deeds',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    orgId: integer('org_id').notNull().references(() => orgs.id),
    orgPath: text('org_path').notNull(),
    year: integer('year').notNull(),
    item: text('item').notNull(),
    source: text('source').notNull(),
    householdId: integer('household_id').references(() => serviceHouseholds.id),
    ownerPersonId: integer('owner_person_id').references(() => people.id),
    deadline: date('deadline', { mode: 'string' }),
    status: text('status').notNull(),
    plannedOn: date('planned_on', { mode: 'string' }).notNull(),
    startedOn: date('started_on', { mode: 'string' }),
    doneOn: date('done_on', { mode: 'string' }),
    droppedOn: date('dropped_on', { mode: 'string' }),
    dropReason: text('drop_reason'),
    evidence: text('evidence'),
    attachmentIds: integer('attachment_ids').array().notNull().default(sql`'{}'::int[]`),
    feedback: text('feedback'),
    ...versioned,
  },
  (t) => [index('service_deeds_path_year_idx').using('btree', t.orgPath.op('text_pattern_ops'), t.year)],
);
