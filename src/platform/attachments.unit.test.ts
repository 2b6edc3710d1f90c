import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deflateRawSync } from 'node:zlib';
import { cleanFilename, contentDisposition, listZipEntries, newStorageKey, repairFilename, sniffType } from './attachments.js';

/** A minimal zip writer for the sniffer tests: stored or deflated entries, central directory, end record. */
function zip(entries: { name: string; data?: string }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const raw = Buffer.from(e.data ?? '');
    const data = deflateRawSync(raw);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(raw.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += 30 + name.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const OFFICE = '[Content_Types].xml';

describe('sniffType: by content only', () => {
  it.each([
    ['jpeg', Buffer.from([0xff, 0xd8, 0xff, 0xdb, 1, 2]), 'image/jpeg'],
    ['png', Buffer.from('89504e470d0a1a0a0000', 'hex'), 'image/png'],
    ['webp', Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8L')]), 'image/webp'],
    ['riff but wave', Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVEfmt ')]), null],
    ['pdf', Buffer.from('%PDF-1.4\n'), 'application/pdf'],
    ['pdf-ish but not at the start', Buffer.from('xx%PDF-1.4\n'), 'text/plain'],
    ['docx', zip([{ name: OFFICE }, { name: 'word/document.xml', data: '<w:document/>' }]), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['xlsx', zip([{ name: OFFICE }, { name: 'xl/workbook.xml' }]), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ['pptx (not allowed)', zip([{ name: OFFICE }, { name: 'ppt/presentation.xml' }]), null],
    ['zip without content types', zip([{ name: 'word/document.xml' }]), null],
    ['odt-like zip', zip([{ name: 'mimetype', data: 'application/vnd.oasis.opendocument.text' }]), null],
    ['truncated zip', zip([{ name: OFFICE }, { name: 'word/document.xml' }]).subarray(0, 40), null],
    ['utf-8 text', Buffer.from('党支部会议纪要\n'), 'text/plain'],
    ['utf-8 text with a BOM', Buffer.from('\ufeff会议纪要'), 'text/plain'],
    ['text with "<" inside', Buffer.from('a < b, 1<2\n<b> later is fine'), 'text/plain'],
    ['html', Buffer.from('<!doctype html><title>x</title>'), null],
    ['html after whitespace', Buffer.from('\n\t <script>alert(1)</script>'), null],
    ['xml / svg', Buffer.from('<?xml version="1.0"?><svg/>'), null],
    ['gb18030 text', Buffer.from([0xd6, 0xd0, 0xb9, 0xfa]), null],
    ['binary with NUL', Buffer.from('abc\u0000def'), null],
    ['elf', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), null],
    ['gif (not allowed)', Buffer.from('GIF89a\u0001\u0000'), null],
    ['empty', Buffer.alloc(0), null],
  ])('%s → %s', (_what, buf, mime) => {
    expect(sniffType(buf)).toBe(mime);
  });

  it('never throws on arbitrary bytes, including broken zips', () => {
    const zipHead = fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from(a)]));
    const withEnd = fc.uint8Array({ maxLength: 200 }).map((a) => {
      const b = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from(a), Buffer.from('504b0506', 'hex'), Buffer.from(a.slice(0, 18))]);
      return b;
    });
    fc.assert(fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)), zipHead, withEnd), (buf) => {
      sniffType(buf);
      listZipEntries(buf);
    }), { numRuns: 3000 });
  });
});

describe('listZipEntries', () => {
  it('lists names, methods and sizes from the central directory', () => {
    const entries = listZipEntries(zip([{ name: OFFICE, data: 'abc' }, { name: 'word/document.xml', data: 'hello' }]))!;
    expect(entries.map((e) => [e.name, e.method, e.size])).toEqual([[OFFICE, 8, 3], ['word/document.xml', 8, 5]]);
  });
});

describe('filenames', () => {
  it.each([
    ['会议记录.docx', '会议记录.docx'],
    ['C:\\Users\\张三\\Desktop\\照片.jpg', '照片.jpg'],
    ['../../etc/passwd', 'passwd'],
    ['<script>.png', '_script_.png'],
    ['a:b|c?d*e"f.txt', 'a_b_c_d_e_f.txt'],
    ['tab\there.txt', 'tab_here.txt'],
    ['...hidden', 'hidden'],
    ['', '附件'],
    ['   ', '附件'],
    [`${'长'.repeat(200)}.xlsx`, `${'长'.repeat(115)}.xlsx`],
    // raw UTF-8 read as latin1 by the multipart parser
    [Buffer.from('支部照片.png').toString('latin1'), '支部照片.png'],
    ['café.txt', 'café.txt'],
  ])('%j → %j', (raw, clean) => {
    expect(cleanFilename(raw)).toBe(clean);
  });

  it('repairFilename leaves a real latin1 name and a decoded Chinese name alone', () => {
    expect(repairFilename('résumé.pdf')).toBe('résumé.pdf');
    expect(repairFilename('会议.pdf')).toBe('会议.pdf');
  });

  it('Content-Disposition carries an ASCII fallback and the RFC 5987 UTF-8 name', () => {
    expect(contentDisposition('会议记录(2026).docx', false)).toBe(
      `attachment; filename="____(2026).docx"; filename*=UTF-8''%E4%BC%9A%E8%AE%AE%E8%AE%B0%E5%BD%95%282026%29.docx`,
    );
    expect(contentDisposition('a"b;c%d\'.pdf', true)).toBe(`inline; filename="a_b_c_d'.pdf"; filename*=UTF-8''a%22b%3Bc%25d%27.pdf`);
  });

  it('storage keys are tenant/yyyy/mm/random and never repeat', () => {
    const a = newStorageKey(3, '2026-11-20');
    expect(a).toMatch(/^3\/2026\/11\/[0-9a-f]{32}$/);
    expect(newStorageKey(3, '2026-11-20')).not.toBe(a);
  });
});
