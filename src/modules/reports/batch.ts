import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/connection.js';
import type { AppContext } from '../../platform/context.js';
import type { Actor } from '../../platform/audit.js';
import { holdersOf } from '../../platform/figures.js';
import { pathPredicate, type Scope } from '../../platform/scope.js';
import { write } from '../../platform/write.js';
import type { ReportTemplate } from './contract.js';
import { evaluateReport, reportRequests, type ChildOrg, type ExtraBlocks, type OrgInfo, type ReportState } from './engine.js';
import { computeRequestsByOrg } from './requests.js';
import {
  FINDING_CANDIDATE_ORDER, createReport, getTemplate, lastYearPlanOf, lastYearReviewLines, problemsOf, type LastYearReview,
} from './service.js';

/**
 * Drafting many reports at once (the county job, issue 13 item 9). The same drafts as createReport()
 * one by one — same values, text, candidates and audit entries (batch.int.test.ts compares them) — but
 * each figure of the templates is computed for every org in one grouped pass (computeRequestsByOrg),
 * the orgs, children, last year's review and candidates are read in a few set-based queries, and the
 * drafts are inserted `CHUNK` at a time, one transaction per chunk. An org that already has a report
 * for the year is skipped inside the chunk's transaction (a re-run never duplicates a draft). A chunk
 * that fails is retried org by org through createReport so one bad org fails alone.
 */
export interface DraftItem { orgId: number; templateKey: string }
const CHUNK = 250;
const J = <T,>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

/** Org facts, children and extra blocks of every org of the subtree `s`, in a handful of queries. */
async function loadContext(db: Db, tenantId: number, s: Scope, year: number, today: string, wanted: Set<number>) {
  const orgRows = await rows<{ id: number; name: string; path: string; kind: string; parent_id: number | null; parent_name: string | null; sort_order: number; dissolved_on: string | null }>(db, sql`
    select o.id, o.name, o.path, o.kind, o.parent_id, p.name as parent_name, o.sort_order, o.dissolved_on::text as dissolved_on
    from orgs o left join orgs p on p.id = o.parent_id where o.tenant_id = ${tenantId} and ${pathPredicate(sql`o.path`, s)} order by o.sort_order, o.id`);
  const orgs = new Map<number, OrgInfo>();
  const children = new Map<number, ChildOrg[]>();
  const yearStart = `${year}-01-01`;
  for (const o of orgRows) {
    const id = Number(o.id);
    if (wanted.has(id)) orgs.set(id, { id, name: o.name, path: o.path, parentName: o.parent_name });
    // childOrgs(): not dissolved before the year, no party groups, by sort order then id
    if (o.parent_id !== null && o.kind !== 'partyGroup' && (o.dissolved_on === null || o.dissolved_on >= yearStart)) {
      const list = children.get(Number(o.parent_id)) ?? [];
      list.push({ id, name: o.name, path: o.path });
      children.set(Number(o.parent_id), list);
    }
  }
  const inSubtree = sql`(select id from orgs where tenant_id = ${tenantId} and ${pathPredicate(sql`path`, s)})`;
  // lastYearReview()
  const lastFinal = await rows<{ org_id: number; id: number; narratives: unknown; template: unknown }>(db, sql`
    select distinct on (org_id) org_id, id, narratives, template from reports
    where tenant_id = ${tenantId} and org_id in ${inSubtree} and year = ${year - 1} and status = 'final' order by org_id, report_version desc`);
  const comments = await rows<{ org_id: number; id: number; grade: string; strengths: string; problems: string; reviewer_label: string }>(db, sql`
    select c.org_id, c.id, c.grade, c.strengths, c.problems, c.reviewer_label from report_comments c
    where c.tenant_id = ${tenantId} and c.org_id in ${inSubtree} and c.year = ${year - 1} order by c.id`);
  const items = await rows<{ org_id: number; id: number; problem: string; deadline: string; closed: boolean; closed_on: string | null; close_note: string | null }>(db, sql`
    select org_id, id, problem, deadline, closed, closed_on, close_note from rectification_items
    where tenant_id = ${tenantId} and org_id in ${inSubtree} and year = ${year - 1} order by id`);
  // candidates(): open findings and open items of each org's subtree, 30 each, in the single path's order
  const findings = await rows<{ id: number; message: string; severity: string; rule_id: string; org_path: string }>(db, sql`
    select id, message, severity, rule_id, org_path from findings where tenant_id = ${tenantId} and ${pathPredicate(sql`org_path`, s)} and status = 'open'
    and rule_id <> 'reports.rectification.open' order by ${FINDING_CANDIDATE_ORDER}`);
  const openItems = await rows<{ id: number; problem: string; deadline: string; org_path: string }>(db, sql`
    select id, problem, deadline, org_path from rectification_items where tenant_id = ${tenantId} and ${pathPredicate(sql`org_path`, s)} and not closed order by deadline, id`);

  const paths = [...orgs.values()].map((o) => o.path);
  const holders = holdersOf(paths);
  const capped = <T extends { org_path: string }>(list: T[]) => {
    const out = new Map<string, T[]>();
    for (const x of list) for (const p of holders(x.org_path)) {
      const l = out.get(p) ?? [];
      if (l.length < 30) { l.push(x); out.set(p, l); }
    }
    return out;
  };
  const findingsOf = capped(findings);
  const itemsOf = capped(openItems);
  const group = <T extends { org_id: number }>(list: T[]) => {
    const m = new Map<number, T[]>();
    for (const x of list) m.set(Number(x.org_id), [...(m.get(Number(x.org_id)) ?? []), x]);
    return m;
  };
  const lastOf = new Map(lastFinal.map((r) => [Number(r.org_id), r]));
  const commentsOf = group(comments);
  const itemsOfOrg = group(items);
  const extras = new Map<number, ExtraBlocks>();
  for (const org of orgs.values()) {
    const last = lastOf.get(org.id);
    const review: LastYearReview = {
      reportId: last ? Number(last.id) : null,
      comments: (commentsOf.get(org.id) ?? []).map((c) => ({ id: Number(c.id), grade: c.grade, strengths: c.strengths, problems: c.problems, reviewer: c.reviewer_label })),
      rectifications: (itemsOfOrg.get(org.id) ?? []).map((i) => ({ id: Number(i.id), problem: i.problem, deadline: i.deadline, closed: i.closed, closedOn: i.closed_on, note: i.close_note })),
    };
    extras.set(org.id, {
      lastYearReview: lastYearReviewLines(review, year, today),
      problemCandidates: problemsOf(findingsOf.get(org.path) ?? [], itemsOf.get(org.path) ?? []),
      lastYearPlan: lastYearPlanOf(last ? { narratives: J(last.narratives), template: J(last.template) } : null),
    });
  }
  return { orgs, children, extras };
}

