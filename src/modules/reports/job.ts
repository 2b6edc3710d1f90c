import { sql } from 'drizzle-orm';
import { one, rows } from '../../db/connection.js';
import type { Actor } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { getSetting } from '../../platform/settings.js';
import { narrowToOrg, pathPredicate, type Scope } from '../../platform/scope.js';
import { write } from '../../platform/write.js';
import { draftReports } from './batch.js';
import { REPORT_SETTINGS, listTemplates } from './service.js';

/**
 * County job (issue 13): draft the reports of every org of a subtree that has a matching template
 * (the `reports.defaultTemplates` setting by org kind, else the first template offered for that kind)
 * in the background through draftReports (batch.ts: every figure computed for all orgs in grouped
 * queries, drafts inserted a chunk per transaction); orgs that already have a report for the year are
 * skipped. Progress lives in `report_jobs` (done / total / status).
 */
const running = new Map<number, Promise<void>>();

export async function startReportJob(ctx: AppContext, scope: Scope, actor: Actor & { userId: number | null }, input: { orgId: number; year: number }) {
  const s = await narrowToOrg(ctx.db, scope, input.orgId);
  const templates = await listTemplates(ctx.db, scope.tenantId);
  const defaults = await getSetting(ctx.db, scope.tenantId, s.orgPath, REPORT_SETTINGS.defaultTemplates);
  const templateFor = (kind: string) => {
    const chosen = defaults[kind];
    if (chosen && templates.some((t) => t.key === chosen)) return chosen;
    return templates.find((t) => t.orgKinds.includes(kind))?.key ?? null;
  };
  const orgs = await rows<{ id: number; kind: string }>(ctx.db, sql`
    select o.id, o.kind from orgs o where o.tenant_id = ${scope.tenantId} and ${pathPredicate(sql`o.path`, s)} and o.dissolved_on is null and o.kind <> 'partyGroup'
      and not exists (select 1 from reports r where r.org_id = o.id and r.year = ${input.year})
    order by o.path`);
  const work = orgs.map((o) => ({ orgId: Number(o.id), templateKey: templateFor(o.kind) })).filter((x): x is { orgId: number; templateKey: string } => x.templateKey !== null);
  const now = ctx.clock.nowIso();
  const job = await write(ctx, scope.tenantId, actor, async (w) => {
    const j = await one<{ id: number }>(w.tx, sql`insert into report_jobs (tenant_id, org_id, org_path, year, user_id, status, total, done, created_at, updated_at)
      values (${scope.tenantId}, ${input.orgId}, ${s.orgPath}, ${input.year}, ${actor.userId}, ${work.length ? 'running' : 'done'}, ${work.length}, 0, ${now}, ${now}) returning id`);
    w.audit({ action: 'create', entity: 'reportJob', entityId: j!.id, orgId: input.orgId, after: { year: input.year, total: work.length } });
    return Number(j!.id);
  });
  if (work.length === 0) return { id: job, total: 0 };
  const db = ctx.db;
  const task = (async () => {
    await new Promise((r) => setImmediate(r));
    let failed: number[] = [];
    try {
      ({ failed } = await draftReports({ ...ctx, db }, s, actor, work, input.year, async (done) => {
        await db.execute(sql`update report_jobs set done = ${done}, updated_at = ${ctx.clock.nowIso()} where id = ${job}`);
      }));
    } catch (e) {
      failed = work.map((w) => w.orgId);
      console.error(`report job ${job} failed:`, e);
    }
    await db.execute(sql`update report_jobs set status = ${failed.length ? 'doneWithErrors' : 'done'}, done = ${work.length}, result = ${JSON.stringify({ failed })}::jsonb,
      version = version + 1, updated_at = ${ctx.clock.nowIso()} where id = ${job}`);
  })().catch((e) => console.error(`report job ${job} failed:`, e));
  running.set(job, task.finally(() => running.delete(job)));
  return { id: job, total: work.length };
}

export async function reportJobStatus(ctx: AppContext, scope: Scope, id: number) {
  const j = await one<{ id: number; status: string; total: number; done: number; year: number; org_id: number; result: unknown }>(ctx.db, sql`
    select id, status, total, done, year, org_id, result from report_jobs where id = ${id} and tenant_id = ${scope.tenantId} and ${pathPredicate(sql`org_path`, scope)}`);
  if (!j) throw notFound('批量起草任务');
  return { id: Number(j.id), orgId: Number(j.org_id), year: j.year, status: j.status, total: j.total, done: j.done, result: j.result };
}

/** Resolves when a job started in this process has finished (tests, benchmark). */
export const awaitReportJob = async (id: number) => { await running.get(id); };
