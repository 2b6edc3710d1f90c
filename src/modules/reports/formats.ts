/** Report periods and value formats (issue 13): how a placeholder's period is bounded and its value written. */
import type { FigureUnit } from '../../platform/figures.js';
import { toChineseNumeral } from '../../domain/chineseNumerals.js';
import type { Format, Period } from './contract.js';

export { toChineseNumeral };

// ─── Periods ────────────────────────────────────────────────────────────────

export function periodRange(period: Period, year: number): { from: string; to: string } {
  const y = String(year);
  switch (period) {
    case 'thisYear': return { from: `${y}-01-01`, to: `${y}-12-31` };
    case 'lastYear': return { from: `${year - 1}-01-01`, to: `${year - 1}-12-31` };
    case 'q1': return { from: `${y}-01-01`, to: `${y}-03-31` };
    case 'q2': return { from: `${y}-04-01`, to: `${y}-06-30` };
    case 'q3': return { from: `${y}-07-01`, to: `${y}-09-30` };
    case 'q4': return { from: `${y}-10-01`, to: `${y}-12-31` };
    case 'cumulative': return { from: '1900-01-01', to: `${y}-12-31` };
  }
}

const QUARTERS = ['一', '二', '三', '四'];
export function periodLabel(period: Period, year: number): string {
  if (period === 'thisYear') return `${year}年`;
  if (period === 'lastYear') return `${year - 1}年`;
  if (period === 'cumulative') return `截至${year}年底`;
  return `${year}年第${QUARTERS[Number(period[1]) - 1]}季度`;
}

// ─── Formats ────────────────────────────────────────────────────────────────

export function defaultFormat(unit: FigureUnit): Format {
  switch (unit) {
    case 'percent': return 'percent';
    case 'fen': return 'yuan';
    case 'hours': case 'studyHours': return 'decimal1';
    default: return 'integer';
  }
}

export function unitLabel(unit: FigureUnit): string {
  return { count: '', percent: '%', fen: '元', hours: '小时', studyHours: '学时', days: '天' }[unit];
}

/** Round half away from zero to `d` decimals and print exactly `d` decimals. */
export function fixed(v: number, d: number): string {
  const f = 10 ** d;
  const r = Math.sign(v) * Math.round(Math.abs(v) * f + 1e-9) / f;
  const s = (Object.is(r, -0) ? 0 : r).toFixed(d);
  return s === `-${(0).toFixed(d)}` ? (0).toFixed(d) : s;
}

function fenToYuan(fen: number): string {
  const n = Math.round(fen);
  const a = Math.abs(n);
  return `${n < 0 ? '-' : ''}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

/** Year-on-year wording; null when last year's value is unknown. */
export function formatYoy(value: number, lastYear: number | null | undefined): string | null {
  if (lastYear === null || lastYear === undefined || !Number.isFinite(lastYear)) return null;
  if (lastYear === 0) return value === 0 ? '与上年持平' : '上年为0';
  const pct = ((value - lastYear) / Math.abs(lastYear)) * 100;
  const s = fixed(Math.abs(pct), 1);
  if (s === '0.0') return '与上年持平';
  return pct > 0 ? `同比增长${s}%` : `同比下降${s}%`;
}

/**
 * Format a figure value. `percent` values are percents already (98.5 → 98.5%); `yuan`/`wanYuan`
 * take fen. `yoy` needs last year's value (null result = cannot be shown, i.e. missing).
 */
export function formatValue(value: number, format: Format, opts: { lastYear?: number | null } = {}): string | null {
  if (!Number.isFinite(value)) return null;
  switch (format) {
    case 'integer': return String(Math.round(value) || 0);
    case 'decimal1': return fixed(value, 1);
    case 'percent': return `${fixed(value, 1)}%`;
    case 'yuan': return `${fenToYuan(value)}元`;
    case 'wanYuan': return `${fixed(value / 1_000_000, 2)}万元`;
    case 'cn': return toChineseNumeral(value);
    case 'yoy': return formatYoy(value, opts.lastYear);
  }
}
