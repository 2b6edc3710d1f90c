import { z } from 'zod';

/** Member registry contracts, shared by server routes, the import and web pages. */
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const noMarkup = (label: string) => (s: string) => !/[<>]/.test(s) || false;
const text = (max: number, label: string) =>
  z.string().trim().max(max, `${label}不超过 ${max} 字`).refine(noMarkup(label), `${label}不能包含 < 或 > 等标记字符`);

export const MEMBER_LIST_STAGES = ['probationary', 'full'] as const;
export const MEMBER_LIST_STATES = ['active', 'lostContact'] as const;

export const memberInput = z.object({
  orgId: z.number().int().positive({ message: '请选择所在党组织' }),
  groupId: z.number().int().positive().nullish(),
  name: text(40, '姓名').pipe(z.string().min(1, '姓名不能为空')),
  gender: z.enum(['male', 'female'], { message: '性别应为男或女' }),
  ethnicity: z.string().min(1, '民族不能为空'),
  birthDate: isoDate.nullish(),
  idNumber: z.string().trim().max(30).nullish(),
  mobile: z.string().trim().max(20).nullish(),
  education: z.string().nullish(),
  occupation: z.string().nullish(),
  workUnit: text(100, '工作单位').nullish(),
  address: text(200, '家庭住址').nullish(),
  stage: z.enum(MEMBER_LIST_STAGES, { message: '人员类别应为正式党员或预备党员' }),
  admittedOn: isoDate,
  fullOn: isoDate.nullish(),
  /** 转入本组织日期: when the formal relation with this org started; else admittedOn (推定). */
  relationStart: isoDate.nullish(),
});
export type MemberInput = z.infer<typeof memberInput>;

export const memberPatch = memberInput.partial().extend({ version: z.number().int().positive() });
export type MemberPatch = z.infer<typeof memberPatch>;

export const memberListQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
  org: z.coerce.number().int().positive().optional(),
  q: z.string().trim().max(40).optional(),
  stage: z.enum(MEMBER_LIST_STAGES).optional(),
  state: z.enum(['active', 'lostContact', 'statusSuspended', 'left']).optional(),
  gender: z.enum(['male', 'female']).optional(),
  ethnicity: z.string().max(20).optional(),
  minority: z.enum(['yes', 'no']).optional(),
  ageBand: z.string().max(20).optional(),
  partyAgeBand: z.string().max(20).optional(),
  education: z.string().max(30).optional(),
  occupation: z.string().max(30).optional(),
  sort: z.enum(['name', 'birthDate', 'admittedOn', 'org']).default('name'),
  order: z.enum(['asc', 'desc']).default('asc'),
});
export type MemberListQuery = z.infer<typeof memberListQuery>;

export interface MemberListItem {
  id: number;
  name: string;
  gender: string;
  ethnicity: string;
  birthDate: string | null;
  age: number | null;
  orgId: number;
  orgName: string;
  stage: string;
  state: string;
  education: string | null;
  occupation: string | null;
  admittedOn: string | null;
  fullOn: string | null;
  partyAge: number | null;
  idNumber: string | null;
  mobile: string | null;
  idNumberProblem: string | null;
  transferPending: boolean;
}

export interface MemberDetail extends MemberListItem {
  groupId: number | null;
  workUnit: string | null;
  address: string | null;
  fullOnNote: string | null;
  relationStartPresumed: boolean;
  isMobile: boolean;
  version: number;
  masked: boolean;
  canUnmask: boolean;
  /** Others in the viewer's scope registered with the same mobile (a warning, never a refusal). */
  sharedMobileWith: { id: number; name: string }[];
  posts: { id: number; orgId: number; orgName: string; post: string; validFrom: string; validTo: string | null }[];
  history: { orgName: string; stage: string; state: string; validFrom: string; validTo: string | null; startPresumed: boolean }[];
}

export const postInput = z.object({
  orgId: z.number().int().positive(),
  post: z.string().min(1),
  validFrom: isoDate,
});
export const postEnd = z.object({ validTo: isoDate });

export const IMPORT_HEADERS = {
  name: '姓名',
  gender: '性别',
  ethnicity: '民族',
  idNumber: '公民身份号码',
  birthDate: '出生日期',
  education: '学历',
  mobile: '手机号码',
  org: '所在党组织',
  stage: '人员类别',
  admittedOn: '入党日期',
  fullOn: '转正日期',
  occupation: '职业',
  workUnit: '工作单位',
  relationStart: '转入本组织日期',
  address: '家庭住址',
} as const;
export const REQUIRED_IMPORT_HEADERS = ['name', 'gender', 'ethnicity', 'idNumber', 'birthDate', 'education', 'mobile', 'org', 'stage', 'admittedOn', 'fullOn'] as const;

export interface ImportRowError {
  row: number;
  column?: string;
  reason: string;
}
export interface ImportReport {
  ok: boolean;
  total: number;
  imported: number;
  errors: ImportRowError[];
  /** Notes that do not stop the import: a mobile shared with another row or person (families share one). */
  warnings: ImportRowError[];
  runId?: number;
}
