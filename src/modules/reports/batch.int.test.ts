import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { one, rows } from '../../db/connection.js';
import { allFigures, type FigureQuery } from '../../platform/figures.js';
import { systemActor, write } from '../../platform/write.js';
import { inRollback, openTestDb, TEST_TODAY, type TestDb } from '../../../test/db.js';
import '../registry.js';
import { draftReports } from './batch.js';
import type { PlaceholderState } from './engine.js';
import { createReport } from './service.js';
import { SHIPPED_TEMPLATES } from './templates/index.js';

/**
 * Issue 13 item 9 (county drafting): the batch path gives exactly the single path's answers, on the
 * demo county, on PGlite and PostgreSQL. (1) Every figure with computeByOrg equals compute() and its
 * evidence total for every org, for each breakdown and this year and last year. (2) draftReports (the
 * county job) stores, for every shipped template over every org, the same placeholders and rendered
 * report as createReport (the HTTP draft of one report).
 */
let t: TestDb;
let tenantId = 0;
let root = '';
let orgs: { id: number; path: string; kind: string }[] = [];
const YEAR = Number(TEST_TODAY.slice(0, 4));

beforeAll(async () => {
  t = await openTestDb();
  const r = await one<{ tenant_id: number; path: string }>(t.ctx.db, sql`select tenant_id, path from orgs where parent_id is null order by id limit 1`);
  tenantId = r!.tenant_id;
  root = r!.path;
  orgs = (await rows<{ id: number; path: string; kind: string }>(t.ctx.db, sql`select id, path, kind from orgs where tenant_id = ${tenantId} and dissolved_on is null and kind <> 'partyGroup' order by path`))
    .map((o) => ({ ...o, id: Number(o.id) }));
}, 120_000);
afterAll(async () => t?.close());

describe('batch figures (computeByOrg)', () => {
  it('equal compute() and the evidence total for every org of the demo county', async () => {
    const batched = allFigures().filter((f) => f.computeByOrg);
    expect(batched.map((f) => f.id)).toEqual(expect.arrayContaining([
      'members.count', 'members.admitted.count', 'orgLife.meeting.held', 'orgLife.attendance.rate', 'orgLife.heartTalk.count', 'orgLife.review.count',
      'orgLife.studyPlan.count', 'dues.paid.amount', 'dues.backPayment.amount', 'dues.backPayment.count', 'dues.handIn.amount',
    ]));
    const ctx = { db: t.ctx.db, scope: { tenantId, paths: [root], personId: null }, today: TEST_TODAY };
    const paths = orgs.map((o) => o.path);
    let nonZero = 0;
    for (const def of batched) {
      const queries: FigureQuery[] = [undefined, ...Object.keys(def.dimensions)].map((by) => ({ from: `${YEAR}-01-01`, to: `${YEAR}-12-31`, by, params: {} }));
      queries.push({ from: `${YEAR - 1}-01-01`, to: `${YEAR - 1}-12-31`, params: {} });
      for (const q of queries) {
        const got = await def.computeByOrg!(ctx, q, paths);
        for (const path of paths) {
          const one = { ...ctx, scope: { tenantId, paths: [path], personId: null } };
          const want = { ...(await def.compute(one, q)), evidenceCount: (await def.evidence(one, q, { offset: 0, limit: 1 })).total };
          expect(got.get(path), `${def.id} by=${q.by ?? '-'} ${q.from} at ${path}`).toEqual(want);
          if (want.value) nonZero += 1;
        }
      }
    }
    expect(nonZero).toBeGreaterThan(100); // the demo county has data for these figures, so the comparison means something
  }, 600_000);
});

describe('county drafting (draftReports)', () => {
  const strip = (ph: PlaceholderState[]) => ph;
  for (const tpl of SHIPPED_TEMPLATES) {
    it(`drafts ${tpl.key} for every org exactly as the single draft does`, async () => {
      await inRollback(t, async (tx) => {
        const ctx = { ...t.ctx, db: tx };
        const scope = { tenantId, paths: [root], personId: null };
        await tx.execute(sql`delete from reports where tenant_id = ${tenantId} and year = ${YEAR} and status = 'draft' and not exists (select 1 from report_comments c where c.report_id = reports.id)
          and not exists (select 1 from rectification_items i where i.report_id = reports.id) and not exists (select 1 from reports n where n.previous_id = reports.id)`);
        const before = (await one<{ m: number }>(tx, sql`select coalesce(max(id), 0)::int as m from reports`))!.m;
        const todo = orgs.filter((o) => !['partyGroup'].includes(o.kind));
        const { failed } = await draftReports(ctx, scope, systemActor, todo.map((o) => ({ orgId: o.id, templateKey: tpl.key })), YEAR);
        expect(failed).toEqual([]);
        const batch = await rows<{ org_id: number; placeholders: unknown; rendered: unknown; title: string }>(tx,
          sql`select org_id, placeholders, rendered, title from reports where id > ${before} and year = ${YEAR} and template_key = ${tpl.key}`);
        const J = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
        const byOrg = new Map(batch.map((b) => [Number(b.org_id), b]));
        let compared = 0;
        for (const o of todo) {
          const b = byOrg.get(o.id);
          if (!b) continue; // an org that kept a report of the year (reviewed or versioned) is skipped, as a re-run would
          const { id } = await write(ctx, tenantId, systemActor, (w) => createReport(w, scope, { orgId: o.id, year: YEAR, templateKey: tpl.key }));
          const single = (await one<{ placeholders: unknown; rendered: unknown; title: string }>(tx, sql`select placeholders, rendered, title from reports where id = ${id}`))!;
          expect(strip(J(b.placeholders)), `${tpl.key} at org ${o.id}`).toEqual(strip(J(single.placeholders)));
          expect(J(b.rendered), `${tpl.key} at org ${o.id}`).toEqual(J(single.rendered));
          expect(b.title).toBe(single.title);
          compared += 1;
        }
        expect(compared).toBeGreaterThan(todo.length / 2);
        // a re-run drafts nothing new
        await draftReports(ctx, scope, systemActor, todo.map((o) => ({ orgId: o.id, templateKey: tpl.key })), YEAR);
        const n = (await one<{ n: number }>(tx, sql`select count(*)::int as n from reports where id > ${before} and year = ${YEAR}`))!.n;
        expect(n).toBe(batch.length + compared);
      });
    }, 600_000);
  }
});
