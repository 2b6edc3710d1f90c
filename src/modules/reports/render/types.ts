/**
 * The rendered report the engine hands to output (reports-shared design, "Rendered report"). The engine's
 * contract may define the same shapes; these are structural, so either can be passed.
 */
export interface RenderedRun { text: string; ref?: string; missing?: boolean }
export type RenderedParagraph = { kind: 'paragraph'; runs: RenderedRun[] };
export type RenderedTable = { kind: 'table'; title: string; columns: string[]; rows: string[][] };
export type RenderedChart = { kind: 'chart'; title: string; chart: 'bar' | 'pie'; categories: string[]; values: number[]; unit: string };
export type RenderedBlock = RenderedParagraph | RenderedTable | RenderedChart;
export interface RenderedSection { heading: string; level: 1 | 2 | 3; blocks: RenderedBlock[] }
export interface RenderedAppendixRow {
  figureId: string; label: string; definition: string; period: string; value: string; evidenceCount: number; digest: string;
}
export interface RenderedReport {
  title: string;
  orgName: string;
  year: number;
  status: 'draft' | 'final';
  salutation?: string;
  sections: RenderedSection[];
  closing: string[];
  signature?: { orgName: string; date: string };
  appendix: RenderedAppendixRow[];
}
