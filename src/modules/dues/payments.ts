import { sql } from 'drizzle-orm';
import { one, rows, type Db } from '../../db/connection.js';
import { addMonths, monthStart } from '../../domain/dates.js';
import { backPaymentMonths, backPaymentNeedsReason, firstOwedMonth, monthIndex, toMonth } from '../../domain/duesMonths.js';
import { duesRuleSetFor, isCentralGift } from '../../domain/duesRules.js';
import { labelOf } from '../../domain/vocab.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { inScope, type Scope } from '../../platform/scope.js';
import type { WriteCtx } from '../../platform/write.js';
import { PAYMENT_CHANNELS, type DuePaymentInput, type PaymentView, type ReversalInput, type VoluntaryPaymentInput } from './contract.js';
import { memberMonths, orgInScope, personInScope, type MemberMonthRow } from './queries.js';
import { duesSettingsFor } from './settings.js';
import { money, monthLabel, paymentViews } from './views.js';

/**
 * Payments (DOMAIN.md §1.4, §1.7). At most one effective `due` payment per member-month: the partial
 * unique index decides under concurrency, every insert is `on conflict do nothing`, and a request
 * that finds the month already paid returns that payment when amount, date and channel match (an
 * idempotent repeat), else 409. A payment is never edited or deleted: a correction is a reversal row.
 */
export interface PaymentOutcome {
  payments: PaymentView[];
  created: number;
}

const channelLabel = (c: string) => labelOf(PAYMENT_CHANNELS, c as never);

interface Existing {
  id: number;
  person_id: number;
  month: string;
  amount_fen: number;
  paid_on: string;
  channel: string;
}

async function effectiveDuePayments(db: Db, personId: number, months: string[]): Promise<Map<string, Existing>> {
  const r = await rows<Existing>(db, sql`select id, person_id, month::text as month, amount_fen, paid_on::text as paid_on, channel from dues_payments
    where person_id = ${personId} and kind = 'due' and reversed_by is null and month = any(${`{${months.join(',')}}`}::date[])`);
  return new Map(r.map((x) => [x.month, x]));
}

function sameOrConflict(e: Existing, amountFen: number, paidOn: string, channel: string): void {
  if (e.amount_fen === amountFen && e.paid_on === paidOn && e.channel === channel) return;
  throw conflict(`${monthLabel(e.month)}已有缴费记录（${money(e.amount_fen)}，${e.paid_on}，${channelLabel(e.channel)}），与本次登记不一致；如需更正，请先冲正原记录再重新登记`, {
    existing: { id: e.id, month: e.month.slice(0, 7), amountFen: e.amount_fen, paidOn: e.paid_on, channel: e.channel },
  });
}

function checkPaidOn(paidOn: string, today: string) {
  if (paidOn > today) throw invalid('缴费日期不能晚于今天', { paidOn: '缴费日期不能晚于今天' });
  if (paidOn < '2008-04-01') throw invalid('缴费日期过早，请核对', { paidOn: '缴费日期过早' });
}

/** The collecting org: the member's own, or (for a mobile member) the host org in the caller's scope. */
async function collectingOrg(w: WriteCtx, scope: Scope, person: { org_id: number; org_path: string; outOfScopeMobile: boolean }, orgId: number | null | undefined) {
  if (orgId && orgId !== person.org_id) return orgInScope(w.tx, scope, orgId);
  if (person.outOfScopeMobile) throw notFound('党员');
  return { id: person.org_id, path: person.org_path };
}

