import { z } from 'zod';
import { ORG_KINDS } from '../../domain/vocab.js';

/**
 * Reports contracts (issue 13; /work design "reports-shared"): the template (data, versioned JSON),
 * the rendered report handed to output, and the HTTP bodies/answers. Shared by routes, service,
 * render/ and the web pages.
 */
export const PERIODS = ['thisYear', 'lastYear', 'q1', 'q2', 'q3', 'q4', 'cumulative'] as const;
export type Period = (typeof PERIODS)[number];
export const FORMATS = ['integer', 'decimal1', 'percent', 'yuan', 'wanYuan', 'cn', 'yoy'] as const;
export type Format = (typeof FORMATS)[number];
export const BLOCK_NAMES = ['lastYearReview', 'problemCandidates', 'lastYearPlan'] as const;
export type BlockName = (typeof BLOCK_NAMES)[number];
export const REPORT_KINDS = ['dutyReport', 'workSummary'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

const orgKindKeys = ORG_KINDS.map((k) => k.key) as [string, ...string[]];
const id = z.number().int().positive();
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const plain = (max: number, label: string) =>
  z.string().trim().max(max, `${label}不超过 ${max} 字`).refine((s) => !/<[a-zA-Z!/?]/.test(s), `${label}不能包含 HTML 标记`);
const text = (max: number, label: string) => z.string().max(max, `${label}不超过 ${max} 字`);

export const figRef = z.object({
  id: z.string().min(1, '请填写指标编号').max(80),
  period: z.enum(PERIODS, { message: '统计期不正确' }).optional(),
  by: z.string().max(40).optional(),
  key: z.string().max(80).optional(),
  format: z.enum(FORMATS, { message: '格式不正确' }).optional(),
  params: z.record(z.string(), z.string().max(200)).optional(),
});
export type FigRef = z.infer<typeof figRef>;

export const templateBlock = z.discriminatedUnion('type', [
  z.object({ type: z.literal('paragraph'), text: text(4000, '段落'), editable: z.boolean().optional() }),
  z.object({ type: z.literal('narrative'), label: plain(100, '叙述标签').pipe(z.string().min(1, '请填写叙述标签')), hint: text(500, '提示').optional() }),
  z.object({
    type: z.literal('table'), title: plain(200, '表格标题'), scope: z.literal('children'),
    columns: z.array(z.object({ label: plain(60, '列名'), fig: figRef })).min(1, '表格至少有一列').max(12),
  }),
  z.object({ type: z.literal('chart'), title: plain(200, '图表标题'), chart: z.enum(['bar', 'pie']), fig: figRef.extend({ by: z.string().min(1, '图表须指定分组维度') }) }),
  z.object({ type: z.literal('block'), name: z.string().max(40) }),
], { message: '块类型不正确' });
export type TemplateBlock = z.infer<typeof templateBlock>;

export interface TemplateSection {
  heading: string;
  level: 1 | 2 | 3;
  blocks: TemplateBlock[];
  sections?: TemplateSection[];
}
export const templateSection: z.ZodType<TemplateSection> = z.lazy(() =>
  z.object({
    heading: text(200, '标题'),
    level: z.union([z.literal(1), z.literal(2), z.literal(3)]),
    blocks: z.array(templateBlock).max(200),
    sections: z.array(templateSection).max(50).optional(),
  }),
);

export const templateKey = z.string().regex(/^[a-z][A-Za-z0-9]{1,59}$/, '模板标识应为字母开头的英文字母和数字');

export const reportTemplate = z.object({
  key: templateKey,
  version: z.number().int().min(1),
  name: plain(100, '模板名称').pipe(z.string().min(1, '请填写模板名称')),
  kind: z.enum(REPORT_KINDS, { message: '报告类型应为述职报告或工作总结' }),
  orgKinds: z.array(z.enum(orgKindKeys, { message: '组织类型不正确' })),
  title: text(400, '标题'),
  salutation: text(100, '称谓').optional(),
  sections: z.array(templateSection).max(50),
  closing: z.array(text(4000, '结束语')).max(20).optional(),
  signature: z.boolean(),
});
export type ReportTemplate = z.infer<typeof reportTemplate>;

/** Saving: the version is assigned by the server (latest + 1). */
export const templateSaveInput = reportTemplate.extend({ version: z.number().int().min(1).optional() });
export type TemplateSaveInput = z.infer<typeof templateSaveInput>;
export const templateCopyInput = z.object({ newKey: templateKey, name: plain(100, '模板名称').pipe(z.string().min(1, '请填写模板名称')) });

// ─── Rendered report ────────────────────────────────────────────────────────

export const renderedRun = z.object({ text: z.string(), ref: z.string().optional(), missing: z.boolean().optional() });
export const renderedBlock = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('paragraph'), runs: z.array(renderedRun) }),
  z.object({ kind: z.literal('table'), title: z.string(), columns: z.array(z.string()), rows: z.array(z.array(z.string())) }),
  z.object({ kind: z.literal('chart'), title: z.string(), chart: z.enum(['bar', 'pie']), categories: z.array(z.string()), values: z.array(z.number()), unit: z.string() }),
]);
export type RenderedBlock = z.infer<typeof renderedBlock>;
export const renderedSection = z.object({ heading: z.string(), level: z.union([z.literal(1), z.literal(2), z.literal(3)]), blocks: z.array(renderedBlock) });
export type RenderedSection = z.infer<typeof renderedSection>;
export const appendixRow = z.object({
  figureId: z.string(), label: z.string(), definition: z.string(), period: z.string(), value: z.string(), evidenceCount: z.number().int(), digest: z.string(),
});
export type AppendixRow = z.infer<typeof appendixRow>;
export const renderedReport = z.object({
  title: z.string(), orgName: z.string(), year: z.number().int(), status: z.enum(['draft', 'final']), salutation: z.string().optional(),
  sections: z.array(renderedSection), closing: z.array(z.string()),
  signature: z.object({ orgName: z.string(), date: isoDate }).optional(),
  appendix: z.array(appendixRow),
});
export type RenderedReport = z.infer<typeof renderedReport>;

