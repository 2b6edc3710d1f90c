import {
  AlignmentType, BorderStyle, Document, DocumentGridType, Footer, HighlightColor, ImageRun, LineRuleType, Packer, PageNumber, Paragraph,
  Table, TableCell, TableRow, TextRun, VerticalAlignTable, WidthType, type IRunOptions,
} from 'docx';
import { FONTS, OFF_GRID, deterministic } from './docxPackage.js';
import { toChineseNumeral } from '../domain/chineseNumerals.js';

export { FONTS } from './docxPackage.js';

/**
 * The one docx builder (ARCHITECTURE.md "Shared services, each once"), in the layout of GB/T 9704-2012
 * 《党政机关公文格式》 (DOMAIN.md §7): A4, margins 37/35/28/26 mm, body 3号 仿宋_GB2312 at 22 lines × 28
 * characters, title 2号 方正小标宋简体, heading levels 一、 黑体 / （一） 楷体_GB2312 / 1. 仿宋, page numbers
 * "— 1 —" in 4号 宋体, odd pages right and even pages left, Latin and digits in Times New Roman.
 *
 * The 22 × 28 grid is written the way that also holds in LibreOffice (STACK.md): a `lines` document
 * grid with line pitch 579 twips, exact 579-twip line spacing, run character spacing −5 twips and
 * widow control off — LibreOffice ignores Word's `linesAndChars` character pitch. Fonts are named,
 * not embedded: a machine without the official fonts substitutes them (a fontconfig mapping to
 * Noto Serif/Sans CJK SC is needed for LibreOffice; see STACK.md "Fonts").
 */

export type Block =
  | {
    kind: 'heading1' | 'heading2' | 'heading3' | 'paragraph'; text: string; rows?: undefined;
    /** A paragraph in pieces; a highlighted piece (e.g. a value still missing in a draft) is marked yellow. */
    runs?: { text: string; highlight?: boolean }[];
  }
  | {
    kind: 'table'; rows: string[][]; text?: undefined;
    /** 表题, centred above the table. */
    title?: string;
    /** Relative column widths (default: equal). */
    widths?: number[];
    /** 'small' = 小四 (12 pt) for wide tables such as a data appendix; default 4号 (14 pt). */
    size?: 'small';
  }
  | {
    /** A picture (PNG), centred, its height a whole number of body lines so the grid continues below it. */
    kind: 'image'; png: Buffer; widthPx: number; heightPx: number; alt: string; text?: undefined; rows?: undefined;
    /** A caption above the picture, set like a table title (e.g. "支部党员年龄结构"). */
    title?: string;
  };

export interface OfficialDocument {
  title: string;
  /** A line under the title, e.g. "（2026年11月20日在支部党员大会上）" or "（讨论稿）". */
  subtitle?: string;
  /** 主送机关, flush left under the title. */
  recipient?: string;
  blocks: Block[];
  /** 发文机关署名 and 成文日期 (an IsoDate is written 2026年11月20日). */
  signature?: { org: string; date: string };
  /** 附件说明: one name, or several (numbered 1. 2. …). */
  attachmentsNote?: string | string[];
  /** An appendix after the signature, on a new page: its heading (e.g. "附：数据项说明") flush left in 黑体, then blocks. */
  appendix?: { heading: string; blocks: Block[] };
  /**
   * The document's date (YYYY-MM-DD) for core.xml and the zip entries; default the signature date, else
   * 2000-01-01. The output is deterministic: the same input gives the same bytes.
   */
  date?: string;
}

// --- measures (twips: 1 pt = 20 twips; 1 mm = 1440 / 25.4 twips) ------------------------------------
const mm = (v: number) => Math.round((v * 1440) / 25.4);
export const PAGE = { width: 11906, height: 16838 } as const; // A4, 210 × 297 mm
export const MARGINS = { top: mm(37), bottom: mm(35), left: mm(28), right: mm(26) } as const; // 2098 / 1984 / 1587 / 1474
export const LINE_PITCH = 579; // 225 mm / 22 lines, as LibreOffice lays it out (STACK.md)
export const CHAR_SPACING = -5; // brings 28 characters onto the 156 mm line
const BODY_SIZE = 32; // half-points: 3号 = 16 pt
const TITLE_SIZE = 44; // 2号 = 22 pt
const PAGE_NO_SIZE = 28; // 4号 = 14 pt
const CHAR = 320; // one 3号 character, twips
const TEXT_WIDTH = PAGE.width - MARGINS.left - MARGINS.right; // 8845 twips = 156 mm
/**
 * Footer distance from the page edge: the page number's dash sits 7 mm below the text area
 * (DOMAIN.md §7.3), so its line (about one 4号 character high) ends about 35 − 7 − 5 = 23 mm up.
 */
