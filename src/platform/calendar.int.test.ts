import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import { z } from 'zod';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { sql } from 'drizzle-orm';
import { one, rows, type Db } from '../db/connection.js';
import { CALENDAR_2026, addWorkingDays } from '../domain/calendar.js';
import { openTestDb, type TestDb } from '../../test/db.js';
import { fixedClock } from './clock.js';
import { evaluateFindings } from './findings.js';
import { installAuth, installErrorHandler, installRouteGuard, type DeclaredRoute } from './http.js';
import { authRoutes } from './routes/auth.js';
import { calendarRoutes } from './routes/calendar.js';
import {
  CALENDAR_YEAR_MISSING, ensureCalendarSeeded, getCalendarYear, invalidateCalendarCache, loadCalendar, loadCalendarFor, yearsNeededOn,
} from './calendar.js';

/**
 * The calendar service on a real database (both PGlite and PostgreSQL). Until the lead wires
 * calendarRoutes into app.ts, the routes run on a Fastify instance assembled here as app.ts does.
 */
z.config(z.locales.zhCN());

let t: TestDb;
let app: FastifyInstance;
const routes: DeclaredRoute[] = [];
const cookies = new Map<string, string>();
let tenantId: number;
let rootId: number;

async function login(user: string): Promise<string> {
  if (cookies.has(user)) return cookies.get(user)!;
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: user, password: 'zhibu123' }, remoteAddress: `10.7.0.${cookies.size + 1}` });
  expect(res.statusCode, res.body).toBe(200);
  const c = `zhibu_session=${res.cookies.find((x) => x.name === 'zhibu_session')!.value}`;
  cookies.set(user, c);
  return c;
}
const call = async (method: 'GET' | 'PUT', url: string, user: string | null, payload?: unknown) =>
  app.inject({ method, url, payload: payload as never, headers: user ? { cookie: await login(user) } : {} });

const maxSeq = async (db: Db) => (await one<{ n: number }>(db, sql`select coalesce(max(seq), 0)::int as n from audit_log`))!.n;
const openCalendarFindings = (db: Db) =>
  rows<{ period: string; severity: string; due_on: string | null; message: string; org_id: number }>(
    db, sql`select period, severity, due_on::text as due_on, message, org_id from findings where rule_id = ${CALENDAR_YEAR_MISSING} and status = 'open' order by period`,
  );

beforeAll(async () => {
  t = await openTestDb();
  app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installRouteGuard(app, routes);
  await app.register(cookie);
  installAuth(app, t.ctx);
  installErrorHandler(app);
  authRoutes(app, t.ctx);
  calendarRoutes(app, t.ctx);
  await app.ready();
  const tr = (await one<{ id: number; root_org_id: number }>(t.ctx.db, sql`select id, root_org_id from tenants order by id limit 1`))!;
  tenantId = tr.id;
  rootId = tr.root_org_id;
  // a known start whether or not the demo seed already stored 2026
  await t.ctx.db.execute(sql`delete from calendar_days`);
  await t.ctx.db.execute(sql`delete from calendar_years`);
  invalidateCalendarCache();
});
afterAll(async () => {
  await app?.close();
  await t?.close();
});

