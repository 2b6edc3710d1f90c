import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { excelSerialToDate, parseDateInput } from './dateInput.js';
import { fromDayNumber, parseIso, toDayNumber } from './dates.js';

describe('parseDateInput: accepted forms', () => {
  it.each<[unknown, string]>([
    ['2020-07-01', '2020-07-01'],
    ['2020-7-1', '2020-07-01'],
    ['2020.07.01', '2020-07-01'],
    ['2020/7/1', '2020-07-01'],
    ['2020年7月1日', '2020-07-01'],
    ['2020 年 7 月 1 日', '2020-07-01'],
    ['2020年7月1号', '2020-07-01'],
    ['2020年07月01', '2020-07-01'],
    ['20200701', '2020-07-01'],
    ['  2020-07-01\t', '2020-07-01'],
    ['２０２０－０７－０１', '2020-07-01'], // full-width digits and hyphen (NFKC)
    ['２０２０年７月１日', '2020-07-01'],
    ['２０２０／７／１', '2020-07-01'],
    ['2020-07-01 00:00:00', '2020-07-01'],
    ['2020-07-01T08:30', '2020-07-01'],
    ['2024-02-29', '2024-02-29'],
    [44013, '2020-07-01'], // Excel serial
    [44013.75, '2020-07-01'], // with a time of day
    [1, '1900-01-01'],
    [59, '1900-02-28'],
    [61, '1900-03-01'],
    [25569, '1970-01-01'],
    [20200701, '2020-07-01'], // a YYYYMMDD number, not a serial
    [new Date(Date.UTC(2020, 6, 1)), '2020-07-01'], // ExcelJS: UTC midnight
    [new Date('1949-10-01T00:00:00Z'), '1949-10-01'],
  ])('%j → %s', (input, expected) => {
    expect(parseDateInput(input)).toEqual({ ok: true, date: expected });
  });
});

describe('parseDateInput: refused', () => {
  it.each<[unknown, RegExp]>([
    ['2020-02-30', /^日期“2020-02-30”不存在$/],
    ['2020/2/30', /^日期“2020-02-30”不存在$/],
    ['2019年2月29日', /^日期“2019-02-29”不存在$/],
    ['2020-13-01', /^日期“2020-13-01”不存在$/],
    ['20200230', /^日期“2020-02-30”不存在$/],
    ['2020-00-10', /不存在/],
    ['2020-07', /缺少日/],
    ['2020年7月', /缺少日/],
    ['0202-07-01', /年份超出范围/],
    ['7/1/2020', /无法识别的日期“7\/1\/2020”/],
    ['2020-07/01', /无法识别/],
    ['昨天', /无法识别/],
    ['', /日期为空/],
    ['   ', /日期为空/],
    [null, /日期为空/],
    [undefined, /日期为空/],
    [60, /1900-02-29/],
    [0, /超出有效范围/],
    [-5, /超出有效范围/],
    [3000000, /超出有效范围/],
    [Number.NaN, /无法识别/],
    [new Date('not a date'), /无效的日期/],
    [true, /无法识别/],
    [{}, /无法识别/],
  ])('%j is refused', (input, reason) => {
    const result = parseDateInput(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});

describe('Excel serials', () => {
  it('round-trip with day numbers for serials above 60', () => {
    fc.assert(
      fc.property(fc.integer({ min: 61, max: 100000 }), (serial) => {
        const r = excelSerialToDate(serial);
        expect(r.ok).toBe(true);
        if (r.ok) expect(toDayNumber(r.date) - toDayNumber('1899-12-30')).toBe(serial);
      }),
    );
  });

  it('every valid date string in every accepted layout parses to itself', () => {
    fc.assert(
      fc.property(fc.integer({ min: toDayNumber('1880-01-01'), max: toDayNumber('2100-12-31') }), (n) => {
        const iso = fromDayNumber(n);
        const { y, m, d } = parseIso(iso);
        for (const s of [iso, `${y}/${m}/${d}`, `${y}.${m}.${d}`, `${y}年${m}月${d}日`, iso.replaceAll('-', '')]) {
          expect(parseDateInput(s)).toEqual({ ok: true, date: iso });
        }
      }),
    );
  });
});