const FOOTER_DISTANCE = mm(23);


/** Chinese text marked zh-CN, so a renderer picks the simplified-Chinese glyphs of a pan-CJK font (Noto CJK). */
const LANGUAGE = { value: 'zh-CN', eastAsia: 'zh-CN' } as const;

const font = (eastAsia: string, latin: string = FONTS.latin) => ({ ascii: latin, hAnsi: latin, cs: latin, eastAsia });

const run = (text: string, opts: { eastAsia?: string; size?: number; bold?: boolean; highlight?: boolean } = {}): TextRun =>
  new TextRun({
    text,
    font: font(opts.eastAsia ?? FONTS.body),
    size: opts.size ?? BODY_SIZE,
    characterSpacing: CHAR_SPACING,
    bold: opts.bold,
    highlight: opts.highlight ? HighlightColor.YELLOW : undefined,
    language: LANGUAGE,
  } satisfies IRunOptions);

const exact = (line = LINE_PITCH) => ({ line, lineRule: LineRuleType.EXACT, before: 0, after: 0 });

function para(children: TextRun[], opts: { align?: (typeof AlignmentType)[keyof typeof AlignmentType]; firstLine?: number; left?: number; right?: number; outlineLevel?: number; pageBreakBefore?: boolean; keepNext?: boolean; offGrid?: boolean } = {}): Paragraph {
  return new Paragraph({
    children,
    style: opts.offGrid ? OFF_GRID : undefined,
    alignment: opts.align ?? AlignmentType.JUSTIFIED,
    spacing: exact(),
    widowControl: false,
    indent: { firstLine: opts.firstLine ?? 0, left: opts.left ?? 0, right: opts.right ?? 0 },
    outlineLevel: opts.outlineLevel,
    pageBreakBefore: opts.pageBreakBefore,
    keepNext: opts.keepNext,
  });
}

const blankLine = () => para([run('')]);

// --- numbering of headings ---------------------------------------------------------------------------
/** 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (heading numbers; other values as digits). */
export function chineseNumeral(n: number): string {
  return Number.isInteger(n) && n >= 1 && n <= 99 ? toChineseNumeral(n) : String(n);
}

/** A heading that already carries its number (as typed by a person) keeps it; otherwise it is numbered. */
const HAS_NUMBER = {
  heading1: /^[一二三四五六七八九十]+、/,
  heading2: /^[（(][一二三四五六七八九十]+[）)]/,
  heading3: /^\d+[.．]/,
};

/**
 * The number of a heading at `level` (0: 一、 1: （一） 2: 1.), counting in `counters` (restarting under each
 * higher level); '' when the text already carries its number.
 */
export function headingPrefix(level: 0 | 1 | 2, text: string, counters: number[]): string {
  counters[level] += 1;
  for (let l = level + 1; l < counters.length; l++) counters[l] = 0;
  const n = counters[level];
  const kind = (['heading1', 'heading2', 'heading3'] as const)[level];
  return HAS_NUMBER[kind].test(text) ? '' : level === 0 ? `${chineseNumeral(n)}、` : level === 1 ? `（${chineseNumeral(n)}）` : `${n}.`;
}

// --- building ----------------------------------------------------------------------------------------
export function formatDate(d: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d);
  return m ? `${Number(m[1])}年${Number(m[2])}月${Number(m[3])}日` : d;
}

/** Width in characters: a CJK character is one, a half-width (Latin, digit) character half of one. */
const widthChars = (s: string) => [...s].reduce((w, c) => w + (c.charCodeAt(0) < 0x2e80 ? 0.5 : 1), 0);

function table(rows: string[][], opts: { widths?: number[]; size?: 'small' } = {}): Table {
  const cols = Math.max(1, ...rows.map((r) => r.length));
  const weights = opts.widths?.length === cols ? opts.widths : Array.from({ length: cols }, () => 1);
  const sum = weights.reduce((a, b) => a + b, 0);
  const colWidths = weights.map((w) => Math.floor((TEXT_WIDTH * w) / sum));
  const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
  const borders = { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border };
  // tables use 4号 on a 20-pt line (小四 on 18 pt for wide ones): 3号 on the body grid leaves a table too wide to read
  const size = opts.size === 'small' ? 24 : PAGE_NO_SIZE;
  const line = opts.size === 'small' ? 360 : 400;
  return new Table({
    width: { size: colWidths.reduce((a, b) => a + b, 0), type: WidthType.DXA },
    columnWidths: colWidths,
    borders,
    rows: rows.map((r, i) => new TableRow({
      tableHeader: i === 0,
      cantSplit: true,
      children: Array.from({ length: cols }, (_, c) => new TableCell({
        width: { size: colWidths[c], type: WidthType.DXA },
        verticalAlign: VerticalAlignTable.CENTER,
        children: [new Paragraph({
          children: [run(r[c] ?? '', { eastAsia: i === 0 ? FONTS.heading1 : FONTS.body, size })],
          // long text (more than a few characters in a narrow column) reads better justified than centred
          alignment: i > 0 && widthChars(r[c] ?? '') * (size / 2) * 20 > colWidths[c] - 216 ? AlignmentType.JUSTIFIED : AlignmentType.CENTER,
          style: OFF_GRID, spacing: exact(line), widowControl: false,
        })],
      })),
    })),
  });
}

