import ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';

/**
 * The small xlsx writer shared by exports, templates and import error reports: bold frozen header,
 * column widths from the content, text-formatted columns for ID numbers and mobiles.
 */
/** `text`: text format, so Excel keeps ID numbers and mobiles as typed instead of turning them into numbers. */
export interface XlsxColumn { header: string; width?: number; text?: boolean }

export interface XlsxSheet {
  name: string;
  columns: XlsxColumn[];
  rows: Iterable<unknown[]> | AsyncIterable<unknown[]>;
  /** In-cell dropdowns: a column index (0-based) and a list, or a range formula like "'选项'!$A$2:$A$57". */
  validations?: { column: number; list?: string[]; range?: string; rows?: number }[];
  hidden?: boolean;
}

/** Display width: a CJK character takes two columns. */
const displayWidth = (s: string) => [...s].reduce((w, ch) => w + (ch.codePointAt(0)! > 0x2e80 ? 2 : 1), 0);
const cellText = (v: unknown) => (v instanceof Date ? '2020-01-01' : v == null ? '' : String(v));
const columnLetter = (i: number): string => (i < 26 ? String.fromCharCode(65 + i) : columnLetter(Math.floor(i / 26) - 1) + String.fromCharCode(65 + (i % 26)));

/**
 * Formula injection (issue 17 #13, OWASP "CSV injection"): a text cell that begins with `=`, `+`,
 * `-`, `@`, a tab or a carriage return may run as a formula once a user edits the cell or saves
 * the sheet as CSV. Such text gets a leading apostrophe, the spreadsheet convention for "this is
 * text"; importer.normalizeCell removes it again on re-import. A lone character is left alone (a
 * "-" placeholder is no formula).
 */
const FORMULA_START = /^[=+\-@\t\r]/;
export function neutralizeFormula<T>(v: T): T | string {
  return typeof v === 'string' && v.length > 1 && FORMULA_START.test(v) ? `'${v}` : v;
}

/**
 * A workbook through ExcelJS's streaming writer (memory stays flat for 60,000 rows): bold frozen
 * header row, widths from the header and the first rows, dates as real date cells. Sheet names
 * may be Chinese (Excel limits them to 31 characters).
 */
export async function writeXlsx(sheets: XlsxSheet[]): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => { out.on('end', resolve); out.on('error', reject); });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  for (const spec of sheets) {
    const ws = wb.addWorksheet(spec.name.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }], state: spec.hidden ? 'hidden' : 'visible' });
    const it = (Symbol.asyncIterator in spec.rows ? (spec.rows as AsyncIterable<unknown[]>)[Symbol.asyncIterator]() : (spec.rows as Iterable<unknown[]>)[Symbol.iterator]()) as AsyncIterator<unknown[]> | Iterator<unknown[]>;
    const head: unknown[][] = [];
    let r = await it.next();
    for (; !r.done && head.length < 200; r = await it.next()) head.push(r.value);
    ws.columns = spec.columns.map((c, i) => ({
      header: c.header,
      key: `c${i}`,
      width: c.width ?? Math.min(50, Math.max(8, displayWidth(c.header) + 2, ...head.map((row) => displayWidth(cellText(row[i])) + 2))),
      style: c.text ? { numFmt: '@' } : {},
    }));
    ws.getRow(1).font = { bold: true };
    ws.getRow(1).commit();
    let count = 0;
    const add = (values: unknown[]) => {
      const row = ws.addRow(values.map((v) => (v === undefined ? null : neutralizeFormula(v))));
      values.forEach((v, i) => { if (v instanceof Date) row.getCell(i + 1).numFmt = 'yyyy-mm-dd'; });
      row.commit();
      count += 1;
    };
    head.forEach(add);
    for (; !r.done; r = await it.next()) add(r.value);
    for (const v of spec.validations ?? []) {
      const range = `${columnLetter(v.column)}2:${columnLetter(v.column)}${Math.max(count + 1, v.rows ?? 1000)}`;
      // Present at runtime on the streaming writer, missing from ExcelJS's type declarations.
      (ws as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations.add(range, {
        type: 'list', allowBlank: true, formulae: [v.range ?? `"${(v.list ?? []).join(',')}"`], showErrorMessage: true, errorTitle: '输入有误', error: '请从下拉列表中选择',
      });
    }
    ws.commit();
  }
  await wb.commit();
  await ended;
  return Buffer.concat(chunks);
}

/** Content-Disposition for a Chinese file name (RFC 5987), with an ASCII fallback for old clients. */
export function attachmentDisposition(filename: string, asciiFallback = 'download.xlsx'): string {
  return `attachment; filename="${asciiFallback}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
