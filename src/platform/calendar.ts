import { sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import { one, rows, type Db } from '../db/connection.js';
import {
  CALENDAR_2026, yearBounds, yearCalendarOf, validateYearCalendar,
  type CalendarData, type CalendarDay, type CalendarYearDef, type YearCalendar,
} from '../domain/calendar.js';
import { parseIso, type IsoDate } from '../domain/dates.js';
import { appendAudit } from './audit.js';
import type { Clock } from './clock.js';
import { invalid } from './errors.js';
import { registerRule } from './findings.js';
import { systemActor, type WriteCtx } from './write.js';

/**
 * The one working-day calendar service (ARCHITECTURE.md "Time"; DOMAIN.md §2.1a). The tables
 * `calendar_days` / `calendar_years` hold national data, one set per database; a row in
 * `calendar_years` is what "the year has data" means (a year may legitimately list few days).
 * Pure working-day arithmetic lives in domain/calendar.ts; this file loads, caches and stores.
 */

/** Entity name for audit, finding re-evaluation (`touch`) and finding subjects. */
export const CALENDAR_ENTITY = 'calendarYear';

// ---------------------------------------------------------------------------------------------
// Loading, with a per-process cache.
//
// Callers load once per request or evaluation and then call the pure functions many times, so the
// cache mostly saves the repeat loads across requests. It is keyed by database handle (tests open
// several databases in one process) and never filled from inside a transaction: an uncommitted
// read (an edit that may still roll back) must not outlive its transaction. A write here clears it
// during and after the transaction; another process's write is picked up within CACHE_TTL_MS.
// ---------------------------------------------------------------------------------------------
const CACHE_TTL_MS = 60_000;
interface Cached {
  cal: YearCalendar | null;
  at: number;
}
let cache = new WeakMap<object, Map<number, Cached>>();

export function invalidateCalendarCache(): void {
  cache = new WeakMap();
}

const inTransaction = (db: Db) => db instanceof PgTransaction;

async function loadYearsFromDb(db: Db, years: number[]): Promise<Map<number, YearCalendar | null>> {
  const out = new Map<number, YearCalendar | null>();
  if (years.length === 0) return out;
  const list = sql.join(years.map((y) => sql`${y}`), sql`, `);
  const present = await rows<{ year: number }>(db, sql`select year from calendar_years where year in (${list})`);
  const have = new Set(present.map((r) => Number(r.year)));
  for (const y of years) out.set(y, have.has(y) ? { holidays: new Set(), workdays: new Set() } : null);
  if (have.size === 0) return out;
  const ranges = sql.join([...have].map((y) => {
    const [a, b] = yearBounds(y);
    return sql`(day between ${a} and ${b})`;
  }), sql` or `);
  const days = await rows<{ day: string; kind: string }>(db, sql`select day::text as day, kind from calendar_days where ${ranges}`);
  for (const d of days) {
    const cal = out.get(parseIso(d.day).y) as { holidays: Set<string>; workdays: Set<string> } | null | undefined;
    if (!cal) continue;
    (d.kind === 'workday' ? cal.workdays : cal.holidays).add(d.day);
  }
  return out;
}

/** Calendar data for the given years (a year without data maps to undefined: Monday–Friday). */
export async function loadCalendar(db: Db, years: Iterable<number>): Promise<CalendarData> {
  const wanted = [...new Set(years)];
  const data: Record<number, YearCalendar | undefined> = {};
  const cacheable = !inTransaction(db);
  const perDb = cacheable ? (cache.get(db) ?? new Map<number, Cached>()) : new Map<number, Cached>();
  const now = performance.now();
  const missing = wanted.filter((y) => {
    const hit = perDb.get(y);
    return !hit || now - hit.at > CACHE_TTL_MS;
  });
  if (missing.length > 0) {
    const loaded = await loadYearsFromDb(db, missing);
    for (const [y, cal] of loaded) perDb.set(y, { cal, at: now });
    if (cacheable) cache.set(db, perDb);
  }
  for (const y of wanted) data[y] = perDb.get(y)?.cal ?? undefined;
  return data;
}

/**
 * Calendar data for computations starting on the given dates: each date's year and the next one,
 * since deadlines and 公示 run forward and may cross New Year.
 */
export function loadCalendarFor(db: Db, ...dates: IsoDate[]): Promise<CalendarData> {
  return loadCalendar(db, dates.flatMap((d) => [parseIso(d).y, parseIso(d).y + 1]));
}

// ---------------------------------------------------------------------------------------------
// One year: read and replace.
// ---------------------------------------------------------------------------------------------
export interface CalendarYearView {
  year: number;
  /** False: no data for the year; working days are counted Monday–Friday (marked as such). */
  hasData: boolean;
  source: string | null;
  holidays: CalendarDay[];
  workdays: CalendarDay[];
}

export async function getCalendarYear(db: Db, year: number): Promise<CalendarYearView> {
  const y = await one<{ source: string }>(db, sql`select source from calendar_years where year = ${year}`);
  const [a, b] = yearBounds(year);
  const days = await rows<{ day: string; kind: string; name: string | null }>(
    db, sql`select day::text as day, kind, name from calendar_days where day between ${a} and ${b} order by day`,
  );
  const pick = (kind: string) => days.filter((d) => d.kind === kind).map((d) => ({ day: d.day, name: d.name ?? '' }));
  return { year, hasData: !!y, source: y?.source ?? null, holidays: pick('holiday'), workdays: pick('workday') };
}

export interface CalendarYearInput {
  source: string;
  holidays: CalendarDay[];
  workdays: CalendarDay[];
}

async function storeYear(tx: Db, year: number, input: CalendarYearInput): Promise<void> {
  const [a, b] = yearBounds(year);
  await tx.execute(sql`delete from calendar_days where day between ${a} and ${b}`);
  const all = [
    ...input.holidays.map((d) => ({ ...d, kind: 'holiday' })),
    ...input.workdays.map((d) => ({ ...d, kind: 'workday' })),
  ];
  if (all.length > 0) {
    await tx.execute(sql`insert into calendar_days (day, kind, name) values ${sql.join(
      all.map((d) => sql`(${d.day}, ${d.kind}, ${d.name || null})`), sql`, `,
    )}`);
  }
  await tx.execute(sql`insert into calendar_years (year, source) values (${year}, ${input.source})
    on conflict (year) do update set source = excluded.source`);
}

/**
 * Replace a year's holidays and make-up working days inside a write() (audited; the
 * calendar.yearMissing finding is re-evaluated for the writer's tenant before commit). The route
 * calls invalidateCalendarCache() again after commit, so no reader caches the old year in between.
 */
export async function replaceCalendarYear(w: WriteCtx, year: number, input: CalendarYearInput): Promise<CalendarYearView> {
  const errors = validateYearCalendar(year, input.holidays.map((d) => d.day), input.workdays.map((d) => d.day));
  if (errors.length > 0) throw invalid(errors.join('；'), { days: errors[0] });
  const before = await getCalendarYear(w.tx, year);
  invalidateCalendarCache();
  await storeYear(w.tx, year, input);
  const root = await one<{ id: number; path: string }>(
    w.tx, sql`select o.id, o.path from tenants t join orgs o on o.id = t.root_org_id where t.id = ${w.tenantId}`,
  );
  if (root) w.touch(CALENDAR_ENTITY, root.path);
  const after = await getCalendarYear(w.tx, year);
  w.audit({
    action: before.hasData ? 'update' : 'create', entity: CALENDAR_ENTITY, entityId: year, orgId: root?.id ?? null,
    before: before.hasData ? summary(before) : null, after: summary(after),
  });
  return after;
}

/** The audit keeps the day lists (small: a few dozen dates a year). */
const summary = (v: CalendarYearView) => ({ source: v.source, holidays: v.holidays.map((d) => d.day), workdays: v.workdays.map((d) => d.day) });

// ---------------------------------------------------------------------------------------------
// Seeding the shipped years.
// ---------------------------------------------------------------------------------------------
export const SHIPPED_CALENDARS: readonly CalendarYearDef[] = [CALENDAR_2026];

/**
 * Store each shipped year (2026, DOMAIN.md §2.1a) that the database has no row for; a year an admin
 * already entered or edited is never overwritten. Idempotent; returns the years it stored. With a
 * clock, each existing tenant gets one audit entry by the system actor (a state change by the system
 * is audited); on a fresh database before any tenant exists there is nobody to audit for.
 */
export async function ensureCalendarSeeded(db: Db, clock?: Clock): Promise<number[]> {
  const stored: number[] = [];
  await db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    for (const def of SHIPPED_CALENDARS) {
      const exists = await one(tx, sql`select 1 from calendar_years where year = ${def.year}`);
      if (exists) continue;
      await storeYear(tx, def.year, { source: `[${def.mark}] ${def.source}`, holidays: def.holidays, workdays: def.workdays });
      stored.push(def.year);
    }
    if (clock && stored.length > 0) {
      const tenants = await rows<{ id: number }>(tx, sql`select id from tenants order by id`);
      for (const t of tenants) {
        await appendAudit(tx, clock, t.id, systemActor, [{ action: 'seed', entity: CALENDAR_ENTITY, meta: { years: stored } }]);
      }
    }
  });
  if (stored.length > 0) invalidateCalendarCache();
  return stored;
}

