import { sql } from 'drizzle-orm';
import { one, rows, type Db } from '../db/connection.js';
import type { AppContext } from './context.js';
import { appendAudit, writeCheckpoints } from './audit.js';
import { evaluateFindings } from './findings.js';
import { systemActor } from './write.js';

/**
 * Background jobs (ARCHITECTURE.md "Time"): a job table and an in-process scheduler. A run is keyed
 * by (name, run key = the business date), so a second run on the same day is a no-op.
 */
export interface JobDef {
  name: string;
  label: string;
  run(ctx: AppContext, tx: Db, today: string): Promise<Record<string, unknown>>;
}

export const JOBS: Record<string, JobDef> = {
  // First: the dues member-month ledger holds months through the current month (src/modules/dues/README.md).
  'dues.ledger': {
    name: 'dues.ledger',
    label: '党费台账延伸到本月',
    async run(_ctx, tx, today) {
      return { through: await extendDuesLedger(tx, today) };
    },
  },
  'findings.daily': {
    name: 'findings.daily',
    label: '每日重新评估全部预警',
    async run(ctx, tx, today) {
      const tenants = await rows<{ id: number }>(tx, sql`select id from tenants order by id`);
      const out: Record<string, unknown> = {};
      for (const t of tenants) {
        const summary = await evaluateFindings(tx, { tenantId: t.id, paths: null, today }, { nowIso: ctx.clock.nowIso() });
        await appendAudit(tx, ctx.clock, t.id, systemActor, [{ action: 'evaluate', entity: 'finding', meta: { job: 'findings.daily', today, ...summary } }]);
        out[t.id] = summary;
      }
      return out;
    },
  },
};

/**
 * Move the dues ledger's horizon to the month of `today` (never back) and recompute it (migration
 * 0012 dues_ledger_extend; READ COMMITTED, it waits for the writers in flight); returns the horizon.
 */
export async function extendDuesLedger(db: Db, today: string): Promise<string | null> {
  const r = await one<{ through: string | null }>(db, sql`select dues_ledger_extend(greatest(date_trunc('month', ${today}::date)::date,
    coalesce(dues_ledger_through(), '0001-01-01'::date)))::text as through`);
  return r?.through ?? null;
}

/** Run a job for today unless it already ran; `force` runs it again under a distinct key. */
export async function runJob(ctx: AppContext, name: string, opts: { force?: boolean } = {}): Promise<{ ran: boolean; result?: Record<string, unknown> }> {
  const job = JOBS[name];
  if (!job) throw new Error(`没有名为“${name}”的任务。可用任务：${Object.keys(JOBS).join('、')}`);
  const today = ctx.clock.today();
  const runKey = opts.force ? `${today}#${ctx.clock.nowIso()}` : today;
  return ctx.db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    const claimed = await one<{ id: number }>(
      tx,
      sql`insert into job_runs (name, run_key, status, started_at) values (${name}, ${runKey}, 'running', ${ctx.clock.nowIso()}) on conflict (name, run_key) do nothing returning id`,
    );
    if (!claimed) return { ran: false };
    const result = await job.run(ctx, tx, today);
    await tx.execute(sql`update job_runs set status = 'done', finished_at = ${ctx.clock.nowIso()}, result = ${JSON.stringify(result)}::jsonb where id = ${claimed.id}`);
    return { ran: true, result };
  }) as Promise<{ ran: boolean; result?: Record<string, unknown> }>;
}

/** Checks once a minute; runs each daily job once per business date. */
export function startScheduler(ctx: AppContext, log: (msg: string) => void): () => void {
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      for (const name of Object.keys(JOBS)) {
        const r = await runJob(ctx, name);
        if (r.ran) log(`已运行每日任务 ${name}`);
      }
      // a signed checkpoint of the audit heads outside the database, once a minute when they moved
      const cp = await writeCheckpoints(ctx.db, ctx.clock);
      for (const p of cp.problems) log(`审计检查点：${p}`);
    } catch (e) {
      log(`每日任务失败：${(e as Error).message}`);
    } finally {
      busy = false;
    }
  };
  void tick();
  const timer = setInterval(tick, 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
