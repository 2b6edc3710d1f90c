import { sql, type SQL } from 'drizzle-orm';
import { one, rows, type Db } from '../../db/connection.js';
import { addDays } from '../../domain/dates.js';
import { periodOf, periodsOfYear, type HandInFrequency, type Period } from '../../domain/duesMonths.js';
import { DUES_2017 } from '../../domain/duesRules.js';
import { conflict, invalid } from '../../platform/errors.js';
import { getSetting, SETTINGS } from '../../platform/settings.js';
import { pathPredicate, type Scope } from '../../platform/scope.js';
import type { WriteCtx } from '../../platform/write.js';
import type { HandInInput, HandInPeriodView, HandInRecord, HandInView } from './contract.js';
import { orgInScope } from './queries.js';
import { DUES_SETTINGS, shareResolver } from './settings.js';
import { money } from './views.js';

/**
 * Hand-in (上缴, DOMAIN.md §1.5, §1.7): each level passes upward a share of what it collected and
 * received from below (setting per org kind; default 100%) at the tenant's frequency (LOCAL). A single
 * voluntary payment ≥ 1000 元 passes wholly to the Centre (第十一条). A hand-in belongs to the period
 * containing its period end; what an org receives counts in the period it was handed over.
 */
export interface PeriodLedger {
  collectedFen: number;
  receivedFen: number;
  centralExpectedFen: number;
  handedInFen: number;
  centralFen: number;
  records: HandInRecord[];
}

const empty = (): PeriodLedger => ({ collectedFen: 0, receivedFen: 0, centralExpectedFen: 0, handedInFen: 0, centralFen: 0, records: [] });

/** Per org (matching `orgPred` over `o.path`) and period: collected, received, handed in. Four grouped scans. */
export async function handInLedger(db: Db, tenantId: number, orgPred: (column: string) => SQL, periods: Period[]): Promise<Map<number, Map<string, PeriodLedger>>> {
  const out = new Map<number, Map<string, PeriodLedger>>();
  if (periods.length === 0) return out;
  const cell = (orgId: number, start: string) => {
    const m = out.get(orgId) ?? new Map<string, PeriodLedger>();
    out.set(orgId, m);
    const c = m.get(start) ?? empty();
    m.set(start, c);
    return c;
  };
  const per = sql`(values ${sql.join(periods.map((p) => sql`(${p.start}::date, ${p.end}::date)`), sql`, `)}) as per(s, e)`;
  const gift = DUES_2017.constants.CENTRAL_GIFT_FEN.value;
  const collected = await rows<{ org_id: number; s: string; fen: number; central: number }>(db, sql`select x.org_id, per.s::text as s, sum(x.amount_fen)::float8 as fen,
      coalesce(sum(x.amount_fen) filter (where x.kind = 'voluntary' and x.reversed_by is null and x.amount_fen >= ${gift}), 0)::float8 as central
    from dues_payments x join ${per} on x.paid_on between per.s and per.e where x.tenant_id = ${tenantId} and ${orgPred('x.org_path')} group by 1, 2`);
  for (const r of collected) Object.assign(cell(r.org_id, r.s), { collectedFen: Number(r.fen), centralExpectedFen: Number(r.central) });
  const received = await rows<{ org_id: number; s: string; fen: number; central: number }>(db, sql`select h.to_org_id as org_id, per.s::text as s, sum(h.amount_fen)::float8 as fen,
      sum(h.central_fen)::float8 as central
    from dues_hand_ins h join orgs t on t.id = h.to_org_id join ${per} on h.handed_on between per.s and per.e
    where h.tenant_id = ${tenantId} and ${orgPred('t.path')} group by 1, 2`);
  for (const r of received) {
    const c = cell(r.org_id, r.s);
    c.receivedFen = Number(r.fen);
    c.centralExpectedFen += Number(r.central);
  }
  const handed = await rows<HandInRow & { s: string }>(db, sql`select h.id, h.org_id, per.s::text as s, h.period_start::text as period_start, h.period_end::text as period_end,
      h.amount_fen, h.central_fen, h.handed_on::text as handed_on, h.receipt_no, t.name as to_org_name
    from dues_hand_ins h join orgs t on t.id = h.to_org_id join ${per} on h.period_end between per.s and per.e
    where h.tenant_id = ${tenantId} and ${orgPred('h.org_path')} order by h.period_start, h.id`);
  for (const r of handed) {
    const c = cell(r.org_id, r.s);
    c.handedInFen += r.amount_fen;
    c.centralFen += r.central_fen;
    c.records.push(toRecord(r));
  }
  return out;
}

