/**
 * The 25 steps of 发展党员工作流程 (DOMAIN.md §2.1, the 2014 structure as charted on 12371) as data.
 * `entersStage` is the registry stage a person is in once the step is recorded (vocab.ts MEMBER_STAGES):
 * listed as 积极分子 at step 3, as 发展对象 at step 7, 预备党员 once the committee approves (step 17,
 * admittedOn = the assembly date of step 15), 正式党员 once the 转正 is approved (step 24, fullOn = the
 * end of the probation, never the meeting date). `repeatable` steps may be recorded many times and do
 * not block the order (their coverage is checked by their own rules).
 */
import type { MemberStage } from './vocab.js';

export interface DevelopmentStep {
  readonly no: number;
  /** 1…5: 申请入党 / 积极分子 / 发展对象 / 接收预备党员 / 教育考察和转正. */
  readonly phase: 1 | 2 | 3 | 4 | 5;
  readonly label: string;
  readonly documents: readonly string[];
  readonly entersStage?: MemberStage;
  readonly repeatable?: boolean;
  /** The step records a member-assembly vote (a meeting of the orgLife module and its subject person). */
  readonly assembly?: boolean;
  /** The step is decided by an org above the branch (the approver, ARCHITECTURE.md "Org tree and access"). */
  readonly byCommittee?: boolean;
}

export const DEVELOPMENT_PHASES = ['申请入党', '入党积极分子的确定和培养教育', '发展对象的确定和考察', '预备党员的接收', '预备党员的教育考察和转正'] as const;

export const DEVELOPMENT_STEPS: readonly DevelopmentStep[] = [
  { no: 1, phase: 1, label: '递交入党申请书', documents: ['入党申请书'], entersStage: 'applicant' },
  { no: 2, phase: 1, label: '党组织派人谈话', documents: ['谈话记录'] },
  { no: 3, phase: 2, label: '推荐和确定入党积极分子', documents: ['推荐（推优）材料', '支委会记录'], entersStage: 'activist' },
  { no: 4, phase: 2, label: '上级党委备案', documents: ['积极分子备案材料'], byCommittee: true },
  { no: 5, phase: 2, label: '指定培养联系人', documents: ['培养联系人登记'] },
  { no: 6, phase: 2, label: '培养教育考察', documents: ['培养考察登记表', '思想汇报'], repeatable: true },
  { no: 7, phase: 3, label: '确定发展对象', documents: ['支委会记录', '征求意见材料'], entersStage: 'candidate' },
  { no: 8, phase: 3, label: '报上级党委备案', documents: ['发展对象备案表'], byCommittee: true },
  { no: 9, phase: 3, label: '确定入党介绍人', documents: ['介绍人登记'] },
  { no: 10, phase: 3, label: '进行政治审查', documents: ['政审材料'] },
  { no: 11, phase: 3, label: '开展集中培训', documents: ['培训结业证明'] },
  { no: 12, phase: 4, label: '支部委员会审查', documents: ['审查意见'] },
  { no: 13, phase: 4, label: '上级党委预审', documents: ['预审意见'], byCommittee: true },
  { no: 14, phase: 4, label: '填写入党志愿书', documents: ['入党志愿书'] },
  { no: 15, phase: 4, label: '支部大会讨论接收预备党员', documents: ['支部大会决议'], assembly: true },
  { no: 16, phase: 4, label: '上级党委派人谈话', documents: ['谈话意见'], byCommittee: true },
  { no: 17, phase: 4, label: '上级党委审批', documents: ['审批意见'], entersStage: 'probationary', byCommittee: true },
  { no: 18, phase: 4, label: '再上一级党委组织部门备案', documents: ['备案表'], byCommittee: true },
  { no: 19, phase: 5, label: '编入党支部和党小组', documents: [] },
  { no: 20, phase: 5, label: '入党宣誓', documents: ['宣誓记录'] },
  { no: 21, phase: 5, label: '继续教育考察', documents: ['考察记录', '思想汇报'], repeatable: true },
  { no: 22, phase: 5, label: '提出转正申请', documents: ['转正申请书'] },
  { no: 23, phase: 5, label: '支部大会讨论转正', documents: ['支部大会决议'], assembly: true },
  { no: 24, phase: 5, label: '上级党委审批转正', documents: ['审批意见'], entersStage: 'full', byCommittee: true },
  { no: 25, phase: 5, label: '材料归档', documents: ['入党志愿书', '入党申请书', '政审材料', '转正申请书', '培养教育考察材料'] },
];

export function stepOf(no: number): DevelopmentStep {
  const s = DEVELOPMENT_STEPS[no - 1];
  if (!s || s.no !== no) throw new RangeError(`没有第${no}步`);
  return s;
}

export const stepTitle = (no: number) => `第${no}步“${stepOf(no).label}”`;

/** The registry stage after the given recorded steps (the latest `entersStage` reached); null before step 1. */
export function stageAfter(recorded: Iterable<number>): MemberStage | null {
  let best = 0;
  for (const n of recorded) if (stepOf(n).entersStage && n > best) best = n;
  return best === 0 ? null : stepOf(best).entersStage!;
}
