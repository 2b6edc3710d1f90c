import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { Alert, App, Button, Card, Col, Row, Select, Skeleton, Space, Tag, Tooltip } from 'antd';
import { EditOutlined, LeftOutlined, RightOutlined, SaveOutlined } from '@ant-design/icons';
import { validateYearCalendar } from '../../../../src/domain/calendar';
import { api, errorMessage } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { todayIso } from '../../lib/format';
import { useIsMobile, useLoad, useTitle } from '../../lib/hooks';
import { CalendarEditor, DayRuns } from './CalendarEditor';
import { MonthPicker, YearGrid } from './MonthGrid';
import { parseSource, type CalendarDraft, type CalendarYearView } from './calendarData';
import './calendar.css';

const MIN_YEAR = 2000;
const MAX_YEAR = 2100;

/**
 * 节假日安排: each year's holidays (休) and make-up working days (班) from the State Council notice,
 * which the working-day counts of 公示期 and deadlines use. Everyone may look; a sysAdmin edits.
 */
export default function CalendarPage() {
  useTitle('节假日安排');
  const { can } = useAuth();
  const canEdit = can('system.admin');
  const { message, modal } = App.useApp();
  const today = todayIso();
  const thisYear = Number(today.slice(0, 4));
  const [params, setParams] = useSearchParams();
  const asked = Number(params.get('year'));
  const year = Number.isInteger(asked) && asked >= MIN_YEAR && asked <= MAX_YEAR ? asked : thisYear;
  const data = useLoad((signal) => api.get<CalendarYearView>(`/api/calendar/${year}`, undefined, signal), [year]);
  const [draft, setDraft] = useState<CalendarDraft | null>(null);
  const [dirty, setDirty] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState('');
  const mobile = useIsMobile();
  // Phones show one month: this month in the current year, else the picked one (January by default).
  const [picked, setPicked] = useState<{ year: number; month: number } | null>(null);
  const month = picked?.year === year ? picked.month : year === thisYear ? Number(today.slice(5, 7)) : 1;

  const view = data.data && data.data.year === year ? data.data : undefined;
  const editing = draft !== null;

  const goYear = (y: number) => {
    if (y < MIN_YEAR || y > MAX_YEAR) return;
    const p = new URLSearchParams(params);
    if (y === thisYear) p.delete('year');
    else p.set('year', String(y));
    setParams(p, { replace: true });
  };
  const yearOptions = Array.from(new Set([thisYear - 2, thisYear - 1, thisYear, thisYear + 1, thisYear + 2, year]))
    .filter((y) => y >= MIN_YEAR && y <= MAX_YEAR)
    .sort((a, b) => a - b)
    .map((y) => ({ value: y, label: `${y}年` }));

  const startEdit = () => {
    if (!view) return;
    setSaveError('');
    setDirty(false);
    setDraft({
      source: view.source ?? `国务院办公厅关于${year}年部分节假日安排的通知`,
      holidays: view.holidays.map((d) => ({ ...d })),
      workdays: view.workdays.map((d) => ({ ...d })),
    });
  };
  const cancelEdit = () => {
    const leave = () => {
      setDraft(null);
      setSaveError('');
      setDirty(false);
    };
    if (!dirty) return leave();
    modal.confirm({ title: '放弃未保存的修改？', okText: '放弃修改', cancelText: '继续编辑', okButtonProps: { danger: true }, onOk: leave });
  };
  const save = async () => {
    if (!draft) return;
    setSaveError('');
    if (draft.holidays.length === 0 && draft.workdays.length === 0) {
      setSaveError('请至少添加一个放假日期');
      return;
    }
    const problems = validateYearCalendar(year, draft.holidays.map((d) => d.day), draft.workdays.map((d) => d.day));
    if (problems.length) {
      setSaveError(problems.join('；'));
      return;
    }
    setSaving(true);
    try {
      await api.put(`/api/calendar/${year}`, {
        source: draft.source.trim() || undefined,
        holidays: draft.holidays.map((d) => ({ day: d.day, name: d.name })),
        workdays: draft.workdays.map((d) => ({ day: d.day, name: d.name })),
      });
      message.success(`已保存${year}年节假日安排，修改已记入审计日志`);
      setDraft(null);
      setDirty(false);
      data.reload();
    } catch (e) {
      setSaveError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  const shown = draft ?? view;
  const source = parseSource(view?.source ?? null);
  const offDays = shown?.holidays.length ?? 0;
  const onDays = shown?.workdays.length ?? 0;

  const yearNav = (
    <Space.Compact className="cal-year-nav">
      <Button icon={<LeftOutlined />} aria-label="上一年" disabled={editing || year <= MIN_YEAR} onClick={() => goYear(year - 1)} data-testid="calendar-prev" />
      <Select
        value={year}
        options={yearOptions}
        onChange={goYear}
        disabled={editing}
        style={{ width: 104 }}
        data-testid="calendar-year"
        aria-label="选择年份"
      />
      <Button icon={<RightOutlined />} aria-label="下一年" disabled={editing || year >= MAX_YEAR} onClick={() => goYear(year + 1)} data-testid="calendar-next" />
    </Space.Compact>
  );

  return (
    <div className="page">
      <PageHeader
        title="节假日安排"
        subtitle="按国务院办公厅每年发布的放假通知录入。公示期、办理时限等按“工作日”计算的期限，据此跳过放假日、计入调休上班日。"
        extra={
          <>
            {yearNav}
            {canEdit && !editing ? (
              <Button type="primary" icon={<EditOutlined />} onClick={startEdit} disabled={!view} data-testid="calendar-edit">
                {view && !view.hasData ? `录入${year}年安排` : '编辑'}
              </Button>
            ) : null}
          </>
        }
      />
      <ErrorAlert error={data.error} onRetry={data.reload} />
      {!view && !data.error ? <Card className="section-card"><Skeleton active paragraph={{ rows: 6 }} /></Card> : null}
      {view ? (
        <>
          {!view.hasData && !editing ? (
            <Alert
              type="warning"
              showIcon
              className="section-card"
              data-testid="calendar-missing"
              title={`${year}年节假日安排未录入，按周一至周五计算`}
              description={
                canEdit
                  ? `在录入之前，工作日按周一至周五计算，法定节假日和调休上班日不会被考虑，相关期限可能不准确。国务院办公厅发布${year}年通知后，请点击“录入${year}年安排”。`
                  : `在录入之前，工作日按周一至周五计算，法定节假日和调休上班日不会被考虑，相关期限可能不准确。请联系系统管理员按国务院办公厅通知录入。`
              }
            />
          ) : null}
          {editing && draft ? (
            <Card
              className="section-card cal-editor-card"
              title={`编辑${year}年节假日安排`}
              extra={dirty ? <Tag color="orange">未保存</Tag> : null}
            >
              <CalendarEditor year={year} draft={draft} onChange={(d) => { setDraft(d); setDirty(true); }} />
              {saveError ? <Alert type="error" showIcon title={saveError} className="cal-save-error" data-testid="calendar-save-error" /> : null}
              <div className="form-actions">
                <Button onClick={cancelEdit} data-testid="calendar-cancel">取消</Button>
                <Button type="primary" icon={<SaveOutlined />} loading={saving} onClick={save} data-testid="calendar-save">保存</Button>
              </div>
            </Card>
          ) : null}
          {view.hasData || editing ? (
            <Card className="section-card" size="small">
              <div className="cal-summary" data-testid="calendar-summary">
                <div className="cal-summary-counts">
                  <span className="cal-count"><span className="cal-legend cal-legend-holiday">休</span>放假 <strong>{offDays}</strong> 天</span>
                  <span className="cal-count"><span className="cal-legend cal-legend-workday">班</span>调休上班 <strong>{onDays}</strong> 天</span>
                  <span className="cal-count muted"><span className="cal-legend cal-legend-weekend">六</span>其余周六、周日休息</span>
                </div>
                {view.hasData && !editing ? (
                  <div className="cal-source" data-testid="calendar-source-text">
                    <span className="muted">来源：</span>
                    <Tooltip title={view.source}>
                      <span className="cal-source-text">{source.text}</span>
                    </Tooltip>
                    {source.mark ? (
                      <Tooltip title={source.mark.hint}>
                        <Tag color={source.mark.color} className="cal-source-mark">{source.mark.label}</Tag>
                      </Tooltip>
                    ) : null}
                  </div>
                ) : null}
              </div>
            </Card>
          ) : null}
          <Card className="section-card cal-grid-card">
            {!view.hasData && !editing ? (
              <div className="cal-fallback-note muted">以下按周一至周五为工作日显示。</div>
            ) : null}
            {mobile ? (
              <MonthPicker value={month} onChange={(m) => setPicked({ year, month: m })} holidays={shown?.holidays ?? []} workdays={shown?.workdays ?? []} />
            ) : null}
            <YearGrid
              year={year}
              months={mobile ? [month] : undefined}
              holidays={shown?.holidays ?? []}
              workdays={shown?.workdays ?? []}
              today={today}
              hasData={view.hasData || editing}
            />
          </Card>
          {view.hasData && !editing ? (
            <Row gutter={[20, 0]}>
              <Col xs={24} md={12}>
                <Card className="section-card" title="放假" size="small">
                  <DayRuns list={view.holidays} kind="holiday" testId="calendar-holidays" />
                </Card>
              </Col>
              <Col xs={24} md={12}>
                <Card className="section-card" title="调休上班" size="small">
                  <DayRuns list={view.workdays} kind="workday" testId="calendar-workdays" />
                </Card>
              </Col>
            </Row>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
