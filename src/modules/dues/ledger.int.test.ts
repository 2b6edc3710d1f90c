import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { one, rows, type Db } from '../../db/connection.js';
import { openTestApp, type TestApp } from '../../../test/db.js';
import { fixedClock } from '../../platform/clock.js';
import { getFigure } from '../../platform/figures.js';
import type { Scope } from '../../platform/scope.js';
import { systemActor, write, type WriteCtx } from '../../platform/write.js';
import { changePeriod, updateMember } from '../members/service.js';
import { moveOrg } from '../orgs/service.js';
import { recordBase, recordReduction } from './bases.js';
import { MONTHS_SOURCES, extendLedger, ledgerThrough } from './ledger.js';
import { recordDuePayments, reversePayment } from './payments.js';
import { DUE_EXPR, memberMonthsSql } from './queries.js';

/**
 * The member-month ledger (issue 18) equals the effective-dated definition recomputed from scratch by
 * the live member-month query, after random sequences of service writes, for the whole county and for
 * every org subtree the writes touched; and the dues figures read the same values from both.
 */
let t: TestApp;
let tenantId: number;
let root: Scope;
let orgs: { id: number; path: string }[];
let people: number[];
beforeAll(async () => {
  t = await openTestApp();
  const r = (await one<{ tenant_id: number; path: string }>(t.ctx.db, sql`select tenant_id, path from orgs where parent_id is null order by id limit 1`))!;
  tenantId = r.tenant_id;
  root = { tenantId, paths: [r.path], personId: null };
  // two branches of one community and one of another subdistrict, with the members that have dues bases
  orgs = await rows<{ id: number; path: string }>(t.ctx.db, sql`select id, path from orgs where code in ('SFX010101', 'SFX010102', 'SFX020101') order by code`);
  people = (await rows<{ id: number }>(t.ctx.db, sql`select p.id from people p where p.org_id = any(${`{${orgs.map((o) => o.id).join(',')}}`}::int[])
    and exists (select 1 from dues_bases b where b.person_id = p.id) order by p.id limit 8`)).map((x) => x.id);
});
afterAll(async () => t?.close());

const ROW = sql`mm.person_id, mm.month::text as month, mm.org_id`;
type Row = Record<string, unknown>;
const key = (r: Row) => JSON.stringify(r);
const sorted = (r: Row[]) => r.map(key).sort();

/** The ledger's first-org rows against memberMonthsSql over every month it holds, then each scope's rows. */
async function expectLedgerExact(db: Db, scopes: Scope[]) {
  const through = (await ledgerThrough(db))!;
  const from = (await one<{ m: string }>(db, sql`select least((select min(effective_month) from dues_bases), (select min(from_month) from dues_reductions))::text as m`))!.m;
  const live = await rows<Row>(db, sql`select person_id, month, org_id, org_path, base_id, category, due_fen, reduction_id, payment_id, paid_on
    from (${memberMonthsSql({ tenantId, orgPredicate: sql`true`, from, to: through, where: sql`${DUE_EXPR} is not null` })}) x`);
  const stored = await rows<Row>(db, sql`select person_id, month::text as month, org_id, org_path, base_id, category, due_fen, reduction_id, payment_id, paid_on::text as paid_on
    from dues_member_months where tenant_id = ${tenantId} and seq = 1`);
  expect(stored.length).toBeGreaterThan(0);
  expect(sorted(stored)).toEqual(sorted(live));
  for (const scope of scopes) {
    const opts = (m: (typeof MONTHS_SOURCES)['live']) => {
      const s = m(tenantId, scope);
      return s.rows({ from, to: through, select: sql`${ROW}, ${s.due} as due, ${s.category} as category, ${s.paymentId} as payment_id, ${s.paidOn}::text as paid_on`, where: sql`${s.due} is not null`, payment: 'value' });
    };
    const a = await rows<Row>(db, opts(MONTHS_SOURCES.live));
    const b = await rows<Row>(db, opts(MONTHS_SOURCES.ledger));
    expect(sorted(b), scope.paths.join()).toEqual(sorted(a));
  }
}

