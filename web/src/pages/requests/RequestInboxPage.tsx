import { useState } from 'react';
import { App, Button, Card, Empty, Input, Modal, Segmented, Skeleton, Space, Statistic, Tag, Typography } from 'antd';
import type { InboxView, RequestListItem } from '../../../../src/modules/requests/contract';
import { REQUEST_STATE_LABELS } from '../../../../src/domain/requestWorkflow';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useLoad, useSubmit, useTitle } from '../../lib/hooks';
import './h5.css';

const SLA: Record<RequestListItem['sla'], { color: string; label: string }> = {
  ok: { color: 'blue', label: '未超时' },
  dueToday: { color: 'orange', label: '今日到期' },
  late: { color: 'red', label: '已超时' },
  done: { color: 'green', label: '按时办结' },
};
const FILTERS = ['', 'submitted', 'accepted', 'claimed', 'answered', 'rated'] as const;

type Dialog = { item: RequestListItem; action: 'answer' | 'reject' } | null;

/**
 * 诉求受理台 (grid workers and community staff, phone first): the requests of the caller's
 * communities with their deadlines in SLA colours, one tap to accept, answer, close or refuse, and
 * this year's satisfaction (the figure requests.satisfaction.rate).
 */
export default function RequestInboxPage() {
  useTitle('诉求受理台');
  const { message } = App.useApp();
  const [state, setState] = useState<string>('');
  const v = useLoad((signal) => api.get<InboxView>('/api/requests', { state: state || undefined, pageSize: 50 }, signal), [state]);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [text, setText] = useState('');
  const [busy, run] = useSubmit();

  const act = (item: RequestListItem, action: string, extra: Record<string, string> = {}) => run(async () => {
    const r = await api.post<{ stateLabel: string }>(`/api/requests/${item.id}/transition`, { action, ...extra });
    message.success(`已${r.stateLabel === '已受理' ? '受理' : r.stateLabel.replace(/^已/, '')}`);
    setDialog(null);
    setText('');
    v.reload();
  });

  const data = v.data;
  return (
    <div className="page page-narrow">
      <PageHeader title="诉求受理台" subtitle="受理时限1个工作日，答复时限5个工作日（可在系统设置中调整）" />
      <ErrorAlert error={v.error} onRetry={v.reload} />
      {data ? (
        <Card size="small" className="section-card">
          <Space size="large" wrap>
            <Statistic title="本年群众满意率" value={data.satisfaction.value ?? '—'} suffix={data.satisfaction.value !== null ? '%' : undefined} data-testid="inbox-satisfaction" />
            <Statistic title="已评价" value={data.satisfaction.denominator ?? 0} suffix="件" />
            <Statistic title="待受理" value={data.counts.submitted ?? 0} suffix="件" />
          </Space>
        </Card>
      ) : null}
      <div className="h5-filters">
        <Segmented value={state} onChange={(x) => setState(String(x))}
          options={FILTERS.map((s) => ({ value: s, label: s ? REQUEST_STATE_LABELS[s] : '全部' }))} />
      </div>
      {v.loading && !data ? <Card><Skeleton active /></Card> : null}
      {data && data.items.length === 0 ? <Empty description="没有诉求" /> : null}
      <div data-testid="inbox-list">
        {data?.items.map((i) => (
          <Card key={i.id} size="small" className="h5-card" data-testid={`inbox-item-${i.id}`}>
            <div className="h5-state">
              <Tag color={SLA[i.sla].color}>{SLA[i.sla].label}</Tag><Tag>{i.stateLabel}</Tag><b>{i.kindLabel}</b>
            </div>
            <Typography.Paragraph className="h5-content">{i.content}</Typography.Paragraph>
            <div className="muted">
              {i.contactName} {i.mobile ?? ''} · {i.gridName ?? i.communityName} · {i.submittedOn}提交 · {i.state === 'submitted' ? `受理期限 ${i.acceptDue}` : i.answerDue ? `答复期限 ${i.answerDue}` : ''}
            </div>
            {i.claimant ? <div className="muted">认领：{i.claimant}</div> : null}
            {i.answer ? <div className="muted">答复：{i.answer}</div> : null}
            {i.rating ? <div className="muted">评价：{i.rating}</div> : null}
            <Space wrap style={{ marginTop: 8 }}>
              {i.state === 'submitted' ? <Button type="primary" size="small" loading={busy} onClick={() => act(i, 'accept')} data-testid={`inbox-accept-${i.id}`}>受理</Button> : null}
              {['accepted', 'assigned', 'inProgress', 'claimed', 'escalated'].includes(i.state) ? (
                <Button type="primary" size="small" onClick={() => setDialog({ item: i, action: 'answer' })} data-testid={`inbox-answer-${i.id}`}>答复</Button>
              ) : null}
              {i.state === 'answered' ? <Button size="small" loading={busy} onClick={() => act(i, 'close')}>办结</Button> : null}
              {['submitted', 'accepted'].includes(i.state) ? <Button size="small" danger onClick={() => setDialog({ item: i, action: 'reject' })}>不予受理</Button> : null}
            </Space>
          </Card>
        ))}
      </div>
      <Modal open={!!dialog} title={dialog?.action === 'answer' ? '答复群众' : '不予受理的理由'} okText="提交" cancelText="取消" confirmLoading={busy}
        onCancel={() => setDialog(null)} okButtonProps={{ 'data-testid': 'inbox-dialog-ok' } as never}
        onOk={() => dialog && act(dialog.item, dialog.action, dialog.action === 'answer' ? { answer: text.trim() } : { reason: text.trim() })}>
        <Input.TextArea rows={4} value={text} onChange={(e) => setText(e.target.value)} maxLength={dialog?.action === 'answer' ? 2000 : 200} showCount data-testid="inbox-dialog-text" />
      </Modal>
    </div>
  );
}
