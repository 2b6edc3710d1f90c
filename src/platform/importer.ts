import ExcelJS from 'exceljs';
import { UPLOAD_LIMITS, UploadRefused, assertSafeSpreadsheet } from './uploadLimits.js';
import { Readable } from 'node:stream';

/**
 * The one import service (ARCHITECTURE.md "Shared services"): every module's roster import reads its
 * file here, so xlsx/csv handling, Chinese header mapping, the row-by-row error report and the progress
 * registry behave the same everywhere. Modules validate rows and write them; this file knows nothing
 * about members or the database. The xlsx writer lives in xlsx.ts.
 */
export type CellValue = string | number | Date | null;

/** `row`: the spreadsheet row (header = 1), 0 for the file as a whole; `column`: its Chinese header. */
export interface ImportRowError { row: number; column?: string; reason: string }

/** A problem with the file as a whole; the message is Chinese. `row` is the header row, or 0 for the file. */
export class ImportFileError extends Error {
  constructor(message: string, readonly row = 0) { super(message); }
}

export interface HeaderSpec {
  /** key → accepted header texts; the first one is the canonical label (template, messages). */
  headers: Record<string, string | readonly string[]>;
  required: readonly string[];
}

/** `cells`: every cell in column order, extra columns included, for the error report. */
export interface ParsedRow { rowNumber: number; values: Record<string, CellValue>; cells: CellValue[] }

/** `columns`: the original header texts in column order. */
export interface OpenedTable { format: 'xlsx' | 'csv'; headerRow: number; columns: string[]; rows: AsyncGenerator<ParsedRow> }

export const labelOfHeader = (spec: HeaderSpec, key: string): string => [spec.headers[key]].flat()[0];

/** Full-width forms, spaces and "required" marks ("*姓名", "姓名（必填）") do not change a header. */
export function normalizeHeader(text: unknown): string {
  return String(text ?? '')
    .normalize('NFKC')
    .replace(/^\uFEFF/, '')
    .replace(/\s+/gu, '')
    .replace(/^\*+|\*+$/g, '')
    .replace(/\((必填|选填|可选|非必填)\)$/u, '');
}

/** ExcelJS gives rich text, formulas, hyperlinks and errors as objects: reduce every cell to a plain value. */
export function normalizeCell(v: unknown): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v.replace(/^'(?=[=+\-@\t\r])/, '').trim() || null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) return normalizeCell((o.richText as { text?: string }[]).map((r) => r.text ?? '').join(''));
    if ('formula' in o || 'sharedFormula' in o || 'result' in o) return normalizeCell(o.result);
    if ('text' in o) return normalizeCell(o.text);
    if (typeof o.error === 'string') return o.error;
  }
  return normalizeCell(String(v));
}

const isEmptyRow = (cells: CellValue[]) => cells.every((c) => c === null);

// ─── Reading ───────────────────────────────────────────────────────────────

type RawRow = { n: number; cells: CellValue[] };

export function detectFormat(buffer: Buffer, filename: string): 'xlsx' | 'csv' {
  const ext = (filename.match(/\.([A-Za-z0-9]+)$/)?.[1] ?? '').toLowerCase();
  if (buffer.length === 0) throw new ImportFileError('上传的文件是空的');
  if (buffer.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return 'xlsx';
  if (buffer.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) {
    throw new ImportFileError('不支持旧版 Excel（.xls）文件，请在 Excel 中“另存为”.xlsx 或 .csv 后再导入');
  }
  if (ext === 'xlsx') throw new ImportFileError('文件内容不是有效的 Excel（.xlsx）文件，请确认文件未损坏');
  if (!['csv', 'txt', ''].includes(ext) || buffer.subarray(0, 8192).includes(0)) {
    throw new ImportFileError('不支持的文件类型，请上传 .xlsx 或 .csv 文件');
  }
  return 'csv';
}

/** UTF-8 (BOM stripped) unless the bytes are not valid UTF-8: then GB18030, what Chinese Excel writes. */
export function decodeCsv(buffer: Buffer): string {
  const utf8 = (() => { try { return new TextDecoder('utf-8', { fatal: true }).decode(buffer); } catch { return null; } })();
  return (utf8 ?? new TextDecoder('gb18030').decode(buffer)).replace(/^\uFEFF/, '');
}

/** RFC 4180 records: quoted fields may hold the delimiter, doubled quotes and line breaks. */
export function parseCsv(text: string): string[][] {
  const firstLine = text.slice(0, Math.max(0, text.indexOf('\n')) || text.length);
  const count = (ch: string) => firstLine.split(ch).length - 1;
  const delim = count('\t') > count(',') ? '\t' : count(';') > count(',') ? ';' : ',';
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') { field += '"'; i += 1; } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === delim) { record.push(field); field = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
      records.push([...record, field]);
      record = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || record.length > 0) { record.push(field); records.push(record); }
  return records;
}

async function* csvRows(buffer: Buffer): AsyncGenerator<RawRow> {
  const records = parseCsv(decodeCsv(buffer));
  for (let i = 0; i < records.length; i += 1) yield { n: i + 1, cells: boundedCells(i + 1, (push) => records[i].forEach((v, c) => push(c + 1, v))) };
}

