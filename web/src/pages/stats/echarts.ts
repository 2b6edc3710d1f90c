/**
 * ECharts, registered piece by piece (bar and pie, grid, tooltip, legend, canvas) so the chunk holds
 * only what the statistics page draws. Chinese glyphs need a CJK font on the machine (fonts-noto-cjk
 * on Debian) or they render as boxes, in the browser and in ECharts alike.
 */
import * as echarts from 'echarts/core';
import { BarChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, AriaComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, PieChart, GridComponent, LegendComponent, TooltipComponent, AriaComponent, CanvasRenderer]);

export { echarts };

export const CHART_FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", sans-serif';
export const BAR_COLOR = '#c8161d';
export const PIE_COLORS = ['#c8161d', '#f0a04b', '#4a7bd0', '#3aa67a', '#8a6cc8', '#e86f8c', '#5bb5c8', '#a0a4ab'];
