import { z } from 'zod';
import { MEETING_KIND_KEYS } from '../../domain/orgLifeRules.js';

/**
 * Organizational-life contracts (DOMAIN.md §3.3–§3.4), shared by the routes and the web pages.
 * Plain-text fields refuse markup here and again in the service (assertPlainText); minutes are rich
 * text and go through the one sanitizer.
 */
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间格式应为 HH:MM');
const plain = (max: number, label: string) =>
  z.string().trim().max(max, `${label}不超过 ${max} 字`).refine((s) => !/<[a-zA-Z!/?]/.test(s), `${label}不能包含 HTML 标记`);
const id = z.number().int().positive();

export const meetingKind = z.enum(MEETING_KIND_KEYS, { message: '会议类型不正确' });
export const attendanceStatus = z.enum(['present', 'onLeave', 'absent'], { message: '出勤状态应为出席、请假或缺席' });

export const attendanceInput = z.object({
  personId: id,
  status: attendanceStatus,
  leaveReason: plain(200, '请假事由').nullish(),
});

export const ballotInput = z.object({ personId: id, choice: z.enum(['yes', 'no', 'abstain', 'writtenYes']) });

/**
 * A vote is entered as counts, or as a roll call (`ballots`: who voted how), from which the counts are
 * derived; with ballots the counts may be left out, and when given must agree.
 */
export const meetingVoteInput = z.object({
  subject: plain(200, '表决事项').pipe(z.string().min(1, '请填写表决事项')),
  subjectPersonId: id.nullish(),
  yes: z.number().int().min(0).default(0),
  no: z.number().int().min(0).default(0),
  abstain: z.number().int().min(0).default(0),
  writtenYes: z.number().int().min(0).default(0),
  ballots: z.array(ballotInput).max(2000).nullish(),
});

export const meetingInput = z.object({
  orgId: id,
  kind: meetingKind,
  alsoCountsAs: z.array(meetingKind).max(5).default([]),
  heldOn: isoDate,
  startTime: hhmm.nullish(),
  endTime: hhmm.nullish(),
  place: plain(200, '地点').nullish(),
  hostPersonId: id.nullish(),
  recorderPersonId: id.nullish(),
  topic: plain(200, '主题').pipe(z.string().min(1, '请填写会议主题')),
  agenda: z.array(plain(300, '议程')).max(30).default([]),
  minutesHtml: z.string().max(200_000, '会议记录过长').nullish(),
  decisions: plain(5000, '决定事项').nullish(),
  lecturer: plain(50, '授课人').nullish(),
  lectureTitle: plain(200, '党课题目').nullish(),
  theme: plain(200, '主题党日主题').nullish(),
  forYear: z.number().int().min(2000).max(2100).nullish(),
  /** Omitted: everyone who should attend on that date, recorded as present. */
  attendance: z.array(attendanceInput).max(2000).optional(),
  guests: z.array(z.object({ name: plain(50, '列席人员姓名').pipe(z.string().min(1, '请填写列席人员姓名')), unitOrRole: plain(100, '单位或职务').nullish() })).max(200).default([]),
  votes: z.array(meetingVoteInput).max(50).default([]),
  attachmentIds: z.array(id).max(50).default([]),
});
export type MeetingInput = z.infer<typeof meetingInput>;
export const meetingUpdate = meetingInput.extend({ version: z.number().int().positive() });
export type MeetingUpdate = z.infer<typeof meetingUpdate>;

