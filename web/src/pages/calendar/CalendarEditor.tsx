import { useState } from 'react';
import { Alert, AutoComplete, Button, Col, Input, Row, Tag } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { addDays, isIsoDate, parseIso } from '../../../../src/domain/dates';
import { DateField } from '../../components/DateField';
import {
  HOLIDAY_NAMES, isWeekend, monthDayWeek, runLabel, runsOf,
  type CalendarDay, type CalendarDraft, type Run,
} from './calendarData';

/** A list of holidays or make-up working days as runs ("春节 2月15日—2月23日 共 9 天"), removable when editing. */
export function DayRuns({ list, kind, onRemove, testId }: {
  list: readonly CalendarDay[];
  kind: 'holiday' | 'workday';
  onRemove?: (r: Run) => void;
  testId: string;
}) {
  const runs = runsOf(list);
  if (runs.length === 0) {
    return <div className="muted cal-runs-empty" data-testid={testId}>{kind === 'holiday' ? '无放假日期' : '无调休上班日期'}</div>;
  }
  return (
    <ul className="cal-runs" data-testid={testId}>
      {runs.map((r) => (
        <li key={r.first} className="cal-run" data-testid="calendar-run" data-first={r.first} data-kind={kind}>
          <span className={`cal-run-mark cal-run-${kind}`} aria-hidden>{kind === 'holiday' ? '休' : '班'}</span>
          {r.name && !(kind === 'workday' && r.name === '调休上班') ? <span className="cal-run-name">{r.name}</span> : null}
          <span className="cal-run-dates">{runLabel(r)}</span>
          {r.days.length > 1 ? <span className="muted cal-run-count">共 {r.days.length} 天</span> : null}
          {onRemove ? (
            <Button
              type="text"
              size="small"
              danger
              icon={<DeleteOutlined />}
              aria-label={`删除 ${r.name} ${runLabel(r)}`}
              onClick={() => onRemove(r)}
              className="cal-run-remove"
              data-testid="calendar-run-remove"
            />
          ) : null}
        </li>
      ))}
    </ul>
  );
}

const hasMarkup = (s: string) => /[<>]/.test(s);

/**
 * The sysAdmin editor of one year: source, holiday ranges and make-up working days. Changes stay in
 * the draft (and show in the grid) until 保存, which replaces the whole year on the server.
 */