const ids = ['dues.due.amount', 'dues.onTime.rate', 'dues.arrears.count'];
async function figureValues(scope: Scope, from: string, to: string) {
  const out: Record<string, unknown> = {};
  for (const id of ids) {
    const f = getFigure(id)!;
    const q = { from, to, params: {}, by: id === 'dues.onTime.rate' ? undefined : 'x' };
    const fctx = { db: t.ctx.db, scope, today: to };
    out[id] = { value: await f.compute(fctx, q as never), evidence: await f.evidence!(fctx, q as never, { limit: 500, offset: 0 }) };
  }
  return out;
}

const days = fc.integer({ min: 0, max: 500 }).map((n) => new Date(Date.UTC(2025, 6, 1) + n * 86400000).toISOString().slice(0, 10));
const months = fc.integer({ min: 0, max: 17 }).map((n) => new Date(Date.UTC(2025, 6 + n, 1)).toISOString().slice(0, 7));
const who = fc.integer({ min: 0, max: 7 });
const where = fc.integer({ min: 0, max: 2 });
const command = fc.oneof(
  fc.record({ k: fc.constant('period' as const), who, where, day: days, stage: fc.constantFrom('probationary', 'full'), state: fc.constantFrom('active', 'active', 'lostContact', 'left', 'statusSuspended') }),
  fc.record({ k: fc.constant('admitted' as const), who, day: days }),
  fc.record({ k: fc.constant('base' as const), who, month: months, fen: fc.integer({ min: 20, max: 5000 }) }),
  fc.record({ k: fc.constant('reduction' as const), who, month: months, len: fc.integer({ min: 0, max: 4 }), exempt: fc.boolean() }),
  fc.record({ k: fc.constant('pay' as const), who, month: months, day: days }),
  fc.record({ k: fc.constant('reverse' as const), who, month: months, day: days }),
  fc.record({ k: fc.constant('move' as const), where, to: fc.integer({ min: 0, max: 2 }) }),
);
type Command = typeof command extends fc.Arbitrary<infer C> ? C : never;

async function apply(c: Command): Promise<void> {
  const today = 'day' in c ? (c.day > '2026-11-20' ? c.day : '2026-11-20') : '2026-11-20';
  const ctx = { ...t.ctx, clock: fixedClock(today) };
  const person = 'who' in c ? people[c.who % people.length]! : 0;
  const run = (fn: (w: WriteCtx) => Promise<unknown>) => write(ctx, tenantId, systemActor, fn).catch((e: { status?: number }) => {
    if (!e.status || e.status >= 500) throw e; // a refused write (400/404/409) changes nothing
  });
  const decision = { approvedBy: '测试支部委员会', approvedOn: '2025-01-10', documentNo: '测试〔2025〕1号', reason: '生活困难' };
  switch (c.k) {
    case 'period': {
      const org = orgs[c.where]!;
      // periods opened, closed and moved between orgs on any day (the people row follows the open period)
      await run(async (w) => {
        await changePeriod(w, person, { orgId: org.id, stage: c.stage, state: c.state }, c.day, '测试');
        await w.tx.execute(sql`update people set org_id = ${org.id}, org_path = (select path from orgs where id = ${org.id}), stage = ${c.stage}, state = ${c.state} where id = ${person}`);
      });
      return;
    }
    case 'admitted': {
      const v = (await one<{ version: number }>(t.ctx.db, sql`select version from people where id = ${person}`))!.version;
      return void (await run((w) => updateMember(w, root, person, { admittedOn: c.day, version: v }, t.ctx.cipher)));
    }
    case 'base':
      return void (await run((w) => recordBase(w, root, { personId: person, effectiveMonth: c.month, category: 'other', flatFen: c.fen, reason: '测试调整' })));
    case 'reduction': {
      const to = new Date(Date.UTC(Number(c.month.slice(0, 4)), Number(c.month.slice(5, 7)) - 1 + c.len, 1)).toISOString().slice(0, 7);
      return void (await run((w) => recordReduction(w, root, { personId: person, kind: c.exempt ? 'exemption' : 'reduction', fromMonth: c.month, toMonth: c.len === 4 ? null : to, monthlyFen: c.exempt ? null : 10, decision })));
    }
    case 'pay':
      return void (await run((w) => recordDuePayments(w, root, { kind: 'due', personId: person, months: [c.month], paidOn: c.day, channel: 'cash', amountFen: null })));
    case 'reverse':
      return void (await run((w) => reversePayment(w, root, { personId: person, month: c.month, reason: '测试冲正' })));
    case 'move': {
      // org subtree moves: a branch goes under the parent of another branch
      const o = orgs[c.where]!;
      const target = (await one<{ parent_id: number }>(t.ctx.db, sql`select parent_id from orgs where id = ${orgs[c.to]!.id}`))!.parent_id;
      await run((w) => moveOrg(w, root, o.id, target));
      orgs = await rows<{ id: number; path: string }>(t.ctx.db, sql`select id, path from orgs where id = any(${`{${orgs.map((x) => x.id).join(',')}}`}::int[]) order by id`);
      return;
    }
  }
}