/**
 * Draft a report for every item (orgs inside `s`) for the year; `progress(done)` after each chunk.
 * Returns the org ids that failed.
 */
export async function draftReports(ctx: AppContext, s: Scope, actor: Actor, items: DraftItem[], year: number, progress: (done: number) => Promise<void> = async () => {}) {
  const tenantId = s.tenantId;
  const today = ctx.clock.today();
  const t0 = performance.now();
  const templates = new Map<string, ReportTemplate>();
  for (const key of new Set(items.map((i) => i.templateKey))) templates.set(key, await getTemplate(ctx.db, tenantId, key));
  const { orgs, children, extras } = await loadContext(ctx.db, tenantId, s, year, today, new Set(items.map((i) => i.orgId)));
  const tContext = performance.now();
  const plan = items.filter((i) => orgs.has(i.orgId)).map((i) => ({ ...i, org: orgs.get(i.orgId)!, children: children.get(i.orgId) ?? [], template: templates.get(i.templateKey)! }));
  const values = await computeRequestsByOrg(ctx.db, s, today, plan.flatMap((p) => reportRequests(p.template, year, p.org, p.children)));
  const tFigures = performance.now();
  const failed = items.filter((i) => !orgs.has(i.orgId)).map((i) => i.orgId);
  const state: ReportState = { narratives: {}, fields: {}, overrides: {} };
  let done = 0;
  let evaluateMs = 0;
  let insertMs = 0;
  for (let at = 0; at < plan.length; at += CHUNK) {
    const chunk = plan.slice(at, at + CHUNK);
    try {
      await write(ctx, tenantId, actor, async (w) => {
        const ids = chunk.map((p) => p.orgId);
        const existing = new Set((await rows<{ org_id: number }>(w.tx, sql`select org_id from reports where tenant_id = ${tenantId} and year = ${year}
          and org_id in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`)).map((r) => Number(r.org_id)));
        const todo = chunk.filter((p) => !existing.has(p.orgId));
        if (!todo.length) return;
        const tuples = [];
        const e0 = performance.now();
        for (const p of todo) {
          const out = await evaluateReport({ db: w.tx, tenantId, today, org: p.org, children: p.children, year, template: p.template, state, extras: extras.get(p.orgId)!, values }, { status: 'draft', withEvidence: true });
          tuples.push(sql`(${tenantId}, ${p.orgId}, ${p.org.path}, ${year}, ${p.template.key}, ${p.template.version}, ${JSON.stringify(p.template)}::jsonb, 1, 'draft', ${out.rendered.title},
            ${JSON.stringify(out.placeholders)}::jsonb, '{}'::jsonb, '{}'::jsonb, '{}'::jsonb, ${JSON.stringify(out.rendered)}::jsonb, ${w.now}, ${w.now}, ${w.now})`);
        }
        const i0 = performance.now();
        evaluateMs += i0 - e0;
        const inserted = await rows<{ id: number; org_id: number }>(w.tx, sql`insert into reports (tenant_id, org_id, org_path, year, template_key, template_version, template, report_version, status, title,
            placeholders, narratives, fields, overrides, rendered, evaluated_at, created_at, updated_at) values ${sql.join(tuples, sql`, `)} returning id, org_id`);
        insertMs += performance.now() - i0;
        const idOf = new Map(inserted.map((r) => [Number(r.org_id), Number(r.id)]));
        for (const p of todo) {
          w.audit({ action: 'create', entity: 'report', entityId: idOf.get(p.orgId)!, orgId: p.orgId, after: { year, templateKey: p.template.key, templateVersion: p.template.version } });
        }
      });
    } catch (e) {
      console.error(`drafting a chunk of ${chunk.length} reports failed, retrying one by one:`, e);
      for (const p of chunk) {
        try {
          await write(ctx, tenantId, actor, async (w) => {
            const has = await rows(w.tx, sql`select 1 from reports where tenant_id = ${tenantId} and org_id = ${p.orgId} and year = ${year} limit 1`);
            if (!has.length) await createReport(w, s, { orgId: p.orgId, year, templateKey: p.templateKey });
          });
        } catch (e2) {
          failed.push(p.orgId);
          console.error(`drafting the report of org ${p.orgId} failed:`, e2);
        }
      }
    }
    done += chunk.length;
    await progress(done);
  }
  // phases in ms (the benchmark prints them)
  const timings = { contextMs: tContext - t0, figuresMs: tFigures - tContext, draftMs: performance.now() - tFigures, evaluateMs, insertMs };
  return { failed, timings };
}