/** A picture on a line of its own, `lines` body lines high (exact spacing keeps the grid below it). */
function image(b: Extract<Block, { kind: 'image' }>): Paragraph {
  // one line more than the picture needs: LibreOffice sets an inline picture on the baseline, and the
  // descent of the line below it would otherwise crop its top (the chart title and the tallest bar)
  const lines = Math.max(1, Math.ceil((b.heightPx * 15) / LINE_PITCH)) + 1;
  return new Paragraph({
    children: [new ImageRun({ type: 'png', data: b.png, transformation: { width: b.widthPx, height: b.heightPx }, altText: { name: b.alt, description: b.alt, title: b.alt } })],
    alignment: AlignmentType.CENTER,
    style: OFF_GRID,
    spacing: exact(lines * LINE_PITCH),
    widowControl: false,
  });
}

function pageNumberFooter(side: 'right' | 'left'): Footer {
  const size = PAGE_NO_SIZE;
  const f = font(FONTS.pageNumber, FONTS.pageNumber);
  return new Footer({
    children: [new Paragraph({
      alignment: side === 'right' ? AlignmentType.RIGHT : AlignmentType.LEFT,
      // one 4号 character (14 pt) in from the edge of the text area
      indent: side === 'right' ? { right: 280 } : { left: 280 },
      spacing: exact(size * 10),
      children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: f, size })],
    })],
  });
}

function blocks(list: Block[]): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [];
  const counters = [0, 0, 0];
  for (const b of list) {
    if (b.kind === 'table') {
      if (b.title) out.push(para([run(b.title, { eastAsia: FONTS.heading1 })], { align: AlignmentType.CENTER, keepNext: true }));
      out.push(table(b.rows, { widths: b.widths, size: b.size }));
      continue;
    }
    if (b.kind === 'image') {
      if (b.title) out.push(para([run(b.title, { eastAsia: FONTS.heading1 })], { align: AlignmentType.CENTER, keepNext: true }));
      out.push(image(b));
      continue;
    }
    if (b.kind === 'paragraph') {
      const runs = b.runs ? b.runs.map((r) => run(r.text, { highlight: r.highlight })) : [run(b.text)];
      out.push(para(runs, { firstLine: 2 * CHAR }));
      continue;
    }
    const level = b.kind === 'heading1' ? 0 : b.kind === 'heading2' ? 1 : 2;
    const prefix = headingPrefix(level, b.text, counters);
    const eastAsia = level === 0 ? FONTS.heading1 : level === 1 ? FONTS.heading2 : FONTS.body;
    out.push(para([run(prefix + b.text, { eastAsia })], { firstLine: 2 * CHAR, outlineLevel: level + 1, keepNext: true }));
  }
  return out;
}

/** Characters of 2号 on one 156-mm line. */
const TITLE_LINE_CHARS = Math.floor(TEXT_WIDTH / (TITLE_SIZE * 10 + CHAR_SPACING));

/**
 * The title in lines (DOMAIN.md §7.2: a long title breaks where the meaning allows, lines arranged
 * symmetrically): never inside a number or a Latin word; preferably before 关于 or a year, or after the
 * issuing body's name; lines as even as possible (the first no shorter than the next).
 */
