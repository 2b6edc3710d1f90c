import { Button, Card, Empty, Space, Table, type TableProps } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import type { DisclosureView } from '../../../../src/modules/dues/contract';
import { api, toQuery } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useLoad, useTitle } from '../../lib/hooks';
import { OrgPicker, Stepper, useDuesOrg, useParam, yuan } from './shared';
import './dues.css';

type Row = DisclosureView['rows'][number];

/** A month's cell: the amount paid, else 免交 / 未缴, blank when nothing was owed or the month runs. */
function cell(r: Row, i: number) {
  const fen = r.cells[i];
  if (fen !== null) return yuan(fen);
  const s = r.statuses[i];
  if (s === 'exempt') return <span className="dues-muted">免交</span>;
  if (s === 'unpaid') return <span className="dues-red">未缴</span>;
  if (s === 'noBase') return <span className="dues-muted">未核定</span>;
  return '';
}

/**
 * 年度党费收缴公示: each member of the branch × 12 months as paid (党支部 publish dues collection to members
 * once a year, DOMAIN.md §1.6), with totals; download as xlsx for posting, and the internal
 * 党费收缴登记表 ledger. Income bases are not shown here: they are personal.
 */
export function DuesDisclosurePage() {
  useTitle('党费年度公示');
  const [org, setOrg] = useDuesOrg();
  const [yearParam, setYear] = useParam('year');
  const view = useLoad((signal) => api.get<DisclosureView>('/api/dues/disclosure', { org: org ?? undefined, year: yearParam ?? undefined }, signal), [org, yearParam], !!org);
  const v = view.data;
  const q = toQuery({ org: org ?? undefined, year: v?.year });
  const columns: TableProps<Row>['columns'] = [
    { title: '姓名', dataIndex: 'name', width: 90, fixed: 'left' },
    ...(v?.months ?? []).map((m, i) => ({ title: `${Number(m.slice(5))}月`, key: m, width: 72, align: 'right' as const, render: (_: unknown, r: Row) => cell(r, i) })),
    { title: '自愿多交', dataIndex: 'voluntaryFen', width: 90, align: 'right', render: (f: number) => (f ? yuan(f) : '') },
    { title: '合计', key: 'total', width: 90, align: 'right', render: (_, r) => <b>{yuan(r.totalFen + r.voluntaryFen)}</b> },
  ];
  return (
    <div className="page dues-page">
      <PageHeader title="党费年度公示" subtitle={v ? `${v.org.name} ${v.year}年党费收缴情况（单位：元）` : '每名党员各月实缴党费'}
        extra={v ? (
          <Space wrap>
            <Button icon={<DownloadOutlined />} href={`/api/dues/disclosure.xlsx${q}`} download data-testid="dues-disclosure-xlsx">下载公示表</Button>
            <Button icon={<DownloadOutlined />} href={`/api/dues/ledger.xlsx${q}`} download data-testid="dues-ledger-xlsx">下载党费收缴登记表</Button>
          </Space>
        ) : null} />
      <Card className="section-card dues-toolbar" size="small">
        <OrgPicker value={org} onChange={setOrg} />
        {v ? <Stepper label={`${v.year}年`} onPrev={() => setYear(String(v.year - 1))} onNext={() => setYear(String(v.year + 1))} /> : null}
      </Card>
      {!org ? <Empty description="请选择党支部" /> : null}
      <ErrorAlert error={view.error} onRetry={view.reload} />
      {v ? (
        <Card className="section-card" styles={{ body: { padding: 0 } }}>
          <Table rowKey="personId" size="small" bordered columns={columns} dataSource={v.rows} pagination={false} scroll={{ x: 1150 }} data-testid="dues-disclosure"
            summary={() => (
              <Table.Summary fixed>
                <Table.Summary.Row>
                  <Table.Summary.Cell index={0}><b>合计</b></Table.Summary.Cell>
                  {v.totals.byMonth.map((f, i) => <Table.Summary.Cell key={i} index={i + 1} align="right">{yuan(f)}</Table.Summary.Cell>)}
                  <Table.Summary.Cell index={13} align="right">{yuan(v.totals.voluntaryFen)}</Table.Summary.Cell>
                  <Table.Summary.Cell index={14} align="right"><b>{yuan(v.totals.totalFen + v.totals.voluntaryFen)}</b></Table.Summary.Cell>
                </Table.Summary.Row>
              </Table.Summary>
            )} />
        </Card>
      ) : null}
    </div>
  );
}

export default DuesDisclosurePage;
