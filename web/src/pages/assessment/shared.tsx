import { Tag } from 'antd';
import type { EvidenceRow } from '../../api/types';

/**
 * Shapes of the assessment API (issue 16) as the web reads them (src/modules/assessment/contract.ts),
 * the route paths of these pages and small shared pieces.
 */
export const ASSESSMENT_PATHS = {
  list: '/assessment',
  session: (id: number | string) => `/assessment/${id}`,
  weakOrgs: '/assessment/weak-orgs',
} as const;

export interface SessionSummary {
  id: number; orgId: number; orgName: string; year: number; title: string; status: string; treeKey: string; treeVersion: number; orgCount: number; finishedAt: string | null;
}

export interface ScoreCell {
  indicator: string; label: string; category: string; kind: string; maxScore: number; score: number | null;
  source: 'figure' | 'manual' | 'override' | 'rating' | 'missing';
  figure?: { id: string; by?: string; key?: string; value: number | null; minusId?: string; minus?: number | null };
  ratings?: Record<string, number>;
  note?: string | null;
}

export interface OrgSheet {
  org: { id: number; name: string; kind: string };
  cells: ScoreCell[];
  total: number | null;
  proposed: string | null;
  grade: string | null;
  gradeReason?: string | null;
}

export interface Indicator { key: string; label: string; maxScore: number; evidence: string; rule: { kind: string; per?: number; cap?: number } }
export interface SessionSheet {
  id: number; orgId: number; year: number; title: string; status: string; treeKey: string; treeVersion: number;
  tree: { categories: { key: string; label: string; indicators: Indicator[] }[] };
  finishedAt: string | null; finishedBy: string | null; grades: string[]; orgs: OrgSheet[];
}

export interface ScoreEvidence {
  org: { id: number; name: string };
  indicator: Indicator;
  figures: { id: string; label: string; key: string | null; total: number; items: EvidenceRow[] }[];
  input: { note: string | null; ratings: Record<string, number> | null; attachmentIds: number[] } | null;
  frozenDigest?: string | null;
  changedSinceFinish?: boolean | null;
}

export interface WeakOrgEntry {
  id: number; findingId: number; orgId: number; orgName: string; year: number; ruleId: string; proposal: string;
  decision: { decidedBy?: string; decidedOn?: string; outcome?: string; confirmed?: boolean } | null;
  measures: string; ownerName: string; leaderName: string; deadline: string; status: 'rectifying' | 'closed';
  closedOn: string | null; closeDecidedBy: string | null; closeDecision: string | null; closeAttachmentIds: number[];
  progress: { id: number; enteredOn: string; content: string; attachmentIds: number[] }[];
}

export interface Finding {
  id: number; ruleId: string; ruleSet: string; orgId: number; orgName: string; period: string; severity: string; status: string;
  openedOn: string; message: string; decision: WeakOrgEntry['decision'];
}

export const WEAK_ORG_RULE_SET = 'weakOrg-2014';

export const SOURCE_LABELS: Record<ScoreCell['source'], string> = {
  figure: '按数据项计算', manual: '人工评分', override: '人工调整', rating: '现场测评', missing: '未得分',
};

const GRADE_COLORS = ['green', 'blue', 'orange', 'red'];
/** A grade tag coloured by its place among the tenant's grades (first = best). */
export function GradeTag({ grade, grades, proposed }: { grade: string | null; grades: string[]; proposed?: boolean }) {
  if (!grade) return <span className="muted">—</span>;
  const i = grades.indexOf(grade);
  return <Tag color={GRADE_COLORS[Math.min(Math.max(i, 0), GRADE_COLORS.length - 1)]} variant={proposed ? 'outlined' : undefined}>{proposed ? `建议：${grade}` : grade}</Tag>;
}

export function SessionStatusTag({ status }: { status: string }) {
  return status === 'final' ? <Tag color="green">已完成</Tag> : <Tag color="blue">评分中</Tag>;
}

export const fmtScore = (v: number | null | undefined) => (v === null || v === undefined ? '—' : Number.isInteger(v) ? String(v) : v.toFixed(2).replace(/0$/, ''));
