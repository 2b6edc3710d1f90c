/**
 * Resident requests (民意诉求、微心愿、帮办代办…): the workflow and its time limits (DOMAIN.md §10.1;
 * issue 15 "Requests"). Pure: the state machine is one table of transitions, each naming who may
 * take it; anything not in the table is refused with a Chinese reason. Deadlines are counted in
 * working days on the shared calendar (calendar.ts): "accept within 1 working day of submission,
 * answer within 5 working days of acceptance" — the period starts the day after the event.
 */
import { addWorkingDays, type CalendarData } from './calendar.js';
import type { IsoDate } from './dates.js';

export const REQUEST_KINDS = ['opinion', 'wish', 'errand', 'repair', 'dispute', 'other'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];
export const REQUEST_KIND_LABELS: Record<RequestKind, string> = {
  opinion: '民意诉求', wish: '微心愿', errand: '帮办代办', repair: '报修', dispute: '矛盾纠纷', other: '其他',
};

export const REQUEST_STATES = ['submitted', 'accepted', 'assigned', 'inProgress', 'claimed', 'answered', 'rated', 'closed', 'rejected', 'merged', 'escalated'] as const;
export type RequestState = (typeof REQUEST_STATES)[number];
export const REQUEST_STATE_LABELS: Record<RequestState, string> = {
  submitted: '已提交', accepted: '已受理', assigned: '已分派', inProgress: '办理中', claimed: '已认领', answered: '已答复',
  rated: '已评价', closed: '已办结', rejected: '不予受理', merged: '已合并', escalated: '已上报街道',
};

export const REQUEST_ACTIONS = ['accept', 'assign', 'start', 'claim', 'answer', 'rate', 'close', 'reject', 'merge', 'escalate'] as const;
export type RequestAction = (typeof REQUEST_ACTIONS)[number];
export const REQUEST_ACTION_LABELS: Record<RequestAction, string> = {
  accept: '受理', assign: '分派', start: '开始办理', claim: '认领', answer: '答复', rate: '评价', close: '办结', reject: '不予受理',
  merge: '合并为重复诉求', escalate: '上报街道',
};

/** Who takes a transition: the grid worker (staff), the resident by token, a claimant, or the system job. */
export type RequestActor = 'staff' | 'resident' | 'claimant' | 'system';

export interface Transition {
  action: RequestAction;
  from: readonly RequestState[];
  to: RequestState;
  actor: RequestActor;
  /** Only for these kinds (a claim is for a wish only); absent: every kind. */
  kinds?: readonly RequestKind[];
}

const OPEN_HANDLING: readonly RequestState[] = ['accepted', 'assigned', 'inProgress', 'claimed', 'escalated'];

/** The whole workflow. A wish is a request of kind `wish` (one workflow): once accepted it can be claimed. */
export const TRANSITIONS: readonly Transition[] = [
  { action: 'accept', from: ['submitted'], to: 'accepted', actor: 'staff' },
  { action: 'reject', from: ['submitted', 'accepted'], to: 'rejected', actor: 'staff' },
  { action: 'merge', from: ['submitted', 'accepted'], to: 'merged', actor: 'staff' },
  { action: 'assign', from: ['accepted'], to: 'assigned', actor: 'staff' },
  { action: 'start', from: ['accepted', 'assigned', 'escalated'], to: 'inProgress', actor: 'staff' },
  { action: 'claim', from: ['accepted'], to: 'claimed', actor: 'claimant', kinds: ['wish'] },
  { action: 'answer', from: OPEN_HANDLING, to: 'answered', actor: 'staff' },
  { action: 'escalate', from: ['accepted', 'assigned', 'inProgress', 'claimed'], to: 'escalated', actor: 'system' },
  { action: 'rate', from: ['answered', 'closed'], to: 'rated', actor: 'resident' },
  { action: 'close', from: ['answered'], to: 'closed', actor: 'staff' },
];

/** States in which nothing is left to do. */
export const FINAL_STATES: readonly RequestState[] = ['rated', 'rejected', 'merged'];
/** States still waiting for an answer (the answer deadline runs). */
export const AWAITING_ANSWER: readonly RequestState[] = OPEN_HANDLING;

export type TransitionCheck = { ok: true; to: RequestState } | { ok: false; reason: string };

