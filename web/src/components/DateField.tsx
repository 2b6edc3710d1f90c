import { DatePicker } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import 'dayjs/locale/zh-cn';

dayjs.locale('zh-cn');

/**
 * A date field whose value is the API's `YYYY-MM-DD` string (or null), so forms hold exactly what
 * the contract expects. Wraps antd's DatePicker, which works with dayjs objects.
 */
export function DateField(props: {
  value?: string | null;
  onChange?: (v: string | null) => void;
  placeholder?: string;
  allowClear?: boolean;
  disabled?: boolean;
  id?: string;
  'data-testid'?: string;
  style?: React.CSSProperties;
}) {
  const v: Dayjs | null = props.value ? dayjs(props.value, 'YYYY-MM-DD') : null;
  return (
    <DatePicker
      id={props.id}
      data-testid={props['data-testid']}
      value={v && v.isValid() ? v : null}
      onChange={(d) => props.onChange?.(d ? d.format('YYYY-MM-DD') : null)}
      placeholder={props.placeholder ?? '选择日期'}
      allowClear={props.allowClear ?? true}
      disabled={props.disabled}
      format="YYYY-MM-DD"
      style={{ width: '100%', ...props.style }}
    />
  );
}
