import { z } from 'zod';
import type { Db } from '../../db/connection.js';
import { DEFAULT_ORG_LIFE_SETTINGS, ORG_LIFE_2018, PARTY_LECTURE_OPTIONS, type OrgLifeSettings } from '../../domain/orgLifeRules.js';
import { SETTINGS, defineSetting, settingsResolverFor, type SettingDef } from '../../platform/settings.js';

/**
 * Organizational-life settings (DOMAIN.md §3.3–§3.4): the LOCAL and UNVERIFIED constants of the rule set
 * `orgLife-2018`, per tenant with subtree overrides. The compliance engine reads thousands of orgs at a
 * time, so `settingsResolver` loads every override once and resolves each org's path in memory with the
 * same rule as getSetting (nearest ancestor wins, else the tenant level, else the default).
 */
const C = ORG_LIFE_2018.constants;
const monthDay = z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, '格式应为 MM-DD');

export const ORG_LIFE_SETTINGS = {
  partyLecture: defineSetting({
    key: 'orgLife.partyLectureFrequency', label: '党支部党课频次（none 不作要求 / quarterly 每季度 / twiceYearly 每半年 / perYear 每年N次）',
    schema: z.enum(PARTY_LECTURE_OPTIONS), default: C.PARTY_LECTURE_DEFAULT.value, source: C.PARTY_LECTURE_DEFAULT.source, mark: 'LOCAL',
  }),
  partyLecturesPerYear: defineSetting({
    key: 'orgLife.partyLecturesPerYear', label: '党课频次为“每年N次”时每年应讲党课次数',
    schema: z.number().int().min(1).max(12), default: C.PARTY_LECTURES_PER_YEAR_DEFAULT.value, source: C.PARTY_LECTURES_PER_YEAR_DEFAULT.source, mark: 'LOCAL',
  }),
  lateEntryCounts: defineSetting({
    key: 'orgLife.lateEntryCounts', label: '补录的会议计入完成情况',
    schema: z.boolean(), default: C.LATE_ENTRY_COUNTS_DEFAULT.value, source: C.LATE_ENTRY_COUNTS_DEFAULT.source, mark: 'LOCAL',
  }),
  exactlyHalfIsQuorum: defineSetting({
    key: 'orgLife.exactlyHalfIsQuorum', label: '党员大会、支委会恰好半数到会视为达到法定人数',
    schema: z.boolean(), default: C.MAJORITY_EXACTLY_HALF_DEFAULT.value, source: C.MAJORITY_EXACTLY_HALF_DEFAULT.source, mark: 'SECONDARY',
  }),
  yearlyDueMonthDay: defineSetting({
    key: 'orgLife.yearlyDueMonthDay', label: '年度组织生活会、民主评议党员截止日（次年 MM-DD）',
    schema: monthDay, default: C.YEARLY_DUE_MONTH_DAY.value, source: C.YEARLY_DUE_MONTH_DAY.source, mark: 'LOCAL',
  }),
  heartTalkEveryPair: defineSetting({
    key: 'orgLife.heartTalkEveryPair', label: '谈心谈话要求每名支委与每名党员都谈',
    schema: z.boolean(), default: C.HEART_TALK_EVERY_PAIR_DEFAULT.value, source: C.HEART_TALK_EVERY_PAIR_DEFAULT.source, mark: 'SECONDARY',
  }),
  minutesPerStudyHour: defineSetting({
    key: 'orgLife.minutesPerStudyHour', label: '1学时折合分钟数',
    schema: z.number().int().min(20).max(120), default: C.MINUTES_PER_STUDY_HOUR.value, source: C.MINUTES_PER_STUDY_HOUR.source, mark: 'UNVERIFIED',
  }),
  studyTargetMember: defineSetting({
    key: 'orgLife.studyHoursTarget.member', label: '党员年度学习培训学时要求',
    schema: z.number().min(0).max(500), default: C.STUDY_HOURS_TARGET.value.member, source: C.STUDY_HOURS_TARGET.source, mark: 'SECONDARY',
  }),
  studyTargetLeader: defineSetting({
    key: 'orgLife.studyHoursTarget.leader', label: '基层党组织书记和班子成员年度学习培训学时要求',
    schema: z.number().min(0).max(500), default: C.STUDY_HOURS_TARGET.value.leader, source: C.STUDY_HOURS_TARGET.source, mark: 'SECONDARY',
  }),
  reviewGrades: defineSetting({
    key: 'orgLife.reviewGrades', label: '民主评议党员等次',
    schema: z.array(z.string().trim().min(1).max(10)).min(2).max(6), default: [...C.REVIEW_GRADES.value], source: C.REVIEW_GRADES.source, mark: 'LOCAL',
  }),
  findingLookbackMonths: defineSetting({
    key: 'orgLife.findingLookbackMonths', label: '组织生活逾期预警回溯月数（截止日在此期限内的未完成事项提示预警）',
    schema: z.number().int().min(1).max(36), default: 12, source: 'DOMAIN.md §3.4', mark: 'PROJECT',
  }),
};

type Defs = typeof ORG_LIFE_SETTINGS;
export type OrgLifeSettingValues = OrgLifeSettings & { reviewGrades: string[]; findingLookbackMonths: number };

/** Resolve every orgLife setting for any org path of one tenant, from one query. */
export async function settingsResolver(db: Db, tenantId: number): Promise<(orgPath: string | null) => OrgLifeSettingValues> {
  const D: Defs = ORG_LIFE_SETTINGS;
  const value = await settingsResolverFor(db, tenantId, [...Object.values(D), SETTINGS.dueSoonDays] as SettingDef[]);
  const cache = new Map<string, OrgLifeSettingValues>();
  return (orgPath) => {
    const k = orgPath ?? '';
    const hit = cache.get(k);
    if (hit) return hit;
    const v: OrgLifeSettingValues = {
      ...DEFAULT_ORG_LIFE_SETTINGS,
      partyLecture: value(orgPath, D.partyLecture),
      partyLecturesPerYear: value(orgPath, D.partyLecturesPerYear),
      lateEntryCounts: value(orgPath, D.lateEntryCounts),
      exactlyHalfIsQuorum: value(orgPath, D.exactlyHalfIsQuorum),
      yearlyDueMonthDay: value(orgPath, D.yearlyDueMonthDay),
      dueSoonDays: value(orgPath, SETTINGS.dueSoonDays),
      heartTalkEveryPair: value(orgPath, D.heartTalkEveryPair),
      minutesPerStudyHour: value(orgPath, D.minutesPerStudyHour),
      studyTargetMember: value(orgPath, D.studyTargetMember),
      studyTargetLeader: value(orgPath, D.studyTargetLeader),
      reviewGrades: value(orgPath, D.reviewGrades),
      findingLookbackMonths: value(orgPath, D.findingLookbackMonths),
    };
    cache.set(k, v);
    return v;
  };
}

export async function orgLifeSettingsFor(db: Db, tenantId: number, orgPath: string): Promise<OrgLifeSettingValues> {
  return (await settingsResolver(db, tenantId))(orgPath);
}
