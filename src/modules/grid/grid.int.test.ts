import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { one } from '../../db/connection.js';
import { openTestApp, type TestApp } from '../../../test/db.js';

/** Grids and households: scope, masking, refusals (DOMAIN.md §10). */
let t: TestApp;
let community = 0;
beforeAll(async () => {
  t = await openTestApp();
  community = (await one<{ id: number }>(t.ctx.db, sql`select id from orgs where code = 'SFX0101'`))!.id;
});
afterAll(async () => t?.close());

const call = async (method: 'GET' | 'POST', url: string, user: string, payload?: unknown) =>
  t.built.app.inject({ method, url, payload: payload as never, headers: { cookie: await t.login(user) } });

describe(`grids and households (${process.env.ZHIBU_TEST_DB ?? 'pglite'})`, () => {
  it("grid1 sees its community's grids and masked households; a branch's party worker sees no grid", async () => {
    const grids = (await call('GET', '/api/grids', 'grid1')).json() as { id: number; name: string; communityName: string; households: number }[];
    expect(grids.map((g) => g.name)).toEqual(['第一网格', '第二网格', '实验小学专属网格']);
    expect(grids.every((g) => g.households === 8)).toBe(true);
    const hh = (await call('GET', `/api/grids/${grids[0]!.id}/households`, 'grid1')).json() as { idNumber: string; mobile: string }[];
    expect(hh).toHaveLength(8);
    for (const h of hh) {
      expect(h.idNumber).toMatch(/^330999\*{10}[\dX]{2}$/);
      expect(h.mobile).toMatch(/^139\*{4}\d{4}$/);
    }
    expect((await call('GET', '/api/grids', 'branch1')).json()).toEqual([]);
    const other = await one<{ id: number }>(t.ctx.db, sql`select g.id from grids g join orgs o on o.id = g.org_id where o.code = 'SFX0201' limit 1`);
    expect((await call('GET', `/api/grids/${other!.id}/households`, 'grid1')).statusCode).toBe(404);
    expect((await call('GET', `/api/grids/${other!.id}/households`, 'street1')).statusCode).toBe(404);
  });

  it('refuses an invalid ID number, markup and a duplicate grid code; the figures count grids and households', async () => {
    const grid = (await call('GET', '/api/grids', 'grid1')).json()[0] as { id: number };
    const bad = await call('POST', '/api/households', 'grid1', { gridId: grid.id, building: '1栋', room: '101', headName: '测试', idNumber: '330999195803020010' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/^身份证号码不正确/);
    const markup = await call('POST', '/api/households', 'grid1', { gridId: grid.id, building: '<b>1栋</b>', room: '101', headName: '测试' });
    expect(markup.json().message).toMatch(/HTML 标记/);
    expect((await call('POST', '/api/grids', 'grid1', { orgId: community, code: 'WG01', name: '重复', kind: 'comprehensive' })).json().message).toContain('已有编码为“WG01”的网格');
    const made = await call('POST', '/api/grids', 'grid1', { orgId: community, code: 'WG03', name: '第三网格', kind: 'comprehensive' });
    expect(made.statusCode).toBe(201);
    const fig = (await call('GET', `/api/figures/grid.count?org=${community}`, 'street1')).json();
    expect(fig.value).toMatchObject({ value: 4, status: 'ok' });
    expect(fig.evidence.total).toBe(4);
    const hh = (await call('GET', `/api/figures/grid.household.count?org=${community}`, 'street1')).json();
    expect(hh.value.value).toBe(24);
  });
});
