import { sql } from 'drizzle-orm';
import { one, rows, type Db } from '../../db/connection.js';
import { addMonths, monthStart } from '../../domain/dates.js';
import { monthIndex, toMonth } from '../../domain/duesMonths.js';
import { baseFromPaySlip, duesRuleSetFor, monthlyDue, selfEmployedBase, type DuesRuleSet, type PaySlipItem } from '../../domain/duesRules.js';
import type { DuesCategory } from '../../domain/vocab.js';
import { conflict, invalid } from '../../platform/errors.js';
import { pathPredicate, type Scope } from '../../platform/scope.js';
import type { WriteCtx } from '../../platform/write.js';
import type { BaseInput, BasesView, ReductionInput } from './contract.js';
import { narrowed, orgInScope, personInScope } from './queries.js';
import { duesSettingsFor, duesSettingsResolver, type DuesSettings } from './settings.js';
import { baseViews, monthText, reductionViews } from './views.js';

/**
 * Dues bases (缴费基数) and reductions (DOMAIN.md §1.1–§1.3, §1.7). A base applies from its effective
 * month until the member's next base; the computed monthly due is stored with the rule set and the
 * rounding that produced it, so last year's amounts never move when a setting changes.
 */
const NO_JANUARY_FIXING: readonly DuesCategory[] = ['selfEmployed', 'annualSalary'];

export interface ComputedBase {
  ruleSet: DuesRuleSet;
  baseFen: number | null;
  flatFen: number | null;
  paySlip: unknown;
  quarterIncomes: { month: string; netIncomeFen: number }[] | null;
  monthlyDueFen: number;
  explanation: string;
}

/** Validate and compute a base under the rule set in force for its month and the org's settings. */
export function computeBase(input: Omit<BaseInput, 'personId'>, settings: DuesSettings): ComputedBase {
  const month = toMonth(input.effectiveMonth);
  const ruleSet = duesRuleSetFor(month, settings.ruleSet);
  let baseFen = input.baseFen ?? null;
  let paySlip: unknown = null;
  if (input.paySlip?.length) {
    const slip = baseFromPaySlip(input.paySlip as PaySlipItem[], ruleSet);
    if (!slip.ok) throw invalid(slip.error, { paySlip: slip.error });
    baseFen = slip.baseFen;
    paySlip = slip.lines;
  }
  let quarterIncomes: ComputedBase['quarterIncomes'] = null;
  let averageNote = '';
  if (input.quarterIncomes?.length) {
    if (input.category !== 'selfEmployed') throw invalid('只有个体经营等不按月取得收入的党员按上季度平均收入核定基数', { quarterIncomes: '类别不是个体经营' });
    if (input.paySlip?.length) throw invalid('请填写工资单或上季度收入之一', { quarterIncomes: '请填写工资单或上季度收入之一' });
    const avg = selfEmployedBase(input.effectiveMonth, input.quarterIncomes.map((q) => ({ month: q.month, netIncomeFen: q.netIncomeFen })));
    if (!avg.ok) throw invalid(avg.error, { quarterIncomes: avg.error });
    baseFen = avg.baseFen;
    quarterIncomes = [...input.quarterIncomes].sort((a, b) => a.month.localeCompare(b.month));
    averageNote = `${avg.explanation}；`;
  }
  const r = monthlyDue({ category: input.category, baseFen, flatFen: input.flatFen ?? null }, {
    ruleSet, rounding: settings.rounding, capFen: settings.capFen, farmerDefaultFen: settings.farmerDefaultFen,
  });
  if (!r.ok) throw invalid(r.error, { [r.field]: r.error });
  const flatFen = r.method === 'farmer' || r.method === 'set' ? r.dueFen : null;
  return { ruleSet, baseFen: r.method === 'bracket' || r.method === 'retired' ? baseFen : null, flatFen, paySlip, quarterIncomes, monthlyDueFen: r.dueFen, explanation: `${averageNote}${r.explanation}` };
}

/** The change policy of the rule set: dues-2017 fixes the amount in January; a mid-year change needs a reason. */
function checkChangePolicy(input: Omit<BaseInput, 'personId'>, ruleSet: DuesRuleSet, today: string) {
  const month = toMonth(input.effectiveMonth);
  if (monthIndex(month) > monthIndex(addMonths(monthStart(today), 13))) throw invalid('基数生效月份过远，请核对', { effectiveMonth: '生效月份过远' });
  if (input.category === 'other' && !input.reason) throw invalid('“其他”类别由支部确定交纳金额，请填写理由', { reason: '请填写理由' });
  if (ruleSet.constants.BASE_CHANGE.value === 'januaryFixing' && month.slice(5, 7) !== '01' && !NO_JANUARY_FIXING.includes(input.category) && !input.reason) {
    throw invalid('按现行规定，每年1月核定月交纳额，年内一般不变；年中调整须填写理由', { reason: '年中调整须填写理由' });
  }
}

