import { z } from 'zod';
import { DUES_CATEGORIES, keysOf } from '../../domain/vocab.js';
import { PAY_SLIP_ITEM_KINDS, type PaySlipItemKind, type Rounding } from '../../domain/duesRules.js';

/**
 * Party dues (党费) contracts, shared by the server routes and the web pages (DOMAIN.md §1). Money is
 * integer fen everywhere; a month is 'YYYY-MM' on the wire and 'YYYY-MM-01' in the database.
 */
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
export const monthText = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM');
const id = (what: string) => z.number({ message: `请选择${what}` }).int().positive(`请选择${what}`);
const qid = z.coerce.number().int().positive();
const fen = (label: string) => z.number({ message: `请填写${label}` }).int(`${label}应以分为单位的整数`).min(0, `${label}不能为负数`).max(100_000_000, `${label}过大，请核对`);
const text = (max: number, label: string) =>
  z.string().trim().max(max, `${label}不超过 ${max} 字`).refine((s) => !/[<>]/.test(s), `${label}不能包含 < 或 > 等标记字符`);
const year = z.coerce.number().int().min(2008, '年份不早于2008年').max(2100);

export const PAYMENT_CHANNELS = [
  { key: 'cash', label: '现金' },
  { key: 'bankTransfer', label: '银行转账' },
  { key: 'wechat', label: '微信' },
  { key: 'alipay', label: '支付宝' },
] as const;
export type PaymentChannel = (typeof PAYMENT_CHANNELS)[number]['key'];
export const paymentChannel = z.enum(keysOf(PAYMENT_CHANNELS), { message: '缴费方式应为现金、银行转账、微信或支付宝' });

export const PAYMENT_KINDS = [
  { key: 'due', label: '按月交纳' },
  { key: 'voluntary', label: '自愿多交' },
  { key: 'reversal', label: '冲正' },
] as const;

/** What a member-month shows on the collection screen, the ledgers and the member's own history. */
export const MONTH_STATUSES = [
  { key: 'paid', label: '已缴' },
  { key: 'partial', label: '少缴' },
  { key: 'unpaid', label: '欠缴' },
  { key: 'pending', label: '未缴' },
  { key: 'exempt', label: '免交' },
  { key: 'noBase', label: '未核定' },
] as const;
export type MonthStatus = (typeof MONTH_STATUSES)[number]['key'];

export const REDUCTION_KINDS = [
  { key: 'reduction', label: '减交' },
  { key: 'exemption', label: '免交' },
] as const;

export const duesCategory = z.enum(keysOf(DUES_CATEGORIES), { message: '请选择党费类别' });
export const paySlipItem = z.object({
  label: text(40, '项目名称').pipe(z.string().min(1, '请填写项目名称')),
  kind: z.enum(PAY_SLIP_ITEM_KINDS.map((k) => k.key) as [PaySlipItemKind, ...PaySlipItemKind[]], { message: '请选择项目类别' }),
  amountFen: fen('金额'),
  included: z.boolean().optional(),
});

export const baseInput = z.object({
  personId: id('党员'),
  /** Under dues-2017 January unless a reason is given; under dues-2008 the month new pay is first received. */
  effectiveMonth: monthText,
  category: duesCategory,
  baseFen: fen('收入基数').nullish(),
  paySlip: z.array(paySlipItem).max(40, '工资单项目不超过40项').nullish(),
  /** Self-employed (第四条): the previous quarter's monthly net incomes (the months available); the base is their average. */
  quarterIncomes: z.array(z.object({ month: monthText, netIncomeFen: fen('月纯收入') })).max(3, '上一季度最多3个月').nullish(),
  flatFen: fen('每月交纳金额').nullish(),
  reason: text(200, '调整理由').nullish(),
});
export type BaseInput = z.infer<typeof baseInput>;

export const carryForwardInput = z.object({ orgId: id('党组织'), year: z.number().int().min(2008).max(2100) });

export const decision = z.object({
  approvedBy: text(80, '批准组织').pipe(z.string().min(2, '请填写批准的党组织')),
  approvedOn: isoDate,
  documentNo: text(60, '文号').pipe(z.string().min(1, '请填写批准文号')),
  reason: text(300, '理由').pipe(z.string().min(2, '请填写减免理由')),
});
export type Decision = z.infer<typeof decision>;

