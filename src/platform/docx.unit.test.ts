import { inflateRawSync } from 'node:zlib';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { listZipEntries, sniffType } from './attachments.js';
import { buildOfficialDocument, chineseNumeral, titleLines, type OfficialDocument } from './docx.js';

// rendering (charts, deflate, LibreOffice) is slow on a loaded machine
vi.setConfig({ testTimeout: 60_000 });

/** Read one entry of a zip (docx) buffer: central directory from attachments.ts, then the local header and inflate. */
function readEntry(buf: Buffer, name: string): string {
  const entries = listZipEntries(buf);
  if (!entries) throw new Error('not a zip');
  const e = entries.find((x) => x.name === name);
  if (!e) throw new Error(`no ${name} in the zip: ${entries.map((x) => x.name).join(', ')}`);
  const p = e.localHeaderOffset;
  expect(buf.readUInt32LE(p)).toBe(0x04034b50);
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  const data = buf.subarray(start, start + e.compressedSize);
  return (e.method === 8 ? inflateRawSync(data) : data).toString('utf8');
}

const DOC: OfficialDocument = {
  title: '中共示范县幸福社区第一支部委员会关于2026年度党建工作情况的报告',
  subtitle: '（讨论稿）',
  recipient: '中共示范县城关街道工作委员会',
  blocks: [
    { kind: 'heading1', text: '基本情况' },
    { kind: 'paragraph', text: '今年以来，支部共召开党员大会12次、支委会12次，党员参加组织生活的比例为96.5%。' },
    { kind: 'heading2', text: '组织生活' },
    { kind: 'heading3', text: '三会一课' },
    { kind: 'heading3', text: '主题党日' },
    { kind: 'heading2', text: '（二）党费收缴' },
    { kind: 'heading1', text: '存在的问题' },
    { kind: 'heading2', text: '学习不够深入' },
    { kind: 'table', rows: [['项目', '计划', '完成'], ['支部委员会', '12', '12'], ['党员大会', '4']] },
  ],
  attachmentsNote: ['党员名册', '会议记录。'],
  signature: { org: '中共示范县幸福社区第一支部委员会', date: '2026-11-20' },
};

let buf: Buffer;
let document: string;
let settings: string;
let styles: string;
let footers: string[];
beforeAll(async () => {
  buf = await buildOfficialDocument(DOC);
  document = readEntry(buf, 'word/document.xml');
  settings = readEntry(buf, 'word/settings.xml');
  styles = readEntry(buf, 'word/styles.xml');
  footers = listZipEntries(buf)!.filter((e) => /^word\/footer\d+\.xml$/.test(e.name)).map((e) => readEntry(buf, e.name));
});

/** The run properties of the run holding `text`. */
function runPropsOf(text: string): string {
  const i = document.indexOf(`>${text}</w:t>`);
  expect(i, `run "${text}" not found`).toBeGreaterThan(0);
  const r = document.lastIndexOf('<w:r>', i);
  return document.slice(r, i);
}
/** The paragraph properties of the paragraph holding `text`. */
function paraPropsOf(text: string): string {
  const i = document.indexOf(`>${text}</w:t>`);
  const p = document.lastIndexOf('<w:p>', i);
  return document.slice(p, document.indexOf('</w:pPr>', p));
}

