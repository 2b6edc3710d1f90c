import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Button, Card, Empty, List, Segmented, Space, Tag, Typography } from 'antd';
import { LeftOutlined, PlusOutlined, RightOutlined } from '@ant-design/icons';
import type { MeetingListItem, ObligationRow } from '../../../../src/modules/orgLife/contract';
import { api } from '../../api/client';
import type { Page } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { OrgTreeSelect } from '../../components/OrgTreeSelect';
import { PageHeader } from '../../components/PageHeader';
import { todayIso } from '../../lib/format';
import { useLoad, useTitle } from '../../lib/hooks';
import { ORG_LIFE_PATHS, ObligationTag, kindLabel, useDefaultOrg } from './shared';
import './orgLife.css';

const monthEnd = (m: string) => {
  const [y, mo] = m.split('-').map(Number);
  return `${m}-${String(new Date(Date.UTC(y, mo, 0)).getUTCDate()).padStart(2, '0')}`;
};
const shift = (m: string, k: number) => {
  const [y, mo] = m.split('-').map(Number);
  const d = new Date(Date.UTC(y, mo - 1 + k, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
};

/**
 * 组织生活日历 for one org: what it owes in a month or a year (done / due soon / overdue, with the
 * meetings that satisfied each) and the meetings held; an open obligation links to the quick form.
 */
export function OrgLifeCalendarPage() {
  useTitle('组织生活');
  const [params, setParams] = useSearchParams();
  const org = useDefaultOrg(params.get('org'));
  const [month, setMonth] = useState(params.get('month') ?? todayIso().slice(0, 7));
  const [span, setSpan] = useState<'month' | 'year'>('month');
  const from = span === 'month' ? `${month}-01` : `${month.slice(0, 4)}-01-01`;
  const to = span === 'month' ? monthEnd(month) : `${month.slice(0, 4)}-12-31`;
  const compliance = useLoad((signal) => api.get<{ summary: { total: number; done: number; overdue: number; dueSoon: number; rate: number | null }; obligations: ObligationRow[] }>('/api/orgLife/compliance', { org, from, to }, signal), [org, from, to], !!org);
  const meetings = useLoad((signal) => api.get<Page<MeetingListItem>>('/api/orgLife/meetings', { org, from, to, pageSize: 200 }, signal), [org, from, to], !!org);
  const absences = useLoad((signal) => api.get<{ absences: { personId: number; name: string; months: number; fromMonth: string }[] }>('/api/orgLife/attendance', { org }, signal), [org], !!org);
  const s = compliance.data?.summary;

  return (
    <div>
      <PageHeader title="组织生活" subtitle="三会一课、主题党日等应尽事项和会议记录"
        extra={<Link to={`${ORG_LIFE_PATHS.quick}${org ? `?org=${org}` : ''}`}><Button type="primary" icon={<PlusOutlined />} data-testid="calendar-new">记录会议</Button></Link>} />
      <Space wrap style={{ marginBottom: 16 }}>
        <OrgTreeSelect value={org} onChange={(v) => v && setParams({ org: String(v) })} allowClear={false} style={{ minWidth: 240 }} />
        <Segmented value={span} onChange={(v) => setSpan(v as 'month' | 'year')} options={[{ value: 'month', label: '按月' }, { value: 'year', label: '全年' }]} />
        <Space.Compact>
          <Button icon={<LeftOutlined />} aria-label="上一期" onClick={() => setMonth(shift(month, span === 'month' ? -1 : -12))} />
          <Button>{span === 'month' ? `${month.slice(0, 4)}年${Number(month.slice(5))}月` : `${month.slice(0, 4)}年`}</Button>
          <Button icon={<RightOutlined />} aria-label="下一期" onClick={() => setMonth(shift(month, span === 'month' ? 1 : 12))} />
        </Space.Compact>
      </Space>
      <ErrorAlert error={compliance.error || meetings.error} onRetry={() => { compliance.reload(); meetings.reload(); }} />
      {s ? (
        <Space wrap style={{ marginBottom: 12 }}>
          <Tag>应尽事项 {s.total}</Tag><Tag color="green">已完成 {s.done}</Tag><Tag color="gold">即将到期 {s.dueSoon}</Tag><Tag color="red">已逾期 {s.overdue}</Tag>
          <Tag color="blue">完成率 {s.rate === null ? '—' : `${s.rate}%`}</Tag>
        </Space>
      ) : null}
      <Card title="应尽事项" size="small" style={{ marginBottom: 16 }} loading={compliance.loading}>
        {compliance.data?.obligations.length ? (
          <List size="small" dataSource={compliance.data.obligations} renderItem={(o) => (
            <List.Item data-testid={`obligation-${o.kind}-${o.periodKey}`} actions={o.status === 'done' ? o.meetings.map((m) => <Link key={m.id} to={ORG_LIFE_PATHS.meeting(m.id)}>{m.heldOn}{m.lateEntry ? '（补录）' : ''}</Link>)
              : [<Link key="r" to={`${ORG_LIFE_PATHS.quick}?org=${o.orgId}&kind=${o.kind}&date=${o.end < todayIso() ? o.end : todayIso()}`}>{o.status === 'overdue' ? '补录' : '记录'}</Link>]}>
              <Space wrap><ObligationTag status={o.status} /><span>{o.periodLabel} {kindLabel(o.kind)}</span><Typography.Text type="secondary">{o.orgName} · 截止 {o.dueOn}</Typography.Text></Space>
            </List.Item>
          )} />
        ) : <Empty description="本期没有应尽事项" />}
      </Card>
      <Card title="会议记录" size="small" style={{ marginBottom: 16 }} loading={meetings.loading}>
        {meetings.data?.items.length ? (
          <List size="small" dataSource={meetings.data.items} renderItem={(m) => (
            <List.Item>
              <Space wrap>
                <span>{m.heldOn}</span><Tag>{kindLabel(m.kind)}</Tag>{m.alsoCountsAs.map((k) => <Tag key={k}>同时计为{kindLabel(k)}</Tag>)}
                <Link to={ORG_LIFE_PATHS.meeting(m.id)}>{m.topic}</Link>
                <Typography.Text type="secondary">出席 {m.present}/{m.shouldAttend}</Typography.Text>
                {m.lateEntry ? <Tag color="orange">补录</Tag> : null}
                {!m.countsAsHeld ? <Tag color="red">不计为已召开</Tag> : !m.validForDecisions ? <Tag color="red">表决无效</Tag> : null}
              </Space>
            </List.Item>
          )} />
        ) : <Empty description="本期没有会议记录" />}
      </Card>
      {absences.data?.absences.length ? (
        <Card title="连续未参加组织生活的党员" size="small">
          <List size="small" dataSource={absences.data.absences} renderItem={(a) => (
            <List.Item><Space wrap><span>{a.name}</span><Tag color={a.months >= 6 ? 'red' : 'orange'}>连续 {a.months} 个月</Tag><Typography.Text type="secondary">自 {a.fromMonth} 起</Typography.Text></Space></List.Item>
          )} />
        </Card>
      ) : null}
    </div>
  );
}

export default OrgLifeCalendarPage;