// ---------------------------------------------------------------------------------------------
// The finding: a year without data (ARCHITECTURE.md "Time": "raises a finding for the admins").
// ---------------------------------------------------------------------------------------------
export const CALENDAR_YEAR_MISSING = 'calendar.yearMissing';

/**
 * The years whose absence matters on `today`: the business year, and from 1 December the next one
 * (the State Council notice usually appears in November).
 */
export function yearsNeededOn(today: IsoDate): number[] {
  const { y, m } = parseIso(today);
  return m === 12 ? [y, y + 1] : [y];
}

registerRule({
  ruleId: CALENDAR_YEAR_MISSING,
  ruleSet: 'calendar',
  source: 'DOMAIN.md §2.1a；ARCHITECTURE.md “Time”',
  reads: [CALENDAR_ENTITY],
  async evaluate(db, scope) {
    // Addressed to the tenant root, where only tenant-wide admins (sysAdmin, orgAdmin at the root) see it.
    const root = await one<{ id: number; path: string }>(
      db, sql`select o.id, o.path from tenants t join orgs o on o.id = t.root_org_id where t.id = ${scope.tenantId}`,
    );
    if (!root) return [];
    if (scope.paths !== null && !scope.paths.some((p) => root.path.startsWith(p))) return [];
    const needed = yearsNeededOn(scope.today);
    const present = await rows<{ year: number }>(db, sql`select year from calendar_years where year in (${sql.join(needed.map((y) => sql`${y}`), sql`, `)})`);
    const have = new Set(present.map((r) => Number(r.year)));
    const thisYear = needed[0];
    return needed.filter((y) => !have.has(y)).map((y) => ({
      orgId: root.id, orgPath: root.path, subjectEntity: CALENDAR_ENTITY, subjectId: y, period: String(y),
      // this year: results are already approximate (info); next year: enter it before 1 January
      severity: y === thisYear ? ('info' as const) : ('dueSoon' as const),
      dueOn: y === thisYear ? null : `${y}-01-01`,
      message: y === thisYear
        ? `${y}年节假日安排尚未录入，工作日按周一至周五计算，公示期和办理时限可能不准确。请系统管理员按国务院办公厅通知录入${y}年放假和调休上班日期。`
        : `${y}年节假日安排尚未录入，工作日按周一至周五计算。国务院办公厅通知发布后，请系统管理员在${y}年1月1日前录入放假和调休上班日期。`,
    }));
  },
});
