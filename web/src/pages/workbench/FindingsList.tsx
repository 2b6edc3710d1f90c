import { useState } from 'react';
import { App, Button, Empty, Form, Input, Modal, Pagination, Skeleton, Tag } from 'antd';
import { api, errorMessage } from '../../api/client';
import type { Finding, Page } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { SourceText } from '../../components/SourceText';
import { useLoad } from '../../lib/hooks';
import { severityOf } from '../../lib/labels';

const PAGE_SIZE = 20;

/** Open findings addressed to the user (or to the drilled-down org), most urgent first. */
export function FindingsList({ org, canDismiss, onChanged, compact = (n) => n }: { org?: number; canDismiss: boolean; onChanged?: () => void; compact?: (name: string) => string }) {
  const [page, setPage] = useState(1);
  const [dismissing, setDismissing] = useState<Finding | null>(null);
  const list = useLoad((signal) => api.get<Page<Finding>>('/api/findings', { org, page, pageSize: PAGE_SIZE }, signal), [org, page]);

  if (list.error) return <ErrorAlert error={list.error} onRetry={list.reload} />;
  if (!list.data) return <Skeleton active paragraph={{ rows: 4 }} />;
  const { items, total } = list.data;
  if (total === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无待办事项" />;

  return (
    <div>
      <div className="findings" data-testid="findings-list">
        {items.map((f) => {
          const sev = severityOf(f.severity);
          return (
            <div className="finding" key={f.id} data-testid="finding-item" data-severity={f.severity} data-id={f.id}>
              <div className="finding-main">
                <div className="finding-head">
                  <Tag color={sev.color} className="finding-tag">{sev.label}</Tag>
                  {f.conditionChanged ? <Tag>情况已变化</Tag> : null}
                  <span className="finding-message">{f.message}</span>
                </div>
                <div className="finding-meta">
                  <span title={f.orgName}>{compact(f.orgName)}</span>
                  {f.dueOn ? <span>期限 {f.dueOn}</span> : null}
                  <span>发现于 {f.openedOn}</span>
                  <span>依据 <SourceText source={f.source} /></span>
                </div>
              </div>
              {canDismiss && f.severity !== 'case' ? (
                <div className="finding-actions">
                  <Button size="small" onClick={() => setDismissing(f)} data-testid="finding-dismiss">忽略</Button>
                </div>
              ) : null}
            </div>
          );
        })}
      </div>
      {total > PAGE_SIZE ? (
        <Pagination
          className="list-pagination"
          current={page}
          pageSize={PAGE_SIZE}
          total={total}
          onChange={setPage}
          showSizeChanger={false}
          showTotal={(t) => `共 ${t} 条`}
          size="small"
        />
      ) : null}
      <DismissDialog
        finding={dismissing}
        onClose={() => setDismissing(null)}
        onDone={() => {
          setDismissing(null);
          list.reload();
          onChanged?.();
        }}
      />
    </div>
  );
}

function DismissDialog({ finding, onClose, onDone }: { finding: Finding | null; onClose: () => void; onDone: () => void }) {
  const [form] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState(false);
  const { message } = App.useApp();
  const submit = async () => {
    const { reason } = await form.validateFields();
    if (!finding) return;
    setBusy(true);
    try {
      await api.post(`/api/findings/${finding.id}/dismiss`, { reason: reason.trim() });
      message.success('已忽略，该操作已记入审计日志');
      form.resetFields();
      onDone();
    } catch (e) {
      form.setFields([{ name: 'reason', errors: [errorMessage(e)] }]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={!!finding}
      title="忽略预警"
      okText="确认忽略"
      cancelText="取消"
      onOk={submit}
      onCancel={onClose}
      confirmLoading={busy}
      destroyOnHidden
    >
      <p className="dialog-lead">{finding?.message}</p>
      <Form form={form} name="dismiss" layout="vertical" preserve={false}>
        <Form.Item
          name="reason"
          label="忽略理由"
          rules={[{ required: true, whitespace: true, min: 2, message: '请填写忽略理由（至少 2 个字）' }]}
          extra="理由与操作人将记入审计日志。"
        >
          <Input.TextArea rows={3} maxLength={500} showCount placeholder="例如：已线下核实，情况属实" data-testid="dismiss-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
