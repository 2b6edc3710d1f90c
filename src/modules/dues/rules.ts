import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/connection.js';
import { addDays, addMonths, monthStart, quarterOf, quarterStart } from '../../domain/dates.js';
import { assessArrears, endedPeriods, lastEndedMonth, type MonthRecord } from '../../domain/duesMonths.js';
import { DUES_2017, isCentralGift } from '../../domain/duesRules.js';
import { pathsSql, registerRule, type EvalScope, type FindingDraft } from '../../platform/findings.js';
import { handInLedger, handInSettings, expectedFen, periodStatus } from './handIn.js';
import { DUE_EXPR, memberMonthsSql } from './queries.js';
import { DUES_SETTINGS, shareResolver } from './settings.js';
import { getSetting } from '../../platform/settings.js';
import { money, monthLabel } from './views.js';

/**
 * Dues finding rules (DOMAIN.md §1.4, §1.5, §1.7). Arrears: 3 and 5 consecutive unpaid months are
 * findings for the branch; 6 is a case (需组织认定事项) — whether to treat the member as having left
 * the Party (按自行脱党处理) is for the 支部大会 to decide, never automatic, and no status changes here.
 * Findings are computed from records, never inserted.
 */
const SET = DUES_2017;
/** How far back runs are looked for: a six-month run inside the last two years stays a case. */
const WINDOW_MONTHS = 24;

interface UnpaidRow {
  person_id: number;
  month: string;
  name: string;
  org_id: number;
  org_path: string;
}

/** Owed, unpaid member-months of current members in the evaluated subtrees (only the unpaid rows leave the database). */
async function unpaidMonths(db: Db, scope: EvalScope): Promise<Map<number, { name: string; orgId: number; orgPath: string; records: MonthRecord[] }>> {
  const to = lastEndedMonth(scope.today);
  const from = addMonths(monthStart(scope.today), -WINDOW_MONTHS);
  const r = await rows<UnpaidRow>(db, sql`${memberMonthsSql({
    tenantId: scope.tenantId,
    orgPredicate: pathsSql('o.path', scope.paths),
    from, to,
    withBasesOnly: true,
    select: sql`mm.person_id, mm.month::text as month, p.name, p.org_id, p.org_path`,
    where: sql`pay.id is null and ${DUE_EXPR} > 0
      and p.stage in ('probationary','full') and p.state in ('active','lostContact') and ${pathsSql('p.org_path', scope.paths)}`,
  })} order by mm.person_id, mm.month`);
  const out = new Map<number, { name: string; orgId: number; orgPath: string; records: MonthRecord[] }>();
  for (const x of r) {
    const e = out.get(x.person_id) ?? { name: x.name, orgId: x.org_id, orgPath: x.org_path, records: [] };
    e.records.push({ month: x.month, dueFen: 1, paid: false });
    out.set(x.person_id, e);
  }
  return out;
}

const span = (start: string, end: string) => (start === end ? monthLabel(start) : `${monthLabel(start)}至${monthLabel(end)}`);

registerRule({
  ruleId: 'dues.arrears',
  ruleSet: SET.id,
  source: 'DOMAIN.md §1.7',
  reads: ['duesPayment', 'duesBase', 'duesReduction', 'person'],
  async evaluate(db, scope) {
    const out: FindingDraft[] = [];
    for (const [personId, p] of await unpaidMonths(db, scope)) {
      const a = assessArrears(p.records, scope.today, SET);
      if (!a.level || !a.current) continue;
      const c = a.current;
      out.push({
        orgId: p.orgId, orgPath: p.orgPath, subjectEntity: 'person', subjectId: personId, period: `${c.start.slice(0, 7)}/${a.level}`,
        severity: 'overdue', dueOn: addMonths(c.start, 1), addresseePersonId: personId,
        message: a.level >= 5
          ? `党员${p.name}已连续${c.length}个月（${span(c.start, c.end)}）未交纳党费，请支部进行批评教育并限期交纳；连续6个月不交纳须由支部大会认定`
          : `党员${p.name}已连续${c.length}个月（${span(c.start, c.end)}）未交纳党费，请提醒及时交纳或补交`,
      });
    }
    return out;
  },
});

