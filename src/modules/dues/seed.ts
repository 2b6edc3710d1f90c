import { sql, type SQL } from 'drizzle-orm';
import { rows } from '../../db/connection.js';
import type { DemoSeedContext } from '../../demo/demoHooks.js';
import type { GenPerson } from '../../demo/generator.js';
import { addDays, addMonths, formatIso, monthStart, parseIso, quarterStart } from '../../domain/dates.js';
import { endedPeriods, firstOwedMonth, monthsBetween } from '../../domain/duesMonths.js';
import { DEFAULT_ROUNDING, DUES_2017, baseFromPaySlip, isCentralGift, monthlyDue, previousQuarterMonths, type PaySlipItem } from '../../domain/duesRules.js';
import type { DuesCategory } from '../../domain/vocab.js';

/**
 * Demo dues history (ACCEPTANCE.md "Demo"): twelve ended months of bases and payments for every member
 * of the demo county, written in bulk inside the demo seed's transaction. In branch1's branch a few
 * members stop paying (3, 5 and 6 months, so the arrears findings and a case appear), one pays two
 * months back, one payment is reversed and re-recorded, one member gives 2000 元 of voluntary dues, one
 * is exempt for three months by decision, and a mobile member of another branch pays at branch1's.
 * Every level hands in quarterly except branch1's branch for the last quarter (an overdue hand-in).
 * The current month is left unpaid everywhere, for the collection journey. Findings are computed by
 * the seed's evaluation afterwards, never inserted here.
 */
const RULES = DUES_2017;
const ROUNDING = DEFAULT_ROUNDING;

interface PaymentRow { orgKey: string; personId: number; month: string; kind: 'due' | 'voluntary' | 'reversal'; amount: number; paidOn: string; channel: string; back: boolean; reason: string | null; receipt: string | null; key?: string; reversalOfKey?: string }

function categoryOf(p: GenPerson, rng: DemoSeedContext['rng']): DuesCategory {
  if (p.occupation === 'retired') return 'retired';
  if (p.occupation === 'farmer') return 'farmer';
  if (p.occupation === 'student') return 'student';
  return rng.weighted([['inService', 40], ['selfEmployed', 2], ['annualSalary', 1], ['unemployed', 1], ['dibao', 1]] as const);
}

/** A plausible pay slip: fixed pay, allowances, basic performance, minus tax, social insurance and housing fund. */
function paySlip(grossYuan: number): PaySlipItem[] {
  const g = grossYuan * 100;
  const r = (x: number) => Math.round(x);
  return [
    { label: '岗位工资', kind: 'fixedPay', amountFen: r(g * 0.45) },
    { label: '薪级工资', kind: 'fixedPay', amountFen: r(g * 0.15) },
    { label: '津贴补贴', kind: 'standardAllowance', amountFen: r(g * 0.15) },
    { label: '基础性绩效', kind: 'basicPerformance', amountFen: r(g * 0.25) },
    { label: '通讯补贴', kind: 'reformSubsidy', amountFen: 20_000 },
    { label: '个人所得税', kind: 'incomeTax', amountFen: r(g * 0.03) },
    { label: '养老、医疗、失业保险', kind: 'socialInsurance', amountFen: r(g * 0.105) },
    { label: '住房公积金', kind: 'housingFund', amountFen: r(g * 0.12) },
  ];
}

