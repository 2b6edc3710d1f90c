import { describe, expect, it } from 'vitest';
import {
  COMMITTEE_POSTS,
  EDUCATION_LEVELS,
  ETHNICITIES,
  GENDERS,
  MEMBER_STAGES,
  OCCUPATIONS,
  ORG_KINDS,
  POSTS,
  ROLES,
  UNIT_TYPES,
  defaultApprovesMembers,
  isCollegeOrAbove,
  isCommitteePost,
  isKeyOf,
  isMinorityEthnicity,
  keysOf,
  labelOf,
  normalizeEducation,
  normalizeEthnicity,
  normalizeGender,
  normalizeOccupation,
  type OrgKind,
  type UnitType,
} from './vocab.js';

describe('vocabulary shape', () => {
  it.each([
    ['GENDERS', GENDERS, 2],
    ['ETHNICITIES', ETHNICITIES, 56],
    ['EDUCATION_LEVELS', EDUCATION_LEVELS, 6],
    ['OCCUPATIONS', OCCUPATIONS, 8],
    ['ORG_KINDS', ORG_KINDS, 10],
    ['UNIT_TYPES', UNIT_TYPES, 9],
    ['MEMBER_STAGES', MEMBER_STAGES, 5],
    ['ROLES', ROLES, 10],
  ])('%s has %i entries with unique keys and labels', (_name, vocab, size) => {
    expect(vocab).toHaveLength(size);
    expect(new Set(vocab.map((e) => e.key)).size).toBe(size);
    expect(new Set(vocab.map((e) => e.label)).size).toBe(size);
  });

  it('ethnicity codes run 01–56 in order', () => {
    expect(ETHNICITIES.map((e) => e.code)).toEqual(Array.from({ length: 56 }, (_, i) => String(i + 1).padStart(2, '0')));
    expect(ETHNICITIES.every((e) => e.key.endsWith('族'))).toBe(true);
  });

  it('labels, keys and guards', () => {
    expect(labelOf(GENDERS, 'female')).toBe('女');
    expect(labelOf(ORG_KINDS, 'subdistrictWorkCommittee')).toBe('街道党工委');
    expect(labelOf(ROLES, 'partyWorker')).toBe('党务干事');
    expect(labelOf(OCCUPATIONS, 'worker')).toBe('工人(工勤技能人员)');
    expect(keysOf(MEMBER_STAGES)).toEqual(['applicant', 'activist', 'candidate', 'probationary', 'full']);
    expect(isKeyOf(UNIT_TYPES, 'village')).toBe(true);
    expect(isKeyOf(UNIT_TYPES, '农村')).toBe(false);
    expect(isKeyOf(UNIT_TYPES, 3)).toBe(false);
  });
});

describe('normalizers', () => {
  it.each([
    ['男', 'male'],
    ['女性', 'female'],
    [' female ', 'female'],
    ['未知', null],
  ])('normalizeGender(%j) = %j', (raw, key) => {
    expect(normalizeGender(raw)).toBe(key);
  });

  it.each([
    ['汉族', '汉族'],
    ['汉', '汉族'],
    [' 回 ', '回族'],
    ['维吾尔', '维吾尔族'],
    ['维', '维吾尔族'],
    ['蒙古', '蒙古族'],
    ['蒙', '蒙古族'],
    ['柯尔克孜族', '柯尔克孜族'],
    ['01', '汉族'],
    ['5', '维吾尔族'],
    ['56', '基诺族'],
    ['57', null],
    ['', null],
    ['火星族', null],
  ])('normalizeEthnicity(%j) = %j', (raw, key) => {
    expect(normalizeEthnicity(raw)).toBe(key);
  });

  it('minorities', () => {
    expect(isMinorityEthnicity('汉族')).toBe(false);
    expect(isMinorityEthnicity('壮族')).toBe(true);
  });

  it.each([
    ['博士', 'graduate'],
    ['硕士', 'graduate'],
    ['硕士研究生', 'graduate'],
    ['研究生', 'graduate'],
    ['本科', 'bachelor'],
    ['大学本科', 'bachelor'],
    ['本科毕业', 'bachelor'],
    ['大专', 'college'],
    ['大专学历', 'college'],
    ['大学专科', 'college'],
    ['中专', 'technicalSecondary'],
    ['中等专科', 'technicalSecondary'],
    ['高中', 'highSchool'],
    ['中技', 'highSchool'],
    ['高中/中技', 'highSchool'],
    ['技校', 'highSchool'],
    ['初中', 'juniorOrBelow'],
    ['小学', 'juniorOrBelow'],
    ['初中及以下', 'juniorOrBelow'],
    ['bachelor', 'bachelor'],
    ['幼儿园', null],
    ['', null],
  ])('normalizeEducation(%j) = %j', (raw, key) => {
    expect(normalizeEducation(raw)).toBe(key);
  });

  it('大专及以上', () => {
    expect(EDUCATION_LEVELS.filter((e) => isCollegeOrAbove(e.key)).map((e) => e.label)).toEqual([
      '研究生',
      '大学本科',
      '大学专科',
    ]);
  });

  it.each([
    ['工人', 'worker'],
    ['工人(工勤技能人员)', 'worker'],
    ['工人（工勤技能人员）', 'worker'], // full-width brackets via NFKC
    ['农民', 'farmer'],
    ['渔民', 'farmer'],
    ['专业技术人员', 'professional'],
    ['企事业单位、社会组织管理人员', 'manager'],
    ['公务员', 'official'],
    ['学生', 'student'],
    ['其他', 'other'],
    ['退休', 'retired'],
    ['离退休人员', 'retired'],
    ['宇航员', null],
  ])('normalizeOccupation(%j) = %j', (raw, key) => {
    expect(normalizeOccupation(raw)).toBe(key);
  });
});

describe('defaultApprovesMembers (ARCHITECTURE.md, DOMAIN §2.1)', () => {
  it.each<[OrgKind, UnitType | null, boolean]>([
    ['partyCommittee', null, true],
    ['townshipCommittee', 'village', true],
    ['subdistrictWorkCommittee', 'community', true],
    ['basicCommittee', 'stateEnterprise', true],
    ['basicCommittee', 'school', true],
    ['basicCommittee', null, true],
    ['basicCommittee', 'village', false],
    ['basicCommittee', 'community', false],
    ['organizationDept', null, false],
    ['generalBranch', 'agency', false],
    ['branch', 'agency', false],
    ['jointBranch', 'privateEnterprise', false],
    ['temporaryBranch', null, false],
    ['partyGroup', null, false],
  ])('%s / %s → %s', (kind, unitType, expected) => {
    expect(defaultApprovesMembers(kind, unitType)).toBe(expected);
  });
});

describe('posts', () => {
  it('committee posts', () => {
    expect(COMMITTEE_POSTS).toContain('secretary');
    expect(COMMITTEE_POSTS).toContain('disciplineMember');
    expect(isCommitteePost('organizationMember')).toBe(true);
    expect(isCommitteePost('gridLeader')).toBe(false);
    expect(isCommitteePost('groupLeader')).toBe(false);
    expect(COMMITTEE_POSTS.every((p) => POSTS.some((e) => e.key === p))).toBe(true);
    expect(labelOf(POSTS, 'publicityMember')).toBe('宣传委员');
  });
});
