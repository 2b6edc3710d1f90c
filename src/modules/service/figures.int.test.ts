import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type SQL } from 'drizzle-orm';
import { one } from '../../db/connection.js';
import { openTestApp, type TestApp } from '../../../test/db.js';

/**
 * Every service figure for the demo county (ACCEPTANCE.md "Reports": cross-check SQL written from each
 * figure's definition, never by calling the module's code), for this year up to today and for the
 * previous quarter; the breakdown sums to the value and the evidence rows number (or add up to) it.
 */
let t: TestApp;
beforeAll(async () => { t = await openTestApp(); });
afterAll(async () => t?.close());

const PERIODS = [['2026-01-01', '2026-11-20'], ['2026-07-01', '2026-09-30']] as const;

/** Hand SQL from each definition (whole tenant: the county user's scope is the root). */
const HAND: Record<string, { by?: string; sum?: boolean; q: (from: string, to: string) => SQL }> = {
  'service.activity.held': { by: 'activityKind', q: (f, to) => sql`select count(*)::float8 as v from service_activities where held_on between ${f} and ${to}` },
  'service.volunteer.count': { by: 'memberKind', q: (f, to) => sql`select count(*)::float8 as v from (select distinct x.person_id, x.volunteer_id from service_participations x
      join service_activities a on a.id = x.activity_id where a.held_on between ${f} and ${to} and x.checked_in_at is not null) d` },
  'service.participation.count': { by: 'memberKind', q: (f, to) => sql`select count(*)::float8 as v from service_participations x join service_activities a on a.id = x.activity_id
      where a.held_on between ${f} and ${to} and x.checked_in_at is not null` },
  'service.hours': { by: 'memberKind', sum: true, q: (f, to) => sql`select coalesce(sum(x.minutes), 0) / 60.0::float8 as v from service_participations x join service_activities a on a.id = x.activity_id
      where a.held_on between ${f} and ${to} and x.checked_in_at is not null and x.confirmed_at is not null` },
  'service.household.visited': { q: (f, to) => sql`select count(distinct household_id)::float8 as v from service_visits where visited_on between ${f} and ${to}` },
  'service.visit.count': { by: 'visitKind', q: (f, to) => sql`select count(*)::float8 as v from service_visits where visited_on between ${f} and ${to}` },
  'service.visit.money': { by: 'visitKind', sum: true, q: (f, to) => sql`select coalesce(sum(money_fen), 0)::float8 as v from service_visits where visited_on between ${f} and ${to}` },
  'service.deed.done': { by: 'deedSource', q: (f, to) => sql`select count(*)::float8 as v from service_deeds where done_on between ${f} and ${to}` },
  'service.deed.open': { by: 'deedSource', q: (_f, to) => sql`select count(*)::float8 as v from service_deeds where planned_on <= ${to}
      and (done_on is null or done_on > ${to}) and (dropped_on is null or dropped_on > ${to})` },
};

describe(`service figures on the demo county (${process.env.ZHIBU_TEST_DB ?? 'pglite'})`, () => {
  for (const [id, h] of Object.entries(HAND)) {
    it(`${id} equals its definition in SQL, with evidence`, async () => {
      const cookie = await t.login('county');
      let nonZero = false;
      for (const [from, to] of PERIODS) {
        const expected = Math.round(Number((await one<{ v: number }>(t.ctx.db, h.q(from, to)))!.v) * 100) / 100;
        const res = await t.built.app.inject({ method: 'GET', url: `/api/figures/${id}?from=${from}&to=${to}&pageSize=500${h.by ? `&by=${h.by}` : ''}`, headers: { cookie } });
        expect(res.statusCode, res.body).toBe(200);
        const body = res.json() as { value: { value: number; status: string; breakdown?: { value: number }[] }; evidence: { total: number; items: { contributes: number }[] } };
        expect(body.value.status).toBe('ok');
        expect(body.value.value, `${id} ${from}..${to}`).toBe(expected);
        if (h.by) expect(Math.round(body.value.breakdown!.reduce((s, b) => s + b.value, 0) * 100) / 100).toBe(expected);
        if (h.sum) expect(Math.round(body.evidence.items.reduce((s, r) => s + r.contributes, 0) * 100) / 100).toBe(expected);
        else expect(body.evidence.total).toBe(expected);
        nonZero ||= expected > 0;
      }
      // the demo gives every figure something to count
      expect(nonZero).toBe(true);
    });
  }

  it('a subtree without any service record is missing, not zero', async () => {
    const far = await one<{ id: number }>(t.ctx.db, sql`select id from orgs where code = 'SFX0201'`);
    const res = await t.built.app.inject({ method: 'GET', url: `/api/figures/service.activity.held?org=${far!.id}`, headers: { cookie: await t.login('county') } });
    expect(res.json().value).toMatchObject({ value: null, status: 'missing' });
  });
});
