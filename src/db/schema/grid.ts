import { date, index, integer, jsonb, pgTable, serial, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { versioned } from './common.js';
import { orgs, tenants } from './orgs.js';
import { users } from './auth.js';

/**
 * Grids (网格, DOMAIN.md §10): a second tree under a community (org_id is the community's
 * basicCommittee), each linked to the Party branch or group that serves it. Households belong to a
 * grid; the head's ID number and mobile are ciphertext with masked copies and blind indexes, as on
 * `people`.
 */
export const grids = pgTable(
  'grids',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    orgId: integer('org_id').notNull().references(() => orgs.id),
    orgPath: text('org_path').notNull(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    /** comprehensive (综合网格) | dedicated (专属网格: school, hospital, firm, office) */
    kind: text('kind').notNull(),
    servingOrgId: integer('serving_org_id').references(() => orgs.id),
    leaderName: text('leader_name'),
    /** Business date the grid was set up (stock figures count from it). */
    recordedOn: date('recorded_on', { mode: 'string' }).notNull(),
    ...versioned,
  },
  (t) => [uniqueIndex('grids_org_code_uq').on(t.orgId, t.code), index('grids_path_idx').using('btree', t.orgPath.op('text_pattern_ops'))],
);

export const households = pgTable(
  'households',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    orgId: integer('org_id').notNull().references(() => orgs.id),
    orgPath: text('org_path').notNull(),
    gridId: integer('grid_id').notNull().references(() => grids.id),
    building: text('building').notNull(),
    unit: text('unit'),
    room: text('room').notNull(),
    headName: text('head_name').notNull(),
    idNumberEnc: text('id_number_enc'),
    idNumberBidx: text('id_number_bidx'),
    idNumberMasked: text('id_number_masked'),
    mobileEnc: text('mobile_enc'),
    mobileBidx: text('mobile_bidx'),
    mobileMasked: text('mobile_masked'),
    residents: integer('residents').notNull().default(1),
    tags: jsonb('tags').notNull().default(sql`'[]'::jsonb`),
    /** Business date the household was registered (stock figures count from it). */
    recordedOn: date('recorded_on', { mode: 'string' }).notNull(),
    ...versioned,
  },
  (t) => [
    index('households_grid_idx').on(t.gridId, t.building, t.room),
    index('households_path_idx').using('btree', t.orgPath.op('text_pattern_ops')),
    index('households_id_bidx_idx').on(t.tenantId, t.idNumberBidx),
  ],
);

/**
 * Resident requests (诉求、微心愿…, DOMAIN.md §10.1). Submitted without an account: the requester
 * holds a random tracking token, of which only the SHA-256 is stored (unique). The state follows
 * domain/requestWorkflow.ts; every transition is audited.
 */
export const residentRequests = pgTable(
  'resident_requests',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    /** The community that handles it. */
    orgId: integer('org_id').notNull().references(() => orgs.id),
    orgPath: text('org_path').notNull(),
    gridId: integer('grid_id').references(() => grids.id),
    kind: text('kind').notNull(),
    state: text('state').notNull(),
    channel: text('channel').notNull(),
    content: text('content').notNull(),
    contactName: text('contact_name').notNull(),
    mobileEnc: text('mobile_enc'),
    mobileBidx: text('mobile_bidx'),
    mobileMasked: text('mobile_masked'),
    addressEnc: text('address_enc'),
    tokenHash: text('token_hash').notNull(),
    submittedOn: date('submitted_on', { mode: 'string' }).notNull(),
    acceptedOn: date('accepted_on', { mode: 'string' }),
    answeredOn: date('answered_on', { mode: 'string' }),
    answer: text('answer'),
    handledBy: integer('handled_by').references(() => users.id),
    reason: text('reason'),
    mergedInto: integer('merged_into'),
    escalatedOn: date('escalated_on', { mode: 'string' }),
    closedOn: date('closed_on', { mode: 'string' }),
    rating: text('rating'),
    ratedOn: date('rated_on', { mode: 'string' }),
    ratingComment: text('rating_comment'),
    ...versioned,
  },
  (t) => [
    uniqueIndex('resident_requests_token_uq').on(t.tokenHash),
    index('resident_requests_path_idx').using('btree', t.orgPath.op('text_pattern_ops'), t.submittedOn),
    index('resident_requests_state_idx').on(t.tenantId, t.state),
  ],
);

/** The claim of a wish (点单-接单): one per request, decided by the unique index under concurrency. */
export const requestClaims = pgTable(
  'request_claims',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    requestId: integer('request_id').notNull().references(() => residentRequests.id),
    orgId: integer('org_id').notNull().references(() => orgs.id),
    orgPath: text('org_path').notNull(),
    claimantUserId: integer('claimant_user_id').notNull().references(() => users.id),
    /** A partner unit recorded by staff; null when the user claims for themselves. */
    partnerUnit: text('partner_unit'),
    claimantName: text('claimant_name').notNull(),
    claimedOn: date('claimed_on', { mode: 'string' }).notNull(),
    ...versioned,
  },
  (t) => [uniqueIndex('request_claims_request_uq').on(t.requestId), index('request_claims_path_idx').using('btree', t.orgPath.op('text_pattern_ops'))],
);