interface HandInRow {
  id: number; org_id: number; period_start: string; period_end: string; amount_fen: number; central_fen: number; handed_on: string; receipt_no: string; to_org_name: string;
}
const toRecord = (r: HandInRow): HandInRecord => ({
  id: r.id, periodStart: r.period_start, periodEnd: r.period_end, amountFen: r.amount_fen, centralFen: r.central_fen, handedOn: r.handed_on, receiptNo: r.receipt_no, toOrgName: r.to_org_name,
});

/** What should go up: the share of everything collected and received, plus the Centre's part whole. */
export function expectedFen(l: PeriodLedger, sharePercent: number): number {
  const ordinary = l.collectedFen + l.receivedFen - l.centralExpectedFen;
  return Math.round((ordinary * sharePercent) / 100) + l.centralExpectedFen;
}

export function periodStatus(l: PeriodLedger, p: Period, deadline: string, today: string, dueSoonDays: number, expected: number): HandInPeriodView['status'] {
  if (l.collectedFen === 0 && l.receivedFen === 0 && l.handedInFen === 0) return 'none';
  if (l.records.length > 0) return l.handedInFen >= expected ? 'handedIn' : 'short';
  if (today <= p.end) return 'open';
  if (today > deadline) return 'overdue';
  return today >= addDays(deadline, -dueSoonDays) ? 'dueSoon' : 'open';
}

export async function handInSettings(db: Db, tenantId: number) {
  const frequency = await getSetting(db, tenantId, null, DUES_SETTINGS.handInFrequency);
  const graceDays = await getSetting(db, tenantId, null, DUES_SETTINGS.handInGraceDays);
  const dueSoonDays = await getSetting(db, tenantId, null, SETTINGS.dueSoonDays);
  return { frequency: frequency as HandInFrequency, graceDays, dueSoonDays };
}

export async function recordHandIn(w: WriteCtx, scope: Scope, input: HandInInput): Promise<{ handIn: HandInRecord; created: boolean }> {
  const org = await orgInScope(w.tx, scope, input.orgId);
  if (!org.parent_id) throw invalid('本组织是最高一级党组织，向上级上缴请在上级系统中登记');
  const parent = (await one<{ id: number; path: string; name: string }>(w.tx, sql`select id, path, name from orgs where id = ${org.parent_id}`))!;
  if (!input.periodStart.endsWith('-01')) throw invalid('所属期应从某月1日开始', { periodStart: '应为某月1日' });
  if (input.periodEnd < input.periodStart || periodOf(input.periodEnd, 'monthly').end !== input.periodEnd) throw invalid('所属期应到某月最后一天结束，且不早于开始月份', { periodEnd: '应为月末' });
  if (input.handedOn > w.today) throw invalid('上缴日期不能晚于今天', { handedOn: '不能晚于今天' });
  if (input.handedOn < input.periodStart) throw invalid('上缴日期不能早于所属期开始', { handedOn: '不能早于所属期' });
  if (input.centralFen > input.amountFen) throw invalid('上缴中央部分不能超过上缴总额', { centralFen: '不能超过上缴总额' });
  const r = await one<HandInRow>(w.tx, sql`insert into dues_hand_ins (tenant_id, org_id, org_path, to_org_id, period_start, period_end, amount_fen, handed_on, receipt_no, central_fen, created_at, updated_at)
    values (${w.tenantId}, ${org.id}, ${org.path}, ${parent.id}, ${input.periodStart}, ${input.periodEnd}, ${input.amountFen}, ${input.handedOn}, ${input.receiptNo}, ${input.centralFen}, ${w.now}, ${w.now})
    on conflict (org_id, period_start, period_end) do nothing
    returning id, org_id, period_start::text as period_start, period_end::text as period_end, amount_fen, central_fen, handed_on::text as handed_on, receipt_no, ${parent.name} as to_org_name`);
  if (!r) {
    const e = (await one<HandInRow>(w.tx, sql`select h.id, h.org_id, h.period_start::text as period_start, h.period_end::text as period_end, h.amount_fen, h.central_fen,
        h.handed_on::text as handed_on, h.receipt_no, t.name as to_org_name from dues_hand_ins h join orgs t on t.id = h.to_org_id
        where h.org_id = ${org.id} and h.period_start = ${input.periodStart} and h.period_end = ${input.periodEnd}`))!;
    if (e.amount_fen === input.amountFen && e.handed_on === input.handedOn && e.receipt_no === input.receiptNo && e.central_fen === input.centralFen) return { handIn: toRecord(e), created: false };
    throw conflict(`该所属期已登记上缴（${money(e.amount_fen)}，${e.handed_on}，收据号${e.receipt_no}），与本次登记不一致`);
  }
  w.audit({ action: 'create', entity: 'duesHandIn', entityId: r.id, orgId: org.id, after: { ...input, toOrgId: parent.id } });
  w.touch('duesHandIn', org.path);
  w.touch('duesHandIn', parent.path);
  return { handIn: toRecord(r), created: true };
}