export function titleLines(title: string): string[] {
  const chars = [...title];
  if (widthChars(title) <= TITLE_LINE_CHARS) return [title];
  const lines: string[] = [];
  let rest = chars;
  while (widthChars(rest.join('')) > TITLE_LINE_CHARS) {
    const total = widthChars(rest.join(''));
    const linesLeft = Math.ceil(total / TITLE_LINE_CHARS);
    const target = total / linesLeft;
    let best = -1;
    let bestCost = Infinity;
    for (let i = 1; i < rest.length; i++) {
      const head = rest.slice(0, i).join('');
      const tail = rest.slice(i).join('');
      const w = widthChars(head);
      if (w > TITLE_LINE_CHARS) break;
      if (/[0-9A-Za-z]/.test(rest[i - 1]) && /[0-9A-Za-z]/.test(rest[i])) continue; // inside a number or word
      if (/^[，。、；：）》”’,.;:)]/.test(tail) || /[（《“‘(]$/.test(head)) continue; // punctuation stays with its text
      let cost = Math.abs(w - target) + (w < target ? 0.5 : 0);
      if (/^(关于|\d{4}年)/.test(tail) || /(委员会|党委|党组|党支部|支部|工委|的)$/.test(head)) cost -= 3;
      if (cost < bestCost) { bestCost = cost; best = i; }
    }
    if (best < 0) break;
    lines.push(rest.slice(0, best).join(''));
    rest = rest.slice(best);
  }
  lines.push(rest.join(''));
  return lines;
}

function bodyChildren(doc: OfficialDocument): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [];
  const title = titleLines(doc.title).map((line, i) => new TextRun({
    text: line, break: i > 0 ? 1 : undefined, font: font(FONTS.title), size: TITLE_SIZE, characterSpacing: CHAR_SPACING, language: LANGUAGE,
  }));
  out.push(para(title, { align: AlignmentType.CENTER, outlineLevel: 0, offGrid: true }));
  if (doc.subtitle) out.push(para([run(doc.subtitle, { eastAsia: FONTS.heading2 })], { align: AlignmentType.CENTER }));
  out.push(blankLine());
  if (doc.recipient) out.push(para([run(`${doc.recipient.replace(/[：:]$/, '')}：`)], { align: AlignmentType.LEFT }));

  out.push(...blocks(doc.blocks));

  const notes = doc.attachmentsNote === undefined ? [] : Array.isArray(doc.attachmentsNote) ? doc.attachmentsNote : [doc.attachmentsNote];
  if (notes.length > 0) {
    out.push(blankLine());
    // "附件：" then each name, no punctuation after it; further lines align under the first name
    const clean = (s: string) => s.replace(/[。．.，,；;：:]+$/, '');
    if (notes.length === 1) out.push(para([run(`附件：${clean(notes[0])}`)], { firstLine: 2 * CHAR }));
    else {
      notes.forEach((name, i) => out.push(i === 0
        ? para([run(`附件：1. ${clean(name)}`)], { firstLine: 2 * CHAR })
        : para([run(`${i + 1}. ${clean(name)}`)], { left: 5 * CHAR })));
    }
  }

  if (doc.signature) {
    // 成文日期 右空四字; the 署名 is centred over the date (DOMAIN.md §7.3)
    const date = formatDate(doc.signature.date);
    const dateRight = 4 * CHAR;
    const orgRight = Math.max(0, Math.round(dateRight + ((widthChars(date) - widthChars(doc.signature.org)) / 2) * CHAR));
    out.push(blankLine());
    out.push(para([run(doc.signature.org)], { align: AlignmentType.RIGHT, right: orgRight }));
    out.push(para([run(date)], { align: AlignmentType.RIGHT, right: dateRight }));
  }

  if (doc.appendix) {
    out.push(para([run(doc.appendix.heading, { eastAsia: FONTS.heading1 })], { align: AlignmentType.LEFT, pageBreakBefore: true, keepNext: true }));
    out.push(...blocks(doc.appendix.blocks));
  }
  return out;
}

export async function buildOfficialDocument(doc: OfficialDocument): Promise<Buffer> {
  const document = new Document({
    title: doc.title,
    creator: 'zhibu 支部',
    lastModifiedBy: 'zhibu 支部',
    evenAndOddHeaderAndFooters: true,
    styles: {
      default: {
        document: {
          run: { font: font(FONTS.body), size: BODY_SIZE, characterSpacing: CHAR_SPACING, language: LANGUAGE },
          paragraph: { spacing: exact() },
        },
      },
      paragraphStyles: [{ id: OFF_GRID, name: 'zhibu off grid', basedOn: 'Normal', quickFormat: false, paragraph: { spacing: exact() } }],
    },
    sections: [{
      properties: {
        page: {
          size: { width: PAGE.width, height: PAGE.height },
          margin: { ...MARGINS, header: mm(15), footer: FOOTER_DISTANCE, gutter: 0 },
        },
        grid: { type: DocumentGridType.LINES, linePitch: LINE_PITCH },
      },
      footers: { default: pageNumberFooter('right'), even: pageNumberFooter('left') },
      children: bodyChildren(doc),
    }],
  });
  const date = doc.date ?? doc.signature?.date ?? '2000-01-01';
  return deterministic(await Packer.toBuffer(document), /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : '2000-01-01');
}
