import { getFigure, type FigureContext, type FigureValue } from '../../platform/figures.js';
import type { AppendixRow, FigRef, PlaceholderView, RenderedBlock, RenderedReport, RenderedSection, ReportTemplate, TemplateSection } from './contract.js';
import {
  defaultFormat, formatValue, parseInline, unitLabel, type FieldSpec, type InlineNode,
} from './template.js';
import { computeRequests, pick, requestFor, type FigRequest } from './requests.js';

export { allEvidence, computeRequests, digestsFor, queryOf, requestFor, requestFromKey, scopeForPath, type FigRequest } from './requests.js';

/**
 * The report engine: walks a template, evaluates every figure placeholder through the registry in the
 * org's scope (batched: one compute per (figure, period, by, params)), and renders the report. A
 * `missing` figure stays missing (never 0) until the author types a value (override) or removes the
 * sentence; finalize refuses while anything is missing or empty.
 */
export interface Override { value?: number | string; reason?: string; removed?: boolean }
export interface FieldValue { value: number | string | null; reason?: string }
export interface ReportState {
  narratives: Record<string, string>; // nid → sanitized html
  fields: Record<string, FieldValue>;
  overrides: Record<string, Override>;
}
export interface OrgInfo { id: number; name: string; path: string; parentName: string | null }
export interface ChildOrg { id: number; name: string; path: string }
export interface ExtraBlocks {
  lastYearReview: string[];
  problemCandidates: { id: string; text: string }[];
  lastYearPlan: string[];
}
export interface EvalInput {
  db: FigureContext['db'];
  tenantId: number;
  today: string;
  org: OrgInfo;
  children: ChildOrg[];
  year: number;
  template: ReportTemplate;
  state: ReportState;
  extras: ExtraBlocks;
  /** Precomputed values by request key (every request of the report); computed here when absent. */
  values?: Record<string, FigureValue & { evidenceCount: number }>;
}

/** A figure request: one compute (and one evidence count) per distinct key. */
export interface PlaceholderState extends PlaceholderView { requestKey?: string; format?: string }
export interface NarrativeView { id: string; label: string; hint?: string; html: string }
export interface FieldView extends FieldSpec { value: number | string | null; reason?: string; status: 'ok' | 'empty' }
export interface EvalOutput {
  placeholders: PlaceholderState[];
  narratives: NarrativeView[];
  fields: FieldView[];
  requests: FigRequest[];
  values: Record<string, FigureValue & { evidenceCount: number }>;
  rendered: RenderedReport;
  blockers: string[];
  /** The request key of each appendix row (same order). */
  appendixKeys: string[];
}

interface Walked {
  inline: { pid: string; ref: FigRef; kind: 'fig' | 'cond' }[];
  fields: FieldSpec[];
}

/** Visit every inline text of a template in a fixed order, giving stable placeholder ids. */
function inlineTexts(t: ReportTemplate): string[] {
  const out = [t.title, t.salutation ?? ''];
  const walk = (ss: TemplateSection[]) => {
    for (const s of ss) {
      out.push(s.heading);
      for (const b of s.blocks) if (b.type === 'paragraph') out.push(b.text);
      if (s.sections) walk(s.sections);
    }
  };
  walk(t.sections);
  out.push(...(t.closing ?? []));
  return out;
}

