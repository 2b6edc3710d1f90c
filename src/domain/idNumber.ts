/**
 * 居民身份号码 (GB 11643-1999), DOMAIN.md §8.
 *
 * Input is normalized first (§8.4): Unicode NFKC (full-width digits), all whitespace removed,
 * lower-case x → X. Only the normalized 18-character form is ever returned for storage.
 * When several checks fail, the reason follows the order of §8.3:
 * length → characters → province → date → future date → check digit.
 */
import { compareDates, formatIso, lastDayOfMonth, type IsoDate } from './dates.js';

export type IdGender = 'male' | 'female';

export type IdFailureCode = 'length' | 'characters' | 'province' | 'date' | 'futureDate' | 'checkDigit';

export type IdNumberResult =
  | { ok: true; normalized: string; birthDate: IsoDate; gender: IdGender; converted15: boolean }
  | { ok: false; reason: string; code: IdFailureCode };

/** §8.2: W[i] = 2^(17−i) mod 11. */
export const ID_WEIGHTS: readonly number[] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** §8.2: check character indexed by S mod 11. */
const CHECK_CHARS = '10X98765432';

/**
 * §8.4: province-level codes accepted in digits 1–2. Codes of abolished counties stay valid, so only
 * the province is checked. 83 appears on residence permits for Taiwan residents (81/82 also appear
 * on permits for Hong Kong and Macao residents).
 */
export const PROVINCE_CODES: Readonly<Record<string, string>> = {
  '11': '北京市', '12': '天津市', '13': '河北省', '14': '山西省', '15': '内蒙古自治区',
  '21': '辽宁省', '22': '吉林省', '23': '黑龙江省',
  '31': '上海市', '32': '江苏省', '33': '浙江省', '34': '安徽省', '35': '福建省', '36': '江西省', '37': '山东省',
  '41': '河南省', '42': '湖北省', '43': '湖南省', '44': '广东省', '45': '广西壮族自治区', '46': '海南省',
  '50': '重庆市', '51': '四川省', '52': '贵州省', '53': '云南省', '54': '西藏自治区',
  '61': '陕西省', '62': '甘肃省', '63': '青海省', '64': '宁夏回族自治区', '65': '新疆维吾尔自治区',
  '71': '台湾省', '81': '香港特别行政区', '82': '澳门特别行政区', '83': '台湾居民（居住证）',
};

const GENDER_LABELS: Record<IdGender, string> = { male: '男', female: '女' };

/** NFKC, whitespace removed, x → X (§8.4). */
export function normalizeIdNumber(raw: string): string {
  return String(raw ?? '')
    .normalize('NFKC')
    .replace(/\s+/gu, '')
    .replace(/x/g, 'X');
}

/** The MOD 11-2 check character for the first 17 digits (§8.2). */
export function idCheckDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('计算校验码需要17位数字');
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(first17[i]) * ID_WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

function failure(code: IdFailureCode, reason: string): IdNumberResult {
  return { ok: false, code, reason };
}

/** Validates an ID number against `today` (the business date, for the future-date check). */
export function validateIdNumber(raw: string, today: IsoDate): IdNumberResult {
  const id = normalizeIdNumber(raw);

  if (id.length !== 18 && id.length !== 15) {
    return failure('length', `身份证号码应为18位（旧号码为15位），实际为${id.length}位`);
  }
  const is15 = id.length === 15;
  if (is15 ? !/^\d{15}$/.test(id) : !/^\d{17}[\dX]$/.test(id)) {
    return failure(
      'characters',
      is15 ? '15位身份证号码应全部为数字' : '身份证号码含有无效字符：前17位应为数字，末位应为数字或X',
    );
  }

  const province = id.slice(0, 2);
  if (!(province in PROVINCE_CODES)) {
    return failure('province', `身份证号码前两位“${province}”不是有效的省级行政区划代码`);
  }

  // §8.3: a 15-digit number carries YYMMDD with century 19.
  const dateDigits = is15 ? `19${id.slice(6, 12)}` : id.slice(6, 14);
  const y = Number(dateDigits.slice(0, 4));
  const m = Number(dateDigits.slice(4, 6));
  const d = Number(dateDigits.slice(6, 8));
  // An old date is fine (the standard's own example is 1880, §8.4); only impossible dates fail.
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > lastDayOfMonth(y, m)) {
    return failure('date', `身份证号码中的出生日期“${dateDigits}”不存在`);
  }
  const birthDate = formatIso(y, m, d);
  if (compareDates(birthDate, today) > 0) {
    return failure('futureDate', `身份证号码中的出生日期${birthDate}晚于今天`);
  }

  const first17 = is15 ? `${id.slice(0, 6)}19${id.slice(6, 15)}` : id.slice(0, 17);
  const check = idCheckDigit(first17);
  // The expected character is deliberately not shown: "fixing" the last character would hide a
  // typo elsewhere in the number.
  if (!is15 && id[17] !== check) {
    return failure('checkDigit', '身份证号码校验码不符，请核对号码是否录入有误');
  }

  // §8.1: the 17th digit (the last of a 15-digit number) is odd for men, even for women.
  const genderDigit = Number(first17[16]);
  return {
    ok: true,
    normalized: first17 + check,
    birthDate,
    gender: genderDigit % 2 === 1 ? 'male' : 'female',
    converted15: is15,
  };
}

/**
 * Masks an ID number for lists (ARCHITECTURE.md "Data and scale"; issue 17 finding 1). The birth date
 * (digits 7–14) is shown elsewhere, so the mask hides it AND the sequence digits: an 18-character
 * number keeps its 6-digit region code and its last 2 characters (110105**********2X); a 15-character
 * one keeps the region and its last digit; any other string keeps only about a third at the start.
 * Together with the birth date and gender a user can see, `330999**********3X` still leaves about 9
 * candidate numbers (9 in the worst case, 9 or 10 per check digit; computed in members/masking.int.test.ts). Every
 * shape shows a subset of what the former mask (6 + … + last 4) showed, so stored masked copies can
 * be re-derived from themselves (migration `mask_id_numbers`).
 */
export function maskIdNumber(id: string): string {
  const s = String(id ?? '').trim();
  if (s.length === 0) return '';
  const head = s.length >= 15 ? 6 : Math.floor(s.length / 3);
  const tail = s.length === 18 ? 2 : s.length === 15 ? 1 : 0;
  return s.slice(0, head) + '*'.repeat(s.length - head - tail) + s.slice(s.length - tail);
}

/**
 * Compares a valid ID number with separately recorded birth date and gender; returns Chinese
 * mismatch reasons (empty when consistent, or when the ID itself is invalid — that has its own reason).
 */
export function crossCheckId(
  idResult: IdNumberResult,
  recorded: { birthDate?: IsoDate | null; gender?: IdGender | null },
): string[] {
  if (!idResult.ok) return [];
  const problems: string[] = [];
  if (recorded.birthDate && recorded.birthDate !== idResult.birthDate) {
    problems.push(`出生日期与身份证号码不一致（身份证号码为${idResult.birthDate}，登记为${recorded.birthDate}）`);
  }
  if (recorded.gender && recorded.gender !== idResult.gender) {
    problems.push(
      `性别与身份证号码不一致（身份证号码为${GENDER_LABELS[idResult.gender]}，登记为${GENDER_LABELS[recorded.gender]}）`,
    );
  }
  return problems;
}
