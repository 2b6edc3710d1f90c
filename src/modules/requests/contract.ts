import { z } from 'zod';
import { validateMobile } from '../../domain/mobile.js';
import { RATINGS, REQUEST_KINDS, REQUEST_LIMITS, REQUEST_STATES } from '../../domain/requestWorkflow.js';

/**
 * Resident requests (诉求、微心愿) contracts, shared by the routes and the web pages (DOMAIN.md §10.1).
 * The public form is strict: unknown fields refused, every text trimmed, bounded and free of markup,
 * control characters refused; each refusal is a Chinese message naming the field.
 */
const L = REQUEST_LIMITS;
/** The same test as platform/sanitizer hasMarkup: `<` before a letter, `/`, `!` or `?`. */
const MARKUP = /<[a-zA-Z!/?]/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
export const plainText = (label: string, min: number, max: number) =>
  z.string({ message: `请填写${label}` }).trim()
    .min(min, min <= 1 ? `请填写${label}` : `${label}至少 ${min} 个字`)
    .max(max, `${label}不能超过 ${max} 个字`)
    .refine((s) => !MARKUP.test(s), `${label}不能包含 HTML 标记（如“<…>”），请输入纯文本`)
    .refine((s) => !CONTROL.test(s), `${label}含有不可见的控制字符，请重新输入`);
const id = (what: string) => z.number({ message: `请选择${what}` }).int().positive(`请选择${what}`);
const qid = z.coerce.number().int().positive();
const mobile = z.string({ message: '请填写手机号码' }).max(20, '手机号码格式不正确').superRefine((s, ctx) => {
  const r = validateMobile(s);
  if (!r.ok) ctx.addIssue({ code: 'custom', message: r.reason });
});

export const requestKind = z.enum(REQUEST_KINDS, { message: '请选择诉求类别' });
export const requestState = z.enum(REQUEST_STATES, { message: '状态不正确' });
export const rating = z.enum(RATINGS, { message: '请选择满意、基本满意或不满意' });

/** The tracking token: 43 base64url characters (32 random bytes). Anything else is refused before a lookup. */
export const trackingToken = z.string({ message: '请填写查询码' }).regex(/^[A-Za-z0-9_-]{43}$/, '查询码不正确');

export const publicSubmitInput = z.strictObject({
  communityId: id('社区'),
  gridId: id('网格').optional(),
  kind: requestKind,
  content: plainText('诉求内容', L.contentMin, L.contentMax),
  contactName: plainText('联系人', 1, L.nameMax),
  mobile,
  address: plainText('地址', 1, L.addressMax).optional(),
}, { message: '提交内容包含未知字段' });
export type PublicSubmitInput = z.infer<typeof publicSubmitInput>;

export const trackInput = z.strictObject({ token: trackingToken });
export const rateInput = z.strictObject({ token: trackingToken, rating, comment: plainText('评价意见', 1, L.commentMax).optional() });

/** What the requester sees by token: their own request, nothing of anyone else. */
export interface TrackView {
  kind: string;
  kindLabel: string;
  state: string;
  stateLabel: string;
  content: string;
  communityName: string;
  submittedOn: string;
  acceptedOn: string | null;
  answeredOn: string | null;
  answer: string | null;
  rating: string | null;
  ratingLabel: string | null;
  canRate: boolean;
}

export interface CommunityOption {
  id: number;
  name: string;
  grids: { id: number; name: string }[];
}

export const STAFF_ACTIONS = ['accept', 'assign', 'start', 'answer', 'close', 'reject', 'merge'] as const;
export const transitionInput = z.strictObject({
  action: z.enum(STAFF_ACTIONS, { message: '操作不正确' }),
  answer: plainText('答复内容', 2, L.answerMax).optional(),
  reason: plainText('理由', 2, 200).optional(),
  duplicateOf: id('重复的诉求').optional(),
});
export type TransitionInput = z.infer<typeof transitionInput>;

export const claimInput = z.strictObject({ partnerUnit: plainText('共建单位名称', 2, 50).optional() });

export const idParam = z.object({ id: qid });
export const inboxQuery = z.object({
  org: qid.optional(),
  state: requestState.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export interface RequestListItem {
  id: number;
  kind: string;
  kindLabel: string;
  state: string;
  stateLabel: string;
  content: string;
  contactName: string;
  mobile: string | null;
  communityName: string;
  gridName: string | null;
  submittedOn: string;
  acceptDue: string;
  answerDue: string | null;
  /** ok | dueToday | late: the colour in the inbox. */
  sla: 'ok' | 'dueToday' | 'late' | 'done';
  answer: string | null;
  rating: string | null;
  claimant: string | null;
  version: number;
}

export interface InboxView {
  items: RequestListItem[];
  total: number;
  counts: Record<string, number>;
  satisfaction: { value: number | null; numerator: number | null; denominator: number | null };
}
