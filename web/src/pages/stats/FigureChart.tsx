import EChartsReactCore from 'echarts-for-react/esm/core';
import type { FigureValue } from '../../api/types';
import { BAR_COLOR, CHART_FONT, PIE_COLORS, echarts } from './echarts';

export type ChartKind = 'pie' | 'bar' | 'hbar';

/**
 * One breakdown as a chart: a donut for two or three parts, bars otherwise. Every category label is
 * shown (`axisLabel.interval: 0`; ECharts hides crowded labels by default) and long labels wrap.
 */
export function FigureChart({ value, kind, mobile, hideZero }: { value: FigureValue; kind: ChartKind; mobile: boolean; hideZero?: boolean }) {
  const rows = (value.breakdown ?? []).filter((b) => !hideZero || b.value > 0);
  const total = rows.reduce((a, b) => a + b.value, 0);
  const pct = (n: number) => (total ? `${((n / total) * 100).toFixed(1)}%` : '0%');
  const textStyle = { fontFamily: CHART_FONT, fontSize: 13, color: '#4e5969' };
  let option: Record<string, unknown>;
  let height = 300;

  if (kind === 'pie') {
    option = {
      color: PIE_COLORS,
      textStyle,
      aria: { enabled: true },
      tooltip: { trigger: 'item', formatter: (p: { name: string; value: number }) => `${p.name}：${p.value} 人（${pct(p.value)}）` },
      // On a phone the outside labels would be cut at the canvas edge: the legend carries the numbers.
      legend: {
        bottom: 0,
        icon: 'circle',
        itemWidth: 10,
        textStyle,
        formatter: mobile ? (name: string) => { const r = rows.find((b) => b.label === name); return r ? `${name} ${r.value}（${pct(r.value)}）` : name; } : undefined,
      },
      series: [
        {
          type: 'pie',
          radius: mobile ? ['45%', '72%'] : ['42%', '68%'],
          center: ['50%', '45%'],
          avoidLabelOverlap: true,
          label: { formatter: (p: { name: string; value: number }) => `${p.name} ${p.value}\n${pct(p.value)}`, show: !mobile, overflow: 'none', fontFamily: CHART_FONT, fontSize: 12, lineHeight: 16, color: '#4e5969' },
          data: rows.map((b) => ({ name: b.label, value: b.value })),
        },
      ],
    };
  } else if (kind === 'hbar') {
    height = Math.max(220, rows.length * (mobile ? 44 : 38) + 40);
    option = {
      textStyle,
      aria: { enabled: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: (ps: { name: string; value: number }[]) => `${ps[0]!.name}：${ps[0]!.value}（${pct(ps[0]!.value)}）` },
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: '#f0f0f0' } }, axisLabel: { color: '#86909c' } },
      yAxis: {
        type: 'category',
        inverse: true,
        data: rows.map((b) => b.label),
        axisTick: { show: false },
        axisLine: { lineStyle: { color: '#e5e6eb' } },
        axisLabel: { interval: 0, width: mobile ? 96 : 170, overflow: 'break', lineHeight: 16, color: '#4e5969', fontFamily: CHART_FONT },
      },
      series: [
        {
          type: 'bar',
          data: rows.map((b) => b.value),
          barMaxWidth: 22,
          itemStyle: { color: BAR_COLOR, borderRadius: [0, 3, 3, 0] },
          label: { show: true, position: 'right', color: '#4e5969', fontFamily: CHART_FONT },
        },
      ],
    };
  } else {
    option = {
      textStyle,
      aria: { enabled: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: (ps: { name: string; value: number }[]) => `${ps[0]!.name}：${ps[0]!.value}（${pct(ps[0]!.value)}）` },
      grid: { left: 8, right: 8, top: 24, bottom: 8, containLabel: true },
      xAxis: {
        type: 'category',
        data: rows.map((b) => b.label),
        axisTick: { show: false },
        axisLine: { lineStyle: { color: '#e5e6eb' } },
        axisLabel: { interval: 0, rotate: mobile ? 40 : rows.length > 6 ? 20 : 0, color: '#4e5969', fontFamily: CHART_FONT, fontSize: mobile ? 11 : 12 },
      },
      yAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: '#f0f0f0' } }, axisLabel: { color: '#86909c' } },
      series: [
        {
          type: 'bar',
          data: rows.map((b) => b.value),
          barMaxWidth: 36,
          itemStyle: { color: BAR_COLOR, borderRadius: [3, 3, 0, 0] },
          label: { show: true, position: 'top', color: '#4e5969', fontFamily: CHART_FONT, fontSize: 12 },
        },
      ],
    };
  }
  return <EChartsReactCore echarts={echarts} option={option} notMerge style={{ height, width: '100%' }} opts={{ renderer: 'canvas' }} />;
}
