import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { one, rows, type Db } from '../../db/connection.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { evidenceDigest, getFigure } from '../../platform/figures.js';
import { sanitizeHtml } from '../../platform/sanitizer.js';
import { defineSetting, getSetting } from '../../platform/settings.js';
import { inScope, narrowToOrg, pathPredicate, type Scope } from '../../platform/scope.js';
import type { WriteCtx } from '../../platform/write.js';
import { DEFAULT_GRADES, reportTemplate, type ReportTemplate, type TemplateSaveInput } from './contract.js';
import {
  allEvidence, digestsFor, evaluateReport, htmlToText, queryOf, requestFromKey, scopeForPath,
  type ChildOrg, type EvalOutput, type ExtraBlocks, type OrgInfo, type PlaceholderState, type ReportState,
} from './engine.js';
import { formatTemplateErrors, validateTemplate } from './template.js';
import { SHIPPED_TEMPLATES } from './templates/index.js';

/**
 * Reports service (issue 13): templates (shipped in code + tenant-saved versions), drafts evaluated
 * through the figure registry, edits, finalize (frozen text, values and evidence digests), versions.
 */
export const REPORT_SETTINGS = {
  grades: defineSetting<string[]>({
    key: 'reports.grades', label: '述职评议等次（从高到低）',
    schema: z.array(z.string().trim().min(1).max(20)).min(2).max(10), default: DEFAULT_GRADES,
    source: 'DOMAIN.md §9.1（好/较好/一般/差，各地不一）', mark: 'UNVERIFIED',
  }),
  defaultTemplates: defineSetting<Record<string, string>>({
    key: 'reports.defaultTemplates', label: '各类组织默认使用的报告模板（组织类型 → 模板标识），县级批量起草时使用',
    schema: z.record(z.string(), z.string().max(60)), default: {},
    source: 'DOMAIN.md §9.1（述职评议考核逐级开展）', mark: 'LOCAL',
  }),
};

// ─── Templates ──────────────────────────────────────────────────────────────

type TemplateRow = { key: string; template_version: number; body: ReportTemplate };

async function savedTemplates(db: Db, tenantId: number, key?: string): Promise<ReportTemplate[]> {
  const r = await rows<TemplateRow>(db, sql`select key, template_version, body from report_templates where tenant_id = ${tenantId} ${key ? sql`and key = ${key}` : sql``} order by key, template_version`);
  return r.map((x) => ({ ...(typeof x.body === 'string' ? JSON.parse(x.body) : x.body), key: x.key, version: x.template_version }));
}

export async function allTemplateVersions(db: Db, tenantId: number, key?: string): Promise<ReportTemplate[]> {
  const shipped = SHIPPED_TEMPLATES.filter((t) => !key || t.key === key);
  const saved = await savedTemplates(db, tenantId, key);
  const byKeyVersion = new Map<string, ReportTemplate>();
  for (const t of [...shipped, ...saved]) byKeyVersion.set(`${t.key}@${t.version}`, t);
  return [...byKeyVersion.values()];
}

export async function listTemplates(db: Db, tenantId: number) {
  const latest = new Map<string, ReportTemplate>();
  for (const t of await allTemplateVersions(db, tenantId)) {
    const cur = latest.get(t.key);
    if (!cur || cur.version < t.version) latest.set(t.key, t);
  }
  return [...latest.values()].sort((a, b) => a.key.localeCompare(b.key))
    .map((t) => ({ key: t.key, name: t.name, kind: t.kind, orgKinds: t.orgKinds, version: t.version }));
}

export async function getTemplate(db: Db, tenantId: number, key: string, version?: number): Promise<ReportTemplate> {
  const all = (await allTemplateVersions(db, tenantId, key)).sort((a, b) => b.version - a.version);
  const t = version ? all.find((x) => x.version === version) : all[0];
  if (!t) throw notFound('报告模板');
  return t;
}

