import { boolean, date, index, integer, jsonb, pgTable, primaryKey, serial, smallint, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { versioned } from './common.js';
import { orgs, tenants } from './orgs.js';
import { people } from './people.js';

/**
 * Party dues (党费, DOMAIN.md §1). Money is integer fen. Months are the first day of the month
 * ('YYYY-MM-01'). A base applies from its effective month until the next base of the person.
 */
export const duesBases = pgTable(
  'dues_bases',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    orgId: integer('org_id').notNull().references(() => orgs.id),
    personId: integer('person_id').notNull().references(() => people.id),
    effectiveMonth: date('effective_month', { mode: 'string' }).notNull(),
    category: text('category').notNull(),
    /** Monthly base in fen (in-service, retired, annual salary, self-employed, a farmer's declared income). */
    baseFen: integer('base_fen'),
    /** The pay slip: items with amounts and included/excluded, so the base is shown, not typed. */
    paySlip: jsonb('pay_slip'),
    /** Self-employed (第四条): the previous quarter's monthly net incomes whose average is the base. */
    quarterIncomes: jsonb('quarter_incomes'),
    /** For flat categories (farmer 20–100 fen, student … 20 fen, other: set by the branch). */
    flatFen: integer('flat_fen'),
    monthlyDueFen: integer('monthly_due_fen').notNull(),
    ruleSet: text('rule_set').notNull(),
    rounding: jsonb('rounding').notNull(),
    reason: text('reason'),
    ...versioned,
  },
  (t) => [uniqueIndex('dues_bases_uq').on(t.personId, t.effectiveMonth), index('dues_bases_org_idx').on(t.orgId)],
);

/** Approved reductions and exemptions (第七条), with the approving decision recorded. */
export const duesReductions = pgTable(
  'dues_reductions',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    orgId: integer('org_id').notNull(),
    personId: integer('person_id').notNull().references(() => people.id),
    fromMonth: date('from_month', { mode: 'string' }).notNull(),
    toMonth: date('to_month', { mode: 'string' }),
    kind: text('kind').notNull(),
    monthlyFen: integer('monthly_fen'),
    decision: jsonb('decision').notNull(),
    ...versioned,
  },
  (t) => [index('dues_reductions_person_idx').on(t.personId)],
);

/**
 * Payments. At most one effective `due` payment per member-month: the partial unique index is the
 * guarantee under concurrency (not an in-process lock). A correction is a `reversal` row linked to
 * the original, and recording it sets the original's reversed_by — the only update a payment row gets.
 */
export const duesPayments = pgTable(
  'dues_payments',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    /** The org that collected it (a mobile member's host org may collect). */
    orgId: integer('org_id').notNull().references(() => orgs.id),
    orgPath: text('org_path').notNull(),
    personId: integer('person_id').notNull().references(() => people.id),
    month: date('month', { mode: 'string' }).notNull(),
    kind: text('kind').notNull(),
    amountFen: integer('amount_fen').notNull(),
    paidOn: date('paid_on', { mode: 'string' }).notNull(),
    channel: text('channel').notNull(),
    receiptNo: text('receipt_no'),
    /** A back payment: recorded after the month ended; >6 months needs a reason (第十二条). */
    backPayment: boolean('back_payment').notNull().default(false),
    reason: text('reason'),
    reversalOf: integer('reversal_of'),
    reversedBy: integer('reversed_by'),
    recordedBy: integer('recorded_by'),
    ...versioned,
  },
  (t) => [
    uniqueIndex('dues_payments_one_due_uq').on(t.personId, t.month).where(sql`kind = 'due' and reversed_by is null`),
    index('dues_payments_path_month_idx').using('btree', t.orgPath.op('text_pattern_ops'), t.month),
    index('dues_payments_person_idx').on(t.personId, t.month),
  ],
);

/** Hand-in of collected dues to the higher organization (上缴). */
export const duesHandIns = pgTable(
  'dues_hand_ins',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    orgId: integer('org_id').notNull().references(() => orgs.id),
    orgPath: text('org_path').notNull(),
    toOrgId: integer('to_org_id').notNull().references(() => orgs.id),
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    periodEnd: date('period_end', { mode: 'string' }).notNull(),
    amountFen: integer('amount_fen').notNull(),
    handedOn: date('handed_on', { mode: 'string' }).notNull(),
    receiptNo: text('receipt_no').notNull(),
    /** Part of a single voluntary payment ≥ 1000 元 that goes wholly to the Centre (第十一条). */
    centralFen: integer('central_fen').notNull().default(0),
    ...versioned,
  },
  (t) => [uniqueIndex('dues_hand_ins_uq').on(t.orgId, t.periodStart, t.periodEnd), index('dues_hand_ins_path_idx').using('btree', t.orgPath.op('text_pattern_ops'))],
);

/**
 * The member-month ledger (issue 18): every owed member-month that has a due (a base in effect or a
 * reduction/exemption), with its org, due and effective `due` payment, through the horizon month kept
 * in system_meta 'dues_ledger_through'. Derived data kept current in the writing transaction by
 * statement-level triggers on people, membership_periods, dues_bases, dues_reductions and
 * dues_payments (custom migration); not backed up, rebuilt by the triggers on restore. One row per
 * (person, month, org of an active period overlapping the month): seq 1 is the org of the latest such
 * period, seq 2… earlier orgs of the same month (a transfer inside the month), so a subtree reads the
 * latest of its own periods exactly like the live query (src/modules/dues/queries.ts).
 */
export const duesMemberMonths = pgTable(
  'dues_member_months',
  {
    tenantId: integer('tenant_id').notNull(),
    personId: integer('person_id').notNull(),
    month: date('month', { mode: 'string' }).notNull(),
    orgId: integer('org_id').notNull(),
    /** Copy of orgs.path of org_id, rewritten by moveOrg (ORG_PATH_COLUMNS). */
    orgPath: text('org_path').notNull(),
    seq: smallint('seq').notNull(),
    baseId: integer('base_id'),
    category: text('category'),
    dueFen: integer('due_fen').notNull(),
    reductionId: integer('reduction_id'),
    paymentId: integer('payment_id'),
    paidOn: date('paid_on', { mode: 'string' }),
  },
  (t) => [
    primaryKey({ columns: [t.personId, t.month, t.orgId] }),
    index('dues_member_months_tenant_month_idx').on(t.tenantId, t.month),
    index('dues_member_months_path_idx').using('btree', t.orgPath.op('text_pattern_ops'), t.month),
  ],
);