export async function seedDuesDemo(s: DemoSeedContext): Promise<void> {
  const { tx, ds, ins, rng, today, nowIso } = s;
  const tenantId = ins.tenantId;
  const current = monthStart(today);
  const historyStart = addMonths(current, -12);
  const lastEnded = addMonths(current, -1);
  const janThisYear = formatIso(parseIso(today).y, 1, 1);
  const orgs = await rows<{ id: number; path: string; depth: number; parent_id: number | null; code: string }>(tx, sql`select id, path, depth, parent_id, code from orgs where tenant_id = ${tenantId}`);
  const orgById = new Map(orgs.map((o) => [o.id, o]));
  const orgIdOf = (key: string) => ins.orgIds.get(key)!;
  const pathOf = (key: string) => orgById.get(orgIdOf(key))!.path;

  // branch1's members in dataset order (the first is the matrix's fixture member: it stays fully paid)
  const xf = ds.people.filter((p) => p.orgKey === s.fixtures.branch1);
  const role = new Map<string, string>([[xf[5].key, 'unpaid3'], [xf[6].key, 'unpaid6'], [xf[7].key, 'unpaid5'], [xf[8].key, 'back'], [xf[9].key, 'reversal'], [xf[10].key, 'exempt'], [xf[1].key, 'voluntary']]);
  const mobile = ds.people.filter((p) => p.orgKey === 'hp1')[4];

  const bases: SQL[] = [];
  const payments: PaymentRow[] = [];
  const channels: [string, number][] = [['wechat', 50], ['cash', 25], ['bankTransfer', 15], ['alipay', 10]];

  for (const p of ds.people) {
    const personId = ins.personIds.get(p.key)!;
    const orgId = orgIdOf(p.orgKey);
    const first = firstOwedMonth(p.admittedOn);
    const start = first > historyStart ? first : historyStart;
    const category = categoryOf(p, rng);
    const incomeFen = (category === 'retired' ? rng.int(2500, 7500) : rng.int(2000, 9000)) * 100;
    const slip = category === 'inService' ? paySlip(rng.int(3500, 16000)) : null;
    const flat = category === 'farmer' ? rng.pick([20, 20, 50, 100]) : null;
    const baseOf = (factor: number) => {
      const fromSlip = slip ? baseFromPaySlip(slip.map((i) => ({ ...i, amountFen: Math.round(i.amountFen * factor) })), RULES) : null;
      const baseFen = fromSlip?.ok ? fromSlip.baseFen : category === 'inService' || category === 'retired' || category === 'selfEmployed' || category === 'annualSalary' ? Math.round(incomeFen * factor) : null;
      const r = monthlyDue({ category, baseFen, flatFen: flat }, { ruleSet: RULES, rounding: ROUNDING, capFen: 100_000, farmerDefaultFen: 20 });
      if (!r.ok) throw new Error(`demo base: ${r.error}`);
      return { baseFen: r.method === 'bracket' || r.method === 'retired' ? baseFen : null, flatFen: r.method === 'farmer' ? r.dueFen : null, due: r.dueFen, lines: fromSlip?.ok ? fromSlip.lines : null };
    };
    const addBase = (month: string, b: ReturnType<typeof baseOf>, reason: string | null, quarterIncomes: { month: string; netIncomeFen: number }[] | null = null) => {
      bases.push(sql`(${tenantId}, ${orgId}, ${personId}, ${month}, ${category}, ${b.baseFen}, ${b.lines ? JSON.stringify(b.lines) : null}::jsonb,
        ${quarterIncomes ? JSON.stringify(quarterIncomes) : null}::jsonb, ${b.flatFen}, ${b.due},
        ${RULES.id}, ${JSON.stringify(ROUNDING)}::jsonb, ${reason}, ${nowIso}, ${nowIso})`);
    };
    const prev = baseOf(0.97);
    const cur = baseOf(1);
    if (start < janThisYear) addBase(start, prev, start.endsWith('-01-01') ? null : first > historyStart ? '自入党当月起交纳党费' : '系统启用时核定');
    addBase(start < janThisYear ? janThisYear : start, cur, start <= janThisYear ? null : '自入党当月起交纳党费');
    // self-employed members are re-based each quarter on the previous quarter's average (第四条); two in
    // three were re-based this quarter, the others show the reminder. The average equals this year's base,
    // so the dues of the payments below stay right.
    const thisQuarter = quarterStart(today);
    if (category === 'selfEmployed' && cur.baseFen !== null && thisQuarter > janThisYear && start < thisQuarter && personId % 3 !== 0 && p.key !== xf[2].key) {
      const months = previousQuarterMonths(thisQuarter.slice(0, 7));
      const a = Math.round(cur.baseFen * 0.9);
      const b = Math.round(cur.baseFen * 1.05);
      addBase(thisQuarter, cur, null, [{ month: months[0], netIncomeFen: a }, { month: months[1], netIncomeFen: b }, { month: months[2], netIncomeFen: cur.baseFen * 3 - a - b }]);
    }
    let raise: ReturnType<typeof baseOf> | null = null;
    if (p.key === xf[2].key && category !== 'retired') {
      raise = baseOf(1.25);
      addBase(addMonths(janThisYear, 6), raise, '7月起岗位调整，工资变动');
    }
    const r = role.get(p.key);
    for (const month of monthsBetween(start, lastEnded)) {
      let due = month < janThisYear ? prev.due : cur.due;
      if (raise && month >= addMonths(janThisYear, 6)) due = raise.due;
      const monthsAgo = monthsBetween(month, lastEnded).length; // 1 = last ended month
      if (r === 'unpaid3' && monthsAgo <= 3) continue;
      if (r === 'unpaid5' && monthsAgo <= 5) continue;
      if (r === 'unpaid6' && monthsAgo <= 6) continue;
      if (r === 'exempt' && monthsAgo >= 6 && monthsAgo <= 8) continue;
      const channel = rng.weighted(channels);
      const orgKey = p.key === mobile?.key && monthsAgo <= 2 ? s.fixtures.branch1 : p.orgKey;
      if (r === 'back' && (monthsAgo === 4 || monthsAgo === 5)) {
        payments.push({ orgKey, personId, month, kind: 'due', amount: due, paidOn: addDays(addMonths(lastEnded, -1), 14), channel: 'cash', back: true, reason: null, receipt: 'BJ-0915' });
        continue;
      }
      const paidOn = formatIso(parseIso(month).y, parseIso(month).m, rng.int(5, 25));
      if (r === 'reversal' && monthsAgo === 2) {
        payments.push({ orgKey, personId, month, kind: 'due', amount: due + 1000, paidOn, channel, back: false, reason: null, receipt: null, key: 'wrong' });
        payments.push({ orgKey, personId, month, kind: 'reversal', amount: -(due + 1000), paidOn: addDays(paidOn, 3), channel, back: false, reason: '金额登记错误，冲正后重新登记', receipt: null, reversalOfKey: 'wrong' });
        payments.push({ orgKey, personId, month, kind: 'due', amount: due, paidOn: addDays(paidOn, 3), channel, back: false, reason: null, receipt: null });
        continue;
      }
      payments.push({ orgKey, personId, month, kind: 'due', amount: due, paidOn, channel, back: false, reason: null, receipt: null });
      if (r === 'voluntary' && monthsAgo === 4) {
        payments.push({ orgKey, personId, month, kind: 'voluntary', amount: 200_000, paidOn, channel: 'bankTransfer', back: false, reason: '自愿多交党费', receipt: 'ZY-001' });
      }
    }
  }
  for (let i = 0; i < bases.length; i += 500) {
    await tx.execute(sql`insert into dues_bases (tenant_id, org_id, person_id, effective_month, category, base_fen, pay_slip, quarter_incomes, flat_fen, monthly_due_fen, rule_set, rounding, reason, created_at, updated_at)
      values ${sql.join(bases.slice(i, i + 500), sql`, `)}`);
  }
  if (mobile) await tx.execute(sql`update people set is_mobile = true where id = ${ins.personIds.get(mobile.key)!}`);
  const exempt = ins.personIds.get(xf[10].key)!;
  await tx.execute(sql`insert into dues_reductions (tenant_id, org_id, person_id, from_month, to_month, kind, monthly_fen, decision, created_at, updated_at)
    values (${tenantId}, ${orgIdOf(s.fixtures.branch1)}, ${exempt}, ${addMonths(lastEnded, -7)}, ${addMonths(lastEnded, -5)}, 'exemption', 0,
      ${JSON.stringify({ approvedBy: '中共示范县城关街道工作委员会', approvedOn: addDays(addMonths(lastEnded, -7), -10), documentNo: '城街党〔2026〕5号', reason: '因病住院，生活困难' })}::jsonb, ${nowIso}, ${nowIso})`);

  // payments, with the reversal linked to the row it corrects
  const ids = await rows<{ id: number }>(tx, sql`select nextval(pg_get_serial_sequence('dues_payments', 'id'))::int as id from generate_series(1, ${payments.length})`);
  const idOfKey = new Map<string, number>();
  payments.forEach((p, i) => { if (p.key) idOfKey.set(p.key, ids[i].id); });
  const reversedBy = new Map<number, number>();
  payments.forEach((p, i) => { if (p.reversalOfKey) reversedBy.set(idOfKey.get(p.reversalOfKey)!, ids[i].id); });
  const tuples = payments.map((p, i) => {
    const id = ids[i].id;
    return sql`(${id}, ${tenantId}, ${orgIdOf(p.orgKey)}, ${pathOf(p.orgKey)}, ${p.personId}, ${p.month}, ${p.kind}, ${p.amount}, ${p.paidOn}, ${p.channel}, ${p.receipt}, ${p.back},
      ${p.reason}, ${p.reversalOfKey ? idOfKey.get(p.reversalOfKey)! : null}, ${reversedBy.get(id) ?? null}, ${nowIso}, ${nowIso})`;
  });
  for (let i = 0; i < tuples.length; i += 1000) {
    await tx.execute(sql`insert into dues_payments (id, tenant_id, org_id, org_path, person_id, month, kind, amount_fen, paid_on, channel, receipt_no, back_payment, reason,
        reversal_of, reversed_by, created_at, updated_at) values ${sql.join(tuples.slice(i, i + 1000), sql`, `)}`);
  }

  // quarterly hand-ins at every level, bottom-up, each quarter handing in what was collected and received
  const periods = endedPeriods(today, 'quarterly', 4);
  const collected = new Map<string, { fen: number; central: number }>();
  const quarterOf = (d: string) => periods.find((q) => d >= q.start && d <= q.end)?.start;
  for (const p of payments) {
    const q = quarterOf(p.paidOn);
    if (!q) continue;
    const k = `${orgIdOf(p.orgKey)}:${q}`;
    const c = collected.get(k) ?? { fen: 0, central: 0 };
    c.fen += p.amount;
    if (p.kind === 'voluntary' && isCentralGift(p.amount, RULES)) c.central += p.amount;
    collected.set(k, c);
  }
  const received = new Map<string, { fen: number; central: number }>();
  const handIns: SQL[] = [];
  const skip = orgIdOf(s.fixtures.branch1);
  for (const q of periods) {
    for (const o of [...orgs].sort((a, b) => b.depth - a.depth)) {
      if (!o.parent_id) continue;
      const c = collected.get(`${o.id}:${q.start}`) ?? { fen: 0, central: 0 };
      const r = received.get(`${o.id}:${q.start}`) ?? { fen: 0, central: 0 };
      const amount = c.fen + r.fen;
      if (amount <= 0 || (o.id === skip && q === periods[periods.length - 1])) continue;
      const handedOn = addDays(q.end, 8 + 4 * Math.max(0, 4 - o.depth));
      handIns.push(sql`(${tenantId}, ${o.id}, ${o.path}, ${o.parent_id}, ${q.start}, ${q.end}, ${amount}, ${handedOn}, ${`SJ${q.start.slice(0, 7).replace('-', '')}-${o.code}`},
        ${c.central + r.central}, ${nowIso}, ${nowIso})`);
      const next = quarterOf(handedOn);
      if (!next) continue;
      const k = `${o.parent_id}:${next}`;
      const e = received.get(k) ?? { fen: 0, central: 0 };
      received.set(k, { fen: e.fen + amount, central: e.central + c.central + r.central });
    }
  }
  for (let i = 0; i < handIns.length; i += 500) {
    await tx.execute(sql`insert into dues_hand_ins (tenant_id, org_id, org_path, to_org_id, period_start, period_end, amount_fen, handed_on, receipt_no, central_fen, created_at, updated_at)
      values ${sql.join(handIns.slice(i, i + 500), sql`, `)}`);
  }
  // Statistics for the planner: without them (PGlite runs no autovacuum) the member-month join
  // picked a nested loop over every payment, 30× slower on a branch. ANALYZE sees this transaction's rows.
  await tx.execute(sql`analyze orgs, people, membership_periods, dues_bases, dues_reductions, dues_payments, dues_hand_ins`);
}