export function templateErrors(input: unknown): string[] {
  return formatTemplateErrors(validateTemplate(input, getFigure));
}

/** Save a new version (latest + 1) of a template; 400 with the Chinese list of errors. */
export async function saveTemplate(w: WriteCtx, input: TemplateSaveInput, copiedFrom?: string) {
  const existing = await allTemplateVersions(w.tx, w.tenantId, input.key);
  const version = existing.reduce((m, t) => Math.max(m, t.version), 0) + 1;
  const tpl = { ...input, version };
  const errors = templateErrors(tpl);
  if (errors.length) throw invalid(`模板有 ${errors.length} 处错误：${errors[0]}`, Object.fromEntries(errors.map((e, i) => [`error${i + 1}`, e])));
  const parsed = reportTemplate.parse(tpl);
  const r = await one<{ id: number }>(w.tx, sql`insert into report_templates (tenant_id, key, template_version, name, kind, body, copied_from, created_by, created_at, updated_at)
    values (${w.tenantId}, ${parsed.key}, ${version}, ${parsed.name}, ${parsed.kind}, ${JSON.stringify(parsed)}::jsonb, ${copiedFrom ?? null}, ${w.actor.label}, ${w.now}, ${w.now}) returning id`);
  w.audit({ action: 'create', entity: 'reportTemplate', entityId: r!.id, after: { key: parsed.key, version, name: parsed.name, copiedFrom: copiedFrom ?? null } });
  return { key: parsed.key, version };
}

// ─── Orgs and extra blocks ──────────────────────────────────────────────────

export async function orgInfo(db: Db, tenantId: number, orgId: number): Promise<OrgInfo & { kind: string }> {
  const o = await one<{ id: number; name: string; path: string; kind: string; parent_name: string | null }>(db, sql`
    select o.id, o.name, o.path, o.kind, p.name as parent_name from orgs o left join orgs p on p.id = o.parent_id where o.id = ${orgId} and o.tenant_id = ${tenantId}`);
  if (!o) throw notFound('组织');
  return { id: Number(o.id), name: o.name, path: o.path, kind: o.kind, parentName: o.parent_name };
}

export async function childOrgs(db: Db, tenantId: number, orgId: number, year: number): Promise<ChildOrg[]> {
  const r = await rows<{ id: number; name: string; path: string }>(db, sql`
    select id, name, path from orgs where tenant_id = ${tenantId} and parent_id = ${orgId} and (dissolved_on is null or dissolved_on >= ${`${year}-01-01`})
    and kind <> 'partyGroup' order by sort_order, id`);
  return r.map((x) => ({ id: Number(x.id), name: x.name, path: x.path }));
}

export interface LastYearReview {
  reportId: number | null;
  comments: { id: number; grade: string; strengths: string; problems: string; reviewer: string }[];
  rectifications: { id: number; problem: string; deadline: string; closed: boolean; closedOn: string | null; note: string | null }[];
}

export async function lastYearReview(db: Db, tenantId: number, orgId: number, year: number): Promise<LastYearReview> {
  const rep = await one<{ id: number }>(db, sql`select id from reports where tenant_id = ${tenantId} and org_id = ${orgId} and year = ${year - 1} and status = 'final' order by report_version desc limit 1`);
  const comments = await rows<{ id: number; grade: string; strengths: string; problems: string; reviewer_label: string }>(db, sql`
    select c.id, c.grade, c.strengths, c.problems, c.reviewer_label from report_comments c where c.tenant_id = ${tenantId} and c.org_id = ${orgId} and c.year = ${year - 1} order by c.id`);
  const items = await rows<{ id: number; problem: string; deadline: string; closed: boolean; closed_on: string | null; close_note: string | null }>(db, sql`
    select id, problem, deadline, closed, closed_on, close_note from rectification_items where tenant_id = ${tenantId} and org_id = ${orgId} and year = ${year - 1} order by id`);
  return {
    reportId: rep ? Number(rep.id) : null,
    comments: comments.map((c) => ({ id: Number(c.id), grade: c.grade, strengths: c.strengths, problems: c.problems, reviewer: c.reviewer_label })),
    rectifications: items.map((i) => ({ id: Number(i.id), problem: i.problem, deadline: i.deadline, closed: i.closed, closedOn: i.closed_on, note: i.close_note })),
  };
}

