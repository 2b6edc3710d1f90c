import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  PROVINCE_CODES,
  crossCheckId,
  idCheckDigit,
  maskIdNumber,
  normalizeIdNumber,
  validateIdNumber,
} from './idNumber.js';
import { fromDayNumber, toDayNumber } from './dates.js';

const TODAY = '2026-06-15';

describe('idCheckDigit (DOMAIN §8.2)', () => {
  it.each([
    ['11010519491231002', 'X'],
    ['44052418800101001', '4'],
    ['11010519900307001', '7'],
  ])('%s → %s', (body, check) => {
    expect(idCheckDigit(body)).toBe(check);
  });

  it('needs 17 digits', () => {
    expect(() => idCheckDigit('1234')).toThrow(RangeError);
  });
});

describe('validateIdNumber: valid numbers', () => {
  it.each([
    // raw, normalized, birthDate, gender, converted15
    ['11010519491231002X', '11010519491231002X', '1949-12-31', 'female', false],
    ['440524188001010014', '440524188001010014', '1880-01-01', 'male', false], // the standard's 1880 example
    ['11010519491231002x', '11010519491231002X', '1949-12-31', 'female', false], // lower-case x
    ['１１０１０５１９４９１２３１００２Ｘ', '11010519491231002X', '1949-12-31', 'female', false], // full width
    ['１１０１０５１９４９１２３１００２ｘ', '11010519491231002X', '1949-12-31', 'female', false],
    [' 110105 19491231 002X\n', '11010519491231002X', '1949-12-31', 'female', false], // whitespace
    ['110105491231002', '11010519491231002X', '1949-12-31', 'female', true], // 15-digit (GB 11643-1989)
    ['440524800101001', '440524198001010013', '1980-01-01', 'male', true],
    ['830000200001010018', '830000200001010018', '2000-01-01', 'male', false], // residence permit code 83
    ['110105202606150010', '110105202606150010', TODAY, 'male', false], // born today is not in the future
  ])('%s', (raw, normalized, birthDate, gender, converted15) => {
    expect(validateIdNumber(raw, TODAY)).toEqual({ ok: true, normalized, birthDate, gender, converted15 });
  });

  it('the fixtures have correct check digits', () => {
    expect(idCheckDigit('83000020000101001')).toBe('8');
    expect(idCheckDigit('11010520260615001')).toBe('0');
  });
});

describe('validateIdNumber: refusals and their order (DOMAIN §8.3)', () => {
  it.each([
    ['', 'length', /实际为0位/],
    ['11010519491231002', 'length', /应为18位.*实际为17位/],
    ['11010519491231002XX', 'length', /实际为19位/],
    ['11010519491231002', 'length', /17位/],
    // length wins over everything else
    ['9901051949023000', 'length', /16位/],
    // characters wins over province, date, check digit
    ['99A10519490230002X', 'characters', /无效字符/],
    ['1101051949123100X2', 'characters', /无效字符/],
    ['11010549123100X', 'characters', /15位身份证号码应全部为数字/],
    // province wins over date and check digit
    ['990105194902300021', 'province', /“99”不是有效的省级行政区划代码/],
    ['000105194912310021', 'province', /“00”/],
    ['16010519491231002X', 'province', /“16”/],
    ['990105491231002', 'province', /“99”/],
    // date wins over future date and check digit
    ['110105203002300021', 'date', /出生日期“20300230”不存在/],
    ['110105202002300021', 'date', /“20200230”不存在/], // 30 February
    ['110105201902290021', 'date', /“20190229”不存在/], // 29 February of a common year
    ['110105491331002', 'date', /“19491331”不存在/],
    ['110105000001010011', 'date', /不存在/],
    // future date wins over check digit
    ['110105209901010011', 'futureDate', /2099-01-01晚于今天/],
    ['110105202606160011', 'futureDate', /2026-06-16晚于今天/],
    // check digit last
    ['110105194912310021', 'checkDigit', /校验码不符/],
    ['440524188001010015', 'checkDigit', /校验码/],
  ])('%j → %s', (raw, code, reason) => {
    const result = validateIdNumber(raw, TODAY);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe(code);
      expect(result.reason).toMatch(reason);
    }
  });

  it('never reveals the expected check digit', () => {
    const result = validateIdNumber('110105194912310021', TODAY);
    expect(!result.ok && result.reason.includes('X')).toBe(false);
  });
});

describe('property: generated valid numbers pass, any single-character change fails', () => {
  const provinces = Object.keys(PROVINCE_CODES);
  const validId = fc
    .record({
      province: fc.constantFrom(...provinces),
      county: fc.integer({ min: 0, max: 9999 }),
      birth: fc.integer({ min: toDayNumber('1880-01-01'), max: toDayNumber(TODAY) }).map(fromDayNumber),
      sequence: fc.integer({ min: 0, max: 999 }),
    })
    .map(({ province, county, birth, sequence }) => {
      const body = province + String(county).padStart(4, '0') + birth.replaceAll('-', '') + String(sequence).padStart(3, '0');
      return { id: body + idCheckDigit(body), birth, male: sequence % 2 === 1 };
    });

  it('passes with the right birth date and gender', () => {
    fc.assert(
      fc.property(validId, ({ id, birth, male }) => {
        const result = validateIdNumber(id, TODAY);
        expect(result).toEqual({ ok: true, normalized: id, birthDate: birth, gender: male ? 'male' : 'female', converted15: false });
      }),
    );
  });

  it('fails after changing one character', () => {
    const alphabet = '0123456789X';
    fc.assert(
      fc.property(validId, fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 10 }), ({ id }, pos, shift) => {
        const current = alphabet.indexOf(id[pos]);
        const size = pos === 17 ? 11 : 10; // only the last position may hold X
        const replacement = alphabet[(current + shift) % size];
        fc.pre(replacement !== id[pos]);
        const mutated = id.slice(0, pos) + replacement + id.slice(pos + 1);
        expect(validateIdNumber(mutated, TODAY).ok).toBe(false);
      }),
    );
  });
});

describe('normalizeIdNumber / maskIdNumber', () => {
  it('normalizes', () => {
    expect(normalizeIdNumber(' １１０１０５ １９４９１２３１００２ｘ ')).toBe('11010519491231002X');
  });

  it.each([
    ['11010519491231002X', '110105**********2X'],
    ['110105491231002', '110105********2'],
    ['1234567890', '123*******'],
    ['12', '**'],
    ['', ''],
  ])('maskIdNumber(%s) = %s', (id, masked) => {
    expect(maskIdNumber(id)).toBe(masked);
    expect(maskIdNumber(id)).toHaveLength(id.length);
  });
});

describe('crossCheckId', () => {
  const valid = validateIdNumber('11010519491231002X', TODAY);

  it.each([
    [{}, []],
    [{ birthDate: '1949-12-31', gender: 'female' as const }, []],
    [{ birthDate: '1950-01-01' }, ['出生日期与身份证号码不一致（身份证号码为1949-12-31，登记为1950-01-01）']],
    [{ gender: 'male' as const }, ['性别与身份证号码不一致（身份证号码为女，登记为男）']],
    [{ birthDate: null, gender: null }, []],
  ])('%j', (recorded, problems) => {
    expect(crossCheckId(valid, recorded)).toEqual(problems);
  });

  it('reports both mismatches', () => {
    expect(crossCheckId(valid, { birthDate: '1950-01-01', gender: 'male' })).toHaveLength(2);
  });

  it('says nothing for an invalid number', () => {
    expect(crossCheckId(validateIdNumber('123', TODAY), { gender: 'male' })).toEqual([]);
  });
});
