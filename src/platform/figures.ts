import { z } from 'zod';
import type { Db } from '../db/connection.js';
import type { Scope } from './scope.js';
import { sha256Hex } from './crypto.js';

/**
 * The figure registry (ARCHITECTURE.md "Figures"): reports, assessments, dashboards and disclosure
 * read figures, never module tables. A stock is a state as of `to`, computed from effective-dated
 * history; a flow counts events dated in [from, to].
 */
export const FIGURE_UNITS = ['count', 'percent', 'fen', 'hours', 'studyHours', 'days'] as const;
export type FigureUnit = (typeof FIGURE_UNITS)[number];

export interface BreakdownItem {
  key: string;
  label: string;
  value: number;
  numerator?: number;
  denominator?: number;
}

export interface FigureValue {
  value: number | null;
  status: 'ok' | 'missing';
  unit: FigureUnit;
  breakdown?: BreakdownItem[];
  numerator?: number;
  denominator?: number;
}

export interface EvidenceRow {
  entity: string;
  id: number | string;
  version: number;
  date: string | null;
  orgId: number;
  label: string;
  contributes: number;
  /** Records behind a derived row (e.g. the meetings that met an obligation), for drilling down; not part of the digest. */
  refs?: { entity: string; id: number }[];
}

export interface FigureQuery {
  from: string;
  to: string;
  by?: string;
  params: Record<string, unknown>;
}

export interface FigureContext {
  db: Db;
  scope: Scope;
  today: string;
}

export interface FigureDef {
  id: string;
  label: string;
  definition: string;
  unit: FigureUnit;
  kind: 'stock' | 'flow';
  source?: string;
  /** Declared breakdown dimensions: key → Chinese label. */
  dimensions: Record<string, string>;
  params?: z.ZodType<Record<string, unknown>>;
  compute(ctx: FigureContext, q: FigureQuery): Promise<FigureValue>;
  /** Several breakdowns in one pass (a statistics page); each equals compute() with that `by`. */
  computeMany?(ctx: FigureContext, q: FigureQuery, dims: string[]): Promise<Record<string, FigureValue>>;
  evidence(ctx: FigureContext, q: FigureQuery, page: { offset: number; limit: number }): Promise<{ total: number; items: EvidenceRow[] }>;
  /**
   * Batch path (county drafting): for each org subtree path (every one inside ctx.scope), exactly what
   * compute() gives with scope [path], plus the evidence total — in a few grouped queries over ctx.scope
   * instead of two queries per path. Use computeFigureByOrg(), which falls back to compute() per path.
   */
  computeByOrg?(ctx: FigureContext, q: FigureQuery, paths: string[]): Promise<Map<string, OrgFigureValue>>;
}

/** A figure's value for one org subtree with the total of its evidence rows. */
export type OrgFigureValue = FigureValue & { evidenceCount: number };

const registry = new Map<string, FigureDef>();
/** `<module>.<subject>.<measure>` or `<module>.<measure>`; the module part is checked against the module registry. */
const ID_RE = /^([a-z][A-Za-z0-9]*)(\.[a-z][A-Za-z0-9]*){1,2}$/;

export function registerFigure(def: FigureDef): FigureDef {
  if (!ID_RE.test(def.id)) throw new Error(`figure id ${def.id} does not follow <module>.<subject>.<measure>`);
  if (registry.has(def.id)) throw new Error(`figure ${def.id} registered twice`);
  registry.set(def.id, def);
  return def;
}

export const getFigure = (id: string) => registry.get(id);

/**
 * Called by the module registry (src/modules/registry.ts) once every module has registered: each figure id
 * must start with the name of a registered module, so a new module adds itself there and never edits the
 * platform.
 */
