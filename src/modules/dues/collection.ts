import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/connection.js';
import { addMonths, monthStart } from '../../domain/dates.js';
import { toMonth } from '../../domain/duesMonths.js';
import { invalid } from '../../platform/errors.js';
import { pathPredicate, requireAllInScope, type Scope } from '../../platform/scope.js';
import type { WriteCtx } from '../../platform/write.js';
import type { CollectionInput, CollectionResult, CollectionRow, CollectionView } from './contract.js';
import { memberMonths, narrowed, orgInScope, type MemberMonthRow, type OrgRow } from './queries.js';
import { monthLabel, monthStatus } from './views.js';

/**
 * The monthly collection screen (DOMAIN.md §1.7): one call per branch and month answers every member
 * with the due and its status; "all paid as due" records everyone still unpaid in ONE transaction,
 * with per-member exceptions inline. The member set is checked as a set (STYLE.md §2): an exception
 * naming anyone outside the caller's scope refuses the whole request.
 */
const MAX_MEMBERS = 2000;

async function monthRows(db: Db, scope: Scope, tenantId: number, month: string): Promise<MemberMonthRow[]> {
  const r = await memberMonths(db, { tenantId, orgPredicate: pathPredicate(sql`o.path`, scope), from: month, to: month, withVoluntary: true });
  if (r.length > MAX_MEMBERS) throw invalid('该组织党员人数过多，请选择具体的党支部收缴');
  return r;
}

function buildView(org: OrgRow, month: string, today: string, list: MemberMonthRow[]): CollectionView {
  const out: CollectionRow[] = list.map((r) => ({
    personId: r.person_id,
    name: r.name,
    stage: r.stage,
    isMobile: r.is_mobile,
    category: r.category,
    dueFen: r.due_fen,
    reduction: (r.reduction_kind as CollectionRow['reduction']) ?? null,
    status: monthStatus(r, today),
    payment: r.payment_id
      ? { id: r.payment_id, amountFen: r.amount_fen!, paidOn: r.paid_on!, channel: r.channel!, receiptNo: r.receipt_no, backPayment: !!r.back_payment, orgId: r.payment_org_id! }
      : null,
    voluntaryFen: r.voluntary_fen ?? 0,
  }));
  const totals = {
    members: out.length,
    dueFen: out.reduce((s, r) => s + (r.dueFen ?? 0), 0),
    paidFen: out.reduce((s, r) => s + (r.payment?.amountFen ?? 0), 0),
    paidCount: out.filter((r) => r.status === 'paid' || r.status === 'partial').length,
    unpaidCount: out.filter((r) => r.status === 'unpaid' || r.status === 'pending').length,
    exemptCount: out.filter((r) => r.status === 'exempt').length,
    noBaseCount: out.filter((r) => r.status === 'noBase').length,
    voluntaryFen: out.reduce((s, r) => s + r.voluntaryFen, 0),
  };
  return { org: { id: org.id, name: org.name, kind: org.kind }, month: month.slice(0, 7), today, ended: addMonths(month, 1) <= today, rows: out, totals };
}

export async function collectionView(db: Db, scope: Scope, orgId: number, monthText: string, today: string): Promise<CollectionView> {
  const { scope: s, org } = await narrowed(db, scope, orgId);
  const month = toMonth(monthText);
  const list = await monthRows(db, s, scope.tenantId, month);
  return buildView(org, month, today, list);
}

