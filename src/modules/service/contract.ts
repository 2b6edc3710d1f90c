import { z } from 'zod';
import { CARE_TAG_KEYS, DEED_SOURCE_KEYS, DEED_STATUS_KEYS, PAIRING_FREQUENCY_KEYS, VISIT_KIND_KEYS } from '../../domain/serviceRules.js';

/**
 * Community-service contracts (issue 19), shared by the routes and the web pages. Plain-text fields
 * refuse markup (Chinese message); money is integer fen; times are HH:MM on the activity's day.
 */
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间格式应为 HH:MM');
const plain = (max: number, label: string) =>
  z.string().trim().max(max, `${label}不超过 ${max} 字`).refine((s) => !/<[a-zA-Z!/?]/.test(s), `${label}不能包含 HTML 标记`);
const required = (max: number, label: string) => plain(max, label).pipe(z.string().min(1, `请填写${label}`));
const id = z.number().int().positive();
const qid = z.coerce.number().int().positive();

export const teamInput = z.object({
  orgId: id,
  name: required(60, '服务队名称'),
  note: plain(500, '备注').nullish(),
  personIds: z.array(id).max(500).default([]),
  volunteerIds: z.array(id).max(500).default([]),
});
export type TeamInput = z.infer<typeof teamInput>;

export const volunteerInput = z.object({
  orgId: id,
  name: required(30, '姓名'),
  gender: z.enum(['male', 'female']).nullish(),
  mobile: plain(20, '手机号码').nullish(),
  idNumber: plain(20, '公民身份号码').nullish(),
  teamId: id.nullish(),
});
export type VolunteerInput = z.infer<typeof volunteerInput>;

export const activityInput = z.object({
  orgId: id,
  teamId: id.nullish(),
  title: required(100, '活动名称'),
  kind: required(20, '活动类型'),
  heldOn: isoDate,
  startTime: hhmm.nullish(),
  endTime: hhmm.nullish(),
  place: plain(100, '活动地点').nullish(),
  capacity: z.number().int().min(1).max(100_000).nullish(),
});
export type ActivityInput = z.infer<typeof activityInput>;

/** Exactly one of a member (personId) or a volunteer without a Party stage (volunteerId). */
export const whoInput = z.object({ personId: id.nullish(), volunteerId: id.nullish() })
  .refine((x) => !!x.personId !== !!x.volunteerId, { message: '请选择一名党员或一名志愿者' });
export type WhoInput = z.infer<typeof whoInput>;

export const hoursInput = z.object({
  entries: z.array(z.object({ personId: id.nullish(), volunteerId: id.nullish(), minutes: z.number().int().min(0).max(24 * 60) })
    .refine((x) => !!x.personId !== !!x.volunteerId, { message: '请选择一名党员或一名志愿者' })).min(1, '请填写服务时长').max(2000),
});
export type HoursInput = z.infer<typeof hoursInput>;

export const householdInput = z.object({
  orgId: id,
  headName: required(30, '户主姓名'),
  address: required(200, '住址'),
  careTags: z.array(z.enum(CARE_TAG_KEYS, { message: '关爱类别不正确' })).max(10).default([]),
  personId: id.nullish(),
  note: plain(500, '备注').nullish(),
});
export type HouseholdInput = z.infer<typeof householdInput>;

export const visitInput = z.object({
  orgId: id,
  householdId: id,
  visitedOn: isoDate,
  kind: z.enum(VISIT_KIND_KEYS, { message: '走访类型不正确' }),
  visitorIds: z.array(id).min(1, '请选择走访人').max(20),
  moneyFen: z.number().int().min(0).max(100_000_000).default(0),
  goods: plain(200, '慰问物品').nullish(),
  note: plain(1000, '走访情况').nullish(),
  followUpNeeded: z.boolean().default(false),
  followUpNote: plain(500, '后续跟进').nullish(),
  attachmentIds: z.array(id).max(20).default([]),
});
export type VisitInput = z.infer<typeof visitInput>;

export const pairingInput = z.object({
  orgId: id,
  householdId: id,
  personId: id.nullish(),
  startOn: isoDate,
  endOn: isoDate.nullish(),
  frequency: z.enum(PAIRING_FREQUENCY_KEYS, { message: '走访频次不正确' }).nullish(),
});
export type PairingInput = z.infer<typeof pairingInput>;

export const deedInput = z.object({
  orgId: id,
  year: z.number().int().min(2000).max(2100).nullish(),
  item: required(200, '实事内容'),
  source: z.enum(DEED_SOURCE_KEYS, { message: '来源不正确' }),
  householdId: id.nullish(),
  ownerPersonId: id.nullish(),
  deadline: isoDate.nullish(),
});
export type DeedInput = z.infer<typeof deedInput>;

export const deedStatusInput = z.object({
  status: z.enum(DEED_STATUS_KEYS, { message: '状态不正确' }),
  on: isoDate.nullish(),
  reason: plain(500, '终止原因').nullish(),
  evidence: plain(2000, '办结佐证').nullish(),
  attachmentIds: z.array(id).max(20).default([]),
  feedback: plain(500, '群众评价').nullish(),
});
export type DeedStatusInput = z.infer<typeof deedStatusInput>;

export const orgRangeQuery = z.object({ org: qid.optional(), from: isoDate.optional(), to: isoDate.optional() });
export const orgQuery = z.object({ org: qid.optional() });
export const orgYearQuery = z.object({ org: qid.optional(), year: z.coerce.number().int().min(2000).max(2100).optional() });
export const idParam = z.object({ id: qid });

// ─── Answers ────────────────────────────────────────────────────────────────

export interface ParticipantView {
  id: number;
  personId: number | null;
  volunteerId: number | null;
  name: string;
  isMember: boolean;
  mobileMasked: string | null;
  signedUp: boolean;
  checkedInAt: string | null;
  minutes: number | null;
  confirmedAt: string | null;
}

export interface ActivityView {
  id: number;
  orgId: number;
  orgName: string;
  teamId: number | null;
  title: string;
  kind: string;
  heldOn: string;
  startTime: string | null;
  endTime: string | null;
  place: string | null;
  capacity: number | null;
  signedUp: number;
  checkedIn: number;
  confirmedMinutes: number;
  version: number;
}

export interface VisitView {
  id: number;
  orgId: number;
  householdId: number;
  headName: string;
  addressMasked: string;
  careTags: string[];
  visitedOn: string;
  kind: string;
  visitors: { id: number; name: string }[];
  moneyFen: number;
  goods: string | null;
  followUpNeeded: boolean;
  followUpNote: string | null;
  attachments: { id: number; filename: string; mime: string; size: number }[];
}

export interface DeedView {
  id: number;
  orgId: number;
  year: number;
  item: string;
  source: string;
  ownerName: string | null;
  deadline: string | null;
  status: string;
  overdue: boolean;
  plannedOn: string;
  doneOn: string | null;
  dropReason: string | null;
  evidence: string | null;
  attachmentIds: number[];
  feedback: string | null;
  version: number;
}
