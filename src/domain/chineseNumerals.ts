/** Chinese numerals (中文小写数字), pure: report figures written out (十二名) and document heading numbers (一、（二）). */
export const CN_DIGITS = '零一二三四五六七八九';
function cnGroup(n: number): string {
  const units = ['', '十', '百', '千'];
  let s = '';
  let zero = false;
  for (let i = 3; i >= 0; i--) {
    const d = Math.floor(n / 10 ** i) % 10;
    if (d === 0) { if (s) zero = true; continue; }
    if (zero) { s += '零'; zero = false; }
    s += CN_DIGITS[d]! + units[i]!;
  }
  return s;
}

/** Chinese numerals for an integer (rounded): 12 → 十二, 105 → 一百零五, 10001 → 一万零一. */
export function toChineseNumeral(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  let n = Math.round(Math.abs(value));
  if (n === 0) return '零';
  if (n >= 1e16) return String(Math.round(value));
  const groups: number[] = [];
  while (n > 0) { groups.push(n % 10000); n = Math.floor(n / 10000); }
  const big = ['', '万', '亿', '万亿'];
  let s = '';
  let gap = false;
  for (let k = groups.length - 1; k >= 0; k--) {
    const g = groups[k]!;
    if (g === 0) { if (s) gap = true; continue; }
    if (s && (gap || g < 1000)) s += '零';
    s += cnGroup(g) + big[k]!;
    gap = false;
  }
  if (s.startsWith('一十')) s = s.slice(1);
  return (value < 0 ? '负' : '') + s;
}
