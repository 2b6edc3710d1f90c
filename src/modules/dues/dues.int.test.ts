import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { one, rows } from '../../db/connection.js';
import { openTestApp, type TestApp } from '../../../test/db.js';
import type { CollectionResult, CollectionView, HandInView, HistoryView } from './contract.js';

/** Dues over HTTP on the seeded demo (today 2026-11-20): collection, payments, reversals, arrears, hand-in. */
let t: TestApp;
let branch: number;
let otherMember: number;
beforeAll(async () => {
  t = await openTestApp();
  branch = (await one<{ id: number }>(t.ctx.db, sql`select id from orgs where code = 'SFX010101'`))!.id;
  otherMember = (await one<{ id: number }>(t.ctx.db, sql`select p.id from people p join orgs o on o.id = p.org_id where o.code = 'SFX010102' order by p.id limit 1`))!.id;
});
afterAll(async () => t?.close());

const call = async (method: 'GET' | 'POST', url: string, user = 'branch1', payload?: unknown) => {
  const res = await t.built.app.inject({ method, url, payload: payload as never, headers: { cookie: await t.login(user) } });
  return { status: res.statusCode, body: res.headers['content-type']?.toString().includes('json') ? res.json() : res.rawPayload };
};
const openFindings = (rule: string, subject: number | string) =>
  rows(t.ctx.db, sql`select id, severity, period, condition_changed from findings where rule_id = ${rule} and subject_id = ${String(subject)} and status = 'open'`);