export function checkFigureModules(moduleNames: readonly string[]): void {
  const known = new Set(moduleNames);
  const stray = [...registry.keys()].filter((id) => !known.has(id.slice(0, id.indexOf('.'))));
  if (stray.length) throw new Error(`figure ids name no registered module: ${stray.join(', ')}`);
}
export const allFigures = () => [...registry.values()].sort((a, b) => a.id.localeCompare(b.id));

/** Digest of all evidence keys (`entity:id:version`), stored by a finalized report. */
export function evidenceDigest(items: EvidenceRow[]): string {
  return sha256Hex(items.map((r) => `${r.entity}:${r.id}:${r.version}`).sort().join('\n'));
}

export function describeFigure(def: FigureDef) {
  return {
    id: def.id,
    label: def.label,
    definition: def.definition,
    unit: def.unit,
    kind: def.kind,
    source: def.source ?? null,
    dimensions: Object.entries(def.dimensions).map(([key, label]) => ({ key, label })),
  };
}

// ─── Batch over many org subtrees ───────────────────────────────────────────

const pathScope = (ctx: FigureContext, path: string): FigureContext => ({ ...ctx, scope: { tenantId: ctx.scope.tenantId, paths: [path], personId: null } });

/**
 * The value of a figure for many org subtrees (each path inside ctx.scope): the figure's computeByOrg
 * when it has one, else compute() and an evidence count per path. Either way each value equals
 * compute() with the scope narrowed to that path.
 */
export async function computeFigureByOrg(def: FigureDef, ctx: FigureContext, q: FigureQuery, paths: string[]): Promise<Map<string, OrgFigureValue>> {
  const unique = [...new Set(paths)];
  if (def.computeByOrg) return def.computeByOrg(ctx, q, unique);
  const out = new Map<string, OrgFigureValue>();
  for (const path of unique) {
    const pctx = pathScope(ctx, path);
    const v = await def.compute(pctx, q);
    out.set(path, { ...v, evidenceCount: (await def.evidence(pctx, q, { offset: 0, limit: 1 })).total });
  }
  return out;
}

/**
 * For grouped queries: maps a row's org path ('/1/7/23/') to the requested paths that hold it (itself
 * and its ancestors among `paths`), matching `path LIKE requested || '%'` for well-formed org paths.
 */
export function holdersOf(paths: string[]): (path: string) => string[] {
  const wanted = new Set(paths);
  const memo = new Map<string, string[]>();
  return (path) => {
    const hit = memo.get(path);
    if (hit) return hit;
    const out: string[] = [];
    for (let i = path.indexOf('/', 1); i > 0; i = path.indexOf('/', i + 1)) {
      const p = path.slice(0, i + 1);
      if (wanted.has(p)) out.push(p);
    }
    memo.set(path, out);
    return out;
  };
}

/**
 * Sum grouped rows (org path, breakdown key, numbers) up to each requested path: path → key → sums.
 * Every requested path is present (empty when nothing falls under it).
 */
export function rollUp(paths: string[], groups: { path: string; k: string; v: number[] }[]): Map<string, Map<string, number[]>> {
  const out = new Map(paths.map((p) => [p, new Map<string, number[]>()]));
  const holders = holdersOf(paths);
  for (const g of groups) {
    for (const p of holders(g.path)) {
      const m = out.get(p)!;
      const acc = m.get(g.k);
      if (acc) g.v.forEach((x, i) => { acc[i] = (acc[i] ?? 0) + x; });
      else m.set(g.k, [...g.v]);
    }
  }
  return out;
}

/** The requested paths holding at least one of the given org paths (an "any record here" test per subtree). */
export function pathsHolding(paths: string[], orgPaths: string[]): Set<string> {
  const holders = holdersOf(paths);
  const out = new Set<string>();
  for (const p of orgPaths) for (const h of holders(p)) out.add(h);
  return out;
}

/** Sum of the i-th number over every key of a rolled-up path. */
export const sumOf = (m: Map<string, number[]> | undefined, i = 0) => [...(m?.values() ?? [])].reduce((s, v) => s + (v[i] ?? 0), 0);