export async function recordBase(w: WriteCtx, scope: Scope, input: BaseInput) {
  const person = await personInScope(w.tx, scope, input.personId, { lock: true });
  const settings = await duesSettingsFor(w.tx, w.tenantId, person.org_path);
  const c = computeBase(input, settings);
  checkChangePolicy(input, c.ruleSet, w.today);
  const month = toMonth(input.effectiveMonth);
  const before = await one<Record<string, unknown>>(w.tx, sql`select id, category, base_fen, flat_fen, monthly_due_fen, rule_set, reason, version from dues_bases
    where person_id = ${person.id} and effective_month = ${month} for update`);
  const row = await one<{ id: number; version: number }>(w.tx, sql`insert into dues_bases (tenant_id, org_id, person_id, effective_month, category, base_fen, pay_slip, quarter_incomes, flat_fen,
      monthly_due_fen, rule_set, rounding, reason, created_at, updated_at)
    values (${w.tenantId}, ${person.org_id}, ${person.id}, ${month}, ${input.category}, ${c.baseFen}, ${c.paySlip === null ? null : JSON.stringify(c.paySlip)}::jsonb,
      ${c.quarterIncomes === null ? null : JSON.stringify(c.quarterIncomes)}::jsonb, ${c.flatFen},
      ${c.monthlyDueFen}, ${c.ruleSet.id}, ${JSON.stringify(settings.rounding)}::jsonb, ${input.reason ?? null}, ${w.now}, ${w.now})
    on conflict (person_id, effective_month) do update set org_id = excluded.org_id, category = excluded.category, base_fen = excluded.base_fen, pay_slip = excluded.pay_slip,
      quarter_incomes = excluded.quarter_incomes,
      flat_fen = excluded.flat_fen, monthly_due_fen = excluded.monthly_due_fen, rule_set = excluded.rule_set, rounding = excluded.rounding, reason = excluded.reason,
      version = dues_bases.version + 1, updated_at = excluded.updated_at
    returning id, version`);
  const after = { personId: person.id, name: person.name, effectiveMonth: monthText(month), category: input.category, baseFen: c.baseFen, flatFen: c.flatFen, monthlyDueFen: c.monthlyDueFen, ruleSet: c.ruleSet.id, reason: input.reason ?? null };
  w.audit({ action: before ? 'update' : 'create', entity: 'duesBase', entityId: row!.id, orgId: person.org_id, before: before ?? null, after });
  w.touch('duesBase', person.org_path);
  const [view] = await baseViews(w.tx, sql`id = ${row!.id}`);
  return { base: view, explanation: c.explanation };
}

/**
 * January fixing for a whole org (DOMAIN.md §1.1 "set once at the start of each year"): every member
 * without a January base for `year` gets one from their latest earlier base, recomputed under the
 * current rule set and settings. Members with no earlier base are listed, not guessed.
 */
export async function carryForward(w: WriteCtx, scope: Scope, orgId: number, year: number) {
  const org = await orgInScope(w.tx, scope, orgId);
  const jan = `${year}-01-01`;
  const members = await rows<{ id: number; name: string; org_id: number; org_path: string; prev_id: number | null; category: string | null; base_fen: number | null;
    pay_slip: unknown; flat_fen: number | null; reason: string | null }>(w.tx, sql`select p.id, p.name, p.org_id, p.org_path, b.id as prev_id, b.category, b.base_fen, b.pay_slip, b.flat_fen, b.reason
      from people p
      left join lateral (select * from dues_bases x where x.person_id = p.id and x.effective_month < ${jan} order by x.effective_month desc limit 1) b on true
      where p.tenant_id = ${w.tenantId} and p.org_path like ${`${org.path}%`} and p.stage in ('probationary','full') and p.state in ('active','lostContact')
        and not exists (select 1 from dues_bases j where j.person_id = p.id and j.effective_month = ${jan})
      order by p.name, p.id`);
  const created: { personId: number; name: string; monthlyDueFen: number }[] = [];
  const missing: { personId: number; name: string }[] = [];
  const settingsOf = await duesSettingsResolver(w.tx, w.tenantId);
  for (const m of members) {
    if (!m.prev_id || !m.category) {
      missing.push({ personId: m.id, name: m.name });
      continue;
    }
    const slip = typeof m.pay_slip === 'string' ? JSON.parse(m.pay_slip) : m.pay_slip;
    const settings = settingsOf(m.org_path);
    const c = computeBase({ effectiveMonth: jan.slice(0, 7), category: m.category as DuesCategory, baseFen: m.base_fen, flatFen: m.flat_fen,
      paySlip: Array.isArray(slip) ? slip.map((l: PaySlipItem) => ({ label: l.label, kind: l.kind, amountFen: l.amountFen })) : null, reason: m.reason }, settings);
    const row = await one<{ id: number }>(w.tx, sql`insert into dues_bases (tenant_id, org_id, person_id, effective_month, category, base_fen, pay_slip, flat_fen,
        monthly_due_fen, rule_set, rounding, reason, created_at, updated_at)
      values (${w.tenantId}, ${m.org_id}, ${m.id}, ${jan}, ${m.category}, ${c.baseFen}, ${c.paySlip === null ? null : JSON.stringify(c.paySlip)}::jsonb, ${c.flatFen},
        ${c.monthlyDueFen}, ${c.ruleSet.id}, ${JSON.stringify(settings.rounding)}::jsonb, ${m.category === 'other' ? m.reason : null}, ${w.now}, ${w.now})
      on conflict (person_id, effective_month) do nothing returning id`);
    if (!row) continue;
    created.push({ personId: m.id, name: m.name, monthlyDueFen: c.monthlyDueFen });
    w.audit({ action: 'create', entity: 'duesBase', entityId: row.id, orgId: m.org_id, after: { personId: m.id, effectiveMonth: jan.slice(0, 7), category: m.category, monthlyDueFen: c.monthlyDueFen, ruleSet: c.ruleSet.id, from: m.prev_id } });
  }
  if (created.length) w.touch('duesBase', org.path);
  return { created, missing };
}

