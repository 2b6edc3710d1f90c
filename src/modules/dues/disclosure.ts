import { sql } from 'drizzle-orm';
import { one, rows, type Db } from '../../db/connection.js';
import { monthFromIndex, monthIndex } from '../../domain/duesMonths.js';
import { DUES_CATEGORIES, labelOf } from '../../domain/vocab.js';
import { writeXlsx } from '../../platform/xlsx.js';
import { pathPredicate, type Scope } from '../../platform/scope.js';
import { MONTH_STATUSES, PAYMENT_CHANNELS, PAYMENT_KINDS, type DisclosureView, type HistoryMonth, type HistoryView, type MonthStatus } from './contract.js';
import { memberMonths, narrowed, personInScope, type MemberMonthRow } from './queries.js';
import { baseViews, monthStatus, monthText, paymentViews } from './views.js';

/**
 * Yearly disclosure (党费收缴情况公示, DOMAIN.md §1.6: 党支部 publish each member's payments once a
 * year), the 党费收缴登记表 ledger, and a member's own history. The disclosure shows amounts paid,
 * never the income bases (those are personal); the ledger is the branch's internal record.
 */
const yearMonths = (year: number) => Array.from({ length: 12 }, (_, i) => monthFromIndex(monthIndex(`${year}-01-01`) + i));

async function yearRows(db: Db, scope: Scope, year: number, personId?: number): Promise<MemberMonthRow[]> {
  return memberMonths(db, { tenantId: scope.tenantId, orgPredicate: pathPredicate(sql`o.path`, scope), from: `${year}-01-01`, to: `${year}-12-01`, personId });
}

async function voluntaryByPerson(db: Db, ids: number[], year: number): Promise<Map<number, number>> {
  if (!ids.length) return new Map();
  const r = await rows<{ person_id: number; fen: number }>(db, sql`select person_id, sum(amount_fen)::float8 as fen from dues_payments
    where person_id = any(${`{${ids.join(',')}}`}::int[]) and kind = 'voluntary' and reversed_by is null and month between ${`${year}-01-01`} and ${`${year}-12-01`} group by 1`);
  return new Map(r.map((x) => [x.person_id, Number(x.fen)]));
}

export async function disclosureView(db: Db, scope: Scope, orgId: number, year: number, today: string): Promise<DisclosureView> {
  const { scope: s, org } = await narrowed(db, scope, orgId);
  const months = yearMonths(year);
  const list = await yearRows(db, s, year);
  const people = new Map<number, { name: string; rows: Map<string, MemberMonthRow> }>();
  for (const r of list) {
    const p = people.get(r.person_id) ?? { name: r.name, rows: new Map() };
    p.rows.set(r.month, r);
    people.set(r.person_id, p);
  }
  const vol = await voluntaryByPerson(db, [...people.keys()], year);
  const out: DisclosureView['rows'] = [...people.entries()].map(([personId, p]) => {
    const cells = months.map((m) => p.rows.get(m)?.amount_fen ?? null);
    const statuses = months.map((m) => { const r = p.rows.get(m); return r ? monthStatus(r, today) : 'notOwed' as const; });
    const paid = cells.reduce<number>((a, c) => a + (c ?? 0), 0);
    return { personId, name: p.name, cells, statuses, totalFen: paid, voluntaryFen: vol.get(personId) ?? 0 };
  });
  const byMonth = months.map((_, i) => out.reduce((a, r) => a + (r.cells[i] ?? 0), 0));
  return {
    org: { id: org.id, name: org.name }, year, months: months.map(monthText), rows: out,
    totals: { byMonth, totalFen: byMonth.reduce((a, b) => a + b, 0), voluntaryFen: out.reduce((a, r) => a + r.voluntaryFen, 0) },
  };
}

const yuanCell = (fen: number | null) => (fen === null ? null : Math.round(fen) / 100);
const statusCell = (s: MonthStatus | 'notOwed', fen: number | null) =>
  fen !== null ? yuanCell(fen) : s === 'exempt' ? '免交' : s === 'unpaid' ? '未缴' : s === 'noBase' ? '未核定' : '';

export async function disclosureXlsx(v: DisclosureView, today: string): Promise<Buffer> {
  const head = [{ header: '序号', width: 6 }, { header: '姓名', width: 10 }, ...v.months.map((m) => ({ header: `${Number(m.slice(5))}月`, width: 8 })), { header: '自愿多交', width: 10 }, { header: '合计（元）', width: 12 }];
  const body = v.rows.map((r, i) => [i + 1, r.name, ...r.cells.map((c, k) => statusCell(r.statuses[k], c)), yuanCell(r.voluntaryFen), yuanCell(r.totalFen + r.voluntaryFen)]);
  body.push(['', '合计', ...v.totals.byMonth.map(yuanCell), yuanCell(v.totals.voluntaryFen), yuanCell(v.totals.totalFen + v.totals.voluntaryFen)]);
  return writeXlsx([
    { name: `${v.year}年党费收缴公示`, columns: head, rows: body },
    { name: '说明', columns: [{ header: '项目', width: 14 }, { header: '内容', width: 60 }], rows: [
      ['党组织', v.org.name], ['年度', `${v.year}年`], ['金额单位', '元'], ['说明', '表中为各月实缴党费；“未缴”为当月应缴未缴，“免交”为经批准免交，空白为不需交纳或当月尚未结束。'],
      ['依据', '《关于中国共产党党费收缴、使用和管理的规定》：党支部每年向党员公布一次党费收缴情况。'], ['生成日期', today],
    ] },
  ]);
}

