import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/connection.js';
import { figureScore, indicatorsOf, proposeGrade, ratingScore, type FigureRef, type IndicatorTree } from '../../domain/assessmentRules.js';
import { evidenceDigest, getFigure, type EvidenceRow, type FigureContext } from '../../platform/figures.js';
import { settingsResolverFor } from '../../platform/settings.js';
import type { OrgSheet, ScoreCell } from './contract.js';
import { ASSESSMENT_SETTINGS } from './settings.js';

/**
 * The score sheet of a session: every figure-based indicator read through the figure registry over the
 * scored org's subtree and the session year, on-site ratings and manual scores from the committee's
 * inputs, the total and the grade proposed from the tenant's cut-offs. Nothing here writes.
 */
export interface SessionRow {
  id: number;
  tenant_id: number;
  org_id: number;
  org_path: string;
  year: number;
  title: string;
  tree_key: string;
  tree_version: number;
  tree: IndicatorTree;
  org_ids: number[];
  status: string;
  result: { orgs: OrgSheet[] } | null;
  finished_at: string | null;
  finished_by: string | null;
  version: number;
}

export const yearRange = (year: number) => ({ from: `${year}-01-01`, to: `${year}-12-31` });
const scopeOfPath = (tenantId: number, path: string) => ({ tenantId, paths: [path], personId: null });

/** A figure's value (or one breakdown item's) for an org and year; null when missing or unknown. */
export async function figureValue(db: Db, tenantId: number, path: string, year: number, today: string, ref: FigureRef): Promise<number | null> {
  const def = getFigure(ref.id);
  if (!def) return null;
  const v = await def.compute({ db, scope: scopeOfPath(tenantId, path), today }, { ...yearRange(year), by: ref.by, params: {} });
  if (v.status !== 'ok') return null;
  if (!ref.key) return v.value;
  return v.breakdown?.find((b) => b.key === ref.key)?.value ?? 0;
}

/**
 * The evidence rows behind a figure for an org and year. With a breakdown `key`, only the rows whose
 * id names that key as one of its `:`-separated parts (e.g. an obligation `org:kind:period`).
 */
export async function figureEvidence(db: Db, tenantId: number, path: string, year: number, today: string, ref: FigureRef): Promise<EvidenceRow[]> {
  const def = getFigure(ref.id);
  if (!def) return [];
  const fctx: FigureContext = { db, scope: scopeOfPath(tenantId, path), today };
  const all: EvidenceRow[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await def.evidence(fctx, { ...yearRange(year), by: ref.by, params: {} }, { offset, limit: 1000 });
    all.push(...page.items);
    if (page.items.length < 1000 || all.length >= page.total) break;
  }
  return ref.key ? all.filter((r) => String(r.id).split(':').includes(ref.key!)) : all;
}

interface InputRow { org_id: number; indicator_key: string; score: number | null; ratings: Record<string, number> | null; note: string | null }

export async function computeSheet(db: Db, s: SessionRow, today: string, opts: { digests: boolean }): Promise<OrgSheet[]> {
  const orgs = await rows<{ id: number; name: string; kind: string; path: string }>(db, sql`
    select id, name, kind, path from orgs where tenant_id = ${s.tenant_id} and id in (${sql.join(s.org_ids.map((x) => sql`${x}`), sql`, `)}) order by path`);
  const inputs = await rows<InputRow>(db, sql`select org_id, indicator_key, score, ratings, note from assessment_inputs where session_id = ${s.id}`);
  const inputOf = new Map(inputs.map((i) => [`${i.org_id}:${i.indicator_key}`, i]));
  const settings = await settingsResolverFor(db, s.tenant_id, [ASSESSMENT_SETTINGS.gradeCutoffs, ASSESSMENT_SETTINGS.ratingWeights]);
  const cutoffs = settings(s.org_path, ASSESSMENT_SETTINGS.gradeCutoffs);
  const weights = settings(s.org_path, ASSESSMENT_SETTINGS.ratingWeights);
  const list = indicatorsOf(s.tree);
  const out: OrgSheet[] = [];
  for (const o of orgs) {
    const cache = new Map<string, Promise<number | null>>();
    const value = (ref: FigureRef) => {
      const k = `${ref.id}|${ref.by ?? ''}|${ref.key ?? ''}`;
      if (!cache.has(k)) cache.set(k, figureValue(db, s.tenant_id, o.path, s.year, today, ref));
      return cache.get(k)!;
    };
    const cells: ScoreCell[] = [];
    for (const i of list) {
      const input = inputOf.get(`${o.id}:${i.key}`);
      const cell: ScoreCell = { indicator: i.key, label: i.label, category: i.categoryLabel, kind: i.rule.kind, maxScore: i.maxScore, score: null, source: 'missing' };
      const r = i.rule;
      if (r.kind === 'deductPer' || r.kind === 'awardPer' || r.kind === 'percent') {
        const v = await value(r.figure);
        const m = r.kind === 'deductPer' && r.minus ? await value(r.minus) : null;
        const h = figureScore(r, i.maxScore, v, m);
        cell.figure = { ...r.figure, value: v, ...(r.kind === 'deductPer' && r.minus ? { minusId: r.minus.id, minus: m } : {}) };
        if (h !== null) Object.assign(cell, { score: h / 100, source: 'figure' });
        if (opts.digests) {
          const ev = await figureEvidence(db, s.tenant_id, o.path, s.year, today, r.figure);
          const evMinus = r.kind === 'deductPer' && r.minus ? await figureEvidence(db, s.tenant_id, o.path, s.year, today, r.minus) : [];
          cell.digest = evidenceDigest([...ev, ...evMinus]);
        }
      } else if (r.kind === 'rating' && input?.ratings) {
        const h = ratingScore(i.maxScore, input.ratings, weights);
        cell.ratings = input.ratings;
        if (h !== null) Object.assign(cell, { score: h / 100, source: 'rating' });
      }
      if (input && input.score !== null) {
        Object.assign(cell, { score: Number(input.score) / 100, source: r.kind === 'manual' || r.kind === 'rating' ? 'manual' : 'override' });
      }
      if (input?.note) cell.note = input.note;
      cells.push(cell);
    }
    const total = cells.some((c) => c.score === null) ? null : cells.reduce((sum, c) => sum + Math.round(c.score! * 100), 0) / 100;
    out.push({ org: { id: Number(o.id), name: o.name, kind: o.kind }, cells, total, proposed: total === null ? null : proposeGrade(total, cutoffs), grade: null });
  }
  return out;
}