describe(`calendar service (${process.env.ZHIBU_TEST_DB ?? 'pglite'})`, () => {
  it('declares its routes: GET for any session, PUT for sysAdmin and audited', () => {
    const mine = routes.filter((r) => r.url.startsWith('/api/calendar')).map((r) => `${r.method} ${r.url} → ${r.auth}${r.writes ? ' (writes)' : ''}`);
    expect(mine.sort()).toEqual(['GET /api/calendar/:year → session', 'PUT /api/calendar/:year → system.admin (writes)']);
  });

  it('without data the fallback is used and the admins get a finding at the tenant root', async () => {
    const data = await loadCalendar(t.ctx.db, [2026]);
    expect(data[2026]).toBeUndefined();
    expect(addWorkingDays('2026-09-30', 1, data)).toEqual({ value: '2026-10-01', fallback: true, missingYears: [2026] });
    await evaluateFindings(t.ctx.db, { tenantId, paths: null, today: '2026-11-20' }, { nowIso: new Date().toISOString() });
    const f = await openCalendarFindings(t.ctx.db);
    expect(f).toEqual([expect.objectContaining({ period: '2026', severity: 'info', due_on: null, org_id: rootId })]);
    expect(f[0].message).toMatch(/^2026年节假日安排尚未录入，工作日按周一至周五计算/);
  });

  it('a subtree evaluation that does not hold the root leaves the finding alone', async () => {
    const branch = (await one<{ path: string }>(t.ctx.db, sql`select path from orgs where code = 'SFX010101'`))!.path;
    const s = await evaluateFindings(t.ctx.db, { tenantId, paths: [branch], today: '2026-11-20' }, { entities: ['calendarYear'], nowIso: new Date().toISOString() });
    expect(s).toEqual({ opened: 0, resolved: 0, changed: 0 });
    expect(await openCalendarFindings(t.ctx.db)).toHaveLength(1);
  });

  it('ensureCalendarSeeded stores 2026 once (SECONDARY source), audits it, and never overwrites', async () => {
    const before = await maxSeq(t.ctx.db);
    expect(await ensureCalendarSeeded(t.ctx.db, fixedClock('2026-11-20'))).toEqual([2026]);
    expect(await maxSeq(t.ctx.db)).toBeGreaterThan(before);
    expect(await ensureCalendarSeeded(t.ctx.db)).toEqual([]);
    const y = await getCalendarYear(t.ctx.db, 2026);
    expect(y.hasData).toBe(true);
    expect(y.source).toContain('SECONDARY');
    expect(y.holidays.map((d) => d.day)).toEqual(CALENDAR_2026.holidays.map((d) => d.day));
    expect(y.workdays.map((d) => d.day)).toEqual(CALENDAR_2026.workdays.map((d) => d.day));
    expect(y.holidays[0]).toEqual({ day: '2026-01-01', name: '元旦' });
    const data = await loadCalendarFor(t.ctx.db, '2026-09-30');
    expect(addWorkingDays('2026-09-30', 1, data)).toEqual({ value: '2026-10-08', fallback: false, missingYears: [] });
    // the daily evaluation resolves the finding now that the data is there
    await evaluateFindings(t.ctx.db, { tenantId, paths: null, today: '2026-11-20' }, { nowIso: new Date().toISOString() });
    expect(await openCalendarFindings(t.ctx.db)).toEqual([]);
  });

  it('from 1 December next year is needed too: a dueSoon finding due 1 January', async () => {
    expect(yearsNeededOn('2026-11-30')).toEqual([2026]);
    expect(yearsNeededOn('2026-12-01')).toEqual([2026, 2027]);
    await evaluateFindings(t.ctx.db, { tenantId, paths: null, today: '2026-12-01' }, { nowIso: new Date().toISOString() });
    expect(await openCalendarFindings(t.ctx.db)).toEqual([expect.objectContaining({ period: '2027', severity: 'dueSoon', due_on: '2027-01-01', org_id: rootId })]);
  });

  it('caches per process outside transactions, never inside one, and drops the cache on invalidation', async () => {
    invalidateCalendarCache();
    await loadCalendar(t.ctx.db, [2026]);
    // a change behind the service's back is not seen until the cache is invalidated …
    await t.ctx.db.execute(sql`insert into calendar_days (day, kind, name) values ('2026-03-02', 'holiday', '测试')`);
    expect((await loadCalendar(t.ctx.db, [2026]))[2026]!.holidays.has('2026-03-02')).toBe(false);
    // … but a transaction always reads its own state
    await t.ctx.db.transaction(async (tx) => {
      expect((await loadCalendar(tx as unknown as Db, [2026]))[2026]!.holidays.has('2026-03-02')).toBe(true);
    });
    invalidateCalendarCache();
    expect((await loadCalendar(t.ctx.db, [2026]))[2026]!.holidays.has('2026-03-02')).toBe(true);
    await t.ctx.db.execute(sql`delete from calendar_days where day = '2026-03-02'`);
    invalidateCalendarCache();
  });
});

