/**
 * Statistical bands as data (DOMAIN.md §6): age, 党龄 and 入党时间. Each layout partitions its
 * domain, so every breakdown sums to its total. Ages and 党龄 are completed years on the figure's
 * `to` date (§6); a band's `min`/`max` are inclusive years.
 *
 * For SQL, the *Cutoffs functions turn a year band into an inclusive date range on the underlying
 * column (birth date, fullOn), so a query compares dates with precomputed values instead of
 * computing ages row by row:
 *   (from IS NULL OR col >= from) AND (to IS NULL OR col <= to)   -- plus OR col IS NULL when includesNull
 */
import { addDays, addYears, compareDates, completedYears, type IsoDate } from './dates.js';

export interface YearBand {
  readonly key: string;
  readonly label: string;
  /** Inclusive lower bound in completed years; absent = unbounded. */
  readonly min?: number;
  /** Inclusive upper bound in completed years; absent = unbounded. */
  readonly max?: number;
  /** This band holds the "no value" case (e.g. probationary members have no 党龄). */
  readonly matchesNull?: boolean;
}

export interface DateBand {
  readonly key: string;
  readonly label: string;
  /** Inclusive; absent = unbounded. */
  readonly from?: IsoDate;
  /** Inclusive; absent = unbounded. */
  readonly to?: IsoDate;
}

export interface BandCutoff {
  key: string;
  label: string;
  /** Inclusive lower bound on the date column, or null for none. */
  from: IsoDate | null;
  /** Inclusive upper bound on the date column, or null for none. */
  to: IsoDate | null;
  /** Rows whose date column is NULL belong to this band. */
  includesNull: boolean;
}

/** Age bands of the statistics communiqué (DOMAIN.md §6). */
export const AGE_BANDS = [
  { key: 'le30', label: '30岁及以下', max: 30 },
  { key: '31_35', label: '31至35岁', min: 31, max: 35 },
  { key: '36_40', label: '36至40岁', min: 36, max: 40 },
  { key: '41_45', label: '41至45岁', min: 41, max: 45 },
  { key: '46_50', label: '46至50岁', min: 46, max: 50 },
  { key: '51_55', label: '51至55岁', min: 51, max: 55 },
  { key: '56_60', label: '56至60岁', min: 56, max: 60 },
  { key: 'ge61', label: '61岁及以上', min: 61 },
] as const satisfies readonly YearBand[];

/** The annual report forms split the top band further (DOMAIN.md §6, SECONDARY, forms of about 2017). */
export const AGE_BANDS_DETAILED = [
  ...AGE_BANDS.slice(0, 7),
  { key: '61_65', label: '61至65岁', min: 61, max: 65 },
  { key: '66_70', label: '66至70岁', min: 66, max: 70 },
  { key: 'ge71', label: '71岁及以上', min: 71 },
] as const satisfies readonly YearBand[];

/** "35岁及以下" for new members, measured on admittedOn (DOMAIN.md §6, §2.5). */
export const DEVELOPMENT_AGE_BANDS = [
  { key: 'le35', label: '35岁及以下', max: 35 },
  { key: 'ge36', label: '36岁及以上', min: 36 },
] as const satisfies readonly YearBand[];

/**
 * 党龄 bands: project default, no official layout found (DOMAIN.md §6). 50 years and over links to
 * the medal list (§5). Probationary members have no 党龄 and get their own key so the breakdown sums.
 */
export const PARTY_AGE_BANDS = [
  { key: 'lt10', label: '不满10年', min: 0, max: 9 },
  { key: '10_19', label: '10至19年', min: 10, max: 19 },
  { key: '20_29', label: '20至29年', min: 20, max: 29 },
  { key: '30_39', label: '30至39年', min: 30, max: 39 },
  { key: '40_49', label: '40至49年', min: 40, max: 49 },
  { key: 'ge50', label: '50年及以上', min: 50 },
  { key: 'probationary', label: '预备党员', matchesNull: true },
] as const satisfies readonly YearBand[];

/**
 * 入党时间 periods of the communiqué, split by whole months as the report forms do (DOMAIN.md §6:
 * ≤1949-09 | 1949-10..1978-12 | 1979-01..2012-10 | ≥2012-11). Apply them to 入党时间 as defined for
 * the member's historical period (§5).
 */
export const ADMISSION_PERIOD_BANDS = [
  { key: 'beforePrc', label: '新中国成立前', to: '1949-09-30' },
  { key: 'prcTo3rdPlenum', label: '新中国成立后至党的十一届三中全会前', from: '1949-10-01', to: '1978-12-31' },
  { key: '3rdPlenumTo18th', label: '党的十一届三中全会后至党的十八大前', from: '1979-01-01', to: '2012-10-31' },
  { key: 'since18th', label: '党的十八大以来', from: '2012-11-01' },
] as const satisfies readonly DateBand[];