const CN_INDEX = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
export function lastYearReviewLines(r: LastYearReview, year: number, today: string): string[] {
  const out: string[] = [];
  if (!r.comments.length && !r.rectifications.length) return [`${year - 1}年度无上级党组织点评意见和整改事项。`];
  for (const c of r.comments) {
    out.push(`${c.reviewer}对${year - 1}年度述职的评定等次为“${c.grade}”。指出的主要问题：${c.problems}`);
  }
  r.rectifications.forEach((i, k) => {
    const state = i.closed ? `已整改销号（${i.closedOn}）${i.note ? `：${i.note}` : ''}` : i.deadline < today ? `逾期未完成整改（整改期限${i.deadline}）` : `正在整改（整改期限${i.deadline}）`;
    out.push(`（${CN_INDEX[k] ?? k + 1}）${i.problem}——${state}。`);
  });
  return out;
}

type FindingRow = { id: number; message: string; severity: string; rule_id: string };
type OpenItemRow = { id: number; problem: string; deadline: string };
/** Candidate problems: open findings of the subtree (violations first), then its open rectification items (≤ 30 each). */
export const problemsOf = (findings: FindingRow[], items: OpenItemRow[]) => [
  ...findings.map((f) => ({ id: `cand-finding-${f.id}`, source: f.severity === 'overdue' ? 'overdueObligation' : 'finding', text: f.message })),
  ...items.map((i) => ({ id: `cand-rect-${i.id}`, source: 'rectification', text: `${i.problem}（整改期限${i.deadline}，尚未销号）` })),
];
export const FINDING_CANDIDATE_ORDER = sql`case severity when 'violation' then 0 when 'overdue' then 1 when 'case' then 2 else 3 end, id`;

/** Last year's plan: the narratives of last year's final report whose label names a plan. */
export function lastYearPlanOf(last: { narratives: Record<string, string>; template: ReportTemplate } | null | undefined): string[] {
  const lastYearPlan: string[] = [];
  if (last) {
    const labels: string[] = [];
    const walk = (ss: ReportTemplate['sections']) => { for (const s of ss) { for (const b of s.blocks) if (b.type === 'narrative') labels.push(b.label); if (s.sections) walk(s.sections); } };
    walk(last.template.sections);
    labels.forEach((label, i) => {
      if (/计划|打算|思路|目标|下一年|明年|重点工作/.test(label)) lastYearPlan.push(...htmlToText(last.narratives[`n${i + 1}`] ?? '').split('\n').filter(Boolean));
    });
  }
  return lastYearPlan;
}

export async function candidates(db: Db, tenantId: number, org: OrgInfo, year: number) {
  const findings = await rows<FindingRow>(db, sql`
    select id, message, severity, rule_id from findings where tenant_id = ${tenantId} and org_path like ${`${org.path}%`} and status = 'open'
    and rule_id <> 'reports.rectification.open' order by ${FINDING_CANDIDATE_ORDER} limit 30`);
  const items = await rows<OpenItemRow>(db, sql`
    select id, problem, deadline from rectification_items where tenant_id = ${tenantId} and org_path like ${`${org.path}%`} and not closed order by deadline, id limit 30`);
  const last = await one<{ narratives: Record<string, string>; template: ReportTemplate }>(db, sql`
    select narratives, template from reports where tenant_id = ${tenantId} and org_id = ${org.id} and year = ${year - 1} and status = 'final' order by report_version desc limit 1`);
  return { problems: problemsOf(findings, items), lastYearPlan: lastYearPlanOf(last) };
}