export const meetingListQuery = z.object({
  org: z.coerce.number().int().positive().optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  kind: meetingKind.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

export const expectedQuery = z.object({
  org: z.coerce.number().int().positive(),
  kind: meetingKind,
  date: isoDate,
});

export const rangeQuery = z.object({
  org: z.coerce.number().int().positive().optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
});
/** `mode=due`: obligations whose due date falls in the range (the heat map's cells); default: whose period overlaps it. */
export const complianceQuery = rangeQuery.extend({ mode: z.enum(['period', 'due']).optional() });

export const matrixQuery = z.object({
  org: z.coerce.number().int().positive().optional(),
  /** The last month shown ('YYYY-MM'); default the current month. Twelve months end there. */
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM').optional(),
});

export const yearQuery = z.object({
  org: z.coerce.number().int().positive().optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
});

export const heartTalkInput = z.object({
  orgId: id,
  heldOn: isoDate,
  personAId: id,
  personBId: id,
  topic: plain(200, '谈话主题').pipe(z.string().min(1, '请填写谈话主题')),
  notes: plain(2000, '谈话要点').nullish(),
});

export const studyRecordInput = z.object({
  personId: id,
  studiedOn: isoDate,
  /** Either minutes or full training days (1 day = 8 学时). */
  minutes: z.number().int().min(1).max(60 * 24 * 30).optional(),
  trainingDays: z.number().min(0.5).max(60).optional(),
  source: z.enum(['selfStudy', 'training', 'online', 'other'], { message: '学习方式不正确' }),
  title: plain(200, '学习内容').pipe(z.string().min(1, '请填写学习内容')),
});

export const studyPlanInput = z.object({
  personId: id,
  year: z.number().int().min(2000).max(2100),
  plan: plain(4000, '学习计划').pipe(z.string().min(1, '请填写学习计划')),
});

export const reviewOpenInput = z.object({ orgId: id, forYear: z.number().int().min(2000).max(2100), meetingId: id.nullish() });
export const reviewSaveInput = z.object({
  version: z.number().int().positive(),
  results: z.array(z.object({
    personId: id,
    selfAssessment: plain(2000, '个人自评').nullish(),
    peerTally: z.record(z.string().max(10), z.number().int().min(0).max(10_000)).default({}),
    grade: plain(10, '评定等次').nullish(),
    comment: plain(500, '评定意见').nullish(),
  })).max(2000),
  conclude: z.boolean().default(false),
  concludedOn: isoDate.nullish(),
});

// ─── Answers ────────────────────────────────────────────────────────────────

export interface ExpectedPerson {
  personId: number;
  name: string;
  stage: string;
  voting: boolean;
  committee: boolean;
}

export interface MeetingListItem {
  id: number;
  orgId: number;
  orgName: string;
  kind: string;
  alsoCountsAs: string[];
  heldOn: string;
  topic: string;
  lateEntry: boolean;
  countsAsHeld: boolean;
  validForDecisions: boolean;
  invalidReason: string | null;
  present: number;
  shouldAttend: number;
}

export interface MeetingDetail extends MeetingListItem {
  startTime: string | null;
  endTime: string | null;
  place: string | null;
  hostPersonId: number | null;
  hostName: string | null;
  recorderPersonId: number | null;
  recorderName: string | null;
  agenda: string[];
  minutesHtml: string | null;
  decisions: string | null;
  lecturer: string | null;
  lectureTitle: string | null;
  theme: string | null;
  forYear: number | null;
  enteredAt: string;
  ruleSet: string;
  quorum: Record<string, unknown> | null;
  version: number;
  attendance: { personId: number; name: string; status: string; leaveReason: string | null; voting: boolean }[];
  guests: { name: string; unitOrRole: string | null }[];
  votes: { subject: string; subjectPersonId: number | null; yes: number; no: number; abstain: number; writtenYes: number; ballots: { personId: number; choice: 'yes' | 'no' | 'abstain' | 'writtenYes' }[] | null; result: { quorum: boolean; passed: boolean | null; reason: string } }[];
  attachments: { id: number; filename: string; mime: string; size: number }[];
}

export interface ObligationRow {
  orgId: number;
  orgName: string;
  kind: string;
  frequency: string;
  periodKey: string;
  periodLabel: string;
  start: string;
  end: string;
  dueOn: string;
  status: 'done' | 'dueSoon' | 'overdue' | 'notYetDue';
  meetings: { id: number; heldOn: string; topic: string; lateEntry: boolean }[];
}

export interface MatrixCell {
  month: string;
  due: number;
  met: number;
  overdue: number;
  pending: number;
  /** Percent met of due (0–100); null when nothing was due that month. */
  rate: number | null;
}

export interface MatrixRow {
  orgId: number;
  orgName: string;
  kind: string;
  parentName: string | null;
  cells: MatrixCell[];
  due: number;
  met: number;
  rate: number | null;
}

export interface MatrixAnswer {
  org: { id: number; name: string } | null;
  months: string[];
  rows: MatrixRow[];
  totals: MatrixCell[];
}
