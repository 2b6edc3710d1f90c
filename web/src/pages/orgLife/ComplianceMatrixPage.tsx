import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Card, Drawer, Empty, List, Segmented, Space, Table, Tag, Typography } from 'antd';
import EChartsReactCore from 'echarts-for-react/esm/core';
import type { MatrixAnswer, MatrixCell, MatrixRow, ObligationRow } from '../../../../src/modules/orgLife/contract';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { OrgTreeSelect } from '../../components/OrgTreeSelect';
import { PageHeader } from '../../components/PageHeader';
import { useIsMobile, useLoad, useTitle } from '../../lib/hooks';
import { CHART_FONT, echarts } from './heatmap';
import { ORG_LIFE_PATHS, ObligationTag, kindLabel, useDefaultOrg } from './shared';
import './orgLife.css';

const color = (c: MatrixCell) => (c.rate === null ? (c.pending ? '#f2f3f5' : '#fafafa') : c.rate >= 100 ? '#b7eb8f' : c.rate >= 67 ? '#ffe58f' : c.rate >= 34 ? '#ffbb96' : '#ff7875');
const monthLabel = (m: string) => `${Number(m.slice(5))}月`;
const monthEnd = (m: string) => {
  const [y, mo] = m.split('-').map(Number);
  return `${m}-${String(new Date(Date.UTC(y, mo, 0)).getUTCDate()).padStart(2, '0')}`;
};

/**
 * 组织生活完成情况 for higher committees: branches under the org × the last 12 months, as a table and an
 * ECharts heat map; a cell opens the obligations due that month for that branch (drill-down).
 */
