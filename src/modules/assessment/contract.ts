import { z } from 'zod';
import { indicatorTree } from './treeSchema.js';

/**
 * Assessment contracts (issue 16, DOMAIN.md §9.1), shared by routes, service and the web pages: the
 * indicator tree (versioned data), sessions, the committee's inputs and the score sheet answer.
 */
export { indicatorTree } from './treeSchema.js';
export type { IndicatorTree } from '../../domain/assessmentRules.js';

const id = z.number().int().positive();
const year = z.number().int().min(2000, '年度不正确').max(2100, '年度不正确');
const plain = (max: number, label: string) =>
  z.string().trim().max(max, `${label}不超过 ${max} 字`).refine((s) => !/[<>]/.test(s), `${label}不能包含 < 或 > 等标记字符`);
export const treeKey = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, '指标体系编号只能包含小写字母、数字和连字符');

export const treeSaveInput = z.object({
  key: treeKey,
  name: plain(100, '名称').pipe(z.string().min(1, '请填写名称')),
  tree: indicatorTree,
});

export const sessionCreateInput = z.object({
  org: id,
  year,
  title: plain(100, '标题').pipe(z.string().min(1, '请填写标题')),
  treeKey,
  treeVersion: z.number().int().min(1).optional(),
  orgIds: z.array(id).min(1, '请选择参加考核的组织').max(500),
});

export const sessionListQuery = z.object({ org: z.coerce.number().int().positive().optional(), year: z.coerce.number().int().optional() });

export const scoreInput = z.object({
  org: id,
  indicator: z.string().min(1).max(40),
  /** Manual score (or an override of a figure-based score); needs a note. */
  score: z.number().min(0).max(100).nullable().optional(),
  /** 现场测评: grade → number of ratings. */
  ratings: z.record(z.string().max(10), z.number().int().min(0).max(100000)).optional(),
  note: plain(1000, '评分说明').optional(),
  attachmentIds: z.array(id).max(20).optional(),
});
export type ScoreInput = z.infer<typeof scoreInput>;

export const finishInput = z.object({
  grades: z.array(z.object({ org: id, grade: z.string().min(1).max(10), reason: plain(500, '调整理由').optional() })).min(1).max(500),
});
export type FinishInput = z.infer<typeof finishInput>;

export const evidenceQuery = z.object({
  org: z.coerce.number().int().positive(),
  indicator: z.string().min(1).max(40),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export interface ScoreCell {
  indicator: string;
  label: string;
  category: string;
  kind: string;
  maxScore: number;
  /** Points (two decimals) or null while a figure is missing / nothing was entered. */
  score: number | null;
  /** figure: computed; manual: typed; override: typed over a figure-based score; rating: on-site rating. */
  source: 'figure' | 'manual' | 'override' | 'rating' | 'missing';
  figure?: { id: string; by?: string; key?: string; value: number | null; minusId?: string; minus?: number | null };
  ratings?: Record<string, number>;
  note?: string | null;
  /** Frozen sessions: the evidence digest at finish, and whether today's evidence still matches. */
  digest?: string;
}

export interface OrgSheet {
  org: { id: number; name: string; kind: string };
  cells: ScoreCell[];
  total: number | null;
  proposed: string | null;
  grade: string | null;
  gradeReason?: string | null;
}

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const required = (max: number, label: string) => plain(max, label).pipe(z.string().min(1, `请填写${label}`));

export const weakOrgListQuery = z.object({ org: z.coerce.number().int().positive().optional(), year: z.coerce.number().int().optional() });
export const weakOrgPlanInput = z.object({
  findingId: id,
  measures: required(2000, '整顿措施'),
  ownerName: required(50, '责任人'),
  leaderName: required(50, '联系领导'),
  deadline: isoDate,
});
export const weakOrgProgressInput = z.object({ content: required(2000, '整顿进展'), attachmentIds: z.array(id).max(20).default([]) });
export const weakOrgCloseInput = z.object({
  decidedBy: required(100, '作出销号决定的党组织或会议'),
  decision: required(500, '销号决定'),
  attachmentIds: z.array(id).max(20),
});