registerRule({
  ruleId: 'dues.arrears.case',
  ruleSet: SET.id,
  source: 'DOMAIN.md §1.4',
  reads: ['duesPayment', 'duesBase', 'duesReduction', 'person'],
  async evaluate(db, scope) {
    const out: FindingDraft[] = [];
    for (const [personId, p] of await unpaidMonths(db, scope)) {
      for (const c of assessArrears(p.records, scope.today, SET).cases) {
        out.push({
          orgId: p.orgId, orgPath: p.orgPath, subjectEntity: 'person', subjectId: personId, period: c.start.slice(0, 7), severity: 'case',
          message: `党员${p.name}连续${c.length}个月（${span(c.start, c.end)}）未交纳党费。是否属于无正当理由、按自行脱党处理，须由支部大会讨论认定并报上级党委批准，系统不会自动处理`,
        });
      }
    }
    return out;
  },
});

/** A period's hand-in not recorded by its deadline (LOCAL frequency and grace days). */
registerRule({
  ruleId: 'dues.handIn.overdue',
  ruleSet: SET.id,
  source: 'DOMAIN.md §1.5',
  reads: ['duesPayment', 'duesHandIn'],
  async evaluate(db, scope) {
    const { frequency, graceDays, dueSoonDays } = await handInSettings(db, scope.tenantId);
    const periods = endedPeriods(scope.today, frequency, frequency === 'monthly' ? 12 : frequency === 'quarterly' ? 4 : 2);
    const ledger = await handInLedger(db, scope.tenantId, (col) => pathsSql(col, scope.paths), periods);
    if (ledger.size === 0) return [];
    const orgs = await rows<{ id: number; path: string; kind: string; name: string; parent_name: string }>(db, sql`select o.id, o.path, o.kind, o.name, pa.name as parent_name
      from orgs o join orgs pa on pa.id = o.parent_id where o.id = any(${`{${[...ledger.keys()].join(',')}}`}::int[]) and ${pathsSql('o.path', scope.paths)}`);
    const out: FindingDraft[] = [];
    const shareOf = await shareResolver(db, scope.tenantId);
    for (const o of orgs) {
      const share = shareOf(o.path, o.kind);
      for (const p of periods) {
        const l = ledger.get(o.id)?.get(p.start);
        if (!l) continue;
        const deadline = addDays(p.end, graceDays);
        const expected = expectedFen(l, share);
        const status = periodStatus(l, p, deadline, scope.today, dueSoonDays, expected);
        if ((status !== 'overdue' && status !== 'dueSoon') || expected <= 0) continue;
        out.push({
          orgId: o.id, orgPath: o.path, subjectEntity: 'org', subjectId: o.id, period: p.start, severity: status, dueOn: deadline,
          message: `${p.label}党费应于${deadline}前上缴${o.parent_name}（应上缴${money(expected)}），尚未登记上缴`,
        });
      }
    }
    return out;
  },
});

/** A single voluntary payment ≥ 1000 元 passes wholly to the Centre (第十一条): open until a hand-in carries it. */
registerRule({
  ruleId: 'dues.voluntary.central',
  ruleSet: SET.id,
  source: 'DOMAIN.md §1.3',
  reads: ['duesPayment', 'duesHandIn'],
  async evaluate(db, scope) {
    const gifts = await rows<{ id: number; org_id: number; org_path: string; name: string; amount_fen: number; paid_on: string; handed: number }>(db, sql`select x.id, x.org_id, x.org_path,
        p.name, x.amount_fen, x.paid_on::text as paid_on,
        coalesce((select sum(h.central_fen) from dues_hand_ins h where h.org_id = x.org_id and h.period_end >= x.paid_on and h.period_start <= ${scope.today}), 0)::float8 as handed
      from dues_payments x join people p on p.id = x.person_id
      where x.tenant_id = ${scope.tenantId} and x.kind = 'voluntary' and x.reversed_by is null and x.amount_fen >= ${SET.constants.CENTRAL_GIFT_FEN.value}
        and x.paid_on >= ${addMonths(scope.today, -24)} and ${pathsSql('x.org_path', scope.paths)} order by x.org_id, x.paid_on, x.id`);
    const out: FindingDraft[] = [];
    const covered = new Map<number, number>();
    for (const g of gifts) {
      // Hand-ins of the org carrying a central part cover its gifts oldest first.
      const left = (covered.has(g.org_id) ? covered.get(g.org_id)! : Number(g.handed)) - g.amount_fen;
      covered.set(g.org_id, left);
      if (left >= 0 || !isCentralGift(g.amount_fen, SET)) continue;
      out.push({
        orgId: g.org_id, orgPath: g.org_path, subjectEntity: 'duesPayment', subjectId: g.id, period: g.paid_on, severity: 'info',
        message: `${g.name}于${g.paid_on}自愿多交党费${money(g.amount_fen)}，单笔达到1000元，应全额上缴中央；上缴时请在“上缴中央金额”中注明`,
      });
    }
    return out;
  },
});