/** Reconciliation for an org and year: collected vs handed in vs expected per period, and its children. */
export async function handInView(db: Db, scope: Scope, orgId: number, year: number, today: string): Promise<HandInView> {
  // The org's own ledger includes what it received from every org below it: the org itself must be in scope.
  const org = await orgInScope(db, scope, orgId);
  const s: Scope = { ...scope, paths: [org.path] };
  const { frequency, graceDays, dueSoonDays } = await handInSettings(db, scope.tenantId);
  const periods = periodsOfYear(year, frequency);
  const children = await rows<{ id: number; name: string; kind: string; path: string }>(db, sql`select id, name, kind, path from orgs
    where parent_id = ${org.id} and dissolved_on is null and kind <> 'partyGroup' and ${pathPredicate(sql`path`, s)} order by sort_order, id`);
  const ledger = await handInLedger(db, scope.tenantId, (col) => sql`(${sql.raw(col)} = any(${`{${[org.path, ...children.map((c) => c.path)].map((p) => `"${p}"`).join(',')}}`}::text[]))`, periods);
  const parent = org.parent_id ? await one<{ name: string }>(db, sql`select name from orgs where id = ${org.parent_id}`) : null;
  const shareOf = await shareResolver(db, scope.tenantId);
  const share = shareOf(org.path, org.kind);
  const views: HandInPeriodView[] = periods.map((p) => {
    const l = ledger.get(org.id)?.get(p.start) ?? empty();
    const deadline = addDays(p.end, graceDays);
    const expected = org.parent_id ? expectedFen(l, share) : 0;
    return {
      start: p.start, end: p.end, label: p.label, deadline, collectedFen: l.collectedFen, receivedFen: l.receivedFen, expectedFen: expected,
      centralExpectedFen: l.centralExpectedFen, handedInFen: l.handedInFen, centralFen: l.centralFen, differenceFen: expected - l.handedInFen,
      status: org.parent_id ? periodStatus(l, p, deadline, today, dueSoonDays, expected) : 'none', handIns: l.records,
    };
  });
  const childViews = [];
  for (const c of children) {
    const cShare = shareOf(c.path, c.kind);
    const sum = { collectedFen: 0, receivedFen: 0, expectedFen: 0, handedInFen: 0, overdue: 0 };
    for (const p of periods) {
      const l = ledger.get(c.id)?.get(p.start) ?? empty();
      const expected = expectedFen(l, cShare);
      sum.collectedFen += l.collectedFen;
      sum.receivedFen += l.receivedFen;
      sum.expectedFen += expected;
      sum.handedInFen += l.handedInFen;
      if (periodStatus(l, p, addDays(p.end, graceDays), today, dueSoonDays, expected) === 'overdue') sum.overdue += 1;
    }
    childViews.push({ id: c.id, name: c.name, kind: c.kind, ...sum, differenceFen: sum.expectedFen - sum.handedInFen });
  }
  return { org: { id: org.id, name: org.name, kind: org.kind, parentName: parent?.name ?? null }, year, today, frequency, sharePercent: share, periods: views, children: childViews };
}
