import { z } from 'zod';

/**
 * Development contracts (DOMAIN.md §2; issue 14), shared by the routes and the web pages. A step is
 * recorded with its date, the person who did it (actor), the decision, the documents provided and
 * their attachments, plus the step's own data (contact persons, introducers, training, 公示, the
 * member-assembly meeting). The rule checks are in src/domain/development.ts.
 */
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const plain = (max: number, label: string) =>
  z.string().trim().max(max, `${label}不超过 ${max} 字`).refine((s) => !/<[a-zA-Z!/?]/.test(s), `${label}不能包含 HTML 标记`);
const id = z.number().int().positive();

export const boardQuery = z.object({
  org: z.coerce.number().int().positive().optional(),
});

export const stepInput = z.object({
  step: z.number().int().min(1, '步骤应为1至25').max(25, '步骤应为1至25'),
  doneOn: isoDate,
  actorName: plain(50, '经办人').pipe(z.string().min(1, '请填写经办人')),
  decision: z.enum(['approved', 'rejected']).nullish(),
  documents: z.array(plain(50, '材料名称')).max(20).default([]),
  attachmentIds: z.array(id).max(20).default([]),
  note: plain(500, '备注').nullish(),
  /** Step 5: 1–2 contact persons; step 9: 2 introducers (person ids of full members). */
  contactPersonIds: z.array(id).max(5).nullish(),
  introducerIds: z.array(id).max(5).nullish(),
  trainingDays: z.number().min(0).max(365).nullish(),
  trainingHours: z.number().min(0).max(2000).nullish(),
  publicityFirst: isoDate.nullish(),
  publicityLast: isoDate.nullish(),
  reachedCommitteeOn: isoDate.nullish(),
  specialReason: plain(200, '特殊情况说明').nullish(),
  leavesUnitOn: isoDate.nullish(),
  /** Steps 15 and 23: the member-assembly meeting (orgLife) whose vote names this person. */
  meetingId: id.nullish(),
  frontLine: z.boolean().nullish(),
});
export type StepInput = z.infer<typeof stepInput>;

export interface IssueView {
  ruleId: string;
  kind: 'refusal' | 'flag' | 'confirm';
  step: number;
  message: string;
  source: string;
}

export interface NextStepView {
  no: number;
  label: string;
  documents: readonly string[];
  /** A deadline running for it, if any. */
  dueOn: string | null;
  dueRule: string | null;
  /** The earliest date a minimum-period rule allows, if any. */
  earliestOn: string | null;
  byCommittee: boolean;
}

export interface BoardItem {
  personId: number;
  name: string;
  gender: string;
  orgId: number;
  orgName: string;
  stage: string;
  ruleSet: string;
  currentStep: number;
  currentLabel: string;
  lastDoneOn: string;
  next: NextStepView | null;
  flags: number;
}

export interface StepView {
  id: number;
  step: number;
  label: string;
  doneOn: string;
  actorName: string;
  decision: string | null;
  documents: string[];
  requiredDocuments: readonly string[];
  attachmentIds: number[];
  meetingId: number | null;
  details: Record<string, unknown>;
  issues: IssueView[];
  note: string | null;
}

export interface RecordView {
  id: number;
  personId: number;
  name: string;
  orgId: number;
  orgName: string;
  stage: string;
  birthDate: string;
  ruleSet: string;
  ruleSetTitle: string;
  frontLine: boolean;
  contactPersons: { id: number; name: string }[];
  introducers: { id: number; name: string }[];
  steps: StepView[];
  next: NextStepView | null;
  deadlines: { step: number; dueOn: string; what: string; ruleId: string }[];
  version: number;
}