describe('calendar routes', () => {
  const year2027 = {
    source: '国务院办公厅通知（测试）',
    holidays: [{ day: '2027-01-01', name: '元旦' }, { day: '2027-10-01', name: '国庆节' }],
    workdays: [{ day: '2027-10-09', name: '调休上班' }],
  };

  it('GET: anyone logged in reads a year; anonymous gets 401', async () => {
    const res = await call('GET', '/api/calendar/2026', 'member1');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ year: 2026, hasData: true });
    expect(body.holidays).toHaveLength(33);
    expect((await call('GET', '/api/calendar/2027', 'member1')).json()).toEqual({ year: 2027, hasData: false, source: null, holidays: [], workdays: [] });
    expect((await call('GET', '/api/calendar/2026', null)).statusCode).toBe(401);
    const bad = await call('GET', '/api/calendar/1999', 'member1');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('年份应在2000—2100之间');
  });

  it('PUT: only sysAdmin; stores, audits, resolves the finding in the same write, and later reads see it', async () => {
    expect((await call('PUT', '/api/calendar/2027', 'county', year2027)).statusCode).toBe(403);
    expect((await call('PUT', '/api/calendar/2027', null, year2027)).statusCode).toBe(401);
    // the cache holds 2027 as missing before the write
    expect((await loadCalendar(t.ctx.db, [2027]))[2027]).toBeUndefined();
    t.ctx.clock = fixedClock('2026-12-01');
    try {
      const before = await maxSeq(t.ctx.db);
      const res = await call('PUT', '/api/calendar/2027', 'admin', year2027);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ year: 2027, hasData: true, source: '国务院办公厅通知（测试）' });
      const audit = await one<{ action: string; entity: string; entity_id: string; org_id: number }>(
        t.ctx.db, sql`select action, entity, entity_id, org_id from audit_log where seq > ${before} and entity = 'calendarYear' order by seq desc limit 1`,
      );
      expect(audit).toEqual({ action: 'create', entity: 'calendarYear', entity_id: '2027', org_id: rootId });
      expect(await openCalendarFindings(t.ctx.db)).toEqual([]);
    } finally {
      t.ctx.clock = fixedClock('2026-11-20');
    }
    const data = await loadCalendar(t.ctx.db, [2027]);
    expect([...data[2027]!.holidays].sort()).toEqual(['2027-01-01', '2027-10-01']);
    expect([...data[2027]!.workdays]).toEqual(['2027-10-09']);
  });

  it('PUT replaces the whole year and records before and after', async () => {
    const res = await call('PUT', '/api/calendar/2027', 'admin', { holidays: [{ day: '2027-05-03' }], workdays: [] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ source: '系统管理员录入', holidays: [{ day: '2027-05-03', name: '' }], workdays: [] });
    const audit = await one<{ action: string; before: unknown; after: unknown }>(
      t.ctx.db, sql`select action, before, after from audit_log where entity = 'calendarYear' and entity_id = '2027' order by seq desc limit 1`,
    );
    const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
    expect(audit!.action).toBe('update');
    expect(parse(audit!.before)).toMatchObject({ holidays: ['2027-01-01', '2027-10-01'], workdays: ['2027-10-09'] });
    expect(parse(audit!.after)).toMatchObject({ holidays: ['2027-05-03'], workdays: [] });
  });

  it.each([
    [{ holidays: [{ day: '2026-05-01' }], workdays: [] }, '不在2027年内'],
    [{ holidays: [{ day: '2027-02-30' }], workdays: [] }, '不是有效日期'],
    [{ holidays: [{ day: '2027-10-09' }], workdays: [{ day: '2027-10-09' }] }, '不能同时是放假日和调休上班日'],
    [{ holidays: [], workdays: [{ day: '2027-10-08' }] }, '不是周六或周日'],
    [{ holidays: [{ day: '2027/10/01' }], workdays: [] }, '日期格式应为 YYYY-MM-DD'],
    [{ holidays: [{ day: '2027-10-01', name: '<b>国庆</b>' }], workdays: [] }, '名称不能包含 HTML 标记'],
    [{ holidays: [] }, ''],
  ])('PUT refuses %j with a Chinese message, storing nothing', async (payload, message) => {
    const before = await maxSeq(t.ctx.db);
    const res = await call('PUT', '/api/calendar/2027', 'admin', payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe('validation');
    expect(res.json().message).toContain(message);
    expect(await maxSeq(t.ctx.db)).toBe(before);
    expect((await getCalendarYear(t.ctx.db, 2027)).holidays.map((d) => d.day)).toEqual(['2027-05-03']);
  });
});