describe('buildOfficialDocument: GB/T 9704 page (DOMAIN.md §7.1)', () => {
  it('is a docx the attachment sniffer accepts', () => {
    expect(sniffType(buf)).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  });

  it('A4 with margins top 37, bottom 35, left 28, right 26 mm (in twips)', () => {
    expect(document).toContain('<w:pgSz w:w="11906" w:h="16838"');
    expect(document).toMatch(/<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"/);
  });

  it('a lines document grid with pitch 579 twips: 22 lines', () => {
    expect(document).toContain('<w:docGrid w:type="lines" w:linePitch="579"/>');
  });

  it('different odd and even page footers with "— PAGE —" in 4号 宋体, odd right and even left', () => {
    expect(settings).toContain('<w:evenAndOddHeaders/>');
    expect(document).toMatch(/<w:footerReference w:type="default"/);
    expect(document).toMatch(/<w:footerReference w:type="even"/);
    expect(footers).toHaveLength(2);
    for (const f of footers) {
      expect(f).toContain('— </w:t>');
      expect(f).toContain('PAGE');
      expect(f).toContain(' —</w:t>');
      expect(f).toContain('w:eastAsia="宋体"');
      expect(f).toContain('<w:sz w:val="28"/>');
    }
    expect(footers.some((f) => f.includes('<w:jc w:val="right"/>') && f.includes('w:right="280"'))).toBe(true);
    expect(footers.some((f) => f.includes('<w:jc w:val="left"/>') && f.includes('w:left="280"'))).toBe(true);
  });
});

describe('buildOfficialDocument: fonts, lines and characters (DOMAIN.md §7.2–7.3)', () => {
  it('title: 2号 (44 half-points) 方正小标宋简体, centred, broken into lines where the meaning allows, off the grid', () => {
    const lines = titleLines(DOC.title);
    expect(lines).toEqual(['中共示范县幸福社区第一支部委员会', '关于2026年度党建工作情况的报告']);
    for (const line of lines) {
      const rp = runPropsOf(line);
      expect(rp).toContain('<w:sz w:val="44"/>');
      expect(rp).toContain('w:eastAsia="方正小标宋简体"');
    }
    expect(document).toMatch(/<w:br\/><w:t xml:space="preserve">关于2026年度/);
    const pp = paraPropsOf(lines[0]);
    expect(pp).toContain('<w:jc w:val="center"/>');
    // LibreOffice would give each 2号 line two grid lines
    expect(pp).toContain('<w:pStyle w:val="ZhibuOffGrid"/>');
    expect(pp).toContain('<w:snapToGrid w:val="false"/>');
  });

  it('body: 3号 (32 half-points) 仿宋_GB2312, Latin and digits Times New Roman, exact 579 lines, −5 character spacing, indent 2 characters, widow control off', () => {
    const text = DOC.blocks[1].text!;
    const rp = runPropsOf(text);
    expect(rp).toContain('<w:sz w:val="32"/>');
    expect(rp).toContain('w:eastAsia="仿宋_GB2312"');
    expect(rp).toContain('w:ascii="Times New Roman"');
    expect(rp).toContain('w:hAnsi="Times New Roman"');
    expect(rp).toContain('<w:spacing w:val="-5"/>');
    const pp = paraPropsOf(text);
    expect(pp).toContain('w:line="579" w:lineRule="exact"');
    expect(pp).toContain('w:firstLine="640"');
    expect(pp).toContain('<w:widowControl w:val="false"/>');
    // the defaults say the same, for text a person adds in Word
    expect(styles).toContain('w:eastAsia="仿宋_GB2312"');
    expect(styles).toContain('w:line="579" w:lineRule="exact"');
  });

  it('headings: 一、 黑体; （一） 楷体_GB2312; 1. 仿宋 — numbered, restarting under each higher level, typed numbers kept', () => {
    expect(runPropsOf('一、基本情况')).toContain('w:eastAsia="黑体"');
    expect(runPropsOf('（一）组织生活')).toContain('w:eastAsia="楷体_GB2312"');
    expect(runPropsOf('1.三会一课')).toContain('w:eastAsia="仿宋_GB2312"');
    expect(document).toContain('>2.主题党日</w:t>');
    expect(document).toContain('>（二）党费收缴</w:t>');
    expect(document).toContain('>二、存在的问题</w:t>');
    expect(document).toContain('>（一）学习不够深入</w:t>');
    expect(paraPropsOf('一、基本情况')).toContain('w:firstLine="640"');
  });

  it('recipient flush left with a full-width colon; attachments note and signature', () => {
    expect(paraPropsOf('中共示范县城关街道工作委员会：')).toContain('<w:jc w:val="left"/>');
    expect(document).toContain('>附件：1. 党员名册</w:t>');
    expect(document).toContain('>2. 会议记录</w:t>'); // no punctuation after the name
    expect(paraPropsOf('2026年11月20日')).toContain('w:right="1280"'); // 右空四字
    expect(paraPropsOf('2026年11月20日')).toContain('<w:jc w:val="right"/>');
  });

  it('tables: one cell per column on every row, header row repeated', () => {
    expect(document).toContain('<w:tblHeader/>');
    expect((document.match(/<w:tc>/g) ?? []).length).toBe(9);
    expect(document).toContain('>支部委员会</w:t>');
  });

  it('escapes text (XML), whatever it holds', async () => {
    const b = await buildOfficialDocument({ title: 'A & B <c>', blocks: [{ kind: 'paragraph', text: '"引号" & <标签>' }] });
    const xml = readEntry(b, 'word/document.xml');
    expect(xml).toContain('A &amp; B &lt;c&gt;');
    expect(xml).not.toContain('<c>');
  });
});

describe('buildOfficialDocument: pictures, appendix, fonts, determinism', () => {
  // a 1×1 white PNG
  const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==', 'base64');
  const WITH_EXTRAS: OfficialDocument = {
    title: '报告',
    recipient: '各位领导、同志们',
    blocks: [
      { kind: 'paragraph', text: '党员12名，缺少值。', runs: [{ text: '党员12名，' }, { text: '缺少值', highlight: true }, { text: '。' }] },
      { kind: 'table', title: '表1  各支部情况', rows: [['支部', '人数'], ['第一支部', '12']], widths: [3, 1], size: 'small' },
      { kind: 'image', png: PNG, widthPx: 548, heightPx: 308, alt: '各支部党员人数' },
    ],
    signature: { org: '中共示范县幸福社区委员会', date: '2026-12-04' },
    appendix: { heading: '附：数据项说明', blocks: [{ kind: 'table', rows: [['数据项', '数值'], ['党员人数', '12']] }] },
  };

  it('a highlighted run, a table title, relative widths, small table text, a picture 8 grid lines high plus one', async () => {
    const b = await buildOfficialDocument(WITH_EXTRAS);
    const xml = readEntry(b, 'word/document.xml');
    expect(xml).toMatch(/<w:highlight w:val="yellow"\/>(?:(?!<\/w:r>).)*>缺少值<\/w:t>/);
    expect(xml).toContain('>表1  各支部情况</w:t>');
    expect(xml).toContain('<w:gridCol w:w="6633"/><w:gridCol w:w="2211"/>');
    expect(xml).toContain('<w:sz w:val="24"/>');
    expect(xml).toContain('<wp:extent cx="5219700" cy="2933700"/>'); // 548 × 308 px
    expect(xml).toContain('w:line="5211" w:lineRule="exact"'); // (8 + 1) × 579: the extra line keeps LibreOffice from cropping the top
    expect(listZipEntries(b)!.some((e) => /^word\/media\/.+\.png$/.test(e.name))).toBe(true);
  });

  it('the appendix starts a new page after the signature, its heading flush left in 黑体', async () => {
    const xml = readEntry(await buildOfficialDocument(WITH_EXTRAS), 'word/document.xml');
    expect(xml.indexOf('>附：数据项说明</w:t>')).toBeGreaterThan(xml.indexOf('>2026年12月4日</w:t>'));
    const p = xml.lastIndexOf('<w:p>', xml.indexOf('>附：数据项说明</w:t>'));
    const pp = xml.slice(p, xml.indexOf('</w:pPr>', p));
    expect(pp).toContain('<w:pageBreakBefore/>');
    expect(pp).toContain('<w:jc w:val="left"/>');
    expect(xml.slice(p, xml.indexOf('>附：数据项说明</w:t>'))).toContain('w:eastAsia="黑体"');
  });

  it('names fallbacks for the official fonts in the font table and marks text zh-CN', async () => {
    const b = await buildOfficialDocument(WITH_EXTRAS);
    const fonts = readEntry(b, 'word/fontTable.xml');
    for (const f of ['方正小标宋简体', '仿宋_GB2312', '楷体_GB2312', '宋体']) {
      expect(fonts).toContain(`<w:font w:name="${f}"><w:altName w:val="Noto Serif CJK SC"/><w:charset w:val="86"/><w:family w:val="roman"/>`);
    }
    expect(fonts).toContain('<w:font w:name="黑体"><w:altName w:val="Noto Sans CJK SC"/>');
    expect(readEntry(b, 'word/styles.xml')).toContain('w:eastAsia="zh-CN"');
  });

  it('is deterministic: the same input gives the same bytes, also a second later; dates from the signature', async () => {
    const a = await buildOfficialDocument(WITH_EXTRAS);
    await new Promise((r) => setTimeout(r, 1100));
    const b = await buildOfficialDocument(WITH_EXTRAS);
    expect(b.equals(a)).toBe(true);
    const core = readEntry(a, 'docProps/core.xml');
    expect(core).toContain('>2026-12-04T00:00:00Z</dcterms:created>');
    expect(core).toContain('>2026-12-04T00:00:00Z</dcterms:modified>');
    // zip entries dated 2026-12-04 00:00 (DOS date/time)
    const cd = a.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    expect(a.readUInt16LE(cd + 12)).toBe(0);
    expect(a.readUInt16LE(cd + 14)).toBe(((2026 - 1980) << 9) | (12 << 5) | 4);
    const other = await buildOfficialDocument({ ...WITH_EXTRAS, title: '报告二' });
    expect(other.equals(a)).toBe(false);
  });
});

describe('titleLines', () => {
  it('one line when it fits; never breaks a number; lines no longer than 20 characters', () => {
    expect(titleLines('短标题')).toEqual(['短标题']);
    const long = '中共示范县委组织部关于开展2026年度基层党组织书记抓党建工作述职评议考核的通知要求和安排意见';
    const lines = titleLines(long);
    expect(lines.join('')).toBe(long);
    expect(lines.length).toBe(3);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(22);
    expect(lines.some((l) => /^\d|\d$/.test(l) && !/^\d{4}年/.test(l))).toBe(false);
    expect(titleLines('中共示范县城关街道幸福社区委员会书记2026年度抓基层党建工作述职报告')).toEqual(['中共示范县城关街道幸福社区委员会', '书记2026年度抓基层党建工作述职报告']);
  });
});

describe('chineseNumeral', () => {
  it.each([[1, '一'], [9, '九'], [10, '十'], [11, '十一'], [20, '二十'], [21, '二十一'], [99, '九十九'], [100, '100']])('%i → %s', (n, s) => {
    expect(chineseNumeral(n)).toBe(s);
  });
});
