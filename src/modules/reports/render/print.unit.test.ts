import { describe, expect, it } from 'vitest';
import { REPORT_FIXTURE } from './fixture.js';
import { PRINT_CSP, renderReportHtml } from './print.js';
import type { RenderedReport } from './types.js';

describe('renderReportHtml (print view)', () => {
  const html = renderReportHtml(REPORT_FIXTURE);

  it('an A4 page with the GB/T 9704 margins and the official fonts by name, Chinese document', () => {
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="zh-CN">/);
    expect(html).toContain('@page { size: A4; margin: 37mm 26mm 35mm 28mm; }');
    expect(html).toContain('"仿宋_GB2312"');
    expect(html).toContain('"方正小标宋简体"');
    expect(html).toContain('counter(page)');
  });

  it('the report in order: title lines, salutation, numbered headings, table, chart as inline SVG, closing, signature, appendix', () => {
    const order = [
      '<h1 class="title">中共示范县城关街道幸福社区委员会<br>书记2026年度抓基层党建工作述职报告</h1>',
      '<p class="salutation">各位领导、同志们：</p>',
      '<h2>一、履行抓基层党建工作责任情况</h2>',
      '<h3>（一）组织建设</h3>',
      '<caption>表1  各支部基本情况</caption>',
      '<h4>1.三会一课</h4>',
      '<h3>（二）党员队伍</h3>',
      '<figure role="img" aria-label="各支部党员人数"><svg',
      '<h2>二、存在的问题</h2>',
      '<p>以上报告，请予审议。</p>',
      '<p class="date">2026年12月4日</p>',
      '<section class="appendix"><h2>附：数据项说明</h2>',
      '<td>期末在册的正式党员和预备党员人数</td>',
    ];
    let at = -1;
    for (const s of order) {
      const i = html.indexOf(s);
      expect(i, s).toBeGreaterThan(at);
      at = i;
    }
    expect(html).toContain('<span data-ref="p1">12</span>');
  });

  it('no script, no external requests; text escaped; missing values marked in a draft', () => {
    const evil: RenderedReport = {
      ...REPORT_FIXTURE, status: 'draft', title: '<script>alert(1)</script>',
      sections: [{ heading: '<img src=x onerror=alert(1)>', level: 1, blocks: [
        { kind: 'paragraph', runs: [{ text: '"a" & <b>' }, { text: '【缺】', missing: true }] },
        { kind: 'chart', title: '<script>', chart: 'pie', categories: ['<i>'], values: [1], unit: '' },
      ] }],
    };
    const h = renderReportHtml(evil);
    expect(h).not.toMatch(/<script|<img|<i>|@import|url\(/i);
    const tags = h.match(/<[a-z][^>]*>/gi) ?? [];
    expect(tags.length).toBeGreaterThan(10);
    expect(tags.filter((t) => /\son\w+=|\ssrc=|\shref=/i.test(t))).toEqual([]);
    expect(h).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(h).toContain('&quot;a&quot; &amp; &lt;b&gt;<mark>【缺】</mark>');
    expect(h).toContain('<p class="subtitle">（草稿）</p>');
    expect(PRINT_CSP).toContain("default-src 'none'");
    expect(PRINT_CSP).toContain("style-src 'unsafe-inline'");
    expect(PRINT_CSP).not.toMatch(/script-src/);
  });
});
