import { createDeflateRaw, crc32 } from 'node:zlib';
import ExcelJS from 'exceljs';

/**
 * Crafted xlsx files for the upload-bound tests (issue 17 #4): parts are deflated as streams, so a
 * 300 MiB cell never exists as one string in the test process.
 */
export interface Part { name: string; chunks: () => Iterable<string | Buffer> }

async function deflatePart(part: Part): Promise<{ name: string; data: Buffer; crc: number; size: number }> {
  const d = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  d.on('data', (c: Buffer) => out.push(c));
  const ended = new Promise((r) => d.on('end', r));
  let crc = 0;
  let size = 0;
  for (const c of part.chunks()) {
    const b = typeof c === 'string' ? Buffer.from(c) : c;
    crc = crc32(b, crc);
    size += b.length;
    if (!d.write(b)) await new Promise((r) => d.once('drain', r));
  }
  d.end();
  await ended;
  return { name: part.name, data: Buffer.concat(out), crc, size };
}

export async function zipParts(parts: Part[]): Promise<Buffer> {
  const local: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const e = await deflatePart(p);
    const name = Buffer.from(e.name);
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0); h.writeUInt16LE(20, 4); h.writeUInt16LE(0x800, 6); h.writeUInt16LE(8, 8);
    h.writeUInt32LE(e.crc >>> 0, 14); h.writeUInt32LE(e.data.length, 18); h.writeUInt32LE(e.size >>> 0, 22); h.writeUInt16LE(name.length, 26);
    local.push(h, name, e.data);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0); c.writeUInt16LE(20, 4); c.writeUInt16LE(20, 6); c.writeUInt16LE(0x800, 8); c.writeUInt16LE(8, 10);
    c.writeUInt32LE(e.crc >>> 0, 16); c.writeUInt32LE(e.data.length, 20); c.writeUInt32LE(e.size >>> 0, 24); c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(offset, 42);
    central.push(c, name);
    offset += 30 + name.length + e.data.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(parts.length, 8); end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...local, cd, end]);
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const inline = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${esc(text)}</t></is></c>`;
export const colName = (i: number): string => (i < 26 ? String.fromCharCode(65 + i) : colName(Math.floor(i / 26) - 1) + String.fromCharCode(65 + (i % 26)));
export const headerRowXml = (headers: string[]) => `<row r="1">${headers.map((h, i) => inline(`${colName(i)}1`, h)).join('')}</row>`;

/** A minimal xlsx whose only sheet's <sheetData> is produced by `rows` (strings, streamed). */
export function craftedXlsx(rows: () => Iterable<string>): Promise<Buffer> {
  const fixed = (name: string, text: string): Part => ({ name, chunks: () => [text] });
  return zipParts([
    fixed('[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'),
    fixed('_rels/.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    fixed('xl/workbook.xml', '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="党员信息" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    fixed('xl/_rels/workbook.xml.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
    {
      name: 'xl/worksheets/sheet1.xml',
      chunks: function* () {
        yield '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
        yield* rows();
        yield '</sheetData></worksheet>';
      },
    },
  ]);
}

/** The header texts of a template workbook's first sheet. */
export async function templateHeaders(xlsx: Buffer): Promise<string[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(xlsx as never);
  const out: string[] = [];
  wb.worksheets[0].getRow(1).eachCell((c) => { out.push(String(c.value)); });
  return out;
}

export { inline as inlineCellXml };
