import { useState } from 'react';
import { App, Button, Card, Empty, Input, InputNumber, Modal, Table, Tag, type TableProps } from 'antd';
import { HAND_IN_FREQUENCIES } from '../../../../src/domain/duesMonths';
import { HAND_IN_STATUS_LABELS, type HandInPeriodView, type HandInView } from '../../../../src/modules/dues/contract';
import { api, errorMessage } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { DateField } from '../../components/DateField';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useLoad, useTitle } from '../../lib/hooks';
import { orgKindLabel } from '../../lib/labels';
import { OrgPicker, Stepper, toFen, useDuesOrg, useParam, yuan } from './shared';
import './dues.css';

const STATUS_COLORS: Record<HandInPeriodView['status'], string> = { handedIn: 'green', short: 'gold', overdue: 'red', dueSoon: 'orange', open: 'default', none: 'default' };

/**
 * 党费上缴: for an org and a year, per period (the tenant's frequency) what it collected, what its
 * lower levels handed to it, what it should pass up (its share, plus any single voluntary payment of
 * 1000 元 or more wholly for the Centre), what it recorded as handed in, and the difference; its
 * child orgs below with drill-down. Recording a hand-in needs amount, date and receipt number.
 */
export function DuesHandInPage() {
  useTitle('党费上缴');
  const { can } = useAuth();
  const [org, setOrg] = useDuesOrg();
  const [yearParam, setYear] = useParam('year');
  const view = useLoad((signal) => api.get<HandInView>('/api/dues/hand-ins', { org: org ?? undefined, year: yearParam ?? undefined }, signal), [org, yearParam], !!org);
  const v = view.data;
  const [recording, setRecording] = useState<HandInPeriodView | null>(null);
  const writable = can('dues.handIn') && !!v?.org.parentName;
  const freq = HAND_IN_FREQUENCIES.find((f) => f.key === v?.frequency)?.label ?? '';

  const columns: TableProps<HandInPeriodView>['columns'] = [
    { title: '所属期', dataIndex: 'label', width: 130, fixed: 'left' },
    { title: '本级收缴', dataIndex: 'collectedFen', align: 'right', width: 100, render: yuan },
    { title: '下级上缴', dataIndex: 'receivedFen', align: 'right', width: 100, render: yuan },
    { title: '应上缴', dataIndex: 'expectedFen', align: 'right', width: 100, render: (f: number, p) => <span>{yuan(f)}{p.centralExpectedFen ? <div className="dues-cell-sub">含中央 {yuan(p.centralExpectedFen)}</div> : null}</span> },
    { title: '已上缴', dataIndex: 'handedInFen', align: 'right', width: 170, render: (f: number, p) => <span>{yuan(f)}{p.handIns.map((h) => <div key={h.id} className="dues-cell-sub">{h.handedOn} 收据{h.receiptNo}</div>)}</span> },
    { title: '差额', dataIndex: 'differenceFen', align: 'right', width: 90, render: (f: number) => <span className={f > 0 ? 'dues-red' : ''}>{yuan(f)}</span> },
    { title: '截止日期', dataIndex: 'deadline', width: 110 },
    { title: '状态', dataIndex: 'status', width: 100, render: (s: HandInPeriodView['status']) => <Tag color={STATUS_COLORS[s]}>{HAND_IN_STATUS_LABELS[s]}</Tag> },
    ...(writable ? [{
      title: '操作', width: 100,
      render: (_: unknown, p: HandInPeriodView) => (p.handIns.length === 0 && p.status !== 'open' && p.status !== 'none'
        ? <Button type="link" onClick={() => setRecording(p)} data-testid={`dues-handin-${p.start}`}>登记上缴</Button> : null),
    }] : []),
  ];
  type Child = HandInView['children'][number];
  const childColumns: TableProps<Child>['columns'] = [
    { title: '下级组织', dataIndex: 'name', render: (n: string, c) => <Button type="link" className="dues-link" onClick={() => setOrg(c.id)}>{n}</Button> },
    { title: '类型', dataIndex: 'kind', width: 100, render: orgKindLabel },
    { title: '收缴', dataIndex: 'collectedFen', align: 'right', width: 100, render: yuan },
    { title: '应上缴', dataIndex: 'expectedFen', align: 'right', width: 100, render: yuan },
    { title: '已上缴', dataIndex: 'handedInFen', align: 'right', width: 100, render: yuan },
    { title: '逾期期数', dataIndex: 'overdue', width: 90, render: (n: number) => (n ? <Tag color="red">{n}</Tag> : '—') },
  ];

  return (
    <div className="page dues-page">
      <PageHeader title="党费上缴" subtitle={v ? `${v.org.name}${v.org.parentName ? ` → ${v.org.parentName}` : ''} · ${freq}上缴 · 上缴比例 ${v.sharePercent}%` : '收缴、上缴与对账'} />
      <Card className="section-card dues-toolbar" size="small">
        <OrgPicker value={org} onChange={setOrg} />
        {v ? <Stepper label={`${v.year}年`} onPrev={() => setYear(String(v.year - 1))} onNext={() => setYear(String(v.year + 1))} /> : null}
      </Card>
      {!org ? <Empty description="请选择党组织" /> : null}
      <ErrorAlert error={view.error} onRetry={view.reload} />
      {v ? (
        <>
          {!v.org.parentName ? <p className="muted">本组织为最高一级党组织，向上级上缴请在上级系统中登记；下表为收缴与下级上缴情况。</p> : null}
          <Card className="section-card" title="对账" size="small" styles={{ body: { padding: 0 } }}>
            <Table rowKey="start" size="small" columns={columns} dataSource={v.periods} pagination={false} scroll={{ x: 1000 }} />
          </Card>
          {v.children.length ? (
            <Card className="section-card" title="下级组织" size="small" styles={{ body: { padding: 0 } }}>
              <Table rowKey="id" size="small" columns={childColumns} dataSource={v.children} pagination={false} scroll={{ x: 640 }} />
            </Card>
          ) : null}
        </>
      ) : null}
      {v ? <HandInDialog orgId={v.org.id} today={v.today} period={recording} onClose={() => setRecording(null)} onSaved={() => { setRecording(null); view.reload(); }} /> : null}
    </div>
  );
}