/** Parse all inline texts and assign placeholder ids `f1, f2, …` (conditions `c1, …`); read-only, so kept per template object (a county job evaluates one template for thousands of orgs). */
const idsCache = new WeakMap<ReportTemplate, ReturnType<typeof assignIdsOnce>>();
function assignIds(t: ReportTemplate) {
  let hit = idsCache.get(t);
  if (!hit) { hit = assignIdsOnce(t); idsCache.set(t, hit); }
  return hit;
}
function assignIdsOnce(t: ReportTemplate) {
  let f = 0;
  let c = 0;
  const parsed = new Map<string, { nodes: InlineNode[]; ids: Map<InlineNode, string> }>();
  const walked: Walked = { inline: [], fields: [] };
  const seenFields = new Set<string>();
  for (const text of inlineTexts(t)) {
    if (parsed.has(text)) continue;
    const { nodes } = parseInline(text);
    const ids = new Map<InlineNode, string>();
    const visit = (list: InlineNode[]) => {
      for (const n of list) {
        if (n.t === 'fig') { const pid = `f${++f}`; ids.set(n, pid); walked.inline.push({ pid, ref: n.ref, kind: 'fig' }); }
        else if (n.t === 'if') { const pid = `c${++c}`; ids.set(n, pid); walked.inline.push({ pid, ref: n.ref, kind: 'cond' }); visit(n.children); }
        else if (n.t === 'field' && !seenFields.has(n.field.name)) { seenFields.add(n.field.name); walked.fields.push(n.field); }
      }
    };
    visit(nodes);
    parsed.set(text, { nodes, ids });
  }
  return { parsed, walked };
}

function narrativeList(t: ReportTemplate) {
  const out: { id: string; label: string; hint?: string }[] = [];
  const walk = (ss: TemplateSection[]) => {
    for (const s of ss) {
      for (const b of s.blocks) if (b.type === 'narrative') out.push({ id: `n${out.length + 1}`, label: b.label, hint: b.hint });
      if (s.sections) walk(s.sections);
    }
  };
  walk(t.sections);
  return out;
}

/** Sanitized rich text → plain text with line breaks. */
export function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|h[1-6])>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
    .split('\n').map((l) => l.trim()).filter(Boolean).join('\n');
}

type Run = { text: string; ref?: string; missing?: boolean };
const SENTENCE_END = /[。；！？]/;

/** Drop the sentences holding a removed placeholder; merge adjacent plain runs. */
function dropSentences(runs: Run[], removed: Set<string>): Run[] {
  const sentences: Run[][] = [[]];
  for (const r of runs) {
    if (r.ref) { sentences[sentences.length - 1]!.push(r); continue; }
    let rest = r.text;
    while (rest) {
      const m = SENTENCE_END.exec(rest);
      if (!m) { sentences[sentences.length - 1]!.push({ text: rest }); break; }
      sentences[sentences.length - 1]!.push({ text: rest.slice(0, m.index + 1) });
      sentences.push([]);
      rest = rest.slice(m.index + 1);
    }
  }
  const kept = sentences.filter((s) => !s.some((r) => r.ref && removed.has(r.ref))).flat();
  const out: Run[] = [];
  for (const r of kept) {
    const last = out[out.length - 1];
    if (!r.ref && !r.missing && last && !last.ref && !last.missing) last.text += r.text;
    else if (r.text) out.push({ ...r });
  }
  return out;
}

/** Every figure request a report makes (inline figures, last year for `yoy`, charts, table cells per child org). */
function planRequests(t: ReportTemplate, year: number, org: { path: string }, children: ChildOrg[]) {
  const { parsed, walked } = assignIds(t);
  const requests: FigRequest[] = [];
  const reqOf = new Map<string, FigRequest>();
  const yoyOf = new Map<string, FigRequest>();
  for (const p of walked.inline) {
    const r = requestFor(p.ref, year, org.path);
    reqOf.set(p.pid, r);
    requests.push(r);
    if (p.ref.format === 'yoy') { const ly = requestFor(p.ref, year, org.path, -1); yoyOf.set(p.pid, ly); requests.push(ly); }
  }
  const charts: { ref: FigRef; req: FigRequest }[] = [];
  const tables: { cols: { label: string; fig: FigRef }[]; reqs: FigRequest[][] }[] = [];
  const walkBlocks = (ss: TemplateSection[]) => {
    for (const s of ss) {
      for (const b of s.blocks) {
        if (b.type === 'chart') { const req = requestFor(b.fig, year, org.path); charts.push({ ref: b.fig, req }); requests.push(req); }
        if (b.type === 'table') {
          const reqs = children.map((ch) => b.columns.map((c) => requestFor(c.fig, year, ch.path)));
          tables.push({ cols: b.columns, reqs });
          requests.push(...reqs.flat());
        }
      }
      if (s.sections) walkBlocks(s.sections);
    }
  };
  walkBlocks(t.sections);
  return { parsed, walked, requests, reqOf, yoyOf, charts, tables };
}

