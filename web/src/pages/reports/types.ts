import type { EvidenceRow } from '../../api/types';
/**
 * Shapes of the reports API (issue 13) as the web reads them, written from the shared design
 * (reports-shared.md). Fields the design leaves open are optional and read defensively.
 */
import type { PlaceholderView, RenderedBlock, RenderedReport, RenderedSection } from '../../../../src/modules/reports/contract';

export type { RenderedBlock, RenderedReport, RenderedSection };
export type ReportStatus = RenderedReport['status'];
export type RenderedRun = Extract<RenderedBlock, { kind: 'paragraph' }>['runs'][number];
export type PlaceholderStatus = PlaceholderView['status'];
/** A placeholder of a report; the definition is shown in the evidence drawer when the server sends it. */
export type Placeholder = PlaceholderView & { definition?: string };

export interface Narrative { id: string | number; label: string; hint?: string; html: string }
export interface ReportField { name: string; label: string; reason?: string; unit?: string; type?: 'integer' | 'number' | 'text'; value?: string | number | null }

export interface ReportMeta {
  id: number;
  orgId: number;
  orgName?: string;
  year: number;
  templateKey: string;
  templateVersion?: number;
  templateName?: string;
  title?: string;
  status: ReportStatus;
  /** 第N版 of the org's report for the year. */
  reportVersion?: number;
  /** Optimistic-lock counter. */
  version?: number;
  finalizedAt?: string | null;
  updatedAt?: string;
  createdAt?: string;
}

export interface Candidate { kind?: string; source?: string; text?: string; title?: string; message?: string; problem?: string; label?: string; id?: string | number; status?: string; done?: boolean }

export interface ReportDetail {
  report: ReportMeta;
  rendered: RenderedReport;
  placeholders: Placeholder[];
  narratives: Narrative[];
  fields: ReportField[];
  candidates: { problems: Candidate[]; lastYearPlan: (Candidate | string)[] };
  lastYearReview?: {
    reportId?: number | null;
    comments?: (Comment & { reviewer?: string })[];
    rectifications?: { id: number; problem: string; deadline: string; closed?: boolean; status?: string; closedOn?: string | null; closedAt?: string | null; note?: string | null; ownerName?: string }[];
    [k: string]: unknown;
  } | null;
}

export interface TemplateSummary { key: string; version: number; name: string; kind: 'dutyReport' | 'workSummary'; orgKinds: string[] }

export interface Comment { id: number; reportId?: number; strengths: string; problems: string; grade: string; reviewer?: string; authorName?: string; createdAt?: string }
export interface Rectification {
  id: number;
  reportId?: number | null;
  commentId?: number | null;
  orgId?: number;
  orgName?: string;
  year?: number;
  problem: string;
  ownerName: string;
  deadline: string;
  evidenceRequired: string;
  status: 'open' | 'closed';
  closedAt?: string | null;
  closedOn?: string | null;
  closeNote?: string | null;
  note?: string | null;
  attachmentIds?: number[];
  attachments?: { id: number; filename: string }[];
}

export interface ReviewRow {
  orgId: number;
  orgName: string;
  reportId: number | null;
  status: ReportStatus | 'none' | null;
  title?: string;
  keyFigures?: { label: string; display?: string; value?: string | number | null }[] | Record<string, string | number | null>;
  grade?: string | null;
  comments?: number;
}

export interface BlockingItem { placeholderId?: string; fieldName?: string; label?: string; message?: string; kind?: string; section?: string }

export interface EvidencePage {
  items: EvidenceRow[];
  total: number;
  /** Final reports: the digest frozen at finalizing and whether the current records still give it. */
  digest?: { frozen: string; current: string | null; matches: boolean } | null;
}

export interface TemplateError { location?: string; path?: string; section?: number | string; block?: number | string; message: string }
