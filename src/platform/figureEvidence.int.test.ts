import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { one } from '../db/connection.js';
import { allFigures } from './figures.js';
import { openTestApp, TEST_TODAY, type TestApp } from '../../test/db.js';

/**
 * The evidence contract for EVERY registered figure, so a newly registered one is covered without
 * editing a list: a count's evidence has exactly `value` rows, each contributing 1; a percent's has
 * `denominator` rows whose contributions add to the numerator; a sum's contributions add to the
 * value; every breakdown of a count or a sum adds up to the total. Over last year and this year, for
 * the county and for branch1's branch.
 */
let t: TestApp;
let branch = 0;
beforeAll(async () => {
  t = await openTestApp();
  branch = (await one<{ id: number }>(t.ctx.db, sql`select g.org_id as id from grants g join users u on u.id = g.user_id where u.username = 'branch1' limit 1`))!.id;
});
afterAll(async () => t?.close());

async function get(user: string, url: string) {
  const res = await t.built.app.inject({ method: 'GET', url, headers: { cookie: await t.login(user) } });
  return { status: res.statusCode, body: res.json() as Record<string, any> };
}

/** Figures registered for the reports (issue 13) must have demo data in the county and in branch1's branch. */
const NEW_FIGURES = ['members.admitted.count', 'orgs.postHolder.count', 'orgs.postAppointed.count', 'dues.backPayment.count', 'orgLife.studyPlan.count'];
const from = `${Number(TEST_TODAY.slice(0, 4)) - 1}-01-01`;

describe(`every registered figure keeps the evidence contract (${process.env.ZHIBU_TEST_DB ?? 'pglite'})`, () => {
  it('the new figures are registered', () => {
    const ids = allFigures().map((f) => f.id);
    for (const id of NEW_FIGURES) expect(ids).toContain(id);
  });

  it.each(allFigures().length ? allFigures().map((f) => f.id) : NEW_FIGURES)('%s', async (id) => {
    const def = allFigures().find((f) => f.id === id)!;
    for (const [user, org] of [['county', ''], ['branch1', `&org=${branch}`]] as const) {
      const base = `/api/figures/${id}?from=${from}&to=${TEST_TODAY}${org}`;
      const res = await get(user, `${base}&pageSize=500`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const value = res.body.value as { value: number | null; status: string; unit: string; numerator?: number; denominator?: number };
      if (NEW_FIGURES.includes(id) && !(id === 'orgs.postAppointed.count' && user === 'branch1')) expect(value.status, `${id} ${user} should have demo data`).toBe('ok');
      if (value.status !== 'ok') continue;
      let items = res.body.evidence.items as { contributes: number }[];
      for (let page = 2; items.length < res.body.evidence.total; page += 1) items = items.concat((await get(user, `${base}&pageSize=500&page=${page}`)).body.evidence.items);
      expect(items.length, `${id} ${user}`).toBe(res.body.evidence.total);
      const sum = items.reduce((s, x) => s + x.contributes, 0);
      if (value.unit === 'count') {
        expect(items.length, `${id} ${user}`).toBe(value.value);
        expect(sum, `${id} ${user}`).toBe(value.value);
      } else if (value.unit === 'percent') {
        expect(items.length, `${id} ${user}`).toBe(value.denominator);
        expect(sum, `${id} ${user}`).toBe(value.numerator);
      } else {
        expect(sum, `${id} ${user}`).toBeCloseTo(value.value!, 1);
      }
      if (value.unit !== 'count' && value.unit !== 'fen') continue;
      for (const by of Object.keys(def.dimensions)) {
        const b = (await get(user, `${base}&by=${by}&pageSize=1`)).body.value as { value: number; breakdown: { value: number }[] };
        expect(b.value, `${id} by ${by}`).toBe(value.value);
        expect(b.breakdown.reduce((s, x) => s + x.value, 0), `${id} by ${by} ${user}`).toBe(value.value);
      }
    }
  });
});