/** May `actor` take `action` on a request of `kind` in `state`? Refusals say why, in Chinese. */
export function checkTransition(kind: RequestKind, state: RequestState, action: RequestAction, actor: RequestActor): TransitionCheck {
  const t = TRANSITIONS.find((x) => x.action === action);
  if (!t) return { ok: false, reason: `未知操作：${action}` };
  if (t.kinds && !t.kinds.includes(kind)) {
    return { ok: false, reason: `${REQUEST_KIND_LABELS[kind]}不能${REQUEST_ACTION_LABELS[action]}（仅适用于${t.kinds.map((k) => REQUEST_KIND_LABELS[k]).join('、')}）` };
  }
  if (t.actor !== actor) return { ok: false, reason: `${REQUEST_ACTION_LABELS[action]}只能由${ACTOR_LABELS[t.actor]}操作` };
  if (!t.from.includes(state)) {
    return { ok: false, reason: `诉求当前状态为“${REQUEST_STATE_LABELS[state]}”，不能${REQUEST_ACTION_LABELS[action]}` };
  }
  return { ok: true, to: t.to };
}

const ACTOR_LABELS: Record<RequestActor, string> = { staff: '网格员或社区工作人员', resident: '提交诉求的居民', claimant: '认领人', system: '系统' };

/** The ratings of DOMAIN.md §10.1; satisfaction = (满意 + 基本满意) ÷ rated. */
export const RATINGS = ['satisfied', 'basicallySatisfied', 'dissatisfied'] as const;
export type Rating = (typeof RATINGS)[number];
export const RATING_LABELS: Record<Rating, string> = { satisfied: '满意', basicallySatisfied: '基本满意', dissatisfied: '不满意' };
export const countsAsSatisfied = (r: Rating) => r === 'satisfied' || r === 'basicallySatisfied';

/** Time limits in working days (DOMAIN.md §10.1, project conventions; settings per tenant). */
export interface SlaLimits {
  acceptDays: number;
  answerDays: number;
  /** Working days after a missed answer deadline before the request is escalated to the subdistrict. */
  escalateAfterDays: number;
}
export const DEFAULT_SLA: SlaLimits = { acceptDays: 1, answerDays: 5, escalateAfterDays: 1 };

export interface SlaInput {
  state: RequestState;
  submittedOn: IsoDate;
  acceptedOn: IsoDate | null;
  answeredOn: IsoDate | null;
}

export interface SlaStatus {
  acceptDue: IsoDate;
  /** Null until accepted. */
  answerDue: IsoDate | null;
  /** The day from which an unanswered request is escalated; null until accepted. */
  escalateFrom: IsoDate | null;
  acceptLate: boolean;
  answerLate: boolean;
  /** Today is past the escalation day and the request is still unanswered and not yet escalated. */
  escalateNow: boolean;
  /** Some year touched had no calendar data (Monday–Friday used). */
  fallback: boolean;
}

/**
 * Deadlines and lateness on `today`. Late means the deadline day has passed without the event
 * (accepted on the due day is on time); an event after the due day stays late for the figures.
 */
export function slaStatus(r: SlaInput, today: IsoDate, data: CalendarData, limits: SlaLimits = DEFAULT_SLA): SlaStatus {
  const accept = addWorkingDays(r.submittedOn, limits.acceptDays, data);
  let fallback = accept.fallback;
  const acceptLate = r.acceptedOn ? r.acceptedOn > accept.value : !isFinalOrClosedUnaccepted(r.state) && today > accept.value;
  if (!r.acceptedOn) return { acceptDue: accept.value, answerDue: null, escalateFrom: null, acceptLate, answerLate: false, escalateNow: false, fallback };
  const answer = addWorkingDays(r.acceptedOn, limits.answerDays, data);
  const escalate = addWorkingDays(answer.value, limits.escalateAfterDays, data);
  fallback = fallback || answer.fallback || escalate.fallback;
  const waiting = AWAITING_ANSWER.includes(r.state);
  const answerLate = r.answeredOn ? r.answeredOn > answer.value : waiting && today > answer.value;
  const escalateNow = waiting && r.state !== 'escalated' && !r.answeredOn && today > escalate.value;
  return { acceptDue: accept.value, answerDue: answer.value, escalateFrom: escalate.value, acceptLate, answerLate, escalateNow, fallback };
}

const isFinalOrClosedUnaccepted = (s: RequestState) => s === 'rejected' || s === 'merged';

/** Input limits of the public form (the contract enforces them; the page shows them). */
export const REQUEST_LIMITS = { contentMax: 1000, contentMin: 5, nameMax: 20, addressMax: 100, answerMax: 2000, commentMax: 300 } as const;
