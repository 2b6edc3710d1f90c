import { formatDate, headingPrefix, titleLines } from '../../../platform/docx.js';
import { renderChartSvg } from './chart.js';
import { APPENDIX_COLUMNS, APPENDIX_HEADING } from './docx.js';
import type { RenderedBlock, RenderedReport, RenderedRun } from './types.js';

/**
 * The print view: a self-contained A4 HTML page in the layout of the Word document (GB/T 9704 margins,
 * fonts by name with fallbacks, 28.95-pt lines), for the browser's print dialog. No script; styles inline in
 * one <style>; charts as inline SVG (ECharts server-side rendering), so no image or font requests. Serve it
 * with PRINT_CSP as its Content-Security-Policy.
 */
export const PRINT_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const CSS = `
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
@page :right { @bottom-right { content: "— " counter(page) " —"; font: 14pt "宋体", "SimSun", "Noto Serif CJK SC", serif; } }
@page :left { @bottom-left { content: "— " counter(page) " —"; font: 14pt "宋体", "SimSun", "Noto Serif CJK SC", serif; } }
html { background: #fff; color: #000; }
body { margin: 0; font: 16pt/28.95pt "Times New Roman", "仿宋_GB2312", "仿宋", "FangSong", "STFangsong", "Noto Serif CJK SC", serif; letter-spacing: -0.25pt; }
@media screen { body { width: 156mm; margin: 12mm auto; padding: 37mm 26mm 35mm 28mm; box-shadow: 0 0 4mm #bbb; } }
h1.title { font: 22pt/28.95pt "方正小标宋简体", "FZXiaoBiaoSong-B05S", "Noto Serif CJK SC", serif; text-align: center; margin: 0 0 28.95pt; }
p.subtitle { text-align: center; font-family: "楷体_GB2312", "楷体", "KaiTi", "STKaiti", "Noto Serif CJK SC", serif; margin: 0; }
p { margin: 0; text-indent: 2em; text-align: justify; orphans: 1; widows: 1; }
p.salutation { text-indent: 0; }
h2, h3, h4 { font-size: 16pt; font-weight: normal; margin: 0; text-indent: 2em; break-after: avoid; }
h2 { font-family: "黑体", "SimHei", "Noto Sans CJK SC", sans-serif; }
h3 { font-family: "楷体_GB2312", "楷体", "KaiTi", "STKaiti", "Noto Serif CJK SC", serif; }
h4 { font-family: inherit; }
mark { background: #ff0; }
figure { margin: 0; text-align: center; break-inside: avoid; }
figure svg { width: 145mm; height: auto; }
table { border-collapse: collapse; width: 100%; font-size: 14pt; line-height: 20pt; break-inside: auto; }
table.small { font-size: 12pt; line-height: 18pt; }
caption { font-family: "黑体", "SimHei", "Noto Sans CJK SC", sans-serif; font-size: 16pt; line-height: 28.95pt; }
th, td { border: 1px solid #000; padding: 0 4pt; text-align: center; }
th { font-family: "黑体", "SimHei", "Noto Sans CJK SC", sans-serif; font-weight: normal; }
tr { break-inside: avoid; }
thead { display: table-header-group; }
.signature { margin-top: 28.95pt; text-align: right; }
.signature p { text-indent: 0; text-align: right; }
.signature .date { padding-right: 4em; }
section.appendix { break-before: page; }
section.appendix h2 { text-indent: 0; }
`;

function runs(list: RenderedRun[], draft: boolean): string {
  return list.map((r) => {
    const t = esc(r.text).replace(/\r?\n/g, '<br>');
    if (draft && r.missing) return `<mark>${t}</mark>`;
    return r.ref ? `<span data-ref="${esc(r.ref)}">${t}</span>` : t;
  }).join('');
}

/** Split at line breaks like the Word document: each line of a narrative is a paragraph. */
function paragraphs(list: RenderedRun[], draft: boolean): string {
  const lines: RenderedRun[][] = [[]];
  for (const r of list) {
    r.text.split(/\r?\n/).forEach((piece, i) => {
      if (i > 0) lines.push([]);
      if (piece) lines[lines.length - 1].push({ ...r, text: piece });
    });
  }
  return lines.filter((l) => l.some((r) => r.text.trim() !== '')).map((l) => `<p>${runs(l, draft)}</p>`).join('\n');
}

function table(title: string, columns: string[], rows: string[][], cls = ''): string {
  const head = `<thead><tr>${columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead>`;
  const body = `<tbody>${rows.map((r) => `<tr>${columns.map((_, i) => `<td>${esc(r[i] ?? '')}</td>`).join('')}</tr>`).join('')}</tbody>`;
  return `<table${cls ? ` class="${cls}"` : ''}>${title ? `<caption>${esc(title)}</caption>` : ''}${head}${body}</table>`;
}

function block(b: RenderedBlock, draft: boolean): string {
  switch (b.kind) {
    case 'paragraph':
      return paragraphs(b.runs, draft);
    case 'table':
      return table(b.title, b.columns, b.rows);
    case 'chart':
      return `<figure role="img" aria-label="${esc(b.title)}">${renderChartSvg(b)}</figure>`;
  }
}

export function renderReportHtml(doc: RenderedReport): string {
  const draft = doc.status === 'draft';
  const out: string[] = [];
  out.push(`<h1 class="title">${titleLines(doc.title).map(esc).join('<br>')}</h1>`);
  if (draft) out.push('<p class="subtitle">（草稿）</p>');
  if (doc.salutation) out.push(`<p class="salutation">${esc(doc.salutation.replace(/[：:]$/, ''))}：</p>`);
  const counters = [0, 0, 0];
  for (const s of doc.sections) {
    if (s.heading.trim()) {
      const level = (s.level - 1) as 0 | 1 | 2;
      out.push(`<h${s.level + 1}>${esc(headingPrefix(level, s.heading, counters) + s.heading)}</h${s.level + 1}>`);
    }
    for (const b of s.blocks) out.push(block(b, draft));
  }
  for (const c of doc.closing) out.push(paragraphs([{ text: c }], draft));
  if (doc.signature) {
    out.push(`<div class="signature"><p class="org">${esc(doc.signature.orgName)}</p><p class="date">${esc(formatDate(doc.signature.date))}</p></div>`);
  }
  if (doc.appendix.length > 0) {
    out.push(`<section class="appendix"><h2>${esc(APPENDIX_HEADING)}</h2>${table('', APPENDIX_COLUMNS, doc.appendix.map((a) => [a.label, a.definition, a.period, a.value, String(a.evidenceCount)]), 'small')}</section>`);
  }
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(doc.title)}</title>
<style>${CSS}</style>
</head>
<body>
${out.join('\n')}
</body>
</html>
`;
}
