import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { one, rows } from '../src/db/connection.js';
import { DERIVED_ORG_PATH_COLUMNS, ORG_PATH_COLUMNS } from '../src/db/schema/orgPaths.js';
import { openTestApp, type TestApp } from './db.js';
import { TINY_PNG, multipartCall } from './routeCases.platform.js';

/** Issue 17 finding 2: moving an org moves every record that carries its path, in one transaction. */
let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(async () => t?.close());

describe(`org paths (${process.env.ZHIBU_TEST_DB ?? 'pglite'})`, () => {
  it('every column holding an org path is in ORG_PATH_COLUMNS', async () => {
    const cols = await rows<{ table_name: string; column_name: string }>(t.ctx.db, sql`select c.table_name, c.column_name from information_schema.columns c
      join information_schema.tables t on t.table_name = c.table_name and t.table_schema = c.table_schema
      where c.table_schema = 'public' and t.table_type = 'BASE TABLE' and (c.column_name like '%path%') order by 1, 2`);
    const listed = new Set(ORG_PATH_COLUMNS.map((c) => `${c.table}.${c.column}`));
    const derived = new Set<string>(DERIVED_ORG_PATH_COLUMNS.map((c) => `${c.table}.${c.column}`));
    const found = cols.map((c) => `${c.table_name}.${c.column_name}`).filter((c) => c !== 'orgs.path' && !derived.has(c));
    expect(found.length).toBeGreaterThanOrEqual(ORG_PATH_COLUMNS.length);
    expect(found.filter((c) => !listed.has(c))).toEqual([]);
    expect([...listed].filter((c) => !found.includes(c))).toEqual([]);
  });

  it('after a move the old subdistrict loses the branch’s meetings and attachments; the branch and its new parent keep them', async () => {
    const branch = (await one<{ id: number; parent_id: number; path: string }>(t.ctx.db, sql`select id, parent_id, path from orgs where code = 'SFX010101'`))!;
    const target = (await one<{ id: number }>(t.ctx.db, sql`select o.id from orgs o join orgs p on p.id = ${branch.parent_id}
      where o.kind = p.kind and o.id <> p.id and o.dissolved_on is null and o.path not like ${`${(await one<{ path: string }>(t.ctx.db, sql`select path from orgs where id = (select parent_id from orgs where id = ${branch.parent_id})`))!.path}%`} order by o.id limit 1`))!;
    expect(target).toBeTruthy();
    const meeting = await one<{ id: number }>(t.ctx.db, sql`select id from meetings where org_id = ${branch.id} order by id limit 1`);
    expect(meeting).toBeTruthy();
    const admin = await t.login('admin');
    const street1 = await t.login('street1');
    const branch1 = await t.login('branch1');
    const up = multipartCall('/api/attachments', { org: String(branch.id) }, { filename: '照片.png', data: TINY_PNG });
    const upRes = await t.built.app.inject({ method: 'POST', url: up.url, payload: up.payload as never, headers: { ...up.headers, cookie: branch1 } });
    expect(upRes.statusCode).toBe(201);
    const attachmentId = upRes.json().id as number;
    // an admin for the new parent
    const created = await t.built.app.inject({ method: 'POST', url: '/api/users', headers: { cookie: admin },
      payload: { username: 'newparent', displayName: '新上级管理员', password: 'Zhibu-test-2026', grant: { orgId: target.id, role: 'orgAdmin' } } });
    expect(created.statusCode).toBe(201);
    const newParent = await t.login('newparent', 'Zhibu-test-2026');

    const get = async (url: string, cookie: string) => (await t.built.app.inject({ method: 'GET', url, headers: { cookie } })).statusCode;
    const before = await t.built.app.inject({ method: 'GET', url: `/api/orgLife/meetings/${meeting!.id}`, headers: { cookie: street1 } });
    expect(before.statusCode).toBe(200);
    const m = before.json();
    const edit = { orgId: branch.id, kind: m.kind, heldOn: m.heldOn, topic: `${m.topic}（改）`, version: m.version, attendance: [] };
    expect(await get(`/api/orgLife/meetings/${meeting!.id}`, newParent)).toBe(404);

    const moved = await t.built.app.inject({ method: 'POST', url: `/api/orgs/${branch.id}/move`, headers: { cookie: admin }, payload: { newParentId: target.id } });
    expect(moved.statusCode).toBe(200);
    // the per-org member counts followed the people (kept by the triggers on people)
    const drift = await rows(t.ctx.db, sql`select 1 from (select tenant_id, org_path, stage, state, sum(n)::int as n from member_counts group by 1, 2, 3, 4 having sum(n) <> 0) c
      full join (select tenant_id, org_path, stage, state, count(*)::int as n from people group by 1, 2, 3, 4) p using (tenant_id, org_path, stage, state) where c.n is distinct from p.n`);
    expect(drift).toEqual([]);

    expect(await get(`/api/orgLife/meetings/${meeting!.id}`, street1)).toBe(404);
    expect(await get(`/api/attachments/${attachmentId}`, street1)).toBe(404);
    const put = await t.built.app.inject({ method: 'PUT', url: `/api/orgLife/meetings/${meeting!.id}`, headers: { cookie: street1 }, payload: edit });
    expect(put.statusCode).toBe(404);
    const own = await t.built.app.inject({ method: 'PUT', url: `/api/orgLife/meetings/${meeting!.id}`, headers: { cookie: newParent }, payload: edit });
    expect(own.statusCode, own.body).toBe(200);
    for (const cookie of [branch1, newParent]) {
      expect(await get(`/api/orgLife/meetings/${meeting!.id}`, cookie)).toBe(200);
      expect(await get(`/api/attachments/${attachmentId}`, cookie)).toBe(200);
    }
    // nothing under the old path is left anywhere
    for (const { table, column } of ORG_PATH_COLUMNS) {
      const left = await one<{ n: number }>(t.ctx.db, sql`select count(*)::int as n from ${sql.raw(`"${table}"`)} where ${sql.raw(`"${column}"`)} like ${`${branch.path}%`}`);
      expect(left?.n, `${table}.${column}`).toBe(0);
    }
  });
});
