import {
  AlignmentType, BorderStyle, Document, DocumentGridType, Footer, LineRuleType, Packer, PageNumber, Paragraph, Table, TableCell,
  TableRow, TextRun, VerticalAlignTable, WidthType, type IRunOptions,
} from 'docx';

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
  | { kind: 'heading1' | 'heading2' | 'heading3' | 'paragraph'; text: string; rows?: undefined }
  | { kind: 'table'; rows: string[][]; text?: undefined };

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

export const FONTS = {
  body: '仿宋_GB2312',
  title: '方正小标宋简体',
  heading1: '黑体',
  heading2: '楷体_GB2312',
  pageNumber: '宋体',
  latin: 'Times New Roman',
} as const;

const font = (eastAsia: string, latin: string = FONTS.latin) => ({ ascii: latin, hAnsi: latin, cs: latin, eastAsia });

const run = (text: string, opts: { eastAsia?: string; size?: number; bold?: boolean } = {}): TextRun =>
  new TextRun({
    text,
    font: font(opts.eastAsia ?? FONTS.body),
    size: opts.size ?? BODY_SIZE,
    characterSpacing: CHAR_SPACING,
    bold: opts.bold,
  } satisfies IRunOptions);

const exact = (line = LINE_PITCH) => ({ line, lineRule: LineRuleType.EXACT, before: 0, after: 0 });

function para(children: TextRun[], opts: { align?: (typeof AlignmentType)[keyof typeof AlignmentType]; firstLine?: number; left?: number; right?: number; outlineLevel?: number } = {}): Paragraph {
  return new Paragraph({
    children,
    alignment: opts.align ?? AlignmentType.JUSTIFIED,
    spacing: exact(),
    widowControl: false,
    indent: { firstLine: opts.firstLine ?? 0, left: opts.left ?? 0, right: opts.right ?? 0 },
    outlineLevel: opts.outlineLevel,
  });
}

const blankLine = () => para([run('')]);

// --- numbering of headings ---------------------------------------------------------------------------
const DIGITS = '零一二三四五六七八九';
/** 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九. */
export function chineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 99) return String(n);
  if (n < 10) return DIGITS[n];
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : DIGITS[tens]}十${ones ? DIGITS[ones] : ''}`;
}

/** A heading that already carries its number (as typed by a person) keeps it; otherwise it is numbered. */
const HAS_NUMBER = {
  heading1: /^[一二三四五六七八九十]+、/,
  heading2: /^[（(][一二三四五六七八九十]+[）)]/,
  heading3: /^\d+[.．]/,
};

// --- building ----------------------------------------------------------------------------------------
function formatDate(d: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d);
  return m ? `${Number(m[1])}年${Number(m[2])}月${Number(m[3])}日` : d;
}

/** Width in characters: a CJK character is one, a half-width (Latin, digit) character half of one. */
const widthChars = (s: string) => [...s].reduce((w, c) => w + (c.charCodeAt(0) < 0x2e80 ? 0.5 : 1), 0);

function table(rows: string[][]): Table {
  const cols = Math.max(1, ...rows.map((r) => r.length));
  const colWidth = Math.floor(TEXT_WIDTH / cols);
  const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
  const borders = { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border };
  return new Table({
    width: { size: colWidth * cols, type: WidthType.DXA },
    columnWidths: Array.from({ length: cols }, () => colWidth),
    borders,
    rows: rows.map((r, i) => new TableRow({
      tableHeader: i === 0,
      children: Array.from({ length: cols }, (_, c) => new TableCell({
        width: { size: colWidth, type: WidthType.DXA },
        verticalAlign: VerticalAlignTable.CENTER,
        // tables use 4号 on a 20-pt line: 3号 on the body grid leaves a table too wide to read
        children: [new Paragraph({
          children: [run(r[c] ?? '', { eastAsia: i === 0 ? FONTS.heading1 : FONTS.body, size: PAGE_NO_SIZE })],
          alignment: AlignmentType.CENTER, spacing: exact(400), widowControl: false,
        })],
      })),
    })),
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

function bodyChildren(doc: OfficialDocument): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [];
  out.push(para([run(doc.title, { eastAsia: FONTS.title, size: TITLE_SIZE })], { align: AlignmentType.CENTER, outlineLevel: 0 }));
  if (doc.subtitle) out.push(para([run(doc.subtitle, { eastAsia: FONTS.heading2 })], { align: AlignmentType.CENTER }));
  out.push(blankLine());
  if (doc.recipient) out.push(para([run(`${doc.recipient.replace(/[：:]$/, '')}：`)], { align: AlignmentType.LEFT }));

  const counters = [0, 0, 0];
  for (const b of doc.blocks) {
    if (b.kind === 'table') {
      out.push(table(b.rows));
      continue;
    }
    if (b.kind === 'paragraph') {
      out.push(para([run(b.text)], { firstLine: 2 * CHAR }));
      continue;
    }
    const level = b.kind === 'heading1' ? 0 : b.kind === 'heading2' ? 1 : 2;
    counters[level] += 1;
    for (let l = level + 1; l < counters.length; l++) counters[l] = 0;
    const n = counters[level];
    const prefix = HAS_NUMBER[b.kind].test(b.text) ? '' : level === 0 ? `${chineseNumeral(n)}、` : level === 1 ? `（${chineseNumeral(n)}）` : `${n}.`;
    const eastAsia = level === 0 ? FONTS.heading1 : level === 1 ? FONTS.heading2 : FONTS.body;
    out.push(para([run(prefix + b.text, { eastAsia })], { firstLine: 2 * CHAR, outlineLevel: level + 1 }));
  }

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
  return out;
}

export async function buildOfficialDocument(doc: OfficialDocument): Promise<Buffer> {
  const document = new Document({
    title: doc.title,
    creator: 'zhibu 支部',
    evenAndOddHeaderAndFooters: true,
    styles: {
      default: {
        document: {
          run: { font: font(FONTS.body), size: BODY_SIZE, characterSpacing: CHAR_SPACING },
          paragraph: { spacing: exact() },
        },
      },
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
  return Packer.toBuffer(document);
}
