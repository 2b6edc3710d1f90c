import { createInflateRaw } from 'node:zlib';
import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/connection.js';
import { AppError, invalid } from './errors.js';
import { SETTINGS, getSetting } from './settings.js';

/**
 * Bounds on what an uploaded spreadsheet can make the server hold (issue 17 #4). An xlsx is a zip:
 * before ExcelJS sees it, its central directory is read and every entry inflated once as a stream
 * (nothing kept), counting bytes. Refused: entries not tiling the file (hidden local entries a
 * streaming unzipper would still read), too many entries, an entry or a total over the limits, a
 * compression ratio no spreadsheet has (a zip bomb), and a text run longer than any cell Excel
 * allows (the one-huge-cell file: XML text between two tags is one cell's or one shared string's
 * text, and ExcelJS's parser would hold it whole).
 */
export const UPLOAD_LIMITS = {
  /** Upload size of an import file (multipart). 60,000 members are about 8 MB as xlsx. */
  importFileBytes: 20 * 1024 * 1024,
  zipEntries: 2_000,
  /** Inflated bytes of one entry and of the whole file. */
  entryBytes: 256 * 1024 * 1024,
  totalBytes: 400 * 1024 * 1024,
  /** Ratio inflated/compressed allowed for entries over ratioFloorBytes (real sheets: 5–30). */
  ratio: 100,
  ratioFloorBytes: 4 * 1024 * 1024,
  /** Excel holds at most 32,767 characters a cell: 3 bytes each in UTF-8, entities a bit more. */
  textRunBytes: 32_767 * 4,
  /** Columns of one row read by the importer (templates use about 30; Excel allows 16,384). */
  columns: 256,
  /** Characters of one cell (Excel's own limit). */
  cellChars: 32_767,
};

export class UploadRefused extends AppError {
  constructor(message: string) {
    super('payloadTooLarge', message);
  }
}

interface Entry { name: string; method: number; flags: number; compressed: number; size: number; offset: number }

function readCentralDirectory(buf: Buffer): Entry[] {
  // End of central directory: the last 22 + up to 65,535 comment bytes.
  const from = Math.max(0, buf.length - 22 - 65_535);
  let eocd = -1;
  for (let i = buf.length - 22; i >= from; i -= 1) if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  if (eocd < 0) throw new UploadRefused('无法读取 Excel 文件：文件不是标准的 .xlsx 格式（缺少 zip 目录）');
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) throw new UploadRefused('Excel 文件结构异常（zip64），无法导入');
  if (count > UPLOAD_LIMITS.zipEntries) throw new UploadRefused(`Excel 文件包含的部件过多（${count} 个），无法导入`);
  if (cdOffset + cdSize > eocd) throw new UploadRefused('Excel 文件结构异常（zip 目录越界），无法导入');
  const entries: Entry[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i += 1) {
    if (p + 46 > eocd || buf.readUInt32LE(p) !== 0x02014b50) throw new UploadRefused('Excel 文件结构异常（zip 目录损坏），无法导入');
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    entries.push({
      flags: buf.readUInt16LE(p + 8),
      method: buf.readUInt16LE(p + 10),
      compressed: buf.readUInt32LE(p + 20),
      size: buf.readUInt32LE(p + 24),
      offset: buf.readUInt32LE(p + 42),
      name: buf.toString('utf8', p + 46, p + 46 + nameLen),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  // The entries must tile [0, cdOffset): nothing hidden between or before them.
  const sorted = [...entries].sort((a, b) => a.offset - b.offset);
  let at = 0;
  for (const e of sorted) {
    if (e.offset !== at || e.offset + 30 > cdOffset || buf.readUInt32LE(e.offset) !== 0x04034b50) throw new UploadRefused('Excel 文件结构异常（含目录之外的部件），无法导入');
    const dataStart = e.offset + 30 + buf.readUInt16LE(e.offset + 26) + buf.readUInt16LE(e.offset + 28);
    at = dataStart + e.compressed;
    if (e.flags & 0x8) {
      // data descriptor: optional signature, crc, sizes (12 or 16 bytes)
      at += at + 4 <= cdOffset && buf.readUInt32LE(at) === 0x08074b50 ? 16 : 12;
    }
    if (at > cdOffset) throw new UploadRefused('Excel 文件结构异常（部件越界），无法导入');
    (e as Entry & { dataStart: number }).dataStart = dataStart;
  }
  if (at !== cdOffset) throw new UploadRefused('Excel 文件结构异常（含目录之外的数据），无法导入');
  return entries;
}

/** Inflate one entry as a stream, counting bytes and the longest run of text without '<'. */
function scanEntry(buf: Buffer, e: Entry & { dataStart?: number }, totalSoFar: number): Promise<number> {
  const data = buf.subarray(e.dataStart!, e.dataStart! + e.compressed);
  if (e.method === 0) {
    if (data.length > UPLOAD_LIMITS.entryBytes) throw new UploadRefused('Excel 文件中的部件过大，无法导入');
    if (isXml(e.name) && checkRuns(data, 0).tooLong) throw new UploadRefused(`Excel 文件中有单元格内容超过 ${UPLOAD_LIMITS.cellChars} 个字符，无法导入`);
    return Promise.resolve(data.length);
  }
  if (e.method !== 8) throw new UploadRefused('Excel 文件使用了不支持的压缩方式，无法导入');
  return new Promise<number>((resolve, reject) => {
    const inflate = createInflateRaw();
    let bytes = 0;
    let run = 0;
    const xml = isXml(e.name);
    const fail = (msg: string) => { inflate.destroy(); reject(new UploadRefused(msg)); };
    inflate.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > UPLOAD_LIMITS.entryBytes || totalSoFar + bytes > UPLOAD_LIMITS.totalBytes) return fail(`Excel 文件解压后超过 ${UPLOAD_LIMITS.totalBytes / 1024 / 1024} MB，无法导入；请删除无关内容或拆分后分批导入`);
      if (bytes > UPLOAD_LIMITS.ratioFloorBytes && bytes > UPLOAD_LIMITS.ratio * Math.max(1, e.compressed)) return fail('Excel 文件的压缩比异常（疑似压缩炸弹），无法导入');
      if (!xml) return;
      const r = checkRuns(chunk, run);
      run = r.run;
      if (r.tooLong) return fail(`Excel 文件中有单元格内容超过 ${UPLOAD_LIMITS.cellChars} 个字符，无法导入`);
    });
    inflate.on('end', () => resolve(bytes));
    inflate.on('error', () => reject(new UploadRefused('无法读取 Excel 文件，文件可能已损坏')));
    inflate.end(data);
  });
}