// ─── Report API ─────────────────────────────────────────────────────────────

export const REPORT_STATUSES = ['draft', 'final'] as const;
export const PLACEHOLDER_STATUSES = ['ok', 'missing', 'field', 'override', 'removed'] as const;
export type PlaceholderStatus = (typeof PLACEHOLDER_STATUSES)[number];

export const reportYear = z.number().int().min(2000, '年度不正确').max(2100, '年度不正确');
export const reportCreateInput = z.object({ orgId: id, year: reportYear, templateKey });
export const reportListQuery = z.object({
  org: z.coerce.number().int().positive().optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  status: z.enum(REPORT_STATUSES).optional(),
});
export const narrativeInput = z.object({ html: z.string().max(100_000, '内容过长') });
export const fieldInput = z.object({
  value: z.union([z.string().max(2000, '内容过长'), z.number()]).nullable(),
  reason: plain(500, '说明').optional(),
});
export const overrideInput = z.union([
  z.object({ removed: z.literal(true), reason: plain(500, '说明').optional() }),
  z.object({ value: z.union([z.number(), z.string().trim().min(1, '请填写数值').max(200)]), reason: plain(500, '说明').pipe(z.string().min(1, '请说明数值来源')) }),
]);
export const evidenceQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

export const placeholderView = z.object({
  id: z.string(),
  figureId: z.string().optional(),
  /** The breakdown key the placeholder shows (its label carries the key's Chinese label). */
  breakdownKey: z.string().optional(),
  label: z.string(),
  period: z.string(),
  value: z.number().nullable(),
  display: z.string(),
  status: z.enum(PLACEHOLDER_STATUSES),
  unit: z.string(),
  evidenceCount: z.number().int(),
  reason: z.string().optional(),
  fieldName: z.string().optional(),
});
export type PlaceholderView = z.infer<typeof placeholderView>;

// ─── Review and rectification ───────────────────────────────────────────────

export const DEFAULT_GRADES = ['好', '较好', '一般', '差'];
export const reviewQuery = z.object({ org: z.coerce.number().int().positive(), year: z.coerce.number().int().min(2000).max(2100) });
export const commentInput = z.object({
  strengths: plain(4000, '主要成绩'),
  problems: plain(4000, '存在问题'),
  grade: plain(20, '评定等次').pipe(z.string().min(1, '请选择评定等次')),
});
export const rectificationInput = z.object({
  reportId: id,
  commentId: id.optional(),
  problem: plain(1000, '问题').pipe(z.string().min(1, '请填写问题')),
  ownerName: plain(50, '责任人').pipe(z.string().min(1, '请填写责任人')),
  deadline: isoDate,
  evidenceRequired: plain(500, '销号材料要求'),
});
export const rectificationListQuery = z.object({
  org: z.coerce.number().int().positive().optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  status: z.enum(['open', 'closed']).optional(),
});
export const rectificationCloseInput = z.object({
  note: plain(2000, '整改情况').pipe(z.string().min(1, '请填写整改情况')),
  attachmentIds: z.array(id).min(1, '销号须上传整改材料').max(20),
});
export const reportJobInput = z.object({ orgId: id, year: reportYear });
export const catalogueQuery = z.object({ org: z.coerce.number().int().positive().optional() });