/**
 * A row's cells, 0-based and dense up to the last non-empty cell, within UPLOAD_LIMITS (issue 17
 * #4): a cell in column XFD must not become a 16,384-element array, nor a cell hold more than
 * Excel's 32,767 characters.
 */
function boundedCells(rowNumber: number, each: (push: (col: number, v: unknown) => void) => void): CellValue[] {
  const cells: CellValue[] = [];
  each((col, v) => {
    const value = normalizeCell(v);
    if (value === null) return;
    if (col > UPLOAD_LIMITS.columns) throw new ImportFileError(`第 ${rowNumber} 行在第 ${col} 列有内容，超过 ${UPLOAD_LIMITS.columns} 列的上限；请删除多余的列`, rowNumber);
    if (typeof value === 'string' && value.length > UPLOAD_LIMITS.cellChars) throw new ImportFileError(`第 ${rowNumber} 行有单元格超过 ${UPLOAD_LIMITS.cellChars} 个字符`, rowNumber);
    while (cells.length < col - 1) cells.push(null);
    cells[col - 1] = value;
  });
  return cells;
}

/** Rows of one worksheet, read cell by cell (never through ExcelJS's dense `values` array). */
async function* sheetRows(sheet: AsyncIterable<ExcelJS.Row>): AsyncGenerator<RawRow> {
  for await (const row of sheet) {
    yield { n: row.number, cells: boundedCells(row.number, (push) => row.eachCell({ includeEmpty: false }, (cell, col) => push(col, cell.value))) };
  }
}

const HEADER_SCAN_ROWS = 20;

function matchHeaders(spec: HeaderSpec, cells: CellValue[]): { keyOf: (string | null)[]; matched: number; duplicate?: string } {
  const lookup = new Map<string, string>();
  for (const [key, h] of Object.entries(spec.headers)) for (const text of typeof h === 'string' ? [h] : h) lookup.set(normalizeHeader(text), key);
  const seen = new Set<string>();
  let duplicate: string | undefined;
  const keyOf = cells.map((c) => {
    const key = c === null ? undefined : lookup.get(normalizeHeader(c instanceof Date ? '' : c));
    if (!key) return null;
    if (seen.has(key)) duplicate ??= labelOfHeader(spec, key);
    seen.add(key);
    return key;
  });
  return { keyOf, matched: seen.size, duplicate };
}

/**
 * Find the header row among the first rows (a roster often has a title line above it). Returns null
 * when nothing looks like a header, so the caller can try the next worksheet.
 */
async function findHeader(spec: HeaderSpec, it: AsyncIterator<RawRow>) {
  const need = Math.max(1, Math.ceil(spec.required.length / 2));
  let first: RawRow | null = null;
  for (let scanned = 0; scanned < HEADER_SCAN_ROWS; ) {
    const next = await it.next();
    if (next.done) break;
    if (isEmptyRow(next.value.cells)) continue;
    scanned += 1;
    first ??= next.value;
    const m = matchHeaders(spec, next.value.cells);
    if (m.matched >= need) return { header: next.value, match: m, first };
  }
  return { header: null, match: null, first };
}

function checkHeader(spec: HeaderSpec, match: ReturnType<typeof matchHeaders>, optionalKeys: readonly string[], row: number) {
  if (match.duplicate) throw new ImportFileError(`表头中“${match.duplicate}”列出现了不止一次，请删除重复的列`, row);
  const present = new Set(match.keyOf.filter((k): k is string => !!k));
  const missing = spec.required.filter((k) => !present.has(k) && !optionalKeys.includes(k)).map((k) => labelOfHeader(spec, k));
  if (missing.length) throw new ImportFileError(`缺少必填列：${missing.join('、')}。请使用导入模板，表头名称应与模板一致（列的顺序不限）`, row);
}

async function* dataRows(header: RawRow, keyOf: (string | null)[], rest: AsyncIterator<RawRow>, done: () => Promise<void>): AsyncGenerator<ParsedRow> {
  try {
    for (;;) {
      const next = await rest.next().catch((e: unknown) => {
        throw e instanceof ImportFileError ? e : new ImportFileError('读取文件时出错，文件可能已损坏或不完整');
      });
      if (next.done) break;
      const { n, cells } = next.value;
      if (n <= header.n || isEmptyRow(cells)) continue;
      const values: Record<string, CellValue> = {};
      keyOf.forEach((k, i) => { if (k) values[k] = cells[i] ?? null; });
      yield { rowNumber: n, values, cells };
    }
  } finally {
    await done();
  }
}

/** Decode UTF-8 across chunk boundaries; strings pass through. */
async function* utf8Chunks(source: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of source) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const tail = decoder.decode();
  if (tail) yield tail;
}

type ReaderInternals = {
  _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string): unknown;
  _parseSharedStrings(entry: NodeJS.ReadableStream): unknown;
};
const BaseReader = ExcelJS.stream.xlsx.WorkbookReader as unknown as new (input: Readable, options: object) => ExcelJS.stream.xlsx.WorkbookReader & ReaderInternals;