function HandInDialog({ orgId, today, period, onClose, onSaved }: { orgId: number; today: string; period: HandInPeriodView | null; onClose: () => void; onSaved: () => void }) {
  const { message } = App.useApp();
  const [amount, setAmount] = useState<number | null>(null);
  const [central, setCentral] = useState<number | null>(null);
  const [handedOn, setHandedOn] = useState<string | null>(null);
  const [receiptNo, setReceiptNo] = useState('');
  const [busy, setBusy] = useState(false);
  const ok = async () => {
    if (!period) return;
    setBusy(true);
    try {
      await api.post('/api/dues/hand-ins', {
        orgId, periodStart: period.start, periodEnd: period.end, amountFen: toFen(amount ?? period.differenceFen / 100), centralFen: toFen(central ?? period.centralExpectedFen / 100) ?? 0,
        handedOn: handedOn ?? today, receiptNo,
      });
      message.success(`已登记${period.label}上缴`);
      onSaved();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={!!period} title={`登记上缴：${period?.label ?? ''}`} okText="登记" cancelText="取消" onOk={ok} onCancel={onClose} confirmLoading={busy} destroyOnHidden>
      <div className="dues-form">
        <label className="dues-field">上缴金额<InputNumber min={0} precision={2} defaultValue={period ? period.differenceFen / 100 : undefined} onChange={(v) => setAmount(v as number | null)} suffix="元" style={{ width: '100%' }} data-testid="dues-handin-amount" /></label>
        <label className="dues-field">其中上缴中央（单笔1000元以上自愿多交党费）<InputNumber min={0} precision={2} defaultValue={period ? period.centralExpectedFen / 100 : 0} onChange={(v) => setCentral(v as number | null)} suffix="元" style={{ width: '100%' }} /></label>
        <label className="dues-field">上缴日期<DateField value={handedOn ?? today} onChange={setHandedOn} data-testid="dues-handin-date" /></label>
        <label className="dues-field">收据号<Input value={receiptNo} onChange={(e) => setReceiptNo(e.target.value)} maxLength={40} data-testid="dues-handin-receipt" /></label>
      </div>
    </Modal>
  );
}

export default DuesHandInPage;
