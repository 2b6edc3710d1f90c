import { computeFigureByOrg, evidenceDigest, getFigure, type EvidenceRow, type FigureContext, type FigureDef, type FigureQuery, type FigureValue } from '../../platform/figures.js';
import type { Scope } from '../../platform/scope.js';
import type { FigRef } from './contract.js';
import { periodLabel, periodRange } from './formats.js';

/**
 * Figure requests of a report: one (figure, period, by, params, org subtree) a placeholder needs, keyed so
 * every distinct request is computed once per report, its evidence counted and, on finalize, digested.
 */
export interface FigRequest { key: string; figureId: string; from: string; to: string; by?: string; params: Record<string, unknown>; periodText: string; path: string }

/** A figure's parameters through its own zod schema (defaults applied); as given when they do not parse. */
function parsedParams(figureId: string, raw: Record<string, unknown>): Record<string, unknown> {
  const parsed = getFigure(figureId)?.params?.safeParse(raw);
  return parsed?.success ? parsed.data : raw;
}

const shiftYear = (d: string, n: number) => `${Number(d.slice(0, 4)) + n}${d.slice(4)}`;

export function requestFor(ref: FigRef, year: number, path: string, shift = 0): FigRequest {
  const period = ref.period ?? 'thisYear';
  const r = periodRange(period, year);
  const from = period === 'cumulative' ? r.from : shiftYear(r.from, shift);
  const to = shiftYear(r.to, shift);
  const params = ref.params ?? {};
  const by = ref.by;
  const p = parsedParams(ref.id, params);
  const key = JSON.stringify([ref.id, from, to, by ?? null, Object.entries(params).sort(), path]);
  return { key, figureId: ref.id, from, to, by, params: p, periodText: shift ? periodLabel(period, year + shift) : periodLabel(period, year), path };
}

const pageSize = 5000;
/** Every evidence row of a request (for the digest), paged. */
export async function allEvidence(def: FigureDef, fctx: FigureContext, q: FigureQuery): Promise<EvidenceRow[]> {
  const out: EvidenceRow[] = [];
  for (let offset = 0; ; offset += pageSize) {
    const page = await def.evidence(fctx, q, { offset, limit: pageSize });
    out.push(...page.items);
    if (page.items.length < pageSize || out.length >= page.total) return out;
  }
}

export const scopeForPath = (tenantId: number, path: string): Scope => ({ tenantId, paths: [path], personId: null });
export const queryOf = (r: FigRequest): FigureQuery => ({ from: r.from, to: r.to, by: r.by, params: r.params });

/** Compute every distinct request once. Unknown figures and failures are `missing`. */
export async function computeRequests(db: FigureContext['db'], tenantId: number, today: string, requests: FigRequest[], withEvidence: boolean) {
  const values: Record<string, FigureValue & { evidenceCount: number }> = {};
  for (const r of requests) {
    if (values[r.key]) continue;
    const def = getFigure(r.figureId);
    if (!def) { values[r.key] = { value: null, status: 'missing', unit: 'count', evidenceCount: 0 }; continue; }
    const fctx: FigureContext = { db, scope: scopeForPath(tenantId, r.path), today };
    const v = await def.compute(fctx, queryOf(r));
    const evidenceCount = withEvidence ? (await def.evidence(fctx, queryOf(r), { offset: 0, limit: 1 })).total : 0;
    values[r.key] = { ...v, evidenceCount };
  }
  return values;
}

/**
 * The same values as computeRequests for the requests of many reports at once: the requests of one
 * (figure, period, by, params) over all org paths go to the registry's batch path in one call
 * (computeFigureByOrg, over `scope`, which must hold every path). Values and evidence counts equal
 * computeRequests' per request (tested in batch.int.test.ts).
 */
export async function computeRequestsByOrg(db: FigureContext['db'], scope: Scope, today: string, requests: FigRequest[]) {
  const values: Record<string, FigureValue & { evidenceCount: number }> = {};
  const groups = new Map<string, FigRequest[]>();
  for (const r of requests) {
    const [id, from, to, by, params] = JSON.parse(r.key) as unknown[];
    const g = JSON.stringify([id, from, to, by, params]);
    const list = groups.get(g);
    if (list) list.push(r);
    else groups.set(g, [r]);
  }
  for (const list of groups.values()) {
    const first = list[0]!;
    const def = getFigure(first.figureId);
    if (!def) { for (const r of list) values[r.key] = { value: null, status: 'missing', unit: 'count', evidenceCount: 0 }; continue; }
    const byPath = await computeFigureByOrg(def, { db, scope, today }, queryOf(first), list.map((r) => r.path));
    for (const r of list) values[r.key] = byPath.get(r.path)!;
  }
  return values;
}

/** The value a ref shows: the total, or one breakdown key. */
export function pick(v: FigureValue | undefined, ref: FigRef): number | null {
  if (!v || v.status !== 'ok' || v.value === null) return null;
  if (ref.key === undefined) return v.value;
  const item = v.breakdown?.find((b) => b.key === ref.key);
  return item ? item.value : null;
}

/** Digests of the evidence of every inline request (frozen on finalize). */
export async function digestsFor(db: FigureContext['db'], tenantId: number, today: string, keys: string[]) {
  const out: Record<string, string> = {};
  for (const key of keys) {
    if (out[key] !== undefined) continue;
    const r = requestFromKey(key);
    const def = getFigure(r.figureId);
    if (!def) { out[r.key] = evidenceDigest([]); continue; }
    out[r.key] = evidenceDigest(await allEvidence(def, { db, scope: scopeForPath(tenantId, r.path), today }, queryOf(r)));
  }
  return out;
}

/** Rebuild a request from its key (stored with each placeholder). */
export function requestFromKey(key: string): FigRequest {
  const [figureId, from, to, by, params, path] = JSON.parse(key) as [string, string, string, string | null, [string, string][], string];
  return { key, figureId, from, to, by: by ?? undefined, params: parsedParams(figureId, Object.fromEntries(params)), periodText: `${from} 至 ${to}`, path };
}