/**
 * ExcelJS 4.4.0's streaming reader decodes every inflated chunk on its own, so a Chinese character
 * split across two chunks turns into U+FFFD (seen at row 408 of a generated roster). Its reader
 * passes strings through untouched, so we hand it text decoded with a streaming decoder. This
 * overrides two internal methods of the pinned version; importer.unit.test.ts guards it.
 */
class Utf8SafeWorkbookReader extends BaseReader {
  _parseWorksheet = (iterator: AsyncIterable<Buffer | string>, sheetNo: string) => super._parseWorksheet(utf8Chunks(iterator), sheetNo);
  _parseSharedStrings = (entry: NodeJS.ReadableStream) => super._parseSharedStrings(Readable.from(utf8Chunks(entry as AsyncIterable<Buffer>)));
}

/**
 * Open an uploaded file: detect the format by content, find the header row (in the first worksheet
 * that has one), check the required columns, and return the data rows as a stream. Throws
 * ImportFileError for file-level problems. `optionalKeys` relaxes `required` (e.g. a default org).
 */
export async function openTable(input: { buffer: Buffer; filename: string }, spec: HeaderSpec, optionalKeys: readonly string[] = []): Promise<OpenedTable> {
  const format = detectFormat(input.buffer, input.filename);
  const finish = (m: NonNullable<Awaited<ReturnType<typeof findHeader>>['match']>, header: RawRow, it: AsyncIterator<RawRow>, done: () => Promise<void>): OpenedTable => {
    checkHeader(spec, m, optionalKeys, header.n);
    const columns = header.cells.map((c) => (c instanceof Date ? '' : String(c ?? '')));
    return { format, headerRow: header.n, columns, rows: dataRows(header, m.keyOf, it, done) };
  };
  const noHeader = (first: RawRow | null) => {
    if (!first) return new ImportFileError('文件中没有任何内容');
    checkHeader(spec, matchHeaders(spec, first.cells), optionalKeys, first.n);
    return new ImportFileError('未找到表头行，请使用导入模板', first.n);
  };
  if (format === 'csv') {
    const it = csvRows(input.buffer);
    const found = await findHeader(spec, it);
    if (!found.header) throw noHeader(found.first);
    return finish(found.match!, found.header, it, async () => {});
  }
  try {
    await assertSafeSpreadsheet(input.buffer);
  } catch (e) {
    if (e instanceof UploadRefused) throw new ImportFileError(e.message);
    throw e;
  }
  const reader = new Utf8SafeWorkbookReader(Readable.from(input.buffer), {
    sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore',
  });
  const sheets = (reader as unknown as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  let firstOfFile: RawRow | null = null;
  try {
    for (;;) {
      const s = await sheets.next();
      if (s.done) break;
      const it = sheetRows(s.value as unknown as AsyncIterable<ExcelJS.Row>);
      const found = await findHeader(spec, it);
      firstOfFile ??= found.first;
      if (found.header) return finish(found.match!, found.header, it, async () => { await sheets.return?.(undefined); });
      // The zip is read as one stream: a skipped sheet must still be read to its end.
      for (let r = await it.next(); !r.done; r = await it.next());
    }
  } catch (e) {
    if (e instanceof ImportFileError) throw e;
    throw new ImportFileError('无法读取 Excel 文件，文件可能已损坏或不是标准的 .xlsx 格式');
  }
  throw noHeader(firstOfFile);
}

/** "列：原因", unless the reason already starts with the column's name. */
export const formatRowError = (e: ImportRowError) => (e.column && !e.reason.startsWith(e.column) ? `${e.column}：${e.reason}` : e.reason);

export { writeXlsx, attachmentDisposition, XLSX_MIME, type XlsxColumn, type XlsxSheet } from './xlsx.js';
import { writeXlsx } from './xlsx.js';
import type { ErrorReportData } from './importRuns.js';
export {
  awaitImportRun, getImportRun, startImportRun, type ErrorReportData, type ImportProgress, type ImportRun, type ImportStatus,
} from './importRuns.js';

/** The error report: the original columns, the row number and a 错误原因 column, one line per bad row. */
export async function errorReportXlsx(report: ErrorReportData | null, errors: ImportRowError[]): Promise<Buffer> {
  const byRow = new Map<number, string[]>();
  for (const e of errors) byRow.set(e.row, [...(byRow.get(e.row) ?? []), formatRowError(e)]);
  const columns = report?.columns ?? [];
  const cellsOf = new Map((report?.rows ?? []).map((r) => [r.rowNumber, r.cells]));
  const rows = [...byRow.keys()].sort((a, b) => a - b).map((n) => {
    const cells = cellsOf.get(n) ?? [];
    return [...columns.map((_, i) => cells[i] ?? null), n, byRow.get(n)!.join('；')];
  });
  return writeXlsx([{ name: '错误报告', columns: [...columns.map((h) => ({ header: h || '（无表头）' })), { header: '行号', width: 8 }, { header: '错误原因', width: 60 }], rows }]);
}

