import { describe, expect, it } from 'vitest';
import { CHART_SIZE, cjkFontFiles, renderChartPng } from './chart.js';
import { decodePng, inkBox, pixel, PNG_SIGNATURE } from './png.testkit.js';
import type { RenderedChart } from './types.js';

const BAR: RenderedChart = { kind: 'chart', title: '各支部党员人数', chart: 'bar', categories: ['第一支部', '第二支部', '第三支部', '机关支部'], values: [23, 41, 17, 30], unit: '人' };
const PIE: RenderedChart = { kind: 'chart', title: '党员年龄结构', chart: 'pie', categories: ['35岁及以下', '36至60岁', '61岁及以上'], values: [12, 40, 25], unit: '人' };

describe('renderChartPng (ECharts SSR → SVG → resvg, no browser)', () => {
  it('finds the Noto Sans CJK font files (fonts-noto-cjk)', () => {
    expect(cjkFontFiles().length).toBeGreaterThan(0);
  });

  it('a bar chart: a PNG of twice the nominal size, white background, red bars, their heights in proportion', () => {
    const png = renderChartPng(BAR);
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const r = decodePng(png);
    expect([r.width, r.height]).toEqual([CHART_SIZE.width * 2, CHART_SIZE.height * 2]);
    expect(pixel(r, 2, 2)).toEqual([255, 255, 255]);
    // the bars: columns where red (#c23531) runs vertically; the tallest belongs to 第二支部 (41)
    const redHeight = (x: number) => {
      let n = 0;
      for (let y = 0; y < r.height; y++) {
        const [R, G, B] = pixel(r, x, y);
        if (R > 170 && G < 90 && B < 90) n++;
      }
      return n;
    };
    const heights: number[] = [];
    for (let x = 0; x < r.width; x += 4) heights.push(redHeight(x));
    const bars = heights.filter((h) => h > 0);
    expect(bars.length).toBeGreaterThan(20);
    const max = Math.max(...bars);
    const min = Math.min(...bars.filter((h) => h > max / 4));
    expect(min / max).toBeCloseTo(17 / 41, 1);
  });

  it('draws the Chinese labels (glyphs, not nothing): labels add ink below the axis', () => {
    const axisArea = (c: RenderedChart) => {
      const r = decodePng(renderChartPng(c));
      return inkBox(r, 128, { x0: 0, y0: Math.round(r.height * 0.86), x1: r.width, y1: Math.round(r.height * 0.97) }).count;
    };
    const withLabels = axisArea(BAR);
    const without = axisArea({ ...BAR, categories: BAR.categories.map(() => '') });
    expect(withLabels).toBeGreaterThan(without + 2000);
  });

  it('a pie chart is not blank: several colours, ink around the centre', () => {
    const r = decodePng(renderChartPng(PIE));
    const colours = new Set<string>();
    for (let y = 0; y < r.height; y += 7) for (let x = 0; x < r.width; x += 7) colours.add(pixel(r, x, y).map((v) => v >> 5).join(','));
    expect(colours.size).toBeGreaterThan(4);
    const box = inkBox(r, 200);
    expect(box.count).toBeGreaterThan(r.width * r.height * 0.1);
  });

  it('is deterministic', () => {
    expect(renderChartPng(BAR).equals(renderChartPng(BAR))).toBe(true);
  });
});