export async function recordCollection(w: WriteCtx, scope: Scope, input: CollectionInput): Promise<CollectionResult> {
  const org = await orgInScope(w.tx, scope, input.orgId);
  const s: Scope = { ...scope, paths: [org.path] };
  const month = toMonth(input.month);
  if (month > monthStart(w.today)) throw invalid('不能为尚未到来的月份批量登记，预交请逐人登记', { month: '月份不能晚于本月' });
  if (input.paidOn > w.today) throw invalid('缴费日期不能晚于今天', { paidOn: '缴费日期不能晚于今天' });
  if (input.paidOn < month) throw invalid('批量登记的缴费日期不能早于该月1日', { paidOn: '缴费日期不能早于该月' });
  const exceptions = new Map(input.exceptions.map((e) => [e.personId, e]));
  if (exceptions.size !== input.exceptions.length) throw invalid('同一党员的例外只能填写一次');
  // Set-based scope check: every named person must be in scope, or nothing is recorded.
  await requireAllInScope(w.tx, scope, 'people', [...exceptions.keys()]);
  const list = await monthRows(w.tx, s, w.tenantId, month);
  const byId = new Map(list.map((r) => [r.person_id, r]));
  const strangers = [...exceptions.keys()].filter((id) => !byId.has(id));
  if (strangers.length) throw invalid('例外名单中有人不是本组织该月应交党费的党员', { exceptions: '名单不符' });

  const skipped: CollectionResult['skipped'] = [];
  const toPay: { r: MemberMonthRow; amount: number; due: number; channel: string }[] = [];
  const exempt: MemberMonthRow[] = [];
  const back = month < monthStart(input.paidOn);
  for (const r of list) {
    const e = exceptions.get(r.person_id);
    if (r.payment_id) {
      if (e) skipped.push({ personId: r.person_id, name: r.name, reason: '该月已有缴费记录，如需更正请先冲正' });
      continue;
    }
    if (e?.action === 'unpaid') continue;
    if (e?.action === 'exempt') {
      if (!e.decision) throw invalid(`${r.name}免交须填写批准组织、日期和文号（第七条）`, { exceptions: '免交须填写批准决定' });
      exempt.push(r);
      continue;
    }
    const amount = e?.action === 'amount' ? e.amountFen ?? null : r.due_fen;
    if (r.due_fen === 0 && e?.action !== 'amount') continue; // exempt month: nothing owed
    if (amount === null) {
      skipped.push({ personId: r.person_id, name: r.name, reason: '尚未核定党费基数' });
      continue;
    }
    if (amount <= 0) {
      if (e) throw invalid(`${r.name}的实缴金额应大于0；未缴请选择“未缴”`, { exceptions: '金额应大于0' });
      continue;
    }
    toPay.push({ r, amount, due: r.due_fen ?? amount, channel: e?.channel ?? input.channel });
  }

  for (const r of exempt) {
    const e = exceptions.get(r.person_id)!;
    if (r.reduction_id) {
      skipped.push({ personId: r.person_id, name: r.name, reason: '该月已有减免记录' });
      continue;
    }
    const red = await rows<{ id: number }>(w.tx, sql`insert into dues_reductions (tenant_id, org_id, person_id, from_month, to_month, kind, monthly_fen, decision, created_at, updated_at)
      values (${w.tenantId}, ${r.org_id}, ${r.person_id}, ${month}, ${month}, 'exemption', 0, ${JSON.stringify(e.decision)}::jsonb, ${w.now}, ${w.now}) returning id`);
    w.audit({ action: 'create', entity: 'duesReduction', entityId: red[0].id, orgId: r.org_id, after: { personId: r.person_id, name: r.name, kind: 'exemption', fromMonth: input.month, toMonth: input.month, decision: e.decision } });
  }

  let created = 0;
  if (toPay.length) {
    const inserted = await rows<{ id: number; person_id: number }>(w.tx, sql`insert into dues_payments (tenant_id, org_id, org_path, person_id, month, kind, amount_fen, paid_on,
        channel, receipt_no, back_payment, recorded_by, created_at, updated_at) values ${sql.join(toPay.map((p) => sql`(${w.tenantId}, ${org.id}, ${org.path}, ${p.r.person_id},
        ${month}, 'due', ${Math.min(p.amount, p.due)}, ${input.paidOn}, ${p.channel}, ${input.receiptNo ?? null}, ${back}, ${w.actor.userId}, ${w.now}, ${w.now})`), sql`, `)}
      on conflict do nothing returning id, person_id`);
    const won = new Map(inserted.map((x) => [x.person_id, x.id]));
    for (const p of toPay) if (!won.has(p.r.person_id)) skipped.push({ personId: p.r.person_id, name: p.r.name, reason: '该月缴费已由他人同时登记' });
    const extra = toPay.filter((p) => won.has(p.r.person_id) && p.amount > p.due);
    if (extra.length) {
      await w.tx.execute(sql`insert into dues_payments (tenant_id, org_id, org_path, person_id, month, kind, amount_fen, paid_on, channel, receipt_no, reason, recorded_by, created_at, updated_at)
        values ${sql.join(extra.map((p) => sql`(${w.tenantId}, ${org.id}, ${org.path}, ${p.r.person_id}, ${month}, 'voluntary', ${p.amount - p.due}, ${input.paidOn}, ${p.channel},
        ${input.receiptNo ?? null}, '超出应缴部分计为自愿多交党费', ${w.actor.userId}, ${w.now}, ${w.now})`), sql`, `)}`);
    }
    created = inserted.length + extra.length;
    for (const p of toPay) {
      const id = won.get(p.r.person_id);
      if (id) w.audit({ action: 'create', entity: 'duesPayment', entityId: id, orgId: org.id, after: { personId: p.r.person_id, name: p.r.name, month: input.month, kind: 'due', amountFen: Math.min(p.amount, p.due), excessFen: Math.max(0, p.amount - p.due), paidOn: input.paidOn, channel: p.channel, bulk: true } });
    }
  }
  if (created || exempt.length) {
    w.touch('duesPayment', org.path);
    if (exempt.length) w.touch('duesReduction', org.path);
    w.audit({ action: 'create', entity: 'duesCollection', orgId: org.id, meta: { month: input.month, paidOn: input.paidOn, created, exempted: exempt.length, exceptions: input.exceptions.length, label: `${monthLabel(month)}党费批量登记` } });
  }
  return { ...buildView(org, month, w.today, await monthRows(w.tx, s, w.tenantId, month)), created, skipped };
}
