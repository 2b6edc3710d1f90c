import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { maskMobile, normalizeMobile, validateMobile } from './mobile.js';

describe('validateMobile', () => {
  it.each([
    ['13812345678', '13812345678'],
    ['138 1234 5678', '13812345678'],
    ['138-1234-5678', '13812345678'],
    ['+86 138 1234 5678', '13812345678'],
    ['+86-13812345678', '13812345678'],
    ['008613812345678', '13812345678'],
    ['8613812345678', '13812345678'],
    ['１３８１２３４５６７８', '13812345678'], // full-width
    ['  19912345678 ', '19912345678'],
    ['(+86)13812345678', '13812345678'],
  ])('%j → %s', (raw, normalized) => {
    expect(validateMobile(raw)).toEqual({ ok: true, normalized });
  });

  it.each([
    ['', /为空/],
    ['   ', /为空/],
    ['1381234567', /应为11位数字，实际为10位/],
    ['138123456789', /实际为12位/],
    ['12812345678', /号段无效/],
    ['23812345678', /号段无效/],
    ['1381234567a', /只能包含数字/],
    ['010-12345678', /实际为11位|号段无效/],
    ['+85291234567', /只能包含数字/],
  ])('%j is refused', (raw, reason) => {
    const result = validateMobile(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('accepts every 1[3-9] number with any formatting', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 9 }), fc.stringMatching(/^\d{9}$/), (second, rest) => {
        const n = `1${second}${rest}`;
        expect(validateMobile(`+86 ${n.slice(0, 3)}-${n.slice(3, 7)} ${n.slice(7)}`)).toEqual({ ok: true, normalized: n });
      }),
    );
  });

  it('normalizeMobile leaves unknown shapes alone', () => {
    expect(normalizeMobile('abc')).toBe('abc');
  });
});

describe('maskMobile', () => {
  it.each([
    ['13812345678', '138****5678'],
    ['12345678', '12****78'],
    ['', ''],
  ])('%s → %s', (raw, masked) => {
    expect(maskMobile(raw)).toBe(masked);
  });
});