/** 党费收缴登记表: per member the category, base and monthly due, each month's payment; and every payment row. */
export async function ledgerXlsx(db: Db, scope: Scope, orgId: number, year: number, today: string): Promise<{ buffer: Buffer; filename: string }> {
  const { scope: s, org } = await narrowed(db, scope, orgId);
  const months = yearMonths(year);
  const list = await yearRows(db, s, year);
  const ids = [...new Set(list.map((r) => r.person_id))];
  const bases = ids.length ? await baseViews(db, sql`person_id = any(${`{${ids.join(',')}}`}::int[]) and effective_month <= ${`${year}-12-01`}`) : [];
  const byPerson = new Map<number, MemberMonthRow[]>();
  for (const r of list) byPerson.set(r.person_id, [...(byPerson.get(r.person_id) ?? []), r]);
  const sheet1 = [...byPerson.entries()].map(([personId, rs], i) => {
    const base = bases.filter((b) => b.personId === personId).pop();
    const cells = months.map((m) => { const r = rs.find((x) => x.month === m); return r ? statusCell(monthStatus(r, today), r.amount_fen) : '—'; });
    const due = rs.reduce((a, r) => a + (r.due_fen ?? 0), 0);
    const paid = rs.reduce((a, r) => a + (r.amount_fen ?? 0), 0);
    const unpaid = rs.filter((r) => monthStatus(r, today) === 'unpaid').length;
    return [i + 1, rs[0].name, base ? labelOf(DUES_CATEGORIES, base.category as never) : '未核定', yuanCell(base?.baseFen ?? null), yuanCell(base?.monthlyDueFen ?? null),
      ...cells, yuanCell(due), yuanCell(paid), unpaid, base?.reason ?? ''];
  });
  const payments = ids.length ? await paymentViews(db, sql`x.person_id = any(${`{${ids.join(',')}}`}::int[]) and x.month between ${`${year}-01-01`} and ${`${year}-12-01`}`, sql`order by x.paid_on, x.id`) : [];
  const kind = (k: string) => labelOf(PAYMENT_KINDS, k as never);
  const sheet2 = payments.map((p) => [p.paidOn, p.personName, p.month, kind(p.kind), yuanCell(p.amountFen), labelOf(PAYMENT_CHANNELS, p.channel as never), p.receiptNo ?? '',
    p.backPayment ? '是' : '', p.reversalOf ? `冲正第${p.reversalOf}号` : p.reversedBy ? `已被第${p.reversedBy}号冲正` : '', p.reason ?? '', p.orgName, p.id]);
  const buffer = await writeXlsx([
    {
      name: '党费收缴登记表',
      columns: [{ header: '序号', width: 6 }, { header: '姓名', width: 10 }, { header: '党费类别' }, { header: '缴费基数（元）' }, { header: '月应缴（元）' },
        ...months.map((m) => ({ header: `${Number(m.slice(5, 7))}月实缴`, width: 9 })), { header: '应缴合计' }, { header: '实缴合计' }, { header: '欠缴月数' }, { header: '备注', width: 24 }],
      rows: sheet1,
    },
    {
      name: '缴费流水',
      columns: [{ header: '缴费日期' }, { header: '姓名' }, { header: '所属月份' }, { header: '类型' }, { header: '金额（元）' }, { header: '缴费方式' }, { header: '收据号' },
        { header: '补交' }, { header: '冲正' }, { header: '说明', width: 30 }, { header: '收缴组织', width: 30 }, { header: '记录号' }],
      rows: sheet2,
    },
  ]);
  return { buffer, filename: `${org.name}${year}年党费收缴登记表.xlsx` };
}

/** A member's own dues year (the member's phone) or a member in scope (the branch). */
export async function historyView(db: Db, scope: Scope, personId: number, year: number, today: string): Promise<HistoryView> {
  const person = await personInScope(db, scope, personId);
  const org = await one<{ name: string }>(db, sql`select name from orgs where id = ${person.org_id}`);
  const list = await memberMonths(db, { tenantId: scope.tenantId, orgPredicate: sql`true`, from: `${year}-01-01`, to: `${year}-12-01`, personId });
  const byMonth = new Map(list.map((r) => [r.month, r]));
  const months: HistoryMonth[] = yearMonths(year).map((m) => {
    const r = byMonth.get(m);
    if (!r) return { month: monthText(m), dueFen: null, status: 'notOwed', paidFen: null, paidOn: null, channel: null, backPayment: false };
    return { month: monthText(m), dueFen: r.due_fen, status: monthStatus(r, today), paidFen: r.amount_fen, paidOn: r.paid_on, channel: r.channel, backPayment: !!r.back_payment };
  });
  const payments = await paymentViews(db, sql`x.person_id = ${personId} and x.month between ${`${year}-01-01`} and ${`${year}-12-01`}`, sql`order by x.paid_on desc, x.id desc`);
  const bases = await baseViews(db, sql`person_id = ${personId} and effective_month <= ${`${year}-12-01`}`);
  return {
    person: { id: person.id, name: person.name, orgName: org?.name ?? '' },
    year,
    months,
    payments,
    bases,
    totals: {
      dueFen: months.reduce((a, m) => a + (m.status === 'notOwed' ? 0 : m.dueFen ?? 0), 0),
      paidFen: months.reduce((a, m) => a + (m.paidFen ?? 0), 0),
      voluntaryFen: payments.filter((p) => p.kind === 'voluntary' && p.reversedBy === null).reduce((a, p) => a + p.amountFen, 0),
      unpaidMonths: months.filter((m) => m.status === 'unpaid').length,
    },
  };
}

export const STATUS_LABELS = Object.fromEntries(MONTH_STATUSES.map((s) => [s.key, s.label]));