export const reductionInput = z.object({
  personId: id('党员'),
  kind: z.enum(['reduction', 'exemption'], { message: '请选择减交或免交' }),
  fromMonth: monthText,
  toMonth: monthText.nullish(),
  monthlyFen: fen('减交后每月金额').nullish(),
  decision,
});
export type ReductionInput = z.infer<typeof reductionInput>;

const paymentCommon = {
  personId: id('党员'),
  paidOn: isoDate,
  channel: paymentChannel,
  receiptNo: text(40, '收据号').nullish(),
  reason: text(300, '说明').nullish(),
  /** The collecting org, when it is not the member's own (a mobile member paying at the host org). */
  orgId: z.number().int().positive().nullish(),
};
export const duePaymentInput = z.object({
  kind: z.literal('due'),
  /** One receipt may cover several months (a quarter, a back payment). */
  months: z.array(monthText).min(1, '请选择缴费月份').max(24, '一次最多登记24个月'),
  /** Per month; omitted: each month's due. */
  amountFen: fen('每月金额').nullish(),
  ...paymentCommon,
});
export const voluntaryPaymentInput = z.object({
  kind: z.literal('voluntary'),
  month: monthText,
  amountFen: fen('金额').refine((n) => n > 0, '金额应大于0'),
  ...paymentCommon,
});
export const paymentInput = z.discriminatedUnion('kind', [duePaymentInput, voluntaryPaymentInput]);
export type DuePaymentInput = z.infer<typeof duePaymentInput>;
export type VoluntaryPaymentInput = z.infer<typeof voluntaryPaymentInput>;
export type PaymentInput = z.infer<typeof paymentInput>;

export const reversalInput = z.object({
  paymentId: z.number().int().positive().optional(),
  personId: z.number().int().positive().optional(),
  month: monthText.optional(),
  reason: text(300, '冲正理由').pipe(z.string().min(2, '请填写冲正理由')),
}).refine((v) => v.paymentId || (v.personId && v.month), { message: '请指定要冲正的缴费记录', path: ['paymentId'] });
export type ReversalInput = z.infer<typeof reversalInput>;

/** Without `month`: the server's current month (the clock may be pinned, so the browser's date is not used). */
export const collectionQuery = z.object({ org: qid, month: monthText.optional() });
export const collectionException = z.object({
  personId: id('党员'),
  action: z.enum(['amount', 'unpaid', 'exempt'], { message: '例外应为金额不同、未缴或免交' }),
  amountFen: fen('实缴金额').nullish(),
  channel: paymentChannel.nullish(),
  /** For `exempt`: the approving decision (第七条). */
  decision: decision.nullish(),
});
export const collectionInput = z.object({
  orgId: id('党组织'),
  month: monthText,
  paidOn: isoDate,
  channel: paymentChannel,
  receiptNo: text(40, '收据号').nullish(),
  exceptions: z.array(collectionException).max(1000).default([]),
});
export type CollectionInput = z.infer<typeof collectionInput>;

export const handInInput = z.object({
  orgId: id('党组织'),
  periodStart: isoDate,
  periodEnd: isoDate,
  amountFen: fen('上缴金额'),
  centralFen: fen('上缴中央金额').default(0),
  handedOn: isoDate,
  receiptNo: text(40, '收据号').pipe(z.string().min(1, '请填写收据号')),
});
export type HandInInput = z.infer<typeof handInInput>;

export const orgYearQuery = z.object({ org: qid, year: year.optional() });
export const yearQuery = z.object({ year: year.optional() });
export const idParam = z.object({ id: qid });

// ─── Answers ────────────────────────────────────────────────────────────────

export interface PaymentView {
  id: number;
  personId: number;
  personName: string;
  month: string;
  kind: 'due' | 'voluntary' | 'reversal';
  amountFen: number;
  paidOn: string;
  channel: string;
  receiptNo: string | null;
  backPayment: boolean;
  reason: string | null;
  reversalOf: number | null;
  reversedBy: number | null;
  orgId: number;
  orgName: string;
  centralGift: boolean;
}

