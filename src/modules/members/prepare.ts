import { validateIdNumber, crossCheckId, maskIdNumber } from '../../domain/idNumber.js';
import { validateMobile, maskMobile } from '../../domain/mobile.js';
import { normalizeEthnicity, normalizeEducation, normalizeOccupation } from '../../domain/vocab.js';
import { deriveFullOn } from '../../domain/partyAge.js';
import { compareDates, completedYears } from '../../domain/dates.js';
import { MEMBERSHIP_1982 } from '../../domain/ruleSets.js';
import type { Cipher } from '../../platform/crypto.js';

/**
 * Validation and normalization of one member record, shared by the form, the API and the import so
 * that every path applies the same rules (GB 11643 in DOMAIN.md §8, 党龄 in §5, MIN_AGE in §2.1).
 */
export interface RawMember {
  name?: string | null;
  gender?: string | null;
  ethnicity?: string | null;
  birthDate?: string | null;
  idNumber?: string | null;
  mobile?: string | null;
  education?: string | null;
  occupation?: string | null;
  workUnit?: string | null;
  address?: string | null;
  stage?: string | null;
  admittedOn?: string | null;
  fullOn?: string | null;
  relationStart?: string | null;
}

export interface PreparedMember {
  name: string;
  gender: 'male' | 'female';
  ethnicity: string;
  birthDate: string;
  idNumber: string | null;
  idNumberEnc: string | null;
  idNumberBidx: string | null;
  idNumberMasked: string | null;
  idNumberProblem: string | null;
  mobile: string | null;
  mobileEnc: string | null;
  mobileBidx: string | null;
  mobileMasked: string | null;
  addressEnc: string | null;
  education: string | null;
  occupation: string | null;
  workUnit: string | null;
  stage: 'probationary' | 'full';
  admittedOn: string;
  fullOn: string | null;
  fullOnNote: string | null;
  relationStart: string;
  relationStartPresumed: boolean;
}

export type FieldErrors = Partial<Record<keyof RawMember, string>>;

const GENDER: Record<string, 'male' | 'female'> = { male: 'male', female: 'female', 男: 'male', 女: 'female' };
const STAGE: Record<string, 'probationary' | 'full'> = { probationary: 'probationary', full: 'full', 预备党员: 'probationary', 正式党员: 'full', 预备: 'probationary', 正式: 'full' };

