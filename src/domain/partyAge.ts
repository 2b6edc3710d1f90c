/**
 * 党龄, its start date (fullOn) and the 「光荣在党50年」纪念章 (DOMAIN.md §5).
 *
 * 党龄 counts from the day the probation ends (党章 第七条), not from the 转正 meeting or its
 * approval. Members admitted in 1969–1982 were admitted under other rules, so the plain
 * "admittedOn + 1 year" gets them wrong: fullOn is derived by period (ADMISSION_PERIODS), shown with
 * its explanation, and stored as data that a person may override with a reason.
 */
import { compareDates, completedYears, periodEnd, type IsoDate } from './dates.js';
import { MEMBERSHIP_1982 } from './ruleSets.js';

const M = MEMBERSHIP_1982.constants;

export type AdmissionPeriodKey = 'pre1969' | '1969to1977' | '1977to1982' | 'current';

export interface AdmissionPeriod {
  readonly key: AdmissionPeriodKey;
  readonly label: string;
  /** Inclusive range of 入党时间; absent = unbounded. */
  readonly from?: IsoDate;
  readonly to?: IsoDate;
  /** Months of probation (0 = none). */
  readonly probationMonths: number;
  /** What the probation (or 党龄, without probation) is counted from. */
  readonly countsFrom: 'admittedOn' | 'approvedOn';
  readonly source: string;
}

/**
 * The historical periods, DOMAIN.md §5 [SECONDARY, 党龄 Q&A as reposted]. The first period in
 * DOMAIN.md starts 1956-09-15 (八大党章); earlier admissions fall in 'pre1969' but their probation
 * varied (see EIGHTH_CONGRESS_FROM) and is not derived.
 */
export const ADMISSION_PERIODS: readonly AdmissionPeriod[] = [
  { key: 'pre1969', label: '1969年3月31日以前入党', to: '1969-03-31', probationMonths: 12, countsFrom: 'admittedOn', source: 'DOMAIN.md §5' },
  { key: '1969to1977', label: '1969年4月1日至1977年8月11日入党（无预备期）', from: '1969-04-01', to: '1977-08-11', probationMonths: 0, countsFrom: 'approvedOn', source: 'DOMAIN.md §5' },
  { key: '1977to1982', label: '1977年8月12日至1982年9月5日入党', from: '1977-08-12', to: '1982-09-05', probationMonths: 12, countsFrom: 'approvedOn', source: 'DOMAIN.md §5' },
  { key: 'current', label: '1982年9月6日以后入党', from: '1982-09-06', probationMonths: 12, countsFrom: 'admittedOn', source: 'DOMAIN.md §5' },
];

/** Start of the first period DOMAIN.md §5 describes; earlier probation rules are not encoded. */
export const EIGHTH_CONGRESS_FROM: IsoDate = '1956-09-15';

export interface FullOnInput {
  /** 入党时间 as recorded (for 1969–1982 admissions this is normally the higher committee's approval). */
  admittedOn: IsoDate;
  /** The higher committee's approval, when it differs from or confirms admittedOn. */
  approvedOn?: IsoDate | null;
  /** An extension of the probation, 6–12 months (§2.3); 0 or absent = none. */
  extensionMonths?: number | null;
}

export interface FullOnResult {
  /** 党龄 start; null when it cannot be derived (enter it from the file). */
  fullOn: IsoDate | null;
  period: AdmissionPeriodKey;
  /** Chinese explanation shown beside the derived date. */
  note: string;
  /** 1969–1982: no approval date given, so admittedOn was taken as the approval date. */
  needsApprovalDate?: boolean;
  /** A person should check the result (pre-1956 admission, or dates in two periods). */
  needsConfirmation?: boolean;
}

export function admissionPeriodOf(date: IsoDate): AdmissionPeriod {
  const found = ADMISSION_PERIODS.find(
    (p) => (p.from === undefined || compareDates(date, p.from) >= 0) && (p.to === undefined || compareDates(date, p.to) <= 0),
  );
  if (!found) throw new RangeError(`无法确定入党时间所属时期：${date}`);
  return found;
}

function checkExtension(extensionMonths: number | null | undefined): number {
  const months = extensionMonths ?? 0;
  if (months === 0) return 0;
  if (!Number.isInteger(months) || months < M.EXTENSION_MIN_MONTHS.value || months > M.EXTENSION_MAX_MONTHS.value) {
    throw new RangeError(
      `延长预备期应为${M.EXTENSION_MIN_MONTHS.value}至${M.EXTENSION_MAX_MONTHS.value}个月，实际为${months}`,
    );
  }
  return months;
}