/** The figure requests of a report, for computing many reports' figures in one batch (job.ts). */
export const reportRequests = (t: ReportTemplate, year: number, org: { path: string }, children: ChildOrg[]) => planRequests(t, year, org, children).requests;

export async function evaluateReport(input: EvalInput, opts: { status: 'draft' | 'final'; signatureDate?: string; withEvidence?: boolean; digests?: Record<string, string> } = { status: 'draft' }): Promise<EvalOutput> {
  const { template: t, year, org, state } = input;
  const { parsed, walked, requests, reqOf, yoyOf, charts, tables } = planRequests(t, year, org, input.children);
  // values computed beforehand for many reports at once (the county job) are taken as they are
  const values = input.values ?? await computeRequests(input.db, input.tenantId, input.today, requests, opts.withEvidence ?? true);

  // placeholders
  const placeholders: PlaceholderState[] = [];
  const display = new Map<string, { text: string; missing: boolean; show: boolean }>();
  for (const p of walked.inline) {
    const req = reqOf.get(p.pid)!;
    const v = values[req.key]!;
    const def = getFigure(p.ref.id);
    const unit = def?.unit ?? v.unit;
    const raw = pick(v, p.ref);
    if (p.kind === 'cond') { display.set(p.pid, { text: '', missing: false, show: raw !== null && raw !== 0 }); continue; }
    const fmt = p.ref.format ?? defaultFormat(unit);
    let text: string | null = null;
    if (raw !== null) {
      if (fmt === 'yoy') text = formatValue(raw, 'yoy', { lastYear: pick(values[yoyOf.get(p.pid)!.key], p.ref) });
      else text = formatValue(raw, fmt);
    }
    // one breakdown key: its Chinese label from the breakdown (召开会议次数（专题研讨）), not the code
    const keyLabel = p.ref.key === undefined ? undefined : (v?.breakdown?.find((b) => b.key === p.ref.key)?.label ?? p.ref.key);
    const label = `${def?.label ?? p.ref.id}${keyLabel !== undefined ? `（${keyLabel}）` : ''}`;
    const ov = state.overrides[p.pid];
    let status: PlaceholderState['status'] = text === null ? 'missing' : 'ok';
    let shown = text;
    let reason: string | undefined = text === null ? (def ? '该指标本期无数据' : `指标「${p.ref.id}」不存在`) : undefined;
    let value = text === null ? null : raw;
    if (ov?.removed) { status = 'removed'; reason = ov.reason ?? '已删除该句'; }
    else if (ov && ov.value !== undefined && status === 'missing') {
      status = 'override';
      value = typeof ov.value === 'number' ? ov.value : null;
      shown = typeof ov.value === 'number' && fmt !== 'yoy' ? formatValue(ov.value, fmt) : String(ov.value);
      reason = ov.reason;
    }
    display.set(p.pid, { text: shown ?? `［缺：${label}］`, missing: shown === null, show: true });
    placeholders.push({
      id: p.pid, figureId: p.ref.id, ...(p.ref.key !== undefined ? { breakdownKey: p.ref.key } : {}), label, period: req.periodText, value, display: shown ?? '', status,
      unit: unitLabel(unit), evidenceCount: v.evidenceCount, reason, requestKey: req.key, format: fmt,
    });
  }
  const fields: FieldView[] = walked.fields.map((f) => {
    const fv = state.fields[f.name];
    const empty = fv === undefined || fv.value === null || fv.value === '';
    return { ...f, value: empty ? null : fv!.value, reason: fv?.reason, status: empty ? 'empty' : 'ok' };
  });
  for (const f of fields) {
    placeholders.push({
      id: `field:${f.name}`, label: f.label, period: `${year}年`, value: typeof f.value === 'number' ? f.value : null, display: f.value === null ? '' : String(f.value),
      status: 'field', unit: f.unit ?? '', evidenceCount: 0, reason: f.reason ?? f.reason, fieldName: f.name,
    });
  }
  const removed = new Set(Object.entries(state.overrides).filter(([, o]) => o.removed).map(([k]) => k));
  const fieldByName = new Map(fields.map((f) => [f.name, f]));

  const ctxText = (n: 'org' | 'year' | 'parent') => (n === 'org' ? org.name : n === 'year' ? String(year) : org.parentName ?? '');
  const runsOf = (text: string): Run[] => {
    const p = parsed.get(text) ?? { nodes: parseInline(text).nodes, ids: new Map() };
    const out: Run[] = [];
    const visit = (list: InlineNode[]) => {
      for (const n of list) {
        if (n.t === 'text') out.push({ text: n.text });
        else if (n.t === 'ctx') out.push({ text: ctxText(n.name) });
        else if (n.t === 'fig') {
          const pid = p.ids.get(n)!;
          const d = display.get(pid)!;
          out.push(d.missing ? { text: d.text, ref: pid, missing: true } : { text: d.text, ref: pid });
        } else if (n.t === 'field') {
          const f = fieldByName.get(n.field.name);
          const v = f?.value;
          out.push(v === null || v === undefined ? { text: `［待填：${n.field.label}］`, ref: `field:${n.field.name}`, missing: true } : { text: `${v}`, ref: `field:${n.field.name}` });
        } else if (n.t === 'if') {
          if (display.get(p.ids.get(n)!)?.show) visit(n.children);
        }
      }
    };
    visit(p.nodes);
    return dropSentences(out, removed);
  };
  const plain = (text: string) => runsOf(text).map((r) => r.text).join('');

  const narratives: NarrativeView[] = narrativeList(t).map((n) => ({ ...n, html: state.narratives[n.id] ?? '' }));
  const narrativeIds = [...narratives];
  const blockers: string[] = [];
  const renderSections = (ss: TemplateSection[]): RenderedSection[] => {
    const out: RenderedSection[] = [];
    for (const s of ss) {
      const blocks: RenderedBlock[] = [];
      for (const b of s.blocks) {
        if (b.type === 'paragraph') {
          const runs = runsOf(b.text);
          if (runs.some((r) => r.text.trim())) blocks.push({ kind: 'paragraph', runs });
        } else if (b.type === 'narrative') {
          const n = narrativeIds.shift()!;
          const text = htmlToText(n.html);
          if (!text) blocks.push({ kind: 'paragraph', runs: [{ text: `［待撰写：${n.label}］`, ref: `narrative:${n.id}`, missing: true }] });
          else for (const line of text.split('\n')) blocks.push({ kind: 'paragraph', runs: [{ text: line, ref: `narrative:${n.id}` }] });
        } else if (b.type === 'table') {
          const tb = tables.shift()!;
          const rows = input.children.map((ch, i) => [ch.name, ...tb.cols.map((c, j) => {
            const v = values[tb.reqs[i]![j]!.key];
            const raw = pick(v, c.fig);
            const def = getFigure(c.fig.id);
            const fmt = c.fig.format ?? defaultFormat(def?.unit ?? 'count');
            return raw === null ? '—' : (fmt === 'yoy' ? formatValue(raw, 'integer') : formatValue(raw, fmt)) ?? '—';
          })]);
          blocks.push({ kind: 'table', title: b.title, columns: ['组织', ...tb.cols.map((c) => c.label)], rows });
        } else if (b.type === 'chart') {
          const ch = charts.shift()!;
          const v = values[ch.req.key];
          const def = getFigure(b.fig.id);
          const unit = def?.unit ?? 'count';
          const items = v?.status === 'ok' ? v.breakdown ?? [] : [];
          blocks.push({
            kind: 'chart', title: b.title, chart: b.chart, categories: items.map((x) => x.label),
            values: items.map((x) => (unit === 'fen' ? x.value / 100 : x.value)), unit: unit === 'count' ? '' : unitLabel(unit), // a count's noun (人, 个, 次) is the figure's, not the chart's
          });
        } else if (b.type === 'block') {
          const lines = b.name === 'lastYearReview' ? input.extras.lastYearReview.map((text) => ({ text, ref: undefined as string | undefined }))
            : b.name === 'problemCandidates' ? input.extras.problemCandidates.filter((c) => !removed.has(c.id)).map((c, i) => ({ text: `${i + 1}. ${c.text}`, ref: c.id }))
            // last year's plan is a checklist for the author while drafting; the finalized document keeps what was written
            : opts.status === 'draft' ? input.extras.lastYearPlan.map((text) => ({ text: `□ 上年计划：${text}`, ref: undefined })) : [];
          for (const l of lines) blocks.push({ kind: 'paragraph', runs: [l.ref ? { text: l.text, ref: l.ref } : { text: l.text }] });
        }
      }
      out.push({ heading: plain(s.heading), level: s.level, blocks });
      if (s.sections) out.push(...renderSections(s.sections));
    }
    return out;
  };
  const sections = renderSections(t.sections);

  for (const p of placeholders) {
    if (p.status === 'missing') blockers.push(`指标「${p.label}」（${p.id}）没有数据：请补充数值并说明来源，或删除该句`);
  }
  for (const f of fields) if (f.status === 'empty') blockers.push(`填报项「${f.label}」尚未填写`);
  for (const n of narratives) if (!htmlToText(n.html)) blockers.push(`「${n.label}」尚未撰写`);

  // appendix: one row per figure and period (the breakdowns of one figure share its total and evidence)
  const appendix: AppendixRow[] = [];
  const appendixKeys: string[] = [];
  const seen = new Set<string>();
  for (const p of placeholders) {
    if (!p.requestKey || p.status === 'removed') continue;
    const req = requests.find((r) => r.key === p.requestKey)!;
    const rowKey = `${p.figureId}|${req.from}|${req.to}`;
    if (seen.has(rowKey)) continue;
    seen.add(rowKey);
    appendixKeys.push(p.requestKey);
    const def = getFigure(p.figureId!);
    const v = values[p.requestKey]!;
    const rawTotal = v.status === 'ok' ? v.value : null;
    const fmt = defaultFormat(def?.unit ?? 'count');
    appendix.push({
      figureId: p.figureId!, label: def?.label ?? p.figureId!, definition: def?.definition ?? '', period: `${req.from} 至 ${req.to}`,
      value: rawTotal === null ? (p.status === 'override' ? `${p.display}（人工填报：${p.reason ?? ''}）` : '无数据') : formatValue(rawTotal, fmt) ?? '',
      evidenceCount: v.evidenceCount, digest: opts.digests?.[p.requestKey] ?? '',
    });
  }

  const rendered: RenderedReport = {
    title: plain(t.title), orgName: org.name, year, status: opts.status,
    ...(t.salutation ? { salutation: plain(t.salutation) } : {}),
    sections, closing: (t.closing ?? []).map(plain).filter(Boolean),
    ...(t.signature ? { signature: { orgName: org.name, date: opts.signatureDate ?? input.today } } : {}),
    appendix,
  };
  return { placeholders, narratives, fields, requests, values, rendered, blockers, appendixKeys };
}
