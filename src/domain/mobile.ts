/**
 * Mainland China mobile numbers (11 digits, 1[3-9]xxxxxxxxx). Stored normalized; masked in lists
 * (ARCHITECTURE.md "Data and scale").
 */

export type MobileResult = { ok: true; normalized: string } | { ok: false; reason: string };

/**
 * NFKC (full-width digits), then spaces, dashes and brackets removed, then an international prefix
 * +86, 0086, or a bare 86 in front of 11 digits, removed. Anything else is left for validateMobile.
 */
export function normalizeMobile(raw: string): string {
  let s = String(raw ?? '')
    .normalize('NFKC')
    .replace(/[\s\-‐‑‒–—―()]/gu, '');
  if (s.startsWith('+86')) s = s.slice(3);
  else if (s.startsWith('0086')) s = s.slice(4);
  else if (/^86\d{11}$/.test(s)) s = s.slice(2);
  return s;
}

export function validateMobile(raw: string): MobileResult {
  const s = normalizeMobile(raw);
  if (s === '') return { ok: false, reason: '手机号码为空' };
  if (!/^\d+$/.test(s)) return { ok: false, reason: '手机号码只能包含数字' };
  if (s.length !== 11) return { ok: false, reason: `手机号码应为11位数字，实际为${s.length}位` };
  if (!/^1[3-9]/.test(s)) return { ok: false, reason: '手机号码号段无效（应以13至19开头）' };
  return { ok: true, normalized: s };
}

/** 13812345678 → 138****5678; other lengths keep about a quarter at each end. */
export function maskMobile(mobile: string): string {
  const s = String(mobile ?? '').trim();
  if (s.length === 11) return `${s.slice(0, 3)}****${s.slice(7)}`;
  const keep = Math.floor(s.length / 4);
  return s.slice(0, keep) + '*'.repeat(s.length - 2 * keep) + s.slice(s.length - keep);
}