export function ComplianceMatrixPage() {
  useTitle('组织生活统计');
  const mobile = useIsMobile();
  const [params, setParams] = useSearchParams();
  const org = useDefaultOrg(params.get('org'));
  const [view, setView] = useState<'table' | 'chart'>('table');
  const [drill, setDrill] = useState<{ row: MatrixRow; month: string } | null>(null);
  const matrix = useLoad((signal) => api.get<MatrixAnswer>('/api/orgLife/matrix', { org }, signal), [org]);
  const detail = useLoad((signal) => api.get<{ obligations: ObligationRow[] }>('/api/orgLife/compliance', { org: drill?.row.orgId, from: `${drill!.month}-01`, to: monthEnd(drill!.month), mode: 'due' }, signal), [drill?.row.orgId, drill?.month], !!drill);
  const data = matrix.data;

  const option = useMemo(() => {
    if (!data) return null;
    const points: [number, number, number | '-'][] = [];
    data.rows.forEach((r, y) => r.cells.forEach((c, x) => points.push([x, y, c.rate === null ? '-' : c.rate])));
    return {
      aria: { enabled: true },
      textStyle: { fontFamily: CHART_FONT },
      tooltip: { formatter: (p: { data: [number, number, number] }) => { const r = data.rows[p.data[1]]; const c = r.cells[p.data[0]]; return `${r.orgName}<br/>${c.month}：完成 ${c.met}/${c.due}${c.pending ? `，待完成 ${c.pending}` : ''}`; } },
      grid: { left: 8, right: 8, top: 8, bottom: 60, containLabel: true },
      xAxis: { type: 'category', data: data.months.map(monthLabel), axisLabel: { interval: 0 }, splitArea: { show: true } },
      yAxis: { type: 'category', inverse: true, data: data.rows.map((r) => r.orgName.replace(/^中共示范县/, '')), axisLabel: { interval: 0, width: mobile ? 110 : 260, overflow: 'truncate' } },
      visualMap: { min: 0, max: 100, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, text: ['100%', '0%'], inRange: { color: ['#ff7875', '#ffbb96', '#ffe58f', '#b7eb8f'] } },
      series: [{ type: 'heatmap', data: points, label: { show: !mobile, formatter: (p: { data: [number, number, number | '-'] }) => (p.data[2] === '-' ? '' : `${p.data[2]}`) } }],
    };
  }, [data, mobile]);

  const columns = [
    { title: '党组织', dataIndex: 'orgName', fixed: 'left' as const, width: mobile ? 120 : 240, render: (n: string, r: MatrixRow) => <Link to={`${ORG_LIFE_PATHS.calendar}?org=${r.orgId}`}>{n.replace(/^中共示范县/, '')}</Link> },
    ...(data?.months ?? []).map((m, i) => ({
      title: monthLabel(m), key: m, width: 60,
      render: (_: unknown, r: MatrixRow) => {
        const c = r.cells[i];
        return <span className="orglife-cell" style={{ background: color(c) }} data-testid={`cell-${r.orgId}-${m}`} onClick={() => setDrill({ row: r, month: m })}>{c.due ? `${c.met}/${c.due}` : c.pending ? '…' : '—'}</span>;
      },
    })),
    { title: '完成率', dataIndex: 'rate', width: 80, render: (v: number | null) => (v === null ? '—' : `${v}%`) },
  ];

  return (
    <div>
      <PageHeader title="组织生活完成情况" subtitle="下级党支部近12个月应尽事项完成情况（已完成/应完成），点击单元格查看明细" />
      <Space wrap style={{ marginBottom: 16 }}>
        <OrgTreeSelect value={org} onChange={(v) => v && setParams({ org: String(v) })} allowClear={false} style={{ minWidth: 240 }} />
        <Segmented value={view} onChange={(v) => setView(v as 'table' | 'chart')} options={[{ value: 'table', label: '表格' }, { value: 'chart', label: '热力图' }]} data-testid="matrix-view" />
      </Space>
      <ErrorAlert error={matrix.error} onRetry={matrix.reload} />
      <Card size="small" loading={matrix.loading}>
        {!data || data.rows.length === 0 ? <Empty description="该组织下没有党支部" />
          : view === 'table'
            ? <div className="orglife-scroll"><Table size="small" rowKey="orgId" pagination={false} dataSource={data.rows} columns={columns} scroll={{ x: 'max-content' }} data-testid="matrix-table"
                summary={() => (
                  <Table.Summary.Row>
                    <Table.Summary.Cell index={0}>合计</Table.Summary.Cell>
                    {data.totals.map((c, i) => <Table.Summary.Cell key={i} index={i + 1}>{c.due ? `${c.met}/${c.due}` : '—'}</Table.Summary.Cell>)}
                    <Table.Summary.Cell index={13} />
                  </Table.Summary.Row>
                )} /></div>
            : option ? <EChartsReactCore echarts={echarts} option={option} style={{ height: Math.max(260, data.rows.length * (mobile ? 30 : 28) + 100) }} notMerge
                onEvents={{ click: (p: { data: [number, number] }) => setDrill({ row: data.rows[p.data[1]], month: data.months[p.data[0]] }) }} /> : null}
      </Card>
      <Drawer open={!!drill} onClose={() => setDrill(null)} title={drill ? `${drill.row.orgName.replace(/^中共示范县/, '')} ${drill.month}` : ''} size={mobile ? 'default' : 'large'} width={mobile ? '100%' : 560}>
        <ErrorAlert error={detail.error} />
        <List size="small" loading={detail.loading} dataSource={detail.data?.obligations ?? []}
          locale={{ emptyText: '本月没有应尽事项' }} renderItem={(o) => (
            <List.Item>
              <Space direction="vertical" size={2}>
                <Space wrap><ObligationTag status={o.status} /><span>{o.periodLabel} {kindLabel(o.kind)}</span></Space>
                <Typography.Text type="secondary">{o.orgName} · 截止 {o.dueOn}</Typography.Text>
                {o.meetings.map((m) => <Link key={m.id} to={ORG_LIFE_PATHS.meeting(m.id)}>{m.heldOn} {m.topic}{m.lateEntry ? <Tag color="orange" style={{ marginLeft: 4 }}>补录</Tag> : null}</Link>)}
              </Space>
            </List.Item>
          )} />
      </Drawer>
    </div>
  );
}

export default ComplianceMatrixPage;