/** A back payment covering more than 6 months was accepted with a reason; the higher level should see it. */
registerRule({
  ruleId: 'dues.backPayment.overLimit',
  ruleSet: SET.id,
  source: 'DOMAIN.md §1.4',
  reads: ['duesPayment'],
  async evaluate(db, scope) {
    const max = SET.constants.BACK_PAYMENT_MAX_MONTHS.value;
    const r = await rows<{ person_id: number; paid_on: string; n: number; name: string; org_id: number; org_path: string; reason: string | null }>(db, sql`select x.person_id, x.paid_on::text as paid_on,
        count(*)::int as n, p.name, x.org_id, x.org_path, max(x.reason) as reason
      from dues_payments x join people p on p.id = x.person_id
      where x.tenant_id = ${scope.tenantId} and x.kind = 'due' and x.back_payment and x.reversed_by is null and x.paid_on >= ${addMonths(scope.today, -12)}
        and ${pathsSql('x.org_path', scope.paths)}
      group by x.person_id, x.paid_on, p.name, x.org_id, x.org_path having count(*) > ${max}`);
    return r.map((x) => ({
      orgId: x.org_id, orgPath: x.org_path, subjectEntity: 'person', subjectId: x.person_id, period: x.paid_on, severity: 'info' as const,
      message: `${x.name}于${x.paid_on}一次补交${x.n}个月党费，超过一般不超过${max}个月的规定${x.reason ? `（理由：${x.reason}）` : ''}，请上级党组织知悉`,
    }));
  },
});

/**
 * 第四条 (DOMAIN.md §1.1): a self-employed member's base is the previous quarter's average monthly net
 * income, so it is re-based each quarter. A member whose latest base is older than the current quarter
 * is reminded within `dues.selfEmployed.rebaseDays` of the quarter's start, then overdue.
 */
registerRule({
  ruleId: 'dues.selfEmployed.rebase',
  ruleSet: SET.id,
  source: 'DOMAIN.md §1.1',
  reads: ['duesBase', 'person'],
  async evaluate(db, scope) {
    const qStart = quarterStart(scope.today);
    const days = await getSetting(db, scope.tenantId, null, DUES_SETTINGS.selfEmployedRebaseDays);
    const dueOn = addDays(qStart, days - 1);
    const r = await rows<{ id: number; name: string; org_id: number; org_path: string; effective_month: string }>(db, sql`
      select p.id, p.name, p.org_id, p.org_path, b.effective_month::text as effective_month
      from people p join lateral (
        select category, effective_month from dues_bases b where b.person_id = p.id and b.effective_month <= ${monthStart(scope.today)}
        order by effective_month desc limit 1) b on true
      where p.tenant_id = ${scope.tenantId} and ${pathsSql('p.org_path', scope.paths)}
        and p.stage in ('probationary','full') and p.state = 'active' and b.category = 'selfEmployed' and b.effective_month < ${qStart}
      order by p.id`);
    const q = `${scope.today.slice(0, 4)}年第${'一二三四'[quarterOf(scope.today) - 1]}季度`;
    return r.map((x): FindingDraft => ({
      orgId: x.org_id, orgPath: x.org_path, subjectEntity: 'person', subjectId: x.id, period: `${scope.today.slice(0, 4)}-Q${quarterOf(scope.today)}`,
      severity: scope.today > dueOn ? 'overdue' : 'dueSoon', dueOn,
      message: `党员${x.name}为个体经营等不按月取得收入的党员，${q}应按上一季度月平均纯收入重新核定党费基数（现基数自${monthLabel(x.effective_month)}起），请于${dueOn}前核定`,
    }));
  },
});
