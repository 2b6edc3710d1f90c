import { boolean, date, index, integer, pgTable, primaryKey, serial, text } from 'drizzle-orm/pg-core';
import { versioned } from './common.js';
import { orgs, tenants } from './orgs.js';

/**
 * The person registry (党员 and the development pipeline). Current org/stage/state are denormalized
 * from `membership_periods` for fast lists; stock figures read the periods. ID number, mobile and
 * address are AES-256-GCM ciphertext; `*_bidx` are HMAC blind indexes for exact search.
 */
export const people = pgTable(
  'people',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    orgId: integer('org_id').notNull().references(() => orgs.id),
    /** Copy of orgs.path of org_id, kept in step on transfer and subtree move. */
    orgPath: text('org_path').notNull(),
    groupId: integer('group_id'),
    name: text('name').notNull(),
    gender: text('gender').notNull(),
    ethnicity: text('ethnicity').notNull(),
    birthDate: date('birth_date', { mode: 'string' }).notNull(),
    idNumberEnc: text('id_number_enc'),
    idNumberBidx: text('id_number_bidx'),
    /** Masked form kept for lists so that masking never needs a decrypt. */
    idNumberMasked: text('id_number_masked'),
    idNumberProblem: text('id_number_problem'),
    mobileEnc: text('mobile_enc'),
    mobileBidx: text('mobile_bidx'),
    mobileMasked: text('mobile_masked'),
    addressEnc: text('address_enc'),
    education: text('education'),
    occupation: text('occupation'),
    workUnit: text('work_unit'),
    stage: text('stage').notNull(),
    state: text('state').notNull(),
    exitType: text('exit_type'),
    admittedOn: date('admitted_on', { mode: 'string' }),
    fullOn: date('full_on', { mode: 'string' }),
    fullOnNote: text('full_on_note'),
    relationStartPresumed: boolean('relation_start_presumed').notNull().default(false),
    isMobile: boolean('is_mobile').notNull().default(false),
    transferPending: boolean('transfer_pending').notNull().default(false),
    ...versioned,
  },
  (t) => [
    index('people_tenant_name_idx').on(t.tenantId, t.name, t.id),
    index('people_org_name_idx').on(t.orgId, t.name, t.id),
    index('people_org_path_idx').using('btree', t.orgPath.op('text_pattern_ops')),
    index('people_id_bidx_idx').on(t.tenantId, t.idNumberBidx),
    index('people_mobile_bidx_idx').on(t.tenantId, t.mobileBidx),
  ],
);

/**
 * Effective-dated membership history: each change of formal org, stage or state closes the open
 * interval (valid_to, exclusive) and opens the next, so a stock figure as of D reads
 * `valid_from <= D AND (valid_to IS NULL OR valid_to > D)` and last year's values never move.
 */
export const membershipPeriods = pgTable(
  'membership_periods',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    personId: integer('person_id').notNull().references(() => people.id),
    orgId: integer('org_id').notNull().references(() => orgs.id),
    stage: text('stage').notNull(),
    state: text('state').notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validTo: date('valid_to', { mode: 'string' }),
    startPresumed: boolean('start_presumed').notNull().default(false),
    reason: text('reason'),
    ...versioned,
  },
  (t) => [
    index('membership_periods_person_idx').on(t.personId, t.validFrom),
    index('membership_periods_org_idx').on(t.orgId, t.validFrom),
  ],
);

/** Posts (职务) held on dates at an org; a branch "has a committee" when ≥3 committee posts are held. */
export const postTerms = pgTable(
  'post_terms',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    orgId: integer('org_id').notNull().references(() => orgs.id),
    personId: integer('person_id').notNull().references(() => people.id),
    post: text('post').notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validTo: date('valid_to', { mode: 'string' }),
    ...versioned,
  },
  (t) => [index('post_terms_org_idx').on(t.orgId), index('post_terms_person_idx').on(t.personId)],
);

/**
 * People per (org path, stage, state), kept current by statement-level triggers on `people` (custom
 * migration), so an exact member total over a subtree is a sum over at most a few thousand rows
 * instead of a count over every person. Derived data: not backed up, rebuilt by the triggers on restore.
 */
export const memberCounts = pgTable(
  'member_counts',
  {
    tenantId: integer('tenant_id').notNull(),
    orgPath: text('org_path').notNull(),
    stage: text('stage').notNull(),
    state: text('state').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.orgPath, t.stage, t.state] }), index('member_counts_path_idx').using('btree', t.orgPath.op('text_pattern_ops'))],
);