/** Pictures and other binary parts have no tags; only XML parts hold cell text. */
const isXml = (name: string) => /\.(xml|rels|vml)$/i.test(name);

function checkRuns(chunk: Buffer, carried: number): { run: number; tooLong: boolean; bytes: number } {
  let run = carried;
  let from = 0;
  for (;;) {
    const lt = chunk.indexOf(0x3c, from);
    if (lt < 0) {
      run += chunk.length - from;
      break;
    }
    run += lt - from;
    if (run > UPLOAD_LIMITS.textRunBytes) return { run, tooLong: true, bytes: chunk.length };
    run = 0;
    from = lt + 1;
  }
  return { run, tooLong: run > UPLOAD_LIMITS.textRunBytes, bytes: chunk.length };
}

/**
 * Refuse an xlsx that would make the parser hold more than the limits allow (throws UploadRefused,
 * HTTP 413 with a Chinese message). Not a zip (csv): nothing to inflate; the importer bounds it.
 */
export async function assertSafeSpreadsheet(buf: Buffer): Promise<void> {
  if (buf.length < 4 || buf.readUInt32LE(0) !== 0x04034b50) return;
  const entries = readCentralDirectory(buf);
  let total = 0;
  for (const e of entries) total += await scanEntry(buf, e, total);
}

/**
 * The uploaded spreadsheet of an import request (multipart field `file`), bounded and checked before any
 * parsing, with the import concurrency limit of the tenant: what every import route does first.
 */
export async function receiveSpreadsheet(req: FastifyRequest, db: Db, tenantId: number) {
  if (!req.isMultipart()) throw invalid('请以 multipart/form-data 上传文件（字段名 file）', { file: '请选择要导入的文件' });
  const file = await req.file({ limits: { fileSize: UPLOAD_LIMITS.importFileBytes } });
  if (!file || file.fieldname !== 'file') throw invalid('请选择要导入的文件', { file: '请选择要导入的文件' });
  // Over the multipart limit this throws a 413, which the error handler answers as 上传文件过大.
  const buffer = await file.toBuffer();
  await assertSafeSpreadsheet(buffer); // 413 with a Chinese reason before any parsing (issue 17 #4)
  const maxConcurrent = await getSetting(db, tenantId, null, SETTINGS.importMaxConcurrent);
  return { file, buffer, maxConcurrent };
}
