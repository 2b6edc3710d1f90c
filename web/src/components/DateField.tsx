import { DatePicker, TimePicker } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import 'dayjs/locale/zh-cn';

dayjs.locale('zh-cn');

/**
 * A date field whose value is the API's `YYYY-MM-DD` string (or null), so forms hold exactly what
 * the contract expects. Wraps antd's DatePicker, which works with dayjs objects. Every date input of the
 * app uses it, so dates read 2026-12-04 with a Chinese calendar whatever the browser's locale (a native
 * `<input type="date">` shows 12/04/2026 in an English browser).
 */
export function DateField(props: {
  value?: string | null;
  onChange?: (v: string | null) => void;
  placeholder?: string;
  allowClear?: boolean;
  disabled?: boolean;
  id?: string;
  'data-testid'?: string;
  'aria-label'?: string;
  style?: React.CSSProperties;
  /** Latest selectable date, `YYYY-MM-DD` (e.g. today for a meeting already held). */
  max?: string;
  size?: 'small' | 'middle' | 'large';
  /** `month`: the value is `YYYY-MM` and a month picker is shown. */
  picker?: 'date' | 'month';
}) {
  const fmt = props.picker === 'month' ? 'YYYY-MM' : 'YYYY-MM-DD';
  const v: Dayjs | null = props.value ? dayjs(props.value, fmt) : null;
  return (
    <DatePicker
      id={props.id}
      data-testid={props['data-testid']}
      value={v && v.isValid() ? v : null}
      onChange={(d) => props.onChange?.(d ? d.format(fmt) : null)}
      placeholder={props.placeholder ?? (props.picker === 'month' ? '选择月份' : '选择日期')}
      picker={props.picker ?? 'date'}
      allowClear={props.allowClear ?? true}
      disabled={props.disabled}
      format={fmt}
      size={props.size}
      aria-label={props['aria-label']}
      disabledDate={props.max ? (d) => d.format(fmt) > props.max! : undefined}
      style={{ width: '100%', ...props.style }}
    />
  );
}

/** A time field whose value is `HH:mm` (or null): the Chinese picker, not the browser's locale input. */
export function TimeField(props: { value?: string | null; onChange?: (v: string | null) => void; placeholder?: string; 'aria-label'?: string; style?: React.CSSProperties }) {
  const v: Dayjs | null = props.value ? dayjs(`2000-01-01 ${props.value}`, 'YYYY-MM-DD HH:mm') : null;
  return (
    <TimePicker
      value={v && v.isValid() ? v : null}
      onChange={(d) => props.onChange?.(d ? d.format('HH:mm') : null)}
      format="HH:mm"
      minuteStep={5}
      needConfirm={false}
      placeholder={props.placeholder ?? '选择时间'}
      aria-label={props['aria-label']}
      style={{ width: '100%', ...props.style }}
    />
  );
}