async function extrasFor(db: Db, tenantId: number, org: OrgInfo, year: number, today: string): Promise<ExtraBlocks & { review: LastYearReview; cands: Awaited<ReturnType<typeof candidates>> }> {
  const review = await lastYearReview(db, tenantId, org.id, year);
  const cands = await candidates(db, tenantId, org, year);
  return { review, cands, lastYearReview: lastYearReviewLines(review, year, today), problemCandidates: cands.problems, lastYearPlan: cands.lastYearPlan };
}

// ─── Reports ────────────────────────────────────────────────────────────────

interface ReportRow {
  id: number; tenant_id: number; org_id: number; org_path: string; year: number; template_key: string; template_version: number;
  template: ReportTemplate; report_version: number; previous_id: number | null; status: 'draft' | 'final'; title: string;
  placeholders: PlaceholderState[]; narratives: Record<string, string>; fields: ReportState['fields']; overrides: ReportState['overrides'];
  digests: Record<string, string> | null; rendered: EvalOutput['rendered']; evaluated_at: string; finalized_at: string | null; finalized_by: string | null;
  version: number; created_at: string; updated_at: string;
}
const J = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
const fix = (r: ReportRow): ReportRow => ({
  ...r, id: Number(r.id), org_id: Number(r.org_id), template: J(r.template), placeholders: J(r.placeholders), narratives: J(r.narratives),
  fields: J(r.fields), overrides: J(r.overrides), digests: J(r.digests), rendered: J(r.rendered),
});

export async function loadReport(db: Db, scope: Scope, id: number): Promise<ReportRow> {
  const r = await one<ReportRow>(db, sql`select * from reports where id = ${id} and tenant_id = ${scope.tenantId} and ${pathPredicate(sql`org_path`, scope)}`);
  if (!r) throw notFound('报告');
  return fix(r);
}

async function evaluate(db: Db, tenantId: number, today: string, row: { org_id: number; year: number; template: ReportTemplate }, state: ReportState, opts: Parameters<typeof evaluateReport>[1]) {
  const org = await orgInfo(db, tenantId, row.org_id);
  const children = await childOrgs(db, tenantId, org.id, row.year);
  const extras = await extrasFor(db, tenantId, org, row.year, today);
  const out = await evaluateReport({ db, tenantId, today, org, children, year: row.year, template: row.template, state, extras }, opts);
  return { out, extras, org };
}

/** Create a draft: every placeholder evaluated through the registry in the org's subtree. */
export async function createReport(w: WriteCtx, scope: Scope, input: { orgId: number; year: number; templateKey: string }, opts: { withEvidence?: boolean } = {}) {
  const s = await narrowToOrg(w.tx, scope, input.orgId);
  if (!inScope(scope, s.orgPath)) throw notFound('组织');
  const template = await getTemplate(w.tx, w.tenantId, input.templateKey);
  const state: ReportState = { narratives: {}, fields: {}, overrides: {} };
  const { out } = await evaluate(w.tx, w.tenantId, w.today, { org_id: input.orgId, year: input.year, template }, state, { status: 'draft', withEvidence: opts.withEvidence ?? true });
  const r = await one<{ id: number }>(w.tx, sql`insert into reports (tenant_id, org_id, org_path, year, template_key, template_version, template, report_version, status, title,
      placeholders, narratives, fields, overrides, rendered, evaluated_at, created_at, updated_at)
    values (${w.tenantId}, ${input.orgId}, ${s.orgPath}, ${input.year}, ${template.key}, ${template.version}, ${JSON.stringify(template)}::jsonb, 1, 'draft', ${out.rendered.title},
      ${JSON.stringify(out.placeholders)}::jsonb, '{}'::jsonb, '{}'::jsonb, '{}'::jsonb, ${JSON.stringify(out.rendered)}::jsonb, ${w.now}, ${w.now}, ${w.now}) returning id`);
  w.audit({ action: 'create', entity: 'report', entityId: r!.id, orgId: input.orgId, after: { year: input.year, templateKey: template.key, templateVersion: template.version } });
  return { id: Number(r!.id) };
}

