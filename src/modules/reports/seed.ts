import { sql } from 'drizzle-orm';
import { one, rows } from '../../db/connection.js';
import type { DemoSeedContext } from '../../demo/demoHooks.js';
import type { AuditEntry } from '../../platform/audit.js';
import { systemActor, type WriteCtx } from '../../platform/write.js';
import type { ReportTemplate } from './contract.js';
import type { Scope } from '../../platform/scope.js';
import { createReport, finalizeReport, listTemplates, loadReport, reportDetail, saveTemplate, setField, setNarrative, setOverride } from './service.js';
import { eachField, parseInline, type FieldSpec } from './template.js';

/**
 * Reports demo (issue 13): last year's finalized work summaries of branch1's branch and some other
 * branches, reviewed by their parent org (comments and grades), with rectification items for
 * branch1's branch — one closed (销号), one still open (so it shows on the workbench) — and one for
 * a sibling branch. The template is the shipped one for branches if there is one, else a tenant
 * template saved here (as a county would copy and adapt one).
 */
export const DEMO_TEMPLATE: Omit<ReportTemplate, 'version'> = {
  key: 'demoBranchWorkSummary', name: '党支部年度工作总结（示范县版）', kind: 'workSummary', orgKinds: ['branch', 'jointBranch'],
  title: '{{org}}{{year}}年度工作总结', salutation: '各位党员同志：',
  sections: [
    {
      heading: '一、基本情况', level: 1, blocks: [
        { type: 'paragraph', text: '截至年底，支部共有党员{{fig members.count period=cumulative}}名。全年召开组织生活会议{{fig orgLife.meeting.held}}次{{if fig orgLife.meeting.held period=lastYear}}，{{fig orgLife.meeting.held format=yoy}}{{/if}}，组织生活完成率{{fig orgLife.compliance.rate}}。' },
        { type: 'paragraph', text: '全年开展志愿服务{{field volunteerTimes label="志愿服务次数" reason="系统尚未记录志愿服务" unit=次 type=integer}}次。' },
      ],
    },
    { heading: '二、主要做法和成效', level: 1, blocks: [{ type: 'narrative', label: '主要做法和成效', hint: '结合本支部实际，写清做了什么、效果如何' }] },
    { heading: '三、上年度评议意见整改情况', level: 1, blocks: [{ type: 'block', name: 'lastYearReview' }] },
    { heading: '四、存在的问题', level: 1, blocks: [{ type: 'block', name: 'problemCandidates' }, { type: 'narrative', label: '存在的问题及原因' }] },
    { heading: '五、下一年度工作计划', level: 1, blocks: [{ type: 'narrative', label: '下一年度工作计划' }] },
  ],
  closing: ['以上总结，请予审议。'], signature: true,
};

const SAMPLE = {
  practice: '<p>坚持“三会一课”制度，每月开展主题党日活动。</p><p>组织党员认领网格，常态化走访联系群众。</p>',
  problems: '<p>部分党员参加学习不够经常，学习效果有待提高。</p>',
  plan: '<p>落实“三会一课”，按时召开支委会和党员大会</p><p>每季度讲一次党课</p><p>完成年度民主评议党员</p>',
};