/** The last day of the probation (= the 转正 date, §2.3, §5) counted from `from`. */
export function probationEnd(from: IsoDate, extensionMonths?: number | null): IsoDate {
  return periodEnd(from, { months: M.PROBATION_MONTHS.value + checkExtension(extensionMonths) });
}

/** Derives fullOn (the 党龄 start) from the admission data, by historical period (§5). */
export function deriveFullOn(input: FullOnInput): FullOnResult {
  const { admittedOn } = input;
  const approvedOn = input.approvedOn ?? null;
  const extension = checkExtension(input.extensionMonths);
  const period = admissionPeriodOf(admittedOn);
  const extensionText = extension > 0 ? `，延长预备期${extension}个月` : '';
  const result: FullOnResult = { fullOn: null, period: period.key, note: '' };

  if (approvedOn !== null && admissionPeriodOf(approvedOn).key !== period.key) {
    result.needsConfirmation = true;
  }
  const crossNote = result.needsConfirmation ? '；入党时间与批准日期分属不同时期，请人工确认' : '';

  if (period.countsFrom === 'admittedOn') {
    if (compareDates(admittedOn, EIGHTH_CONGRESS_FROM) < 0) {
      result.needsConfirmation = true;
      result.note = '1956年9月15日以前入党的，预备期依当时党章规定而不同，请根据档案录入转正时间（党龄起算日）';
      return result;
    }
    result.fullOn = probationEnd(admittedOn, extension);
    result.note = `入党时间${admittedOn}（支部大会通过之日），预备期一年${extensionText}，党龄自预备期满之日${result.fullOn}起算${crossNote}`;
    return result;
  }

  const approval = approvedOn ?? admittedOn;
  const presumed = approvedOn === null;
  if (presumed) result.needsApprovalDate = true;
  const presumedText = presumed
    ? `；未填上级党委批准日期，按入党时间${admittedOn}推定（该时期入党时间即上级党委批准之日），请核对`
    : '';

  if (period.probationMonths === 0) {
    result.fullOn = approval;
    const ignored = extension > 0 ? '；该时期无预备期，延长预备期不适用' : '';
    result.note = `1969年4月1日至1977年8月11日入党的没有预备期，党龄自上级党委批准之日${approval}起算${presumedText}${ignored}${crossNote}`;
    return result;
  }

  result.fullOn = probationEnd(approval, extension);
  result.note = `1977年8月12日至1982年9月5日入党的，入党时间为上级党委批准为预备党员之日${approval}，预备期一年${extensionText}，党龄自预备期满之日${result.fullOn}起算${presumedText}${crossNote}`;
  return result;
}

/** 党龄 in completed years on `on`; null while there is none (no fullOn, or fullOn after `on`). */
export function partyAge(fullOn: IsoDate | null | undefined, on: IsoDate): number | null {
  if (!fullOn || compareDates(fullOn, on) > 0) return null;
  return completedYears(fullOn, on);
}

export type MedalEligibility = 'eligible' | 'notEligible' | 'pendingConduct';

export interface MedalInput {
  alive: boolean;
  fullOn: IsoDate | null | undefined;
  /** One medal per person (§5). */
  alreadyAwarded: boolean;
  /** 一贯表现良好, confirmed by a person. */
  conductConfirmed: boolean;
}

/** The latest fullOn that qualifies for year Y: (Y − 50)-07-01 (§5). */
export function medalCutoff(year: number): IsoDate {
  return `${String(year - M.MEDAL_PARTY_AGE_YEARS.value).padStart(4, '0')}-${M.MEDAL_CUTOFF.value}`;
}

/**
 * 「光荣在党50年」纪念章 for year Y (§5): alive, fullOn ≤ (Y−50)-07-01, never awarded; then
 * 'pendingConduct' (党龄符合、待认定表现) until 表现良好 is confirmed. Years before the first award
 * (2021) are not eligible.
 */
export function medalEligibility(input: MedalInput, year: number): MedalEligibility {
  if (!Number.isInteger(year) || year < M.MEDAL_FIRST_YEAR.value) return 'notEligible';
  if (!input.alive || input.alreadyAwarded || !input.fullOn) return 'notEligible';
  if (compareDates(input.fullOn, medalCutoff(year)) > 0) return 'notEligible';
  return input.conductConfirmed ? 'eligible' : 'pendingConduct';
}

/**
 * Whether the probation (plus any extension) ended before `today`: true from the day after its last
 * day (§2.3). The caller asks only while no 转正/extension/cancellation decision is recorded.
 */
export function probationOverdue(admittedOn: IsoDate, today: IsoDate, extensionMonths?: number | null): boolean {
  return compareDates(probationEnd(admittedOn, extensionMonths), today) < 0;
}
