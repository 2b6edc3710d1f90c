import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { AppError } from './errors.js';
import { SETTINGS } from './settings.js';
import type { CellValue, ImportRowError } from './importer.js';

/** Import runs (the progress registry of the one import service, importer.ts): a run per upload, polled by the page. */
export type ImportStatus = 'parsing' | 'validating' | 'writing' | 'done' | 'rejected' | 'failed';

export interface ErrorReportData { columns: string[]; rows: { rowNumber: number; cells: CellValue[] }[] }

/**
 * Import progress lives in process memory while a run works (STACK.md): rows written by the
 * import's own transaction are invisible until commit. A finished run goes to disk
 * (<data dir>/imports/<id>.json, owner-only) and only a small stub stays in memory (issue 17 #4);
 * files older than an hour are removed. A run belongs to the user who started it. One running
 * import per user, and at most `maxConcurrent` (setting imports.maxConcurrent) per process.
 */
export interface ImportProgress { status: ImportStatus; done: number; total: number }
export interface ImportRun extends ImportProgress {
  id: string; kind: string; tenantId: number; userId: number | null; filename: string; createdAt: string;
  imported: number; errors: ImportRowError[];
  /** Row notes that did not stop the import (e.g. a mobile shared with another person). */
  warnings: ImportRowError[];
  /** Chinese message for a failed run. */
  message: string | null;
  report: ErrorReportData | null;
}

interface RunEntry { run: ImportRun; settled: Promise<void>; finishedMs?: number; file?: string }
/** `finishedMs` only decides when a run is forgotten (housekeeping, not a business time). */
const runs = new Map<string, RunEntry>();
const KEEP_FINISHED_MS = 60 * 60 * 1000;
const MAX_RUNS = 200;
const finished = (s: ImportStatus) => s === 'done' || s === 'rejected' || s === 'failed';
const RUN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const runFile = (dataDir: string, id: string) => join(dataDir, 'imports', `${id}.json`);

function prune(dataDir?: string) {
  const nowMs = performance.now();
  for (const [id, r] of runs) if (r.finishedMs && nowMs - r.finishedMs > KEEP_FINISHED_MS) runs.delete(id);
  const done = [...runs.values()].filter((r) => finished(r.run.status));
  for (const r of done.slice(0, Math.max(0, runs.size - MAX_RUNS))) runs.delete(r.run.id);
  if (!dataDir) return;
  const dir = join(dataDir, 'imports');
  if (!existsSync(dir)) return;
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    try {
      if (Date.now() - statSync(p).mtimeMs > KEEP_FINISHED_MS) rmSync(p, { force: true });
    } catch { /* removed meanwhile */ }
  }
}

/**
 * Register a run and start `task` in the background; the task reports progress through the
 * callback and returns the outcome. An unexpected error marks the run failed (nothing is stored:
 * the import's transaction rolled back). Refused with 429 when the user already has a running
 * import or `maxConcurrent` imports are running.
 */
export function startImportRun(
  init: { kind: string; tenantId: number; userId: number | null; filename: string; nowIso: string; dataDir?: string; maxConcurrent?: number },
  task: (onProgress: (p: ImportProgress) => void, run: ImportRun) => Promise<{ imported: number; errors: ImportRowError[]; warnings?: ImportRowError[]; report?: ErrorReportData | null }>,
): ImportRun {
  prune(init.dataDir);
  const running = [...runs.values()].filter((r) => !finished(r.run.status));
  if (init.userId != null && running.some((r) => r.run.userId === init.userId)) {
    throw new AppError('tooManyRequests', '您已有一个导入正在进行，请等它完成后再导入');
  }
  if (running.length >= (init.maxConcurrent ?? SETTINGS.importMaxConcurrent.default)) {
    throw new AppError('tooManyRequests', '系统正在处理其他导入，请稍后再试');
  }
  const run: ImportRun = {
    id: randomUUID(), kind: init.kind, tenantId: init.tenantId, userId: init.userId, filename: init.filename,
    status: 'parsing', done: 0, total: 0, imported: 0, errors: [], warnings: [], message: null, createdAt: init.nowIso, report: null,
  };
  const entry: RunEntry = { run, settled: Promise.resolve() };
  const onProgress = (p: ImportProgress) => Object.assign(run, p);
  const settled = (async () => {
    await new Promise((r) => setImmediate(r)); // let the caller's 202 go out before the work starts
    try {
      const out = await task(onProgress, run);
      run.imported = out.imported;
      run.errors = out.errors;
      run.warnings = out.warnings ?? [];
      run.report = out.report ?? null;
      run.status = out.errors.length ? 'rejected' : 'done';
      if (run.status === 'done') run.done = run.total;
    } catch (e) {
      run.status = 'failed';
      run.message = '导入过程中发生内部错误，未保存任何数据，请稍后重试';
      console.error(`import ${run.id} failed:`, e);
    } finally {
      entry.finishedMs = performance.now();
      if (init.dataDir) {
        try {
          mkdirSync(join(init.dataDir, 'imports'), { recursive: true, mode: 0o700 });
          const file = runFile(init.dataDir, run.id);
          writeFileSync(file, JSON.stringify(run), { mode: 0o600 });
          entry.file = file;
          entry.run = { ...run, errors: [], warnings: [], report: null };
        } catch (e) {
          console.error(`import ${run.id}: could not keep the result on disk:`, e);
        }
      }
    }
  })();
  entry.settled = settled;
  runs.set(run.id, entry);
  return run;
}

function fromDisk(file: string): ImportRun | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ImportRun;
  } catch {
    return undefined;
  }
}

/** The run, if it exists and belongs to this user (others get nothing: 404). */
export function getImportRun(id: string, userId: number | null, dataDir?: string): ImportRun | undefined {
  const entry = runs.get(id);
  let r = entry?.file ? fromDisk(entry.file) : entry?.run;
  if (!entry && dataDir && RUN_ID.test(id)) r = fromDisk(runFile(dataDir, id)); // after a restart
  return r && r.userId === userId ? r : undefined;
}

/** Resolves when the run has finished (tests, CLI). */
export async function awaitImportRun(id: string): Promise<ImportRun | undefined> {
  const r = runs.get(id);
  if (!r) return undefined;
  await r.settled;
  return r.file ? fromDisk(r.file) : r.run;
}
