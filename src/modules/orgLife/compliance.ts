import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/connection.js';
import { addMonths, addYears, compareDates, monthEnd, yearStart, type IsoDate } from '../../domain/dates.js';
import {
  complianceDueBetween, complianceFor, periodLabel, type MeetingFacts, type ObligationResult, type OrgFacts, type PostInterval,
} from '../../domain/orgLifeRules.js';
import { percentOf } from '../../domain/orgLifeCounting.js';
import { COMMITTEE_POSTS } from '../../domain/vocab.js';
import { pathsSql } from '../../platform/findings.js';
import type { MatrixAnswer, MatrixCell, MatrixRow, ObligationRow } from './contract.js';
import { settingsResolver } from './settings.js';

/**
 * The compliance engine (issue 4 §3): the pure obligation rules of domain/orgLifeRules.ts over the orgs,
 * committee posts and meetings of a subtree, read in three flat queries whatever the subtree's size.
 */
export const OWING_KINDS = ['branch', 'jointBranch', 'temporaryBranch', 'partyGroup'] as const;
/** Orgs shown as rows of the higher-committee view; a party group's obligations roll up into its branch. */
export const ROW_KINDS = ['branch', 'jointBranch', 'temporaryBranch'];

export interface ComplianceOrg {
  id: number;
  name: string;
  path: string;
  kind: string;
  parentId: number | null;
  parentName: string | null;
}

export interface ComplianceData {
  orgs: ComplianceOrg[];
  results: ObligationResult[];
  meetings: Map<number, MeetingFacts & { orgId: number; topic: string | null }>;
}

/**
 * Obligations of every owing org under `paths` (null: the whole tenant), with status as of `today`.
 * `mode: 'period'` keeps obligations whose period overlaps [from, to] (a calendar); `mode: 'due'` keeps
 * those whose due date falls in [from, to] (figures and the month matrix).
 */
export async function loadCompliance(
  db: Db, tenantId: number, paths: string[] | null, from: IsoDate, to: IsoDate, today: IsoDate,
  opts: { mode?: 'period' | 'due'; withTopics?: boolean } = {},
): Promise<ComplianceData> {
  const mode = opts.mode ?? 'period';
  // a yearly obligation of year Y is due in Y+1: look one year back when selecting by due date
  const genFrom = mode === 'due' ? addYears(from, -1) : from;
  const orgs = await rows<{ id: number; name: string; path: string; kind: string; parent_id: number | null; parent_name: string | null; established_on: string | null; dissolved_on: string | null }>(
    db,
    sql`select o.id, o.name, o.path, o.kind, o.parent_id, p.name as parent_name, o.established_on, o.dissolved_on
        from orgs o left join orgs p on p.id = o.parent_id
        where o.tenant_id = ${tenantId} and o.kind in ('branch','jointBranch','temporaryBranch','partyGroup') and ${pathsSql('o.path', paths)}
          and (o.dissolved_on is null or o.dissolved_on > ${genFrom})
        order by o.path`,
  );
  if (orgs.length === 0) return { orgs: [], results: [], meetings: new Map() };
  const posts = await rows<{ org_id: number; valid_from: string; valid_to: string | null }>(
    db,
    sql`select t.org_id, t.valid_from, t.valid_to from post_terms t join orgs o on o.id = t.org_id
        where t.tenant_id = ${tenantId} and t.post in (${sql.join(COMMITTEE_POSTS.map((p) => sql`${p}`), sql`, `)})
          and o.kind in ('branch','jointBranch') and ${pathsSql('o.path', paths)} and (t.valid_to is null or t.valid_to > ${genFrom})`,
  );
  // meetings that can satisfy these obligations: from the first period's start; yearly kinds a year
  // earlier (a 组织生活会 for Y-1 is due in Y); up to three months after `to` (held Jan–Mar for last year)
  const meetingTo = addMonths(to, 3);
  const yearly = sql`(m.kind in ('orgLifeMeeting','memberReview') or m.also_counts_as && '{orgLifeMeeting,memberReview}'::text[])`;
  const meetings = await rows<{ id: number; org_id: number; kind: string; also_counts_as: string[] | string; held_on: string; for_year: number | null; counts_as_held: boolean; late_entry: boolean; topic: string | null }>(
    db,
    sql`select m.id, m.org_id, m.kind, m.also_counts_as, m.held_on, m.for_year, m.counts_as_held, m.late_entry, ${opts.withTopics ? sql`m.topic` : sql`null`} as topic
        from meetings m where m.tenant_id = ${tenantId} and ${pathsSql('m.org_path', paths)} and m.held_on <= ${meetingTo}
          and (m.held_on >= ${yearStart(from)} ${mode === 'due' ? sql`or (${yearly} and m.held_on >= ${yearStart(genFrom)})` : sql``})`,
  );
  const resolve = await settingsResolver(db, tenantId);
  const postsBy = new Map<number, PostInterval[]>();
  for (const p of posts) {
    const list = postsBy.get(Number(p.org_id));
    const t = { validFrom: p.valid_from, validTo: p.valid_to };
    if (list) list.push(t);
    else postsBy.set(Number(p.org_id), [t]);
  }
  const meetingsBy = new Map<number, MeetingFacts[]>();
  const meetingMap = new Map<number, MeetingFacts & { orgId: number; topic: string | null }>();
  for (const m of meetings) {
    const f = {
      id: Number(m.id), orgId: Number(m.org_id), kind: m.kind, alsoCountsAs: pgTextArray(m.also_counts_as), heldOn: m.held_on,
      forYear: m.for_year === null ? null : Number(m.for_year), countsAsHeld: m.counts_as_held, lateEntry: m.late_entry, topic: m.topic,
    };
    meetingMap.set(f.id, f);
    const list = meetingsBy.get(f.orgId);
    if (list) list.push(f);
    else meetingsBy.set(f.orgId, [f]);
  }
  const results: ObligationResult[] = [];
  for (const o of orgs) {
    const facts: OrgFacts = { orgId: Number(o.id), kind: o.kind, establishedOn: o.established_on, dissolvedOn: o.dissolved_on, committeePosts: postsBy.get(Number(o.id)) ?? [] };
    const s = resolve(o.path);
    const mine = meetingsBy.get(facts.orgId) ?? [];
    results.push(...(mode === 'due' ? complianceDueBetween(facts, mine, from, to, today, s) : complianceFor(facts, mine, from, to, today, s)));
  }
  return {
    orgs: orgs.map((o) => ({ id: Number(o.id), name: o.name, path: o.path, kind: o.kind, parentId: o.parent_id === null ? null : Number(o.parent_id), parentName: o.parent_name })),
    results,
    meetings: meetingMap,
  };
}