export async function recordReduction(w: WriteCtx, scope: Scope, input: ReductionInput) {
  const person = await personInScope(w.tx, scope, input.personId, { lock: true });
  const from = toMonth(input.fromMonth);
  const to = input.toMonth ? toMonth(input.toMonth) : null;
  if (to && to < from) throw invalid('结束月份不能早于开始月份', { toMonth: '结束月份不能早于开始月份' });
  if (input.kind === 'reduction' && (input.monthlyFen == null || input.monthlyFen <= 0)) throw invalid('减交须填写减交后每月金额；完全免交请选择“免交”', { monthlyFen: '请填写减交后每月金额' });
  if (input.decision.approvedOn > w.today) throw invalid('批准日期不能晚于今天', { 'decision.approvedOn': '批准日期不能晚于今天' });
  const overlap = await one<{ id: number }>(w.tx, sql`select id from dues_reductions where person_id = ${person.id}
    and from_month <= ${to ?? '9999-12-01'} and (to_month is null or to_month >= ${from}) limit 1`);
  if (overlap) throw conflict('该党员在这段时间已有减免记录，请勿重复登记');
  const monthlyFen = input.kind === 'exemption' ? 0 : input.monthlyFen!;
  const row = await one<{ id: number }>(w.tx, sql`insert into dues_reductions (tenant_id, org_id, person_id, from_month, to_month, kind, monthly_fen, decision, created_at, updated_at)
    values (${w.tenantId}, ${person.org_id}, ${person.id}, ${from}, ${to}, ${input.kind}, ${monthlyFen}, ${JSON.stringify(input.decision)}::jsonb, ${w.now}, ${w.now}) returning id`);
  w.audit({ action: 'create', entity: 'duesReduction', entityId: row!.id, orgId: person.org_id, after: { ...input, personId: person.id, name: person.name } });
  w.touch('duesReduction', person.org_path);
  const [view] = await reductionViews(w.tx, sql`id = ${row!.id}`);
  return view;
}

/** Bases for a year: each member of the org with the bases in effect during the year. */
export async function basesForYear(db: Db, scope: Scope, orgId: number, year: number): Promise<BasesView> {
  const { scope: s, org } = await narrowed(db, scope, orgId);
  const jan = `${year}-01-01`;
  const dec = `${year}-12-01`;
  const members = await rows<{ id: number; name: string; stage: string; admitted_on: string | null }>(db, sql`select distinct p.id, p.name, mp_stage.stage, p.admitted_on::text as admitted_on
    from people p join lateral (select m.stage from membership_periods m join orgs o on o.id = m.org_id
        where m.person_id = p.id and ${pathPredicate(sql`o.path`, s)} and m.valid_from <= ${`${year}-12-31`} and (m.valid_to is null or m.valid_to > ${jan})
          and m.stage in ('probationary','full') and m.state in ('active','lostContact') order by m.valid_from desc limit 1) mp_stage on true
    where p.tenant_id = ${scope.tenantId} order by p.name, p.id`);
  const ids = members.map((m) => m.id);
  const idList = sql`${`{${ids.join(',')}}`}::int[]`;
  const bases = ids.length ? await baseViews(db, sql`person_id = any(${idList}) and (effective_month between ${jan} and ${dec}
      or effective_month = (select max(y.effective_month) from dues_bases y where y.person_id = dues_bases.person_id and y.effective_month < ${jan}))`) : [];
  const reductions = ids.length ? await reductionViews(db, sql`person_id = any(${idList}) and from_month <= ${dec} and (to_month is null or to_month >= ${jan})`) : [];
  const settings = await duesSettingsFor(db, scope.tenantId, org.path);
  return {
    org: { id: org.id, name: org.name },
    year,
    settings,
    members: members.map((m) => {
      const mine = bases.filter((b) => b.personId === m.id);
      return {
        personId: m.id, name: m.name, stage: m.stage, admittedOn: m.admitted_on, bases: mine,
        reductions: reductions.filter((r) => r.personId === m.id),
        missingForYear: !mine.some((b) => b.effectiveMonth.startsWith(String(year))),
      };
    }),
  };
}
