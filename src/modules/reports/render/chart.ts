import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import * as echarts from 'echarts';
import type { RenderedChart } from './types.js';

/**
 * A chart block as a PNG, rendered on the server without a browser: ECharts server-side rendering to
 * SVG, then resvg to PNG. Chinese labels need a CJK font (fonts-noto-cjk; STACK.md "Fonts"): resvg is
 * given the Noto Sans CJK files found by fontconfig, and system fonts are not scanned (faster, and the
 * same picture on every machine that has the same fonts).
 */

export const CHART_SIZE = { width: 800, height: 450 } as const;
const FONT_FAMILY = 'Noto Sans CJK SC';

let fontFilesCache: string[] | undefined;
/** The Noto Sans CJK font files on this machine ([] when none: labels then render without glyphs). */
export function cjkFontFiles(): string[] {
  if (fontFilesCache) return fontFilesCache;
  const files = new Set<string>();
  try {
    const out = execFileSync('fc-list', [':family=Noto Sans CJK SC', 'file'], { encoding: 'utf8', timeout: 10_000 });
    for (const line of out.split('\n')) {
      const f = line.trim().replace(/:$/, '');
      if (f && existsSync(f)) files.add(f);
    }
  } catch {
    /* no fontconfig */
  }
  if (files.size === 0) {
    for (const f of ['/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc']) {
      if (existsSync(f)) files.add(f);
    }
  }
  // regular first, then the rest, in a stable order
  fontFilesCache = [...files].sort((a, b) => Number(!/Regular/.test(a)) - Number(!/Regular/.test(b)) || a.localeCompare(b));
  return fontFilesCache;
}

function option(block: RenderedChart): echarts.EChartsCoreOption {
  const unit = block.unit ? `（${block.unit}）` : '';
  const textStyle = { fontFamily: FONT_FAMILY, fontSize: 22, color: '#000' };
  const common = { animation: false, backgroundColor: '#fff', textStyle, title: { text: block.title + unit, left: 'center', top: 8, textStyle: { ...textStyle, fontSize: 28, fontWeight: 'normal' } } };
  if (block.chart === 'pie') {
    return {
      ...common,
      color: ['#c23531', '#2f4554', '#61a0a8', '#d48265', '#91c7ae', '#749f83', '#ca8622', '#bda29a', '#6e7074', '#546570'],
      series: [{
        type: 'pie', radius: ['0%', '58%'], center: ['50%', '56%'],
        label: { formatter: '{b}\n{c}（{d}%）', fontFamily: FONT_FAMILY, fontSize: 22, color: '#000' }, percentPrecision: 1,
        data: block.categories.map((name, i) => ({ name, value: block.values[i] ?? 0 })),
      }],
    };
  }
  return {
    ...common,
    grid: { left: 72, right: 32, top: 80, bottom: 64, containLabel: false },
    xAxis: { type: 'category', data: block.categories, axisLabel: { interval: 0, rotate: block.categories.length > 6 ? 30 : 0, fontFamily: FONT_FAMILY, fontSize: 22, color: '#000' } },
    yAxis: { type: 'value', minInterval: block.values.every((v) => Number.isInteger(v)) ? 1 : undefined, axisLabel: { fontFamily: FONT_FAMILY, fontSize: 22, color: '#000' } },
    series: [{ type: 'bar', data: block.values, barMaxWidth: 48, itemStyle: { color: '#c23531' }, label: { show: true, position: 'top', fontFamily: FONT_FAMILY, fontSize: 22, color: '#000' } }],
  };
}

/** The chart as SVG text (ECharts SSR). */
export function renderChartSvg(block: RenderedChart, size: { width: number; height: number } = CHART_SIZE): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption(option(block));
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** The chart as a PNG (2× the nominal size, for print). */
export function renderChartPng(block: RenderedChart, size: { width: number; height: number } = CHART_SIZE): Buffer {
  const svg = renderChartSvg(block, size);
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: size.width * 2 },
    background: '#ffffff',
    font: { fontFiles: cjkFontFiles(), loadSystemFonts: false, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
  });
  return resvg.render().asPng();
}
