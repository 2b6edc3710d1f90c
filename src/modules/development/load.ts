import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/connection.js';
import type { CalendarData } from '../../domain/calendar.js';
import { earliestDate, nextStep, openDeadlines, type DevelopmentCheckContext, type StepEntry } from '../../domain/development.js';
import { stepOf } from '../../domain/developmentSteps.js';
import { DEVELOPMENT_RULE_SETS, ruleSetInForce, type DevelopmentRuleSet } from '../../domain/ruleSets.js';
import { pathsSql } from '../../platform/findings.js';
import type { NextStepView } from './contract.js';
import type { DevelopmentSettingValues } from './settings.js';

/**
 * Reading development records in bulk (board, findings, figures): the step rows of many records in one
 * query, turned into the domain's StepEntry so that next steps and deadlines come from the same pure
 * functions that check a step being recorded.
 */
export interface StepRow {
  id: number;
  record_id: number;
  person_id: number;
  step: number;
  done_on: string;
  decision: string | null;
  details: Record<string, unknown> | null;
  issues: { kind: string }[] | null;
}

export function developmentRuleSet(id: string): DevelopmentRuleSet {
  const set = DEVELOPMENT_RULE_SETS.find((s) => s.id === id);
  if (!set) throw new Error(`unknown development rule set ${id}`);
  return set;
}

/** The rule set for a new record: the tenant's choice, or (auto) the one in force on the application date. */
export function ruleSetForNewRecord(setting: DevelopmentSettingValues['defaultRuleSet'], applicationOn: string): DevelopmentRuleSet {
  if (setting !== 'auto') return developmentRuleSet(setting);
  return developmentRuleSet(ruleSetInForce('development', applicationOn, DEVELOPMENT_RULE_SETS)?.id ?? 'development-2014');
}

export function toEntry(r: Pick<StepRow, 'step' | 'done_on' | 'decision' | 'details'>): StepEntry {
  const d = (r.details ?? {}) as Record<string, string | number | null | undefined>;
  return {
    step: Number(r.step),
    date: r.done_on,
    decision: (r.decision as StepEntry['decision']) ?? null,
    reachedCommitteeOn: (d.reachedCommitteeOn as string | undefined) ?? null,
    publicity: d.publicityFirst && d.publicityLast ? { first: String(d.publicityFirst), last: String(d.publicityLast) } : null,
    specialReason: (d.specialReason as string | undefined) ?? null,
  };
}

/** Step rows of every record under `paths` (null: the tenant), grouped by record id, in step/date order. */
export async function stepRowsByRecord(db: Db, tenantId: number, paths: string[] | null, recordIds?: number[]): Promise<Map<number, StepRow[]>> {
  if (recordIds && recordIds.length === 0) return new Map();
  const list = await rows<StepRow>(db, sql`select id, record_id, person_id, step, done_on::text as done_on, decision, details, issues from development_steps
    where tenant_id = ${tenantId} and ${pathsSql('org_path', paths)}
      ${recordIds ? sql`and record_id in (${sql.join(recordIds.map((i) => sql`${i}`), sql`, `)})` : sql``}
    order by record_id, step, done_on, id`);
  const out = new Map<number, StepRow[]>();
  for (const r of list) {
    const k = Number(r.record_id);
    out.set(k, [...(out.get(k) ?? []), r]);
  }
  return out;
}

/** The next step of a record with its deadline and earliest date, for the board and the step form. */
export function nextStepView(ctx: DevelopmentCheckContext, entries: StepEntry[]): NextStepView | null {
  const no = nextStep(entries);
  if (no === null) return null;
  const s = stepOf(no);
  const deadlines = openDeadlines(ctx, entries);
  // the next step's own deadline, else the nearest running one (e.g. the activist review before step 7)
  const due = deadlines.find((d) => d.step === no) ?? [...deadlines].sort((a, b) => a.dueOn.localeCompare(b.dueOn))[0] ?? null;
  return {
    no, label: s.label, documents: s.documents, dueOn: due?.dueOn ?? null, dueRule: due ? due.what : null,
    earliestOn: earliestDate(ctx, entries, no), byCommittee: !!s.byCommittee,
  };
}

export function checkContext(ruleSet: string, birthDate: string, calendar: CalendarData, settings: DevelopmentSettingValues): DevelopmentCheckContext {
  return { rules: developmentRuleSet(ruleSet), birthDate, calendar, local: settings.local };
}