export function prepareMember(raw: RawMember, today: string, cipher: Cipher): { ok: true; value: PreparedMember } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const name = (raw.name ?? '').trim();
  if (!name) errors.name = '姓名不能为空';
  else if (name.length > 40) errors.name = '姓名不超过 40 字';
  else if (/[<>]/.test(name)) errors.name = '姓名不能包含 < 或 > 等标记字符';

  let gender = raw.gender ? GENDER[raw.gender.trim()] : undefined;
  if (raw.gender && !gender) errors.gender = `性别“${raw.gender}”应为男或女`;

  const ethnicity = raw.ethnicity ? normalizeEthnicity(raw.ethnicity) : null;
  if (!raw.ethnicity?.trim()) errors.ethnicity = '民族不能为空';
  else if (!ethnicity) errors.ethnicity = `民族“${raw.ethnicity}”不是 56 个民族之一`;

  let birthDate = raw.birthDate ?? null;
  let idNumber: string | null = null;
  let idNumberProblem: string | null = null;
  const idRaw = (raw.idNumber ?? '').trim();
  if (idRaw) {
    const id = validateIdNumber(idRaw, today);
    if (!id.ok) errors.idNumber = id.reason;
    else {
      idNumber = id.normalized;
      const mismatches = crossCheckId(id, { birthDate: raw.birthDate ?? undefined, gender: gender ?? undefined });
      if (mismatches.length) errors.idNumber = mismatches.join('；');
      birthDate = birthDate ?? id.birthDate;
      gender = gender ?? id.gender;
    }
  } else {
    idNumberProblem = 'missing';
  }
  if (!gender && !errors.gender) errors.gender = '性别不能为空';
  if (!birthDate) errors.birthDate = errors.birthDate ?? '出生日期不能为空';
  else if (compareDates(birthDate, today) > 0) errors.birthDate = '出生日期不能晚于今天';

  let mobile: string | null = null;
  if (raw.mobile && raw.mobile.trim()) {
    const m = validateMobile(raw.mobile);
    if (!m.ok) errors.mobile = m.reason;
    else mobile = m.normalized;
  }

  let education: string | null = null;
  if (raw.education && raw.education.trim()) {
    education = normalizeEducation(raw.education);
    if (!education) errors.education = `学历“${raw.education}”无法识别（可填研究生、大学本科、大学专科、中等专科、高中、初中及以下）`;
  }
  let occupation: string | null = null;
  if (raw.occupation && raw.occupation.trim()) {
    occupation = normalizeOccupation(raw.occupation);
    if (!occupation) errors.occupation = `职业“${raw.occupation}”不是党内统计的职业分类`;
  }

  const stage = raw.stage ? STAGE[raw.stage.trim()] : undefined;
  if (!raw.stage) errors.stage = '人员类别不能为空';
  else if (!stage) errors.stage = `人员类别“${raw.stage}”应为正式党员或预备党员`;

  const admittedOn = raw.admittedOn ?? null;
  const minAge = MEMBERSHIP_1982.constants.MIN_AGE.value;
  if (!admittedOn) errors.admittedOn = '入党日期不能为空';
  else if (compareDates(admittedOn, today) > 0) errors.admittedOn = '入党日期不能晚于今天';
  else if (birthDate && completedYears(birthDate, admittedOn) < minAge) errors.admittedOn = `入党日期时未满 ${minAge} 周岁`;

  let fullOn = raw.fullOn ?? null;
  let fullOnNote: string | null = null;
  if (stage === 'probationary' && fullOn) errors.fullOn = '预备党员不应填写转正日期';
  if (stage === 'full' && admittedOn && !errors.admittedOn) {
    if (!fullOn) {
      const d = deriveFullOn({ admittedOn });
      fullOn = d.fullOn;
      fullOnNote = d.note;
      if (!fullOn) errors.fullOn = `转正日期无法推算：${d.note}`;
    } else if (compareDates(fullOn, admittedOn) < 0) errors.fullOn = '转正日期不能早于入党日期';
    else if (compareDates(fullOn, today) > 0) errors.fullOn = '转正日期不能晚于今天';
  }
  let relationStart = raw.relationStart ?? null;
  const presumed = !relationStart;
  if (relationStart && admittedOn && compareDates(relationStart, admittedOn) < 0) relationStart = admittedOn;
  if (relationStart && compareDates(relationStart, today) > 0) errors.relationStart = '转入本组织日期不能晚于今天';

  const workUnit = raw.workUnit?.trim() || null;
  if (workUnit && /[<>]/.test(workUnit)) errors.workUnit = '工作单位不能包含 < 或 > 等标记字符';
  const address = raw.address?.trim() || null;
  if (address && /[<>]/.test(address)) errors.address = '家庭住址不能包含 < 或 > 等标记字符';

  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    value: {
      name,
      gender: gender!,
      ethnicity: ethnicity!,
      birthDate: birthDate!,
      idNumber,
      idNumberEnc: idNumber ? cipher.encrypt(idNumber) : null,
      idNumberBidx: idNumber ? cipher.blindIndex('idNumber', idNumber) : null,
      idNumberMasked: idNumber ? maskIdNumber(idNumber) : null,
      idNumberProblem,
      mobile,
      mobileEnc: mobile ? cipher.encrypt(mobile) : null,
      mobileBidx: mobile ? cipher.blindIndex('mobile', mobile) : null,
      mobileMasked: mobile ? maskMobile(mobile) : null,
      addressEnc: address ? cipher.encrypt(address) : null,
      education,
      occupation,
      workUnit,
      stage: stage!,
      admittedOn: admittedOn!,
      fullOn: stage === 'full' ? fullOn : null,
      fullOnNote,
      relationStart: relationStart ?? admittedOn!,
      relationStartPresumed: presumed,
    },
  };
}

/** What the audit log may keep of a member: never the ID number, mobile or address in clear. */
export function auditSnapshot(p: Partial<PreparedMember> & Record<string, unknown>) {
  return {
    name: p.name, gender: p.gender, ethnicity: p.ethnicity, birthDate: p.birthDate, idNumber: p.idNumberMasked ?? null,
    mobile: p.mobileMasked ?? null, education: p.education, occupation: p.occupation, workUnit: p.workUnit, stage: p.stage,
    admittedOn: p.admittedOn, fullOn: p.fullOn, orgId: p.orgId,
  };
}