export async function seedReportsDemo(s: DemoSeedContext): Promise<void> {
  const { tx, ins, today } = s;
  const year = Number(today.slice(0, 4)) - 1;
  const root = await one<{ path: string }>(tx, sql`select path from orgs where id = ${ins.orgIds.get(s.fixtures.root)!}`);
  const scope = { tenantId: ins.tenantId, paths: [root!.path], personId: null };
  const entries: AuditEntry[] = [];
  const wctx = (day: string): WriteCtx => ({
    tx, tenantId: ins.tenantId, actor: systemActor, today: day, now: `${day}T02:00:00.000Z`, audit: (e) => entries.push(e), touch: () => undefined,
  });
  const templates = await listTemplates(tx, ins.tenantId);
  const key = templates.find((t) => t.orgKinds.includes('branch'))?.key ?? (await saveTemplate(wctx(`${year}-12-01`), DEMO_TEMPLATE)).key;

  const branch1 = ins.orgIds.get(s.fixtures.branch1)!;
  const b1 = await one<{ parent_id: number; path: string }>(tx, sql`select parent_id, path from orgs where id = ${branch1}`);
  // branch1's branch, its siblings, and the first branch of two other communities
  const others = await rows<{ id: number }>(tx, sql`select id from orgs where tenant_id = ${ins.tenantId} and kind = 'branch' and dissolved_on is null
    and (parent_id = ${b1!.parent_id} or code = 'SFX020101') order by (id = ${branch1}) desc, (code = 'SFX020101'), id`);
  const orgIds = [...new Set([branch1, ...others.map((o) => Number(o.id))])];
  const drafted = `${year + 1}-01-10`;
  const finalized = `${year + 1}-01-15`;
  const reviewed = `${year + 1}-01-25`;
  const grades = ['好', '较好', '较好', '一般'];
  for (const [i, orgId] of orgIds.entries()) {
    const { id } = await createReport(wctx(drafted), scope, { orgId, year, templateKey: key }, { withEvidence: false });
    await fillIn(wctx(drafted), scope, id, 6 + i);
    for (const p of (await loadReport(tx, scope, id)).placeholders.filter((x) => x.status === 'missing')) {
      await setOverride(wctx(drafted), scope, id, p.id, { removed: true, reason: '本年度无此项数据' });
    }
    await finalizeReport(wctx(finalized), scope, id);
    const org = await one<{ org_path: string; parent_id: number; parent_name: string }>(tx, sql`
      select r.org_path, o.parent_id, p.name as parent_name from reports r join orgs o on o.id = r.org_id join orgs p on p.id = o.parent_id where r.id = ${id}`);
    const grade = grades[i % grades.length]!;
    const c = await one<{ id: number }>(tx, sql`insert into report_comments (tenant_id, report_id, org_id, org_path, year, reviewer_org_id, reviewer_label, strengths, problems, grade, created_at, updated_at)
      values (${ins.tenantId}, ${id}, ${orgId}, ${org!.org_path}, ${year}, ${org!.parent_id}, ${org!.parent_name}, ${'组织生活比较规范，党员联系群众较为经常。'},
        ${orgId === branch1 ? '党员学习教育形式单一；支委会会议记录不够规范。' : '个别党员参加组织生活不够经常。'}, ${grade}, ${`${reviewed}T02:00:00.000Z`}, ${`${reviewed}T02:00:00.000Z`}) returning id`);
    const items = orgId === branch1
      ? [
          { problem: '支委会会议记录不够规范', owner: '支部书记', deadline: `${year + 1}-03-31`, closedOn: `${year + 1}-03-20`, note: '已统一使用会议记录模板，补全上年度记录' },
          { problem: '党员学习教育形式单一', owner: '组织委员', deadline: addYearEnd(today), closedOn: null, note: null },
        ]
      : i === 1 ? [{ problem: '个别党员参加组织生活不够经常', owner: '支部书记', deadline: `${year + 1}-06-30`, closedOn: null, note: null }] : [];
    for (const it of items) {
      const ts = `${reviewed}T03:00:00.000Z`;
      await tx.execute(sql`insert into rectification_items (tenant_id, report_id, comment_id, org_id, org_path, year, problem, owner_name, deadline, evidence_required,
          closed, closed_on, closed_by, close_note, attachment_ids, created_at, updated_at)
        values (${ins.tenantId}, ${id}, ${c!.id}, ${orgId}, ${org!.org_path}, ${year}, ${it.problem}, ${it.owner}, ${it.deadline}, ${'整改情况说明及相关记录照片'},
          ${it.closedOn !== null}, ${it.closedOn}, ${it.closedOn ? 'system' : null}, ${it.note}, '{}'::int[], ${ts}, ${ts})`);
    }
  }
  // the county's batch drafting of last year (as POST /api/report-jobs records it)
  const street = await one<{ id: number; path: string }>(tx, sql`select id, path from orgs where id = ${ins.orgIds.get(s.fixtures.street1)!}`);
  await tx.execute(sql`insert into report_jobs (tenant_id, org_id, org_path, year, user_id, status, total, done, result, created_at, updated_at)
    values (${ins.tenantId}, ${street!.id}, ${street!.path}, ${year}, null, 'done', ${orgIds.length}, ${orgIds.length}, '{"failed":[]}'::jsonb, ${`${drafted}T01:00:00.000Z`}, ${`${drafted}T01:30:00.000Z`})`);
  // this year's drafts of branch1's branch and a sibling: written, not yet finalized
  for (const orgId of orgIds.slice(0, 2)) {
    const { id } = await createReport(wctx(today), scope, { orgId, year: year + 1, templateKey: key }, { withEvidence: false });
    await fillIn(wctx(today), scope, id, 8);
    if (orgId !== branch1) continue;
    for (const p of (await loadReport(tx, scope, id)).placeholders.filter((x) => x.status === 'missing')) {
      await setOverride(wctx(today), scope, id, p.id, { removed: true, reason: '本年度无此项数据' });
    }
  }
}

/** Write every narrative (sample text chosen by its label) and type every field of a draft. */
async function fillIn(w: WriteCtx, scope: Scope, id: number, n: number) {
  const d = await reportDetail(w.tx, scope, id, w.today);
  for (const nv of d.narratives) {
    const html = /计划|打算|思路|下一年|明年|重点工作/.test(nv.label) ? SAMPLE.plan : /问题|不足|差距/.test(nv.label) ? SAMPLE.problems : SAMPLE.practice;
    await setNarrative(w, scope, id, nv.id, html);
  }
  const r = await loadReport(w.tx, scope, id);
  for (const f of r.placeholders.filter((p) => p.status === 'field')) {
    const spec = fieldSpecs(r.template).get(f.fieldName!);
    const value = spec?.type === 'text' ? '按计划推进，成效明显' : n;
    await setField(w, scope, id, f.fieldName!, { value, reason: '支部工作台账' });
  }
}

function fieldSpecs(t: ReportTemplate) {
  const out = new Map<string, FieldSpec>();
  const texts = [t.title, t.salutation ?? '', ...(t.closing ?? [])];
  const walk = (ss: ReportTemplate['sections']) => { for (const s of ss) { texts.push(s.heading); for (const b of s.blocks) if (b.type === 'paragraph') texts.push(b.text); if (s.sections) walk(s.sections); } };
  walk(t.sections);
  for (const text of texts) eachField(parseInline(text).nodes, (f) => out.set(f.name, f));
  return out;
}

/** The open demo item's deadline: the end of the month after today (not yet due). */
function addYearEnd(today: string): string {
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  const ny = m === 12 ? y + 1 : y;
  const nm = m === 12 ? 1 : m + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${ny}-${String(nm).padStart(2, '0')}-${last}`;
}