/** PGlite returns text[] as an array; node-postgres does too, but be safe with the literal form. */
export function pgTextArray(v: string[] | string | null): string[] {
  if (Array.isArray(v)) return v;
  if (!v || v === '{}') return [];
  return v.replace(/^\{|\}$/g, '').split(',').map((s) => s.replace(/^"|"$/g, ''));
}

/** Counted for rates: an obligation whose due date has passed, or that is already done. */
export const isCounted = (r: ObligationResult) => r.status === 'done' || r.status === 'overdue';

export function toObligationRows(data: ComplianceData): ObligationRow[] {
  const names = new Map(data.orgs.map((o) => [o.id, o.name]));
  return data.results
    .map((r) => ({
      orgId: r.orgId, orgName: names.get(r.orgId) ?? '', kind: r.kind, frequency: r.frequency, periodKey: r.period.key,
      periodLabel: periodLabel(r.period), start: r.period.start, end: r.period.end, dueOn: r.dueOn, status: r.status,
      meetings: r.satisfiedBy.map((id) => {
        const m = data.meetings.get(id)!;
        return { id, heldOn: m.heldOn, topic: m.topic ?? '', lateEntry: m.lateEntry };
      }),
    }))
    .sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.orgName.localeCompare(b.orgName) || a.kind.localeCompare(b.kind));
}

const emptyCell = (month: string): MatrixCell => ({ month, due: 0, met: 0, overdue: 0, pending: 0, rate: null });

function addToCell(c: MatrixCell, r: ObligationResult) {
  if (r.status === 'done') c.met += 1;
  else if (r.status === 'overdue') c.overdue += 1;
  else c.pending += 1;
  c.due = c.met + c.overdue;
  c.rate = percentOf(c.met, c.due);
}

/**
 * The higher-committee view (issue 4 §7): rows = branches under the org, 12 months ending at `lastMonth`;
 * a cell holds the obligations due that month (a group's roll up into its branch). `due` counts those
 * already due or done; `pending` those still open before their due date.
 */
export async function complianceMatrix(db: Db, tenantId: number, paths: string[], lastMonth: string, today: IsoDate, org: { id: number; name: string } | null): Promise<MatrixAnswer> {
  const months: string[] = [];
  for (let i = 11; i >= 0; i -= 1) months.push(addMonths(`${lastMonth}-01`, -i).slice(0, 7));
  const from = `${months[0]}-01`;
  const to = monthEnd(`${lastMonth}-01`);
  const data = await loadCompliance(db, tenantId, paths, from, to, today, { mode: 'due' });
  const byId = new Map(data.orgs.map((o) => [o.id, o]));
  const rowsById = new Map<number, MatrixRow>();
  for (const o of data.orgs) {
    if (!ROW_KINDS.includes(o.kind)) continue;
    rowsById.set(o.id, { orgId: o.id, orgName: o.name, kind: o.kind, parentName: o.parentName, cells: months.map(emptyCell), due: 0, met: 0, rate: null });
  }
  const totals = months.map(emptyCell);
  for (const r of data.results) {
    const o = byId.get(r.orgId)!;
    const row = rowsById.get(o.id) ?? (o.parentId !== null ? rowsById.get(o.parentId) : undefined);
    const i = months.indexOf(r.dueOn.slice(0, 7));
    if (i < 0) continue;
    if (row) addToCell(row.cells[i], r);
    addToCell(totals[i], r);
  }
  const rowsOut = [...rowsById.values()];
  for (const row of rowsOut) {
    row.due = row.cells.reduce((s, c) => s + c.due, 0);
    row.met = row.cells.reduce((s, c) => s + c.met, 0);
    row.rate = percentOf(row.met, row.due);
  }
  return { org, months, rows: rowsOut, totals };
}