export async function recordDuePayments(w: WriteCtx, scope: Scope, input: DuePaymentInput): Promise<PaymentOutcome> {
  const person = await personInScope(w.tx, scope, input.personId, { allowMobile: true });
  const org = await collectingOrg(w, scope, person, input.orgId);
  checkPaidOn(input.paidOn, w.today);
  const months = [...new Set(input.months.map(toMonth))].sort();
  const first = person.admitted_on ? firstOwedMonth(person.admitted_on) : null;
  if (first && months[0] < first) throw invalid(`${monthLabel(months[0])}早于入党当月，不需交纳党费`, { months: '月份早于入党当月' });
  if (monthIndex(months[months.length - 1]) > monthIndex(addMonths(monthStart(w.today), 11))) throw invalid('预交党费不超过12个月', { months: '预交不超过12个月' });
  const settings = await duesSettingsFor(w.tx, w.tenantId, person.org_path);
  const set = duesRuleSetFor(monthStart(input.paidOn), settings.ruleSet);
  const back = backPaymentMonths(months, input.paidOn);
  if (backPaymentNeedsReason(back.length, set) && !input.reason) {
    throw invalid(`补交${back.length}个月，超过${set.constants.BACK_PAYMENT_MAX_MONTHS.value}个月，须填写理由`, { reason: '补交超过6个月须填写理由' });
  }
  const owed = new Map<string, MemberMonthRow>();
  for (const r of await memberMonths(w.tx, { tenantId: w.tenantId, orgPredicate: sql`true`, from: months[0], to: months[months.length - 1], personId: person.id })) owed.set(r.month, r);
  const plan = months.map((m) => {
    const r = owed.get(m);
    // A month ahead of the recorded membership (prepaying) is owed at the latest base.
    if (!r && m <= monthStart(w.today)) throw invalid(`${monthLabel(m)}该同志不在党籍期间内（未入党或已转出），不能登记党费`, { months: monthLabel(m) });
    const due = r?.due_fen ?? null;
    if (due === 0) throw invalid(`${monthLabel(m)}已批准免交；如自愿交纳，请登记为自愿多交党费`, { months: monthLabel(m) });
    const amount = input.amountFen ?? due;
    if (amount === null || amount === undefined) throw invalid(`${monthLabel(m)}尚未核定党费基数，请填写金额或先核定基数`, { amountFen: '请填写金额' });
    if (amount <= 0) throw invalid('缴费金额应大于0', { amountFen: '金额应大于0' });
    const dueAmount = due !== null ? Math.min(amount, due) : amount;
    return { month: m, dueAmount, excess: amount - dueAmount };
  });
  const existing = await effectiveDuePayments(w.tx, person.id, months);
  for (const p of plan) {
    const e = existing.get(p.month);
    if (e) sameOrConflict(e, p.dueAmount, input.paidOn, input.channel);
  }
  const fresh = plan.filter((p) => !existing.has(p.month));
  const ids: number[] = [...existing.values()].map((e) => e.id);
  let created = 0;
  if (fresh.length) {
    const inserted = await rows<{ id: number; month: string }>(w.tx, sql`insert into dues_payments (tenant_id, org_id, org_path, person_id, month, kind, amount_fen, paid_on, channel,
        receipt_no, back_payment, reason, recorded_by, created_at, updated_at) values ${sql.join(fresh.map((p) => sql`(${w.tenantId}, ${org.id}, ${org.path}, ${person.id}, ${p.month}, 'due',
        ${p.dueAmount}, ${input.paidOn}, ${input.channel}, ${input.receiptNo ?? null}, ${back.includes(p.month)}, ${input.reason ?? null}, ${w.actor.userId}, ${w.now}, ${w.now})`), sql`, `)}
      on conflict do nothing returning id, month::text as month`);
    const won = new Set(inserted.map((r) => r.month));
    // Lost a race: another request stored the month first; it must match, exactly as above.
    const lost = fresh.filter((p) => !won.has(p.month));
    if (lost.length) {
      const now = await effectiveDuePayments(w.tx, person.id, lost.map((p) => p.month));
      for (const p of lost) {
        const e = now.get(p.month);
        if (!e) throw conflict('缴费记录正被同时修改，请稍后重试');
        sameOrConflict(e, p.dueAmount, input.paidOn, input.channel);
        ids.push(e.id);
      }
    }
    const extra = fresh.filter((p) => won.has(p.month) && p.excess > 0);
    const volunteered = extra.length ? await rows<{ id: number }>(w.tx, sql`insert into dues_payments (tenant_id, org_id, org_path, person_id, month, kind, amount_fen, paid_on, channel,
        receipt_no, reason, recorded_by, created_at, updated_at) values ${sql.join(extra.map((p) => sql`(${w.tenantId}, ${org.id}, ${org.path}, ${person.id}, ${p.month}, 'voluntary',
        ${p.excess}, ${input.paidOn}, ${input.channel}, ${input.receiptNo ?? null}, '超出应缴部分计为自愿多交党费', ${w.actor.userId}, ${w.now}, ${w.now})`), sql`, `)} returning id`) : [];
    const newIds = [...inserted.map((r) => r.id), ...volunteered.map((r) => r.id)];
    ids.push(...newIds);
    created = newIds.length;
    for (const r of inserted) {
      const p = fresh.find((x) => x.month === r.month)!;
      w.audit({ action: 'create', entity: 'duesPayment', entityId: r.id, orgId: org.id, after: { personId: person.id, name: person.name, month: r.month.slice(0, 7), kind: 'due', amountFen: p.dueAmount, excessFen: p.excess, paidOn: input.paidOn, channel: input.channel, receiptNo: input.receiptNo ?? null, backPayment: back.includes(r.month), reason: input.reason ?? null } });
    }
    if (inserted.length) touchPayment(w, org.path, person.org_path);
  }
  const payments = ids.length ? await paymentViews(w.tx, sql`x.id = any(${`{${ids.join(',')}}`}::int[])`, sql`order by x.month, x.id`) : [];
  return { payments, created };
}

function touchPayment(w: WriteCtx, orgPath: string, personPath: string) {
  w.touch('duesPayment', orgPath);
  if (personPath !== orgPath) w.touch('duesPayment', personPath);
}