const scopes = async (): Promise<Scope[]> => {
  const paths = await rows<{ path: string }>(t.ctx.db, sql`select distinct p.path from orgs o join orgs p on o.path like p.path || '%' where o.id = any(${`{${orgs.map((x) => x.id).join(',')}}`}::int[])`);
  return [root, ...paths.map((p) => ({ tenantId, paths: [p.path], personId: null }))];
};

describe(`dues member-month ledger (${process.env.ZHIBU_TEST_DB ?? 'pglite'})`, () => {
  it('the seeded ledger equals the live member-month query, and the figures read the same values and evidence from both', async () => {
    expect(people.length).toBe(8);
    await expectLedgerExact(t.ctx.db, await scopes());
    for (const scope of [root, { tenantId, paths: [orgs[0]!.path], personId: null }]) {
      const fromLedger = await figureValues(scope, '2026-01-01', '2026-11-20');
      const through = await ledgerThrough(t.ctx.db);
      await t.ctx.db.execute(sql`delete from system_meta where key = 'dues_ledger_through'`);
      try {
        expect(await ledgerThrough(t.ctx.db)).toBeNull();
        expect(await figureValues(scope, '2026-01-01', '2026-11-20')).toEqual(fromLedger);
      } finally {
        await t.ctx.db.execute(sql`insert into system_meta (key, value) values ('dues_ledger_through', ${through})`);
      }
    }
  });

  it('after random service writes (periods, admission dates, bases, reductions, payments, reversals, subtree moves) it still equals the definition', async () => {
    await fc.assert(fc.asyncProperty(fc.array(command, { minLength: 4, maxLength: 10 }), async (cmds) => {
      for (const c of cmds) await apply(c);
      await expectLedgerExact(t.ctx.db, await scopes());
    }), { numRuns: 4, seed: Number(process.env.LEDGER_SEED ?? 18) });
  });

  it('the daily job moves the horizon on: open-ended periods gain the new months', async () => {
    const through = (await ledgerThrough(t.ctx.db))!;
    const next = new Date(Date.UTC(Number(through.slice(0, 4)), Number(through.slice(5, 7)), 15)).toISOString().slice(0, 10);
    const before = await one<{ n: number }>(t.ctx.db, sql`select count(*)::int as n from dues_member_months where month > ${through}`);
    expect(before!.n).toBe(0);
    expect(await t.ctx.db.transaction(async (tx) => extendLedger(tx as unknown as Db, next))).toBe(`${next.slice(0, 7)}-01`);
    const after = await one<{ n: number }>(t.ctx.db, sql`select count(*)::int as n from dues_member_months where month > ${through}`);
    expect(after!.n).toBeGreaterThan(0);
    // never moves back
    expect(await extendLedger(t.ctx.db, through)).toBe(`${next.slice(0, 7)}-01`);
    await expectLedgerExact(t.ctx.db, [root]);
  });
});
