import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { listZipEntries } from '../../../platform/attachments.js';
import { renderReportDocx } from './docx.js';
import { REPORT_FIXTURE } from './fixture.js';
import type { RenderedReport } from './types.js';

function entry(buf: Buffer, name: string): Buffer {
  const e = listZipEntries(buf)!.find((x) => x.name === name);
  if (!e) throw new Error(`no ${name}`);
  const p = e.localHeaderOffset;
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  const data = buf.subarray(start, start + e.compressedSize);
  return e.method === 8 ? inflateRawSync(data) : data;
}
const documentXml = (buf: Buffer) => entry(buf, 'word/document.xml').toString('utf8');
const texts = (xml: string) => [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]);

describe('renderReportDocx', () => {
  it('lays the report out: title lines, salutation, numbered headings by level, tables with titles, the chart as a picture, closing, signature, appendix', async () => {
    const buf = await renderReportDocx(REPORT_FIXTURE);
    const xml = documentXml(buf);
    const t = texts(xml);
    expect(t.slice(0, 2)).toEqual(['中共示范县城关街道幸福社区委员会', '书记2026年度抓基层党建工作述职报告']);
    expect(t).toContain('各位领导、同志们：');
    expect(t).toContain('一、履行抓基层党建工作责任情况');
    expect(t).toContain('（一）组织建设');
    expect(t).toContain('1.三会一课');
    expect(t).toContain('（二）党员队伍');
    expect(t).toContain('二、存在的问题');
    expect(t).toContain('三、下一步工作打算');
    expect(t).toContain('表1  各支部基本情况');
    expect(t).toContain('党费收缴率');
    expect(t).toContain('以上报告，请予审议。');
    expect(t).toContain('2026年12月4日');
    expect(t).toContain('附：数据项说明');
    for (const h of ['数据项', '定义', '期间', '数值', '证据条数', '党委会召开次数', '期末在册的正式党员和预备党员人数']) expect(t).toContain(h);
    // the chart: one PNG in word/media, drawn inline
    const media = listZipEntries(buf)!.filter((e) => e.name.startsWith('word/media/'));
    expect(media).toHaveLength(1);
    expect(entry(buf, media[0].name).subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(xml).toContain('<wp:inline');
    expect(xml).toContain('descr="各支部党员人数"');
    // a paragraph's runs joined into one body paragraph
    expect(t.some((s) => s.startsWith('2026年，社区党委坚持') && s.includes('全年共召开党委会12次、党员大会4次'))).toBe(true);
    // final: no draft mark, no highlight
    expect(t).not.toContain('（草稿）');
    expect(xml).not.toContain('w:highlight');
    expect(xml).not.toMatch(/\{\{|XX/);
  });

  it('a draft says so under the title and marks missing values yellow; narrative line breaks make paragraphs', async () => {
    const draft: RenderedReport = {
      ...REPORT_FIXTURE, status: 'draft', signature: undefined,
      sections: [{ heading: '基本情况', level: 1, blocks: [
        { kind: 'paragraph', runs: [{ text: '党员' }, { text: '【党员人数】', missing: true }, { text: '名。' }] },
        { kind: 'paragraph', runs: [{ text: '第一段。\n第二段。\n\n第三段。' }] },
      ] }],
    };
    const xml = documentXml(await renderReportDocx(draft));
    const t = texts(xml);
    expect(t).toContain('（草稿）');
    expect(xml).toMatch(/<w:highlight w:val="yellow"\/>(?:(?!<\/w:r>).)*>【党员人数】<\/w:t>/);
    expect(t).toEqual(expect.arrayContaining(['第一段。', '第二段。', '第三段。']));
    expect(t.filter((s) => /^第.段。$/.test(s))).toHaveLength(3);
  });

  it('is deterministic: byte-identical twice and after a second; a changed value changes the bytes', async () => {
    const a = await renderReportDocx(REPORT_FIXTURE);
    const b = await renderReportDocx(REPORT_FIXTURE);
    await new Promise((r) => setTimeout(r, 1100));
    const c = await renderReportDocx(structuredClone(REPORT_FIXTURE));
    expect(b.equals(a)).toBe(true);
    expect(c.equals(a)).toBe(true);
    expect(entry(a, 'docProps/core.xml').toString('utf8')).toContain('2026-12-04T00:00:00Z');
    const changed = structuredClone(REPORT_FIXTURE);
    changed.appendix[0].value = '13';
    expect((await renderReportDocx(changed)).equals(a)).toBe(false);
  });
});