export interface CollectionRow {
  personId: number;
  name: string;
  stage: string;
  isMobile: boolean;
  category: string | null;
  dueFen: number | null;
  reduction: 'reduction' | 'exemption' | null;
  status: MonthStatus;
  payment: { id: number; amountFen: number; paidOn: string; channel: string; receiptNo: string | null; backPayment: boolean; orgId: number } | null;
  voluntaryFen: number;
}

export interface CollectionTotals {
  members: number;
  dueFen: number;
  paidFen: number;
  paidCount: number;
  unpaidCount: number;
  exemptCount: number;
  noBaseCount: number;
  voluntaryFen: number;
}

export interface CollectionView {
  org: { id: number; name: string; kind: string };
  month: string;
  today: string;
  /** The month has ended: an unpaid month shows as 欠缴 and a payment is a back payment. */
  ended: boolean;
  rows: CollectionRow[];
  totals: CollectionTotals;
}

export interface CollectionResult extends CollectionView {
  created: number;
  skipped: { personId: number; name: string; reason: string }[];
}

export interface BaseView {
  id: number;
  personId: number;
  effectiveMonth: string;
  category: string;
  baseFen: number | null;
  paySlip: unknown;
  quarterIncomes: { month: string; netIncomeFen: number }[] | null;
  flatFen: number | null;
  monthlyDueFen: number;
  ruleSet: string;
  rounding: Rounding;
  reason: string | null;
  version: number;
}

export interface ReductionView {
  id: number;
  personId: number;
  kind: 'reduction' | 'exemption';
  fromMonth: string;
  toMonth: string | null;
  monthlyFen: number | null;
  decision: Decision;
}

export interface DuesSettingsView {
  ruleSet: string;
  rounding: Rounding;
  capFen: number;
  farmerDefaultFen: number;
}

export interface BasesView {
  org: { id: number; name: string };
  year: number;
  settings: DuesSettingsView;
  members: { personId: number; name: string; stage: string; admittedOn: string | null; bases: BaseView[]; reductions: ReductionView[]; missingForYear: boolean }[];
}

export interface HistoryMonth {
  month: string;
  dueFen: number | null;
  status: MonthStatus | 'notOwed';
  paidFen: number | null;
  paidOn: string | null;
  channel: string | null;
  backPayment: boolean;
}

export interface HistoryView {
  person: { id: number; name: string; orgName: string };
  year: number;
  months: HistoryMonth[];
  payments: PaymentView[];
  bases: BaseView[];
  totals: { dueFen: number; paidFen: number; voluntaryFen: number; unpaidMonths: number };
}

export interface DisclosureView {
  org: { id: number; name: string };
  year: number;
  months: string[];
  rows: { personId: number; name: string; cells: (number | null)[]; statuses: (MonthStatus | 'notOwed')[]; totalFen: number; voluntaryFen: number }[];
  totals: { byMonth: number[]; totalFen: number; voluntaryFen: number };
}

export interface HandInRecord {
  id: number;
  periodStart: string;
  periodEnd: string;
  amountFen: number;
  centralFen: number;
  handedOn: string;
  receiptNo: string;
  toOrgName: string;
}

export interface HandInPeriodView {
  start: string;
  end: string;
  label: string;
  deadline: string;
  collectedFen: number;
  receivedFen: number;
  expectedFen: number;
  centralExpectedFen: number;
  handedInFen: number;
  centralFen: number;
  differenceFen: number;
  status: 'handedIn' | 'short' | 'overdue' | 'dueSoon' | 'open' | 'none';
  handIns: HandInRecord[];
}

export interface HandInView {
  org: { id: number; name: string; kind: string; parentName: string | null };
  year: number;
  today: string;
  frequency: string;
  sharePercent: number;
  periods: HandInPeriodView[];
  children: { id: number; name: string; kind: string; collectedFen: number; receivedFen: number; expectedFen: number; handedInFen: number; differenceFen: number; overdue: number }[];
}

export const HAND_IN_STATUS_LABELS: Record<HandInPeriodView['status'], string> = {
  handedIn: '已上缴', short: '未足额', overdue: '逾期未缴', dueSoon: '即将到期', open: '未到期', none: '无收缴',
};