const stateOf = (r: ReportRow): ReportState => ({ narratives: r.narratives ?? {}, fields: r.fields ?? {}, overrides: r.overrides ?? {} });

async function reEvaluate(w: WriteCtx, r: ReportRow, state: ReportState, action: string, after: unknown) {
  if (r.status !== 'draft') throw conflict('报告已定稿，不能修改；如需修改请生成新版本');
  const { out } = await evaluate(w.tx, w.tenantId, w.today, r, state, { status: 'draft' });
  await w.tx.execute(sql`update reports set placeholders = ${JSON.stringify(out.placeholders)}::jsonb, narratives = ${JSON.stringify(state.narratives)}::jsonb,
    fields = ${JSON.stringify(state.fields)}::jsonb, overrides = ${JSON.stringify(state.overrides)}::jsonb, rendered = ${JSON.stringify(out.rendered)}::jsonb,
    title = ${out.rendered.title}, evaluated_at = ${w.now}, version = version + 1, updated_at = ${w.now} where id = ${r.id}`);
  w.audit({ action: 'update', entity: 'report', entityId: r.id, orgId: r.org_id, meta: { change: action }, after });
  return { id: r.id };
}

export async function refreshReport(w: WriteCtx, scope: Scope, id: number) {
  const r = await loadReport(w.tx, scope, id);
  return reEvaluate(w, r, stateOf(r), 'refresh', null);
}

export async function setNarrative(w: WriteCtx, scope: Scope, id: number, nid: string, html: string) {
  const r = await loadReport(w.tx, scope, id);
  const { out } = await evaluate(w.tx, w.tenantId, w.today, r, stateOf(r), { status: 'draft', withEvidence: false });
  if (!out.narratives.some((n) => n.id === nid)) throw notFound('叙述段落');
  const clean = sanitizeHtml(html);
  return reEvaluate(w, r, { ...stateOf(r), narratives: { ...r.narratives, [nid]: clean } }, 'narrative', { nid, length: clean.length });
}

export async function setField(w: WriteCtx, scope: Scope, id: number, name: string, input: { value: number | string | null; reason?: string }) {
  const r = await loadReport(w.tx, scope, id);
  const { out } = await evaluate(w.tx, w.tenantId, w.today, r, stateOf(r), { status: 'draft', withEvidence: false });
  const f = out.fields.find((x) => x.name === name);
  if (!f) throw notFound('填报项');
  let value = input.value;
  if (value !== null && f.type && f.type !== 'text') {
    const n = typeof value === 'number' ? value : Number(String(value).trim());
    if (!Number.isFinite(n) || (f.type === 'integer' && !Number.isInteger(n))) throw invalid(`「${f.label}」应为${f.type === 'integer' ? '整数' : '数字'}`, { value: '格式不正确' });
    value = n;
  }
  if (typeof value === 'string' && /<[a-zA-Z!/?]/.test(value)) throw invalid(`「${f.label}」不能包含 HTML 标记`, { value: '不能包含 HTML 标记' });
  return reEvaluate(w, r, { ...stateOf(r), fields: { ...r.fields, [name]: { value, reason: input.reason } } }, 'field', { name, value, reason: input.reason ?? null });
}

export async function setOverride(w: WriteCtx, scope: Scope, id: number, pid: string, input: { removed: true; reason?: string } | { value: number | string; reason: string }) {
  const r = await loadReport(w.tx, scope, id);
  const known = r.placeholders.some((p) => p.id === pid) || (pid.startsWith('cand-') && 'removed' in input);
  if (!known) throw notFound('占位符');
  if ('value' in input) {
    const p = r.placeholders.find((x) => x.id === pid)!;
    if (p.status === 'ok') throw conflict('该指标已有系统计算的数值，不能人工覆盖');
    if (typeof input.value === 'string' && /<[a-zA-Z!/?]/.test(input.value)) throw invalid('数值不能包含 HTML 标记');
  }
  const overrides = { ...r.overrides, [pid]: 'removed' in input ? { removed: true, reason: input.reason } : { value: input.value, reason: input.reason } };
  return reEvaluate(w, r, { ...stateOf(r), overrides }, 'override', { pid, ...input });
}