/** The finer 9 periods of the annual report forms (DOMAIN.md §6, 推定 from the forms). */
export const ADMISSION_PERIOD_BANDS_DETAILED = [
  { key: 'before1937', label: '1937年7月6日及以前', to: '1937-07-06' },
  { key: '1937to1945', label: '1937年7月7日至1945年9月2日', from: '1937-07-07', to: '1945-09-02' },
  { key: '1945to1949', label: '1945年9月3日至1949年9月', from: '1945-09-03', to: '1949-09-30' },
  { key: '1949to1966', label: '1949年10月至1966年4月', from: '1949-10-01', to: '1966-04-30' },
  { key: '1966to1976', label: '1966年5月至1976年10月', from: '1966-05-01', to: '1976-10-31' },
  { key: '1976to1978', label: '1976年11月至1978年12月', from: '1976-11-01', to: '1978-12-31' },
  { key: '1979to2002', label: '1979年1月至2002年10月', from: '1979-01-01', to: '2002-10-31' },
  { key: '2002to2012', label: '2002年11月至2012年10月', from: '2002-11-01', to: '2012-10-31' },
  { key: 'since2012', label: '2012年11月以来', from: '2012-11-01' },
] as const satisfies readonly DateBand[];

/** The band holding `value` (completed years, or null for "no value"); null when none does. */
export function bandOf<B extends YearBand>(bands: readonly B[], value: number | null): B | null {
  if (value === null) return bands.find((b) => b.matchesNull === true) ?? null;
  return (
    bands.find(
      (b) => b.matchesNull !== true && (b.min === undefined || value >= b.min) && (b.max === undefined || value <= b.max),
    ) ?? null
  );
}

/** The band whose inclusive date range holds `date`; null when none does. */
export function dateBandOf<B extends DateBand>(bands: readonly B[], date: IsoDate): B | null {
  return (
    bands.find(
      (b) =>
        (b.from === undefined || compareDates(date, b.from) >= 0) &&
        (b.to === undefined || compareDates(date, b.to) <= 0),
    ) ?? null
  );
}

/** The latest start date s with completedYears(s, on) ≥ years, i.e. addYears(s, years) ≤ on. */
export function latestStartForYears(on: IsoDate, years: number): IsoDate {
  const candidate = addYears(on, -years);
  // addYears clamps 29 February, so the day after the candidate may still qualify (on = 28 Feb).
  const next = addDays(candidate, 1);
  return compareDates(addYears(next, years), on) <= 0 ? next : candidate;
}

function yearRangeToDates(band: YearBand, on: IsoDate): Pick<BandCutoff, 'from' | 'to'> {
  return {
    from: band.max === undefined ? null : addDays(latestStartForYears(on, band.max + 1), 1),
    to: band.min === undefined ? null : latestStartForYears(on, band.min),
  };
}

/**
 * For each band, the inclusive range of birth dates whose completed age on `onDate` falls in it.
 * A matchesNull band gets no range and includesNull (a NULL birth date). Births after `onDate`
 * (negative ages) fall in the lowest band, as bandOf places them.
 */
export function ageBandCutoffs(bands: readonly YearBand[], onDate: IsoDate): BandCutoff[] {
  return bands.map((band) =>
    band.matchesNull === true
      ? { key: band.key, label: band.label, from: null, to: null, includesNull: true }
      : { key: band.key, label: band.label, ...yearRangeToDates(band, onDate), includesNull: false },
  );
}

/**
 * The same for 党龄, in terms of fullOn (the 党龄 start, §5). 党龄 on `onDate` is null when fullOn
 * is NULL or after `onDate` (see partyAge), so the matchesNull band (预备党员) takes fullOn IS NULL
 * or fullOn ≥ onDate + 1 day, and no numeric band reaches past `onDate`.
 */
export function partyAgeBandCutoffs(
  onDate: IsoDate,
  bands: readonly YearBand[] = PARTY_AGE_BANDS,
): BandCutoff[] {
  return bands.map((band) => {
    if (band.matchesNull === true) {
      return { key: band.key, label: band.label, from: addDays(onDate, 1), to: null, includesNull: true };
    }
    const { from, to } = yearRangeToDates(band, onDate);
    const capped = to === null || compareDates(to, onDate) > 0 ? onDate : to;
    return { key: band.key, label: band.label, from, to: capped, includesNull: false };
  });
}

/** Whether a date (or NULL) lies in a cutoff's range, exactly as the SQL predicate would decide. */
export function cutoffContains(cutoff: BandCutoff, date: IsoDate | null): boolean {
  if (date === null) return cutoff.includesNull;
  return (
    (cutoff.from === null || compareDates(date, cutoff.from) >= 0) &&
    (cutoff.to === null || compareDates(date, cutoff.to) <= 0)
  );
}

/** Completed years on `on` mapped to its band: the reference for the cutoffs (used by tests and evidence). */
export function ageBandOn<B extends YearBand>(bands: readonly B[], birth: IsoDate, on: IsoDate): B | null {
  return bandOf(bands, completedYears(birth, on));
}
