import { buildOfficialDocument, type Block } from '../../../platform/docx.js';
import { CHART_SIZE, renderChartPng } from './chart.js';
import type { RenderedBlock, RenderedReport, RenderedRun } from './types.js';

/**
 * A rendered report as a Word document in the GB/T 9704 layout (DOMAIN.md §7), through the one docx
 * builder (src/platform/docx.ts): title, 主送 (the salutation) flush left, sections as numbered headings
 * 一、/（一）/1., paragraphs with a two-character indent, per-child-org tables with their titles, charts as
 * pictures, closing paragraphs, 署名 and 成文日期, then the appendix "附：数据项说明" on a page of its own.
 * Deterministic: the same report gives the same bytes (the document date is the signature date, else
 * 1 January of the report year).
 */

/** The chart picture: 8 body lines high (8 × 579 twips = 308.8 px at 96 dpi), in the chart's 16:9. */
const CHART_HEIGHT_PX = 308;
const CHART_WIDTH_PX = Math.round((CHART_HEIGHT_PX * CHART_SIZE.width) / CHART_SIZE.height);

export const APPENDIX_HEADING = '附：数据项说明';
export const APPENDIX_COLUMNS = ['数据项', '定义', '期间', '数值', '证据条数'];

/** Split runs at line breaks: each line of a narrative becomes a paragraph of its own. */
function paragraphs(runs: RenderedRun[], draft: boolean): Block[] {
  const lines: { text: string; highlight?: boolean }[][] = [[]];
  for (const r of runs) {
    r.text.split(/\r?\n/).forEach((piece, i) => {
      if (i > 0) lines.push([]);
      if (piece) lines[lines.length - 1].push({ text: piece, highlight: draft && r.missing ? true : undefined });
    });
  }
  return lines
    .map((l) => l.filter((r) => r.text.trim() !== ''))
    .filter((l) => l.length > 0)
    .map((l) => ({ kind: 'paragraph' as const, text: l.map((r) => r.text).join(''), runs: l.some((r) => r.highlight) ? l : undefined }));
}

function block(b: RenderedBlock, draft: boolean): Block[] {
  switch (b.kind) {
    case 'paragraph':
      return paragraphs(b.runs, draft);
    case 'table':
      return [{ kind: 'table', title: b.title, rows: [b.columns, ...b.rows] }];
    case 'chart':
      return [{ kind: 'image', png: renderChartPng(b), widthPx: CHART_WIDTH_PX, heightPx: CHART_HEIGHT_PX, alt: b.title, title: b.title }];
  }
}

export function reportBlocks(doc: RenderedReport): Block[] {
  const draft = doc.status === 'draft';
  const out: Block[] = [];
  for (const s of doc.sections) {
    if (s.heading.trim()) out.push({ kind: s.level === 1 ? 'heading1' : s.level === 2 ? 'heading2' : 'heading3', text: s.heading });
    for (const b of s.blocks) out.push(...block(b, draft));
  }
  for (const c of doc.closing) out.push(...paragraphs([{ text: c }], draft));
  return out;
}

export async function renderReportDocx(doc: RenderedReport): Promise<Buffer> {
  return buildOfficialDocument({
    title: doc.title,
    subtitle: doc.status === 'draft' ? '（草稿）' : undefined,
    recipient: doc.salutation,
    blocks: reportBlocks(doc),
    signature: doc.signature ? { org: doc.signature.orgName, date: doc.signature.date } : undefined,
    appendix: doc.appendix.length > 0
      ? {
        heading: APPENDIX_HEADING,
        blocks: [{
          kind: 'table',
          size: 'small',
          widths: [3, 5.4, 4.4, 2, 2.4],
          rows: [APPENDIX_COLUMNS, ...doc.appendix.map((a) => [a.label, a.definition, a.period, a.value, String(a.evidenceCount)])],
        }],
      }
      : undefined,
    date: doc.signature?.date ?? `${doc.year}-01-01`,
  });
}
