import { memo, useMemo } from 'react';
import { dayOfWeek, formatIso, lastDayOfMonth } from '../../../../src/domain/dates';
import { isWeekend, monthDayWeek, type CalendarDay } from './calendarData';

const HEAD = ['一', '二', '三', '四', '五', '六', '日'];
const ALL_MONTHS = Array.from({ length: 12 }, (_, i) => i + 1);

interface DayInfo {
  kind: 'holiday' | 'workday';
  name: string;
}

/**
 * Twelve month grids, Monday first (the Chinese wall-calendar order). A holiday shows 休, a make-up
 * working day 班; weekends are grey. Each day's meaning is in its title and aria-label.
 */
export const YearGrid = memo(function YearGrid({ year, holidays, workdays, today, hasData, months }: {
  year: number;
  /** Only these months (a phone shows one at a time); default all twelve. */
  months?: readonly number[];
  holidays: readonly CalendarDay[];
  workdays: readonly CalendarDay[];
  today: string;
  hasData: boolean;
}) {
  const byDay = useMemo(() => {
    const m = new Map<string, DayInfo>();
    for (const d of holidays) m.set(d.day, { kind: 'holiday', name: d.name });
    for (const d of workdays) m.set(d.day, { kind: 'workday', name: d.name });
    return m;
  }, [holidays, workdays]);

  return (
    <div className={months && months.length === 1 ? 'cal-grid cal-grid-single' : 'cal-grid'} data-testid="calendar-grid" data-year={year}>
      {(months ?? ALL_MONTHS).map((month) => {
        const first = formatIso(year, month, 1);
        const lead = (dayOfWeek(first) + 6) % 7; // blanks before the 1st, Monday first
        const days = lastDayOfMonth(year, month);
        let off = 0;
        let on = 0;
        const cells = [];
        for (let i = 0; i < lead; i += 1) cells.push(<div className="cal-cell cal-blank" key={`b${i}`} aria-hidden />);
        for (let d = 1; d <= days; d += 1) {
          const iso = formatIso(year, month, d);
          const info = byDay.get(iso);
          if (info?.kind === 'holiday') off += 1;
          if (info?.kind === 'workday') on += 1;
          const weekend = isWeekend(iso);
          const meaning = info
            ? info.kind === 'holiday'
              ? `放假${info.name ? `（${info.name}）` : ''}`
              : `调休上班${info.name && info.name !== '调休上班' ? `（${info.name}）` : ''}`
            : weekend
              ? '休息日'
              : '工作日';
          const cls = ['cal-cell', 'cal-day'];
          if (info) cls.push(`cal-${info.kind}`);
          else if (weekend) cls.push('cal-weekend');
          if (iso === today) cls.push('cal-today');
          cells.push(
            <div
              className={cls.join(' ')}
              key={iso}
              title={`${monthDayWeek(iso)} ${meaning}`}
              aria-label={`${monthDayWeek(iso)} ${meaning}`}
              data-testid="calendar-day"
              data-date={iso}
              data-kind={info?.kind}
            >
              <span className="cal-num">{d}</span>
              {info ? <span className="cal-badge">{info.kind === 'holiday' ? '休' : '班'}</span> : null}
            </div>,
          );
        }
        return (
          <section className="cal-month" key={month} data-testid="calendar-month" data-month={month}>
            <div className="cal-month-head">
              <span className="cal-month-name">{month}月</span>
              {hasData && off + on > 0 ? (
                <span className="cal-month-note muted">{[off ? `放假 ${off} 天` : '', on ? `调休上班 ${on} 天` : ''].filter(Boolean).join(' · ')}</span>
              ) : null}
            </div>
            <div className="cal-week-head" aria-hidden>
              {HEAD.map((h, i) => (
                <div key={h} className={i >= 5 ? 'cal-head-weekend' : undefined}>{h}</div>
              ))}
            </div>
            <div className="cal-days">{cells}</div>
          </section>
        );
      })}
    </div>
  );
});

/** Phones: twelve month buttons in two rows; a dot marks months with holidays (red) or make-up days (blue). */
export function MonthPicker({ value, onChange, holidays, workdays }: {
  value: number;
  onChange: (m: number) => void;
  holidays: readonly CalendarDay[];
  workdays: readonly CalendarDay[];
}) {
  const monthOf = (d: CalendarDay) => Number(d.day.slice(5, 7));
  const off = new Set(holidays.map(monthOf));
  const on = new Set(workdays.map(monthOf));
  return (
    <div className="cal-month-picker" role="tablist" aria-label="选择月份" data-testid="calendar-month-picker">
      {ALL_MONTHS.map((m) => (
        <button
          type="button"
          key={m}
          role="tab"
          aria-selected={m === value}
          className={m === value ? 'cal-month-pick cal-month-pick-active' : 'cal-month-pick'}
          onClick={() => onChange(m)}
          data-testid="calendar-month-pick"
          data-month={m}
        >
          {m}月
          <span className="cal-month-dots" aria-hidden>
            {off.has(m) ? <span className="cal-dot cal-dot-holiday" /> : null}
            {on.has(m) ? <span className="cal-dot cal-dot-workday" /> : null}
          </span>
        </button>
      ))}
    </div>
  );
}
