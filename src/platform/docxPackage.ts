import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { listZipEntries } from './attachments.js';

/**
 * The package side of the GB/T 9704 docx builder (docx.ts): the official font names and their fallbacks
 * in the font table, the off-grid paragraph style, and the deterministic re-packing (same input, same
 * bytes) that a frozen report relies on.
 */
export const FONTS = {
  body: '仿宋_GB2312',
  title: '方正小标宋简体',
  heading1: '黑体',
  heading2: '楷体_GB2312',
  pageNumber: '宋体',
  latin: 'Times New Roman',
} as const;

/**
 * Paragraphs in this style do not snap to the document grid (`w:snapToGrid w:val="false"`, added when
 * packing: the docx library has no paragraph option for it): the title, table cells and pictures. LibreOffice
 * snaps every line to the 579-twip grid otherwise, and a line taller than the pitch (a 2号 title, a picture)
 * takes two or more grid lines, a table row at least one.
 */
export const OFF_GRID = 'ZhibuOffGrid';

/**
 * The font table names each official font with what to use where it is absent: `w:altName` (read by
 * Word; LibreOffice uses the fontconfig mapping in assets/fontconfig/zhibu-fonts.conf), the GB2312
 * charset and the family class, so a substitute is at least a serif (仿宋/楷体/宋体/小标宋) or a sans (黑体).
 */
const FONT_TABLE_FALLBACKS: { name: string; alt: string; family: 'roman' | 'swiss' }[] = [
  { name: FONTS.title, alt: 'Noto Serif CJK SC', family: 'roman' },
  { name: FONTS.body, alt: 'Noto Serif CJK SC', family: 'roman' },
  { name: FONTS.heading2, alt: 'Noto Serif CJK SC', family: 'roman' },
  { name: FONTS.pageNumber, alt: 'Noto Serif CJK SC', family: 'roman' },
  { name: FONTS.heading1, alt: 'Noto Sans CJK SC', family: 'swiss' },
  { name: FONTS.latin, alt: 'Liberation Serif', family: 'roman' },
];

function withFontFallbacks(fontTable: string): string {
  const entries = FONT_TABLE_FALLBACKS.filter((f) => !fontTable.includes(`w:name="${f.name}"`)).map((f) =>
    `<w:font w:name="${f.name}"><w:altName w:val="${f.alt}"/><w:charset w:val="${f.name === FONTS.latin ? '00' : '86'}"/>` +
    `<w:family w:val="${f.family}"/><w:pitch w:val="variable"/></w:font>`).join('');
  if (/<w:fonts[^>]*\/>\s*$/.test(fontTable)) return fontTable.replace(/<w:fonts([^>]*?)\/>\s*$/, `<w:fonts$1>${entries}</w:fonts>`);
  return fontTable.replace(/<\/w:fonts>\s*$/, `${entries}</w:fonts>`);
}

/** `w:snapToGrid w:val="false"` in the paragraph properties of the off-grid style and its paragraphs (schema order: before w:spacing). */
function offGrid(xml: string): string {
  const styleId = new RegExp(`(<w:style [^>]*w:styleId="${OFF_GRID}"[^>]*>(?:(?!</w:style>).)*?<w:pPr>(?:(?!</w:pPr>).)*?)(<w:spacing )`, 'g');
  const pStyle = new RegExp(`(<w:pStyle w:val="${OFF_GRID}"/>(?:(?!</w:pPr>).)*?)(<w:spacing )`, 'g');
  return xml.replace(styleId, '$1<w:snapToGrid w:val="false"/>$2').replace(pStyle, '$1<w:snapToGrid w:val="false"/>$2');
}

const DOS_EPOCH_FLOOR = 1980;
/**
 * Re-pack the docx so the same input gives the same bytes: the entries in their order, each deflated
 * again with a fixed date and time (the document's date, 00:00), and the dates in docProps/core.xml set
 * to that date. The docx library stamps both with the time of packing.
 */
export function deterministic(buf: Buffer, date: string): Buffer {
  const entries = listZipEntries(buf);
  if (!entries) throw new Error('docx: not a zip');
  const [y, m, d] = date.split('-').map(Number);
  const dosDate = ((Math.max(DOS_EPOCH_FLOOR, y) - DOS_EPOCH_FLOOR) << 9) | (m << 5) | d;
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const p = e.localHeaderOffset;
    const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
    const raw = buf.subarray(start, start + e.compressedSize);
    let data: Buffer = e.method === 8 ? inflateRawSync(raw) : Buffer.from(raw);
    if (e.name === 'docProps/core.xml') {
      data = Buffer.from(data.toString('utf8').replace(/(<dcterms:(?:created|modified)[^>]*>)[^<]*(<\/dcterms:)/g, `$1${date}T00:00:00Z$2`), 'utf8');
    } else if (e.name === 'word/document.xml' || e.name === 'word/styles.xml') {
      // drawing ids come from a process-wide counter in the docx library: number them from 1 in each document
      let id = 0;
      data = Buffer.from(offGrid(data.toString('utf8')).replace(/<wp:docPr id="\d+"/g, () => `<wp:docPr id="${++id}"`), 'utf8');
    } else if (e.name === 'word/fontTable.xml') {
      data = Buffer.from(withFontFallbacks(data.toString('utf8')), 'utf8');
    }
    const packed = deflateRawSync(data, { level: 6 });
    const name = Buffer.from(e.name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(0, 10); // time 00:00
    local.writeUInt16LE(dosDate, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4); // made by
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(0x0800, 8);
    cd.writeUInt16LE(8, 10);
    cd.writeUInt16LE(0, 12);
    cd.writeUInt16LE(dosDate, 14);
    cd.writeUInt32LE(crc, 16);
    cd.writeUInt32LE(packed.length, 20);
    cd.writeUInt32LE(data.length, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    central.push(cd, name);
    offset += 30 + name.length + packed.length;
  }
  const cdBuf = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cdBuf.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cdBuf, eocd]);
}
