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
}

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