/** Finalize: refused (409 with the list) while anything is missing or empty; freezes text, values, digests. */
export async function finalizeReport(w: WriteCtx, scope: Scope, id: number) {
  const r = await loadReport(w.tx, scope, id);
  if (r.status !== 'draft') throw conflict('报告已定稿');
  const { out } = await evaluate(w.tx, w.tenantId, w.today, r, stateOf(r), { status: 'final', signatureDate: w.today });
  if (out.blockers.length) throw conflict(`报告还有 ${out.blockers.length} 项未完成，不能定稿`, { blocking: out.blockers });
  // every placeholder's evidence is frozen (the appendix shows one row per figure and period)
  const keys = [...new Set([...out.appendixKeys, ...out.placeholders.filter((p) => p.requestKey && p.status !== 'removed').map((p) => p.requestKey!)])];
  const digests = await digestsFor(w.tx, w.tenantId, w.today, keys);
  out.rendered.appendix = out.rendered.appendix.map((a, i) => ({ ...a, digest: digests[out.appendixKeys[i]!] ?? '' }));
  await w.tx.execute(sql`update reports set status = 'final', placeholders = ${JSON.stringify(out.placeholders)}::jsonb, rendered = ${JSON.stringify(out.rendered)}::jsonb,
    digests = ${JSON.stringify(digests)}::jsonb, title = ${out.rendered.title}, evaluated_at = ${w.now}, finalized_at = ${w.now}, finalized_by = ${w.actor.label},
    version = version + 1, updated_at = ${w.now} where id = ${r.id}`);
  w.audit({ action: 'update', entity: 'report', entityId: r.id, orgId: r.org_id, meta: { change: 'finalize' }, after: { status: 'final', digests } });
  return { id: r.id, status: 'final' as const };
}

/** A new draft from a final report (same template snapshot; texts, fields and overrides carried over). */
export async function newVersion(w: WriteCtx, scope: Scope, id: number) {
  const r = await loadReport(w.tx, scope, id);
  if (r.status !== 'final') throw conflict('只有已定稿的报告才能生成新版本');
  const state = stateOf(r);
  const { out } = await evaluate(w.tx, w.tenantId, w.today, r, state, { status: 'draft' });
  const n = await one<{ id: number }>(w.tx, sql`insert into reports (tenant_id, org_id, org_path, year, template_key, template_version, template, report_version, previous_id, status, title,
      placeholders, narratives, fields, overrides, rendered, evaluated_at, created_at, updated_at)
    values (${w.tenantId}, ${r.org_id}, ${r.org_path}, ${r.year}, ${r.template_key}, ${r.template_version}, ${JSON.stringify(r.template)}::jsonb, ${r.report_version + 1}, ${r.id}, 'draft', ${out.rendered.title},
      ${JSON.stringify(out.placeholders)}::jsonb, ${JSON.stringify(state.narratives)}::jsonb, ${JSON.stringify(state.fields)}::jsonb, ${JSON.stringify(state.overrides)}::jsonb,
      ${JSON.stringify(out.rendered)}::jsonb, ${w.now}, ${w.now}, ${w.now}) returning id`);
  w.audit({ action: 'create', entity: 'report', entityId: n!.id, orgId: r.org_id, after: { previousId: r.id, reportVersion: r.report_version + 1 } });
  return { id: Number(n!.id) };
}

const meta = (r: ReportRow) => ({
  id: r.id, orgId: r.org_id, year: r.year, templateKey: r.template_key, templateVersion: r.template_version, reportVersion: r.report_version,
  previousId: r.previous_id, status: r.status, title: r.title, evaluatedAt: r.evaluated_at, finalizedAt: r.finalized_at, finalizedBy: r.finalized_by,
  version: r.version, updatedAt: r.updated_at,
});