export function CalendarEditor({ year, draft, onChange }: { year: number; draft: CalendarDraft; onChange: (d: CalendarDraft) => void }) {
  const [hName, setHName] = useState('');
  const [hFrom, setHFrom] = useState<string | null>(null);
  const [hTo, setHTo] = useState<string | null>(null);
  const [hError, setHError] = useState('');
  const [wDay, setWDay] = useState<string | null>(null);
  const [wName, setWName] = useState('');
  const [wError, setWError] = useState('');

  const inYear = (d: string) => isIsoDate(d) && parseIso(d).y === year;

  const addHolidays = () => {
    setHError('');
    const name = hName.trim();
    if (!name) return setHError('请填写节日名称，如“春节”');
    if (name.length > 20) return setHError('名称最多 20 个字');
    if (hasMarkup(name)) return setHError('名称不能包含 < 或 >');
    if (!hFrom) return setHError('请选择放假起始日期');
    const to = hTo ?? hFrom;
    if (!inYear(hFrom) || !inYear(to)) return setHError(`日期应在 ${year} 年内`);
    if (to < hFrom) return setHError('结束日期不能早于起始日期');
    const days: string[] = [];
    for (let d = hFrom; d <= to; d = addDays(d, 1)) days.push(d);
    if (days.length > 31) return setHError('一次最多添加 31 天');
    const clash = days.filter((d) => draft.workdays.some((w) => w.day === d));
    if (clash.length) return setHError(`${clash.map(monthDayWeek).join('、')} 已登记为调休上班日，请先删除`);
    const set = new Set(days);
    onChange({
      ...draft,
      holidays: [...draft.holidays.filter((h) => !set.has(h.day)), ...days.map((day) => ({ day, name }))].sort((a, b) => a.day.localeCompare(b.day)),
    });
    setHFrom(null);
    setHTo(null);
    setHName('');
  };

  const addWorkday = () => {
    setWError('');
    const name = wName.trim() || '调休上班';
    if (name.length > 20) return setWError('名称最多 20 个字');
    if (hasMarkup(name)) return setWError('名称不能包含 < 或 >');
    if (!wDay) return setWError('请选择调休上班日期');
    if (!inYear(wDay)) return setWError(`日期应在 ${year} 年内`);
    if (!isWeekend(wDay)) return setWError(`${monthDayWeek(wDay)}本来就是工作日，调休上班日应为周六或周日`);
    if (draft.holidays.some((h) => h.day === wDay)) return setWError(`${monthDayWeek(wDay)}已登记为放假日，请先删除`);
    onChange({
      ...draft,
      workdays: [...draft.workdays.filter((w) => w.day !== wDay), { day: wDay, name }].sort((a, b) => a.day.localeCompare(b.day)),
    });
    setWDay(null);
    setWName('');
  };

  const removeRun = (kind: 'holidays' | 'workdays') => (r: Run) => {
    const set = new Set(r.days);
    onChange({ ...draft, [kind]: draft[kind].filter((d) => !set.has(d.day)) });
  };

  return (
    <div className="cal-editor" data-testid="calendar-editor">
      <div className="field-label">来源</div>
      <Input
        value={draft.source}
        onChange={(e) => onChange({ ...draft, source: e.target.value })}
        maxLength={200}
        placeholder={`国务院办公厅关于${year}年部分节假日安排的通知`}
        data-testid="calendar-source"
      />
      <div className="note">按国务院办公厅通知原文录入；保存后替换本年全部日期，并记入审计日志。</div>

      <Row gutter={[24, 16]} className="cal-editor-cols">
        <Col xs={24} lg={12}>
          <div className="cal-editor-title"><Tag color="red" className="cal-editor-tag">休</Tag>放假日期</div>
          <div className="cal-editor-add">
            <AutoComplete
              value={hName}
              onChange={setHName}
              options={HOLIDAY_NAMES.map((n) => ({ value: n }))}
              placeholder="节日名称，如 春节"
              className="cal-add-name"
              data-testid="calendar-holiday-name"
              filterOption={(input, o) => String(o?.value ?? '').includes(input)}
            />
            <div className="cal-add-range">
              <DateField value={hFrom} onChange={setHFrom} placeholder="起始日期" data-testid="calendar-holiday-from" />
              <span className="muted">至</span>
              <DateField value={hTo} onChange={setHTo} placeholder="结束日期" data-testid="calendar-holiday-to" />
            </div>
            <Button icon={<PlusOutlined />} onClick={addHolidays} data-testid="calendar-add-holiday">添加放假日期</Button>
          </div>
          {hError ? <Alert type="error" showIcon title={hError} className="cal-add-error" data-testid="calendar-holiday-error" /> : null}
          <div className="note">只放一天的不填结束日期。期间的周六、周日一并添加，与通知中“共 N 天”一致。</div>
          <DayRuns list={draft.holidays} kind="holiday" onRemove={removeRun('holidays')} testId="calendar-edit-holidays" />
        </Col>
        <Col xs={24} lg={12}>
          <div className="cal-editor-title"><Tag color="blue" className="cal-editor-tag">班</Tag>调休上班日期</div>
          <div className="cal-editor-add">
            <DateField value={wDay} onChange={setWDay} placeholder="日期（周六或周日）" data-testid="calendar-workday-date" />
            <Input value={wName} onChange={(e) => setWName(e.target.value)} placeholder="说明，如 春节调休（可不填）" maxLength={20} className="cal-add-name" data-testid="calendar-workday-name" />
            <Button icon={<PlusOutlined />} onClick={addWorkday} data-testid="calendar-add-workday">添加调休上班日</Button>
          </div>
          {wError ? <Alert type="error" showIcon title={wError} className="cal-add-error" data-testid="calendar-workday-error" /> : null}
          <DayRuns list={draft.workdays} kind="workday" onRemove={removeRun('workdays')} testId="calendar-edit-workdays" />
        </Col>
      </Row>
    </div>
  );
}
