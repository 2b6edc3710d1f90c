import { useEffect, useMemo, useState } from 'react';
import { App, Button, Card, Empty, Input, Modal, Select, Skeleton } from 'antd';
import { CheckOutlined } from '@ant-design/icons';
import type { CollectionResult, CollectionRow, CollectionView } from '../../../../src/modules/dues/contract';
import { api, errorMessage } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { DateField } from '../../components/DateField';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useLoad, useTitle } from '../../lib/hooks';
import { CollectionRowCard, type Plan } from './CollectionRowCard';
import { CHANNEL_OPTIONS, OrgPicker, Stepper, monthTitle, shiftMonth, useDuesOrg, useParam, yuan } from './shared';
import './dues.css';

/**
 * 党费收缴: one branch, one month, every member with the due and its status. "全部按应缴足额缴纳"
 * records everyone still unpaid in one request (one transaction on the server); exceptions — another
 * amount, not paid, exempt with the approving decision — are set inline on each card, and the totals
 * follow them live. A paid card can be reversed (冲正) with a reason. Built for a phone held in one
 * hand: the month stepper and the totals at the top, the big button at the bottom within thumb reach.
 */
export function DuesCollectionPage() {
  useTitle('党费收缴');
  const { can } = useAuth();
  const { message } = App.useApp();
  const [org, setOrg] = useDuesOrg();
  const [monthParam, setMonth] = useParam('month');
  const view = useLoad(
    (signal) => api.get<CollectionView>('/api/dues/collection', { org: org ?? undefined, month: monthParam ?? undefined }, signal),
    [org, monthParam],
    !!org,
  );
  const [data, setData] = useState<CollectionView | undefined>();
  useEffect(() => setData(view.data), [view.data]);
  const month = data?.month ?? monthParam;
  const [plans, setPlans] = useState<Map<number, Plan>>(new Map());
  useEffect(() => setPlans(new Map()), [org, month]);
  const [paidOn, setPaidOn] = useState<string | null>(null);
  const [channel, setChannel] = useState('wechat');
  const [receiptNo, setReceiptNo] = useState('');
  const [busy, setBusy] = useState(false);
  const [reversing, setReversing] = useState<CollectionRow | null>(null);
  const writable = can('dues.write');
  const serverMonth = data?.today.slice(0, 7);

  const open = useMemo(() => (data?.rows ?? []).filter((r) => !r.payment && (r.status === 'pending' || r.status === 'unpaid') && (r.dueFen ?? 0) > 0), [data]);
  const planOf = (r: CollectionRow): Plan => plans.get(r.personId) ?? { action: 'full' };
  const live = useMemo(() => {
    let count = 0;
    let fen = 0;
    for (const r of open) {
      const p = plans.get(r.personId) ?? { action: 'full' };
      if (p.action === 'full') { count += 1; fen += r.dueFen ?? 0; }
      if (p.action === 'amount' && p.amountFen) { count += 1; fen += p.amountFen; }
    }
    return { count, fen };
  }, [open, plans]);

  const submit = async () => {
    if (!data || !org) return;
    const exceptions = [];
    for (const r of open) {
      const p = planOf(r);
      if (p.action === 'full') continue;
      if (p.action === 'amount' && !p.amountFen) return message.error(`请填写${r.name}的实缴金额`);
      if (p.action === 'exempt' && !(p.decision?.approvedBy && p.decision.approvedOn && p.decision.documentNo && p.decision.reason)) {
        return message.error(`${r.name}免交须填写批准组织、批准日期、文号和理由`);
      }
      exceptions.push({ personId: r.personId, action: p.action, amountFen: p.amountFen ?? null, channel: p.channel ?? null, decision: p.action === 'exempt' ? p.decision : null });
    }
    setBusy(true);
    try {
      const out = await api.post<CollectionResult>('/api/dues/collection', {
        orgId: org, month: data.month, paidOn: paidOn ?? data.today, channel, receiptNo: receiptNo || null, exceptions,
      });
      setData(out);
      setPlans(new Map());
      message.success(`已登记 ${out.created} 条缴费记录${out.skipped.length ? `，${out.skipped.length} 人未登记：${out.skipped.map((s) => `${s.name}（${s.reason}）`).join('、')}` : ''}`);
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page dues-page dues-collection">
      <PageHeader title="党费收缴" subtitle={data ? data.org.name : '按月登记本支部党员交纳党费'} />
      <Card className="section-card dues-toolbar" size="small">
        <OrgPicker value={org} onChange={setOrg} />
        {month ? (
          <Stepper label={monthTitle(month)} onPrev={() => setMonth(shiftMonth(month, -1))} onNext={() => setMonth(shiftMonth(month, 1))}
            nextDisabled={!!serverMonth && month >= serverMonth} testId="dues-month" />
        ) : null}
      </Card>
      {!org ? <Empty description="请选择党支部" /> : null}
      <ErrorAlert error={view.error} onRetry={view.reload} />
      {view.loading && !data ? <Card><Skeleton active /></Card> : null}
      {data ? (
        <>
          <div className="dues-totals" data-testid="dues-totals">
            <div><span>应缴</span><b>{yuan(data.totals.dueFen)}</b></div>
            <div><span>已缴</span><b data-testid="dues-paid-count">{data.totals.paidCount}/{data.totals.members}人</b></div>
            <div><span>实缴</span><b data-testid="dues-paid-fen">{yuan(data.totals.paidFen)}</b></div>
            <div><span>{data.ended ? '欠缴' : '未缴'}</span><b className={data.ended && data.totals.unpaidCount ? 'dues-red' : ''}>{data.totals.unpaidCount}人</b></div>
          </div>
          <div className="dues-list" data-testid="dues-list">
            {data.rows.length === 0 ? <Empty description="该月没有应交纳党费的党员" /> : null}
            {data.rows.map((r) => (
              <CollectionRowCard key={r.personId} row={r} plan={planOf(r)} editable={writable && open.includes(r)} ended={data.ended}
                onPlan={(p) => setPlans((m) => new Map(m).set(r.personId, p))} onReverse={writable && r.payment ? () => setReversing(r) : undefined} />
            ))}
          </div>
          {writable && open.length > 0 ? (
            <div className="dues-actionbar" data-testid="dues-actionbar">
              <div className="dues-actionbar-fields">
                <DateField value={paidOn ?? data.today} onChange={setPaidOn} allowClear={false} data-testid="dues-paid-on" />
                <Select value={channel} onChange={setChannel} options={CHANNEL_OPTIONS} aria-label="缴费方式" data-testid="dues-channel" />
                <Input value={receiptNo} onChange={(e) => setReceiptNo(e.target.value)} placeholder="收据号（可选）" maxLength={40} />
              </div>
              <Button type="primary" size="large" block icon={<CheckOutlined />} loading={busy} onClick={submit} data-testid="dues-collect-all">
                全部按应缴足额缴纳（{live.count}人 {yuan(live.fen)}元）
              </Button>
            </div>
          ) : null}
        </>
      ) : null}
      <ReverseDialog row={reversing} onClose={() => setReversing(null)} onDone={() => { setReversing(null); view.reload(); }} />
    </div>
  );
}

function ReverseDialog({ row, onClose, onDone }: { row: CollectionRow | null; onClose: () => void; onDone: () => void }) {
  const { message } = App.useApp();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => setReason(''), [row]);
  const ok = async () => {
    if (!row?.payment) return;
    if (reason.trim().length < 2) return message.error('请填写冲正理由');
    setBusy(true);
    try {
      await api.post('/api/dues/reversals', { paymentId: row.payment.id, reason: reason.trim() });
      message.success(`已冲正${row.name}的缴费记录，可重新登记`);
      onDone();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={!!row} title={`冲正：${row?.name ?? ''}`} okText="确认冲正" cancelText="取消" onOk={ok} onCancel={onClose} confirmLoading={busy} okButtonProps={{ danger: true, 'data-testid': 'dues-reverse-ok' } as never}>
      <p className="dialog-lead">冲正不会修改或删除原记录，而是写入一条金额为 −{yuan(row?.payment?.amountFen)} 元的冲正记录并与原记录关联，该月随后可重新登记。</p>
      <Input.TextArea value={reason} onChange={(e) => setReason(e.target.value)} placeholder="冲正理由（必填），如：金额登记错误" maxLength={300} rows={3} data-testid="dues-reverse-reason" />
    </Modal>
  );
}

export default DuesCollectionPage;