describe(`dues (${process.env.ZHIBU_TEST_DB ?? 'pglite'})`, () => {
  it('the demo has a year of dues with arrears findings (3 and 5 months) and a six-month case for branch1', async () => {
    const f = await rows<{ rule_id: string; period: string; severity: string }>(t.ctx.db, sql`select rule_id, period, severity from findings
      where rule_id like 'dues.arrears%' and org_id = ${branch} and status = 'open' order by rule_id, period`);
    expect(f.map((x) => `${x.rule_id}@${x.period.split('/')[1] ?? 'case'}:${x.severity}`).sort()).toEqual(['dues.arrears.case@case:case', 'dues.arrears@3:overdue', 'dues.arrears@5:overdue']);
    const months = await one<{ n: number }>(t.ctx.db, sql`select count(distinct month)::int as n from dues_payments`);
    expect(months!.n).toBe(12);
    // no status of a person ever changes: the six-month member is still an active member
    const c = await one<{ subject_id: string }>(t.ctx.db, sql`select subject_id from findings where rule_id = 'dues.arrears.case' and org_id = ${branch}`);
    expect((await one<{ state: string }>(t.ctx.db, sql`select state from people where id = ${Number(c!.subject_id)}`))!.state).toBe('active');
  });

  it('the collection screen lists every member of the branch with the due and status for the month', async () => {
    const r = await call('GET', `/api/dues/collection?org=${branch}&month=2026-10`);
    expect(r.status).toBe(200);
    const v = r.body as CollectionView;
    expect(v.rows.length).toBeGreaterThanOrEqual(12);
    expect(v.ended).toBe(true);
    expect(v.rows.filter((x) => x.status === 'unpaid')).toHaveLength(3);
    expect(v.totals.paidFen).toBe(v.rows.reduce((s, x) => s + (x.payment?.amountFen ?? 0), 0));
    // a mobile member of another branch paid here: not listed (their formal org lists them)
    expect(v.rows.every((x) => !x.isMobile)).toBe(true);
  });

  it('bulk month with one exception records everyone else in one transaction', async () => {
    const before = (await call('GET', `/api/dues/collection?org=${branch}&month=2026-11`)).body as CollectionView;
    expect(before.rows.every((x) => x.status === 'pending' || x.status === 'noBase' || x.status === 'exempt')).toBe(true);
    const skip = before.rows.find((x) => x.dueFen && x.dueFen > 0)!;
    const other = before.rows.filter((x) => x.dueFen && x.dueFen > 0)[1];
    const r = await call('POST', '/api/dues/collection', 'branch1', {
      orgId: branch, month: '2026-11', paidOn: '2026-11-20', channel: 'wechat',
      exceptions: [{ personId: skip.personId, action: 'unpaid' }, { personId: other.personId, action: 'amount', amountFen: other.dueFen! + 500, channel: 'cash' }],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const v = r.body as CollectionResult;
    const payable = before.rows.filter((x) => x.dueFen && x.dueFen > 0).length;
    expect(v.rows.filter((x) => x.status === 'paid')).toHaveLength(payable - 1);
    expect(v.rows.find((x) => x.personId === skip.personId)!.status).toBe('pending');
    const o = v.rows.find((x) => x.personId === other.personId)!;
    expect(o.payment).toMatchObject({ amountFen: other.dueFen, channel: 'cash' });
    expect(o.voluntaryFen).toBe(500); // anything above the due is voluntary dues
    expect(v.totals.voluntaryFen).toBe(500);
    const audit = await one<{ n: number }>(t.ctx.db, sql`select count(*)::int as n from audit_log where entity = 'duesPayment' and after->>'bulk' = 'true'`);
    expect(audit!.n).toBe(payable - 1);
    // a second "all paid" for the same month changes nothing
    const again = await call('POST', '/api/dues/collection', 'branch1', { orgId: branch, month: '2026-11', paidOn: '2026-11-20', channel: 'wechat', exceptions: [{ personId: skip.personId, action: 'unpaid' }] });
    expect(again.status).toBe(200);
    expect((again.body as CollectionResult).created).toBe(0);
  });

  it('idempotent repeat answers 200 with the stored payment; a conflicting repeat answers 409 in Chinese', async () => {
    const m = (await call('GET', `/api/dues/collection?org=${branch}&month=2026-12`)).body as CollectionView;
    const p = m.rows.find((x) => x.dueFen && x.dueFen > 0)!;
    const body = { kind: 'due', personId: p.personId, months: ['2026-12'], paidOn: '2026-11-20', channel: 'alipay', receiptNo: 'R-1' };
    const first = await call('POST', '/api/dues/payments', 'branch1', body);
    expect(first.status).toBe(201);
    const second = await call('POST', '/api/dues/payments', 'branch1', body);
    expect(second.status).toBe(200);
    expect(second.body.payments[0].id).toBe(first.body.payments[0].id);
    const clash = await call('POST', '/api/dues/payments', 'branch1', { ...body, channel: 'cash' });
    expect(clash.status).toBe(409);
    expect(clash.body.message).toMatch(/已有缴费记录.*冲正/);
    const n = await one<{ n: number }>(t.ctx.db, sql`select count(*)::int as n from dues_payments where person_id = ${p.personId} and month = '2026-12-01'`);
    expect(n!.n).toBe(1);
  });

  it('a reversal then a re-payment: the original is never edited except reversed_by; the month counts once', async () => {
    const v = (await call('GET', `/api/dues/collection?org=${branch}&month=2026-09`)).body as CollectionView;
    const p = v.rows.find((x) => x.status === 'paid')!;
    const rev = await call('POST', '/api/dues/reversals', 'branch1', { personId: p.personId, month: '2026-09', reason: '收错人，冲正' });
    expect(rev.status, JSON.stringify(rev.body)).toBe(201);
    expect(rev.body.reversal).toMatchObject({ kind: 'reversal', amountFen: -p.payment!.amountFen, reversalOf: p.payment!.id });
    expect(rev.body.original.reversedBy).toBe(rev.body.reversal.id);
    const twice = await call('POST', '/api/dues/reversals', 'branch1', { paymentId: p.payment!.id, reason: '再次冲正' });
    expect(twice.status).toBe(409);
    const after = (await call('GET', `/api/dues/collection?org=${branch}&month=2026-09`)).body as CollectionView;
    expect(after.rows.find((x) => x.personId === p.personId)!.status).toBe('unpaid');
    const again = await call('POST', '/api/dues/payments', 'branch1', { kind: 'due', personId: p.personId, months: ['2026-09'], paidOn: '2026-11-20', channel: 'cash' });
    expect(again.status).toBe(201);
    expect(again.body.payments[0].backPayment).toBe(true);
    const all = await rows<{ kind: string; amount_fen: number; reversed_by: number | null }>(t.ctx.db, sql`select kind, amount_fen, reversed_by from dues_payments
      where person_id = ${p.personId} and month = '2026-09-01' order by id`);
    expect(all.map((x) => x.kind)).toEqual(['due', 'reversal', 'due']);
    expect(all.reduce((s, x) => s + x.amount_fen, 0)).toBe(p.payment!.amountFen);
  });

  it('a back payment makes the 3-month finding go away in the same response', async () => {
    const f = await one<{ subject_id: string }>(t.ctx.db, sql`select subject_id from findings where rule_id = 'dues.arrears' and period like '%/3' and status = 'open'`);
    const personId = Number(f!.subject_id);
    expect(await openFindings('dues.arrears', personId)).toHaveLength(1);
    const r = await call('POST', '/api/dues/payments', 'branch1', { kind: 'due', personId, months: ['2026-08', '2026-09', '2026-10'], paidOn: '2026-11-20', channel: 'wechat' });
    expect(r.status).toBe(201);
    expect(r.body.payments.every((p: { backPayment: boolean }) => p.backPayment)).toBe(true);
    expect(await openFindings('dues.arrears', personId)).toHaveLength(0);
  });

  it('a six-month case is never resolved by a payment: it is marked as changed and waits for the branch', async () => {
    const c = await one<{ subject_id: string }>(t.ctx.db, sql`select subject_id from findings where rule_id = 'dues.arrears.case' and status = 'open'`);
    const personId = Number(c!.subject_id);
    const months = ['2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10'];
    const r = await call('POST', '/api/dues/payments', 'branch1', { kind: 'due', personId, months, paidOn: '2026-11-20', channel: 'cash' });
    expect(r.status).toBe(201);
    const open = await openFindings('dues.arrears.case', personId);
    expect(open).toHaveLength(1);
    expect(open[0].condition_changed).toBe('2026-11-20');
  });

  it('more than six back months needs a reason', async () => {
    const v = (await call('GET', `/api/dues/collection?org=${branch}&month=2026-10`)).body as CollectionView;
    const p = v.rows.find((x) => x.status === 'unpaid')!;
    const months = ['2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10'];
    const r = await call('POST', '/api/dues/payments', 'branch1', { kind: 'due', personId: p.personId, months, paidOn: '2026-11-20', channel: 'cash', amountFen: 100 });
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/补交7个月.*理由/);
  });

  it('a back payment of more than six months is accepted with a reason and raises a finding for the higher level', async () => {
    const months = ['2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10'];
    const p = { personId: (await one<{ id: number }>(t.ctx.db, sql`select person_id as id from dues_payments where org_id = ${branch} and kind = 'due' and reversed_by is null
      and month between '2026-04-01' and '2026-10-01' group by person_id having count(*) = 7 order by person_id desc limit 1`))!.id };
    for (const m of months) await call('POST', '/api/dues/reversals', 'branch1', { personId: p.personId, month: m, reason: '测试：收据作废' });
    const r = await call('POST', '/api/dues/payments', 'branch1', { kind: 'due', personId: p.personId, months, paidOn: '2026-11-20', channel: 'cash', reason: '外出务工，返乡后一次补交' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(await openFindings('dues.backPayment.overLimit', p.personId)).toHaveLength(1);
  });

  it('a mobile member may pay at the host org; anyone else outside the scope answers 404', async () => {
    const m = await one<{ id: number }>(t.ctx.db, sql`select id from people where is_mobile and org_id <> ${branch} limit 1`);
    const body = { kind: 'due', personId: m!.id, months: ['2026-11'], paidOn: '2026-11-20', channel: 'wechat' };
    expect((await call('POST', '/api/dues/payments', 'branch1', body)).status).toBe(404);
    const r = await call('POST', '/api/dues/payments', 'branch1', { ...body, orgId: branch });
    expect(r.status).toBe(201);
    expect(r.body.payments[0].orgId).toBe(branch);
    // the member's own branch sees the month paid
    const home = await one<{ org_id: number }>(t.ctx.db, sql`select org_id from people where id = ${m!.id}`);
    const v = (await call('GET', `/api/dues/collection?org=${home!.org_id}&month=2026-11`, 'street1')).body as CollectionView;
    expect(v.rows.find((x) => x.personId === m!.id)!.status).toBe('paid');
  });

  it('voluntary dues: 1000 元 or more is flagged for the Centre; an exemption with its decision makes the month owe nothing', async () => {
    const v = (await call('GET', `/api/dues/collection?org=${branch}&month=2026-12`)).body as CollectionView;
    const p = v.rows.filter((x) => x.status === 'pending')[0];
    const gift = await call('POST', '/api/dues/payments', 'branch1', { kind: 'voluntary', personId: p.personId, month: '2026-11', amountFen: 150_000, paidOn: '2026-11-20', channel: 'bankTransfer', receiptNo: 'ZY-9' });
    expect(gift.status).toBe(201);
    expect(gift.body.centralGift).toBe(true);
    expect((await call('POST', '/api/dues/payments', 'branch1', { kind: 'voluntary', personId: p.personId, month: '2026-11', amountFen: 150_000, paidOn: '2026-11-20', channel: 'bankTransfer', receiptNo: 'ZY-9' })).status).toBe(200);
    expect(await openFindings('dues.voluntary.central', gift.body.payments[0].id)).toHaveLength(1);
    const decision = { approvedBy: '中共示范县城关街道工作委员会', approvedOn: '2026-11-18', documentNo: '城街党〔2026〕12号', reason: '因病生活困难' };
    const red = await call('POST', '/api/dues/reductions', 'branch1', { personId: p.personId, kind: 'exemption', fromMonth: '2026-12', toMonth: '2027-02', decision });
    expect(red.status).toBe(201);
    const after = (await call('GET', `/api/dues/collection?org=${branch}&month=2026-12`)).body as CollectionView;
    expect(after.rows.find((x) => x.personId === p.personId)).toMatchObject({ status: 'exempt', dueFen: 0, reduction: 'exemption' });
    expect((await call('POST', '/api/dues/reductions', 'branch1', { personId: p.personId, kind: 'exemption', fromMonth: '2027-01', decision })).status).toBe(409);
  });

  it("another branch's member answers 404 for payments, reversals and history", async () => {
    const pay = await call('POST', '/api/dues/payments', 'branch1', { kind: 'due', personId: otherMember, months: ['2026-11'], paidOn: '2026-11-20', channel: 'cash' });
    expect(pay.status).toBe(404);
    expect((await call('POST', '/api/dues/reversals', 'branch1', { personId: otherMember, month: '2026-10', reason: '测试冲正' })).status).toBe(404);
    expect((await call('GET', `/api/dues/members/${otherMember}/history`)).status).toBe(404);
    const otherBranch = (await one<{ id: number }>(t.ctx.db, sql`select id from orgs where code = 'SFX010102'`))!.id;
    expect((await call('GET', `/api/dues/collection?org=${otherBranch}&month=2026-10`)).status).toBe(404);
    const bulk = await call('POST', '/api/dues/collection', 'branch1', { orgId: branch, month: '2026-11', paidOn: '2026-11-20', channel: 'cash', exceptions: [{ personId: otherMember, action: 'unpaid' }] });
    expect(bulk.status).toBe(404);
  });

  it('bases: a pay slip computes the due under dues-2017; a mid-year change needs a reason', async () => {
    const v = (await call('GET', `/api/dues/collection?org=${branch}&month=2026-11`)).body as CollectionView;
    const personId = v.rows[3].personId;
    const paySlip = [
      { label: '岗位工资', kind: 'fixedPay', amountFen: 600_000 },
      { label: '基础性绩效', kind: 'basicPerformance', amountFen: 200_000 },
      { label: '住房公积金', kind: 'housingFund', amountFen: 100_000 },
      { label: '个人所得税', kind: 'incomeTax', amountFen: 50_000 },
    ];
    const jan = await call('POST', '/api/dues/bases', 'branch1', { personId, effectiveMonth: '2027-01', category: 'inService', paySlip });
    expect(jan.status, JSON.stringify(jan.body)).toBe(201);
    expect(jan.body.base).toMatchObject({ baseFen: 650_000, monthlyDueFen: 9_750, ruleSet: 'dues-2017' });
    const mid = await call('POST', '/api/dues/bases', 'branch1', { personId, effectiveMonth: '2027-03', category: 'inService', baseFen: 900_000 });
    expect(mid.status).toBe(400);
    expect(mid.body.message).toMatch(/年中调整须填写理由/);
    const withReason = await call('POST', '/api/dues/bases', 'branch1', { personId, effectiveMonth: '2027-03', category: 'inService', baseFen: 900_000, reason: '3月起职务晋升' });
    expect(withReason.status).toBe(201);
    const farmer = await call('POST', '/api/dues/bases', 'branch1', { personId, effectiveMonth: '2027-01', category: 'farmer', flatFen: 150 });
    expect(farmer.status).toBe(400);
  });

  it('self-employed: the base is the previous quarter\'s average; members not re-based this quarter get a reminder that re-basing resolves', async () => {
    // the demo re-based two in three self-employed members this quarter: the others have a reminder (today 2026-11-20: overdue since 31 Oct)
    const stale = await rows<{ id: number; org_path: string }>(t.ctx.db, sql`select p.id, p.org_path from people p
      where p.state = 'active' and p.stage in ('probationary','full')
        and (select category from dues_bases b where b.person_id = p.id and b.effective_month <= '2026-11-01' order by effective_month desc limit 1) = 'selfEmployed'
        and (select max(effective_month) from dues_bases b where b.person_id = p.id and b.effective_month <= '2026-11-01') < '2026-10-01' order by p.id`);
    const reminders = await rows<{ subject_id: string; severity: string }>(t.ctx.db, sql`select subject_id, severity from findings where rule_id = 'dues.selfEmployed.rebase' and status = 'open' order by subject_id::int`);
    expect(reminders.map((r) => Number(r.subject_id))).toEqual(stale.map((x) => x.id));
    expect(stale.length).toBeGreaterThan(0);
    expect(new Set(reminders.map((r) => r.severity))).toEqual(new Set(['overdue']));
    const current = await one<{ n: number }>(t.ctx.db, sql`select count(*)::int as n from dues_bases where quarter_incomes is not null and effective_month = '2026-10-01'`);
    expect(current!.n).toBeGreaterThan(0);

    // a self-employed member of branch1 (make one if the demo has none there) is re-based on Q3's average
    const personId = (await one<{ id: number }>(t.ctx.db, sql`select id from people where org_id = ${branch} and stage = 'full' order by id desc limit 1`))!.id;
    const old = await call('POST', '/api/dues/bases', 'branch1', { personId, effectiveMonth: '2026-07', category: 'selfEmployed', baseFen: 300_000 });
    expect(old.status, JSON.stringify(old.body)).toBe(201);
    expect((await openFindings('dues.selfEmployed.rebase', personId)).length).toBe(1);
    const incomes = [{ month: '2026-08', netIncomeFen: 400_000 }, { month: '2026-09', netIncomeFen: 0 }];
    const r = await call('POST', '/api/dues/bases', 'branch1', { personId, effectiveMonth: '2026-10', category: 'selfEmployed', quarterIncomes: incomes });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const view = r.body.base as { baseFen: number; quarterIncomes: unknown; monthlyDueFen: number };
    expect(view.baseFen).toBe(200_000);
    expect(view.quarterIncomes).toEqual(incomes);
    expect(view.monthlyDueFen).toBe(1_000); // 2000 元 base: 0.5%
    expect(await openFindings('dues.selfEmployed.rebase', personId)).toEqual([]);
    // a month outside the previous quarter is refused in Chinese
    const bad = await call('POST', '/api/dues/bases', 'branch1', { personId, effectiveMonth: '2026-10', category: 'selfEmployed', quarterIncomes: [{ month: '2026-10', netIncomeFen: 1 }] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('不在上一季度（2026年第三季度）内');
  });

  it('hand-in: the overdue quarter shows in reconciliation; recording it resolves the finding', async () => {
    const before = (await call('GET', `/api/dues/hand-ins?org=${branch}&year=2026`)).body as HandInView;
    const q3 = before.periods.find((p) => p.start === '2026-07-01')!;
    expect(q3.status).toBe('overdue');
    expect(q3.centralExpectedFen).toBe(200_000);
    const seedGift = await one<{ id: number }>(t.ctx.db, sql`select id from dues_payments where org_id = ${branch} and kind = 'voluntary' and receipt_no = 'ZY-001'`);
    expect(await openFindings('dues.voluntary.central', seedGift!.id)).toHaveLength(1);
    expect(q3.expectedFen).toBeGreaterThan(0);
    expect(await openFindings('dues.handIn.overdue', branch)).toHaveLength(1);
    const r = await call('POST', '/api/dues/hand-ins', 'branch1', { orgId: branch, periodStart: '2026-07-01', periodEnd: '2026-09-30', amountFen: q3.expectedFen, centralFen: q3.centralExpectedFen, handedOn: '2026-11-20', receiptNo: 'SJ-Q3' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(await openFindings('dues.handIn.overdue', branch)).toHaveLength(0);
    // the seed's 2000 元 voluntary payment went up with this hand-in's central part
    const gift = await one<{ id: number }>(t.ctx.db, sql`select id from dues_payments where org_id = ${branch} and kind = 'voluntary' and receipt_no = 'ZY-001'`);
    expect(await openFindings('dues.voluntary.central', gift!.id)).toHaveLength(0);
    const repeat = await call('POST', '/api/dues/hand-ins', 'branch1', { orgId: branch, periodStart: '2026-07-01', periodEnd: '2026-09-30', amountFen: q3.expectedFen, centralFen: q3.centralExpectedFen, handedOn: '2026-11-20', receiptNo: 'SJ-Q3' });
    expect(repeat.status).toBe(200);
    const after = (await call('GET', `/api/dues/hand-ins?org=${branch}&year=2026`)).body as HandInView;
    expect(after.periods.find((p) => p.start === '2026-07-01')!.status).toBe('handedIn');
    const community = (await one<{ id: number }>(t.ctx.db, sql`select parent_id as id from orgs where id = ${branch}`))!.id;
    const up = (await call('GET', `/api/dues/hand-ins?org=${community}&year=2026`, 'street1')).body as HandInView;
    expect(up.children.find((c) => c.id === branch)!.handedInFen).toBeGreaterThanOrEqual(q3.expectedFen);
  });

  it('disclosure as JSON and xlsx, the ledger xlsx, and a member sees their own history', async () => {
    const d = await call('GET', `/api/dues/disclosure?org=${branch}&year=2026`);
    expect(d.status).toBe(200);
    expect(d.body.months).toHaveLength(12);
    expect(d.body.rows.length).toBeGreaterThanOrEqual(12);
    for (const file of [`/api/dues/disclosure.xlsx?org=${branch}&year=2026`, `/api/dues/ledger.xlsx?org=${branch}&year=2026`]) {
      const x = await t.built.app.inject({ method: 'GET', url: file, headers: { cookie: await t.login('branch1') } });
      expect(x.statusCode).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(x.rawPayload as never);
      expect(wb.worksheets[0].rowCount).toBeGreaterThan(12);
    }
    const me = await call('GET', '/api/dues/me?year=2026', 'member1');
    expect(me.status).toBe(200);
    const h = me.body as HistoryView;
    expect(h.months).toHaveLength(12);
    expect(h.months.filter((m) => m.status === 'paid').length).toBeGreaterThanOrEqual(10);
    expect((await call('GET', '/api/dues/me', 'branch1')).status).toBe(404);
  });

  it("every dues figure's evidence agrees with its value", async () => {
    const ids = ['dues.due.amount', 'dues.paid.amount', 'dues.onTime.rate', 'dues.arrears.count', 'dues.backPayment.amount', 'dues.voluntary.amount', 'dues.handIn.amount'];
    for (const id of ids) {
      for (const user of ['branch1', 'street1']) {
        const first = await call('GET', `/api/figures/${id}?pageSize=500`, user);
        expect(first.status, id).toBe(200);
        const value = first.body.value;
        expect(value.status, `${id} ${user}`).toBe('ok');
        const items = [...first.body.evidence.items];
        for (let page = 2; items.length < first.body.evidence.total; page++) items.push(...(await call('GET', `/api/figures/${id}?pageSize=500&page=${page}`, user)).body.evidence.items);
        const sum = items.reduce((s: number, e: { contributes: number }) => s + e.contributes, 0);
        if (value.unit === 'count') expect(items.length, id).toBe(value.value);
        else if (value.unit === 'percent') {
          expect(items.length, id).toBe(value.denominator);
          expect(sum, id).toBe(value.numerator);
        } else expect(sum, `${id} ${user}`).toBe(value.value);
      }
    }
    const paid = (await call('GET', '/api/figures/dues.paid.amount?by=channel', 'street1')).body.value;
    expect(paid.breakdown.reduce((s: number, b: { value: number }) => s + b.value, 0)).toBe(paid.value);
    const arrears = (await call('GET', '/api/figures/dues.arrears.count?by=arrearsMonths&to=2026-10-31', 'branch1')).body.value;
    expect(arrears.breakdown.reduce((s: number, b: { value: number }) => s + b.value, 0)).toBe(arrears.value);
  });
});