/** Voluntary dues (第十一条): unlimited; a single payment ≥ 1000 元 is flagged for the Centre. */
export async function recordVoluntary(w: WriteCtx, scope: Scope, input: VoluntaryPaymentInput): Promise<PaymentOutcome & { centralGift: boolean }> {
  const person = await personInScope(w.tx, scope, input.personId, { allowMobile: true });
  const org = await collectingOrg(w, scope, person, input.orgId);
  checkPaidOn(input.paidOn, w.today);
  const month = toMonth(input.month);
  // A repeat carrying the same receipt is the same payment (there is no unique index for voluntary dues).
  if (input.receiptNo) {
    const same = await one<{ id: number }>(w.tx, sql`select id from dues_payments where person_id = ${person.id} and kind = 'voluntary' and reversed_by is null
      and month = ${month} and amount_fen = ${input.amountFen} and paid_on = ${input.paidOn} and receipt_no = ${input.receiptNo} limit 1`);
    if (same) return { payments: await paymentViews(w.tx, sql`x.id = ${same.id}`), created: 0, centralGift: isCentralGift(input.amountFen) };
  }
  const r = await one<{ id: number }>(w.tx, sql`insert into dues_payments (tenant_id, org_id, org_path, person_id, month, kind, amount_fen, paid_on, channel, receipt_no, reason,
      recorded_by, created_at, updated_at) values (${w.tenantId}, ${org.id}, ${org.path}, ${person.id}, ${month}, 'voluntary', ${input.amountFen}, ${input.paidOn}, ${input.channel},
      ${input.receiptNo ?? null}, ${input.reason ?? null}, ${w.actor.userId}, ${w.now}, ${w.now}) returning id`);
  const centralGift = isCentralGift(input.amountFen);
  w.audit({ action: 'create', entity: 'duesPayment', entityId: r!.id, orgId: org.id, after: { personId: person.id, name: person.name, month: input.month, kind: 'voluntary', amountFen: input.amountFen, paidOn: input.paidOn, channel: input.channel, receiptNo: input.receiptNo ?? null, centralGift } });
  touchPayment(w, org.path, person.org_path);
  return { payments: await paymentViews(w.tx, sql`x.id = ${r!.id}`), created: 1, centralGift };
}

/**
 * A correction (冲正): a reversal row with the negative amount linked to the original, and the
 * original's reversed_by set in the same transaction — the only update a payment row ever gets.
 * The conditional update makes two concurrent reversals of one payment end with exactly one.
 */
export async function reversePayment(w: WriteCtx, scope: Scope, input: ReversalInput) {
  const target = input.paymentId
    ? await one<OriginalRow>(w.tx, sql`${ORIGINAL} where x.id = ${input.paymentId} and x.tenant_id = ${w.tenantId}`)
    : await one<OriginalRow>(w.tx, sql`${ORIGINAL} where x.person_id = ${input.personId!} and x.tenant_id = ${w.tenantId} and x.month = ${toMonth(input.month!)}
        and x.kind = 'due' and x.reversed_by is null`);
  if (!target || !(inScope(scope, target.org_path) || inScope(scope, target.person_path))) throw notFound('缴费记录');
  if (target.kind === 'reversal') throw conflict('冲正记录不能再次冲正');
  if (target.reversed_by !== null) throw conflict('该缴费记录已冲正，请勿重复操作');
  const rev = await one<{ id: number }>(w.tx, sql`insert into dues_payments (tenant_id, org_id, org_path, person_id, month, kind, amount_fen, paid_on, channel, receipt_no,
      back_payment, reason, reversal_of, recorded_by, created_at, updated_at)
    values (${w.tenantId}, ${target.org_id}, ${target.org_path}, ${target.person_id}, ${target.month}, 'reversal', ${-target.amount_fen}, ${w.today}, ${target.channel},
      ${target.receipt_no}, false, ${input.reason}, ${target.id}, ${w.actor.userId}, ${w.now}, ${w.now}) returning id`);
  const upd = await rows<{ id: number }>(w.tx, sql`update dues_payments set reversed_by = ${rev!.id}, version = version + 1, updated_at = ${w.now}
    where id = ${target.id} and reversed_by is null returning id`);
  if (upd.length !== 1) throw conflict('该缴费记录已冲正，请勿重复操作');
  w.audit({ action: 'create', entity: 'duesPayment', entityId: rev!.id, orgId: target.org_id, after: { kind: 'reversal', reversalOf: target.id, personId: target.person_id, month: target.month.slice(0, 7), amountFen: -target.amount_fen, reason: input.reason } });
  w.audit({ action: 'update', entity: 'duesPayment', entityId: target.id, orgId: target.org_id, before: { reversedBy: null }, after: { reversedBy: rev!.id } });
  touchPayment(w, target.org_path, target.person_path);
  const payments = await paymentViews(w.tx, sql`x.id in (${target.id}, ${rev!.id})`, sql`order by x.id`);
  return { original: payments.find((p) => p.id === target.id)!, reversal: payments.find((p) => p.id === rev!.id)! };
}

interface OriginalRow {
  id: number; org_id: number; org_path: string; person_id: number; person_path: string; month: string; kind: string; amount_fen: number; channel: string;
  receipt_no: string | null; reversed_by: number | null;
}
const ORIGINAL = sql`select x.id, x.org_id, x.org_path, x.person_id, p.org_path as person_path, x.month::text as month, x.kind, x.amount_fen, x.channel, x.receipt_no, x.reversed_by
  from dues_payments x join people p on p.id = x.person_id`;