export async function listReports(db: Db, scope: Scope, q: { org?: number; year?: number; status?: string }) {
  const s = q.org ? await narrowToOrg(db, scope, q.org) : scope;
  const r = await rows<ReportRow & { org_name: string }>(db, sql`select r.id, r.org_id, r.year, r.template_key, r.template_version, r.report_version, r.previous_id, r.status, r.title,
      r.evaluated_at, r.finalized_at, r.finalized_by, r.version, r.updated_at, o.name as org_name
    from reports r join orgs o on o.id = r.org_id where r.tenant_id = ${scope.tenantId} and ${pathPredicate(sql`r.org_path`, s)}
    ${q.year ? sql`and r.year = ${q.year}` : sql``} ${q.status ? sql`and r.status = ${q.status}` : sql``} order by r.year desc, r.org_path, r.report_version desc limit 1000`);
  return r.map((x) => ({ ...meta({ ...x, id: Number(x.id), org_id: Number(x.org_id) } as ReportRow), orgName: x.org_name }));
}

export async function reportDetail(db: Db, scope: Scope, id: number, today: string) {
  const r = await loadReport(db, scope, id);
  const org = await orgInfo(db, scope.tenantId, r.org_id);
  const extras = await extrasFor(db, scope.tenantId, org, r.year, today);
  const narrativeLabels: { id: string; label: string; hint?: string }[] = [];
  const walk = (ss: ReportTemplate['sections']) => { for (const s of ss) { for (const b of s.blocks) if (b.type === 'narrative') narrativeLabels.push({ id: `n${narrativeLabels.length + 1}`, label: b.label, hint: b.hint }); if (s.sections) walk(s.sections); } };
  walk(r.template.sections);
  return {
    report: { ...meta(r), orgName: org.name },
    rendered: r.rendered,
    placeholders: r.placeholders.map(({ requestKey: _k, format: _f, ...p }) => p),
    narratives: narrativeLabels.map((n) => ({ ...n, html: r.narratives[n.id] ?? '' })),
    fields: r.placeholders.filter((p) => p.status === 'field').map((p) => ({ name: p.fieldName!, label: p.label, value: p.display || null, reason: p.reason ?? null, unit: p.unit })),
    candidates: { problems: extras.cands.problems, lastYearPlan: extras.cands.lastYearPlan },
    lastYearReview: extras.review,
  };
}

/** Live evidence of a placeholder; for a final report also the frozen digest and whether it still matches. */
export async function placeholderEvidence(db: Db, scope: Scope, id: number, pid: string, page: { page: number; pageSize: number }, today: string) {
  const r = await loadReport(db, scope, id);
  const p = r.placeholders.find((x) => x.id === pid);
  if (!p?.requestKey) throw notFound('占位符');
  const req = requestFromKey(p.requestKey);
  const def = getFigure(req.figureId);
  if (!def) throw notFound('数据项');
  const fctx = { db, scope: scopeForPath(scope.tenantId, req.path), today };
  const ev = await def.evidence(fctx, queryOf(req), { offset: (page.page - 1) * page.pageSize, limit: page.pageSize });
  const frozen = r.status === 'final' ? r.digests?.[p.requestKey] ?? null : null;
  const current = frozen ? evidenceDigest(await allEvidence(def, fctx, queryOf(req))) : null;
  return {
    placeholder: { id: p.id, figureId: p.figureId, label: p.label, period: p.period, value: p.value, display: p.display, status: p.status },
    query: { from: req.from, to: req.to, by: req.by ?? null }, total: ev.total, items: ev.items,
    digest: frozen ? { frozen, current, matches: frozen === current } : null,
  };
}

export async function gradeList(db: Db, tenantId: number, orgPath: string) {
  return getSetting(db, tenantId, orgPath, REPORT_SETTINGS.grades);
}
