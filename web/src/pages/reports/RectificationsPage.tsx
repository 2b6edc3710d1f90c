import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { App, Button, Card, Empty, Form, Input, Modal, Select, Space, Table, Tag, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { api, errorMessage } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { ErrorAlert } from '../../components/ErrorAlert';
import { OrgTreeSelect } from '../../components/OrgTreeSelect';
import { PageHeader } from '../../components/PageHeader';
import { useIsMobile, useLoad, useSubmit, useTitle } from '../../lib/hooks';
import { useOrgTree } from '../../lib/orgTree';
import { REPORT_PATHS, RectStatusTag, useDefaultOrg, yearOptions } from './shared';
import type { Rectification } from './types';
import './reports.css';

type ListAnswer = Rectification[] | { items: Rectification[] };

/** 整改事项: items raised in 述职评议, with status and deadline; 销号 with a note and evidence files. */
export function RectificationsPage() {
  useTitle('整改事项');
  const { can } = useAuth();
  const mobile = useIsMobile();
  const [params, setParams] = useSearchParams();
  const org = useDefaultOrg(params.get('org'));
  const year = Number(params.get('year')) || undefined;
  const status = params.get('status') ?? 'open';
  const list = useLoad((signal) => api.get<ListAnswer>('/api/rectifications', { org, year, status: status === 'all' ? undefined : status }, signal), [org, year, status], !!org);
  const { tree } = useOrgTree();
  const rows = (Array.isArray(list.data) ? list.data : (list.data?.items ?? [])).map((r) => ({ ...r, orgName: r.orgName && tree ? tree.compact(r.orgName) : r.orgName }));
  const [closing, setClosing] = useState<Rectification | null>(null);
  const set = (k: string, v: string | number | null | undefined) => {
    const p = new URLSearchParams(params);
    if (v) p.set(k, String(v));
    else p.delete(k);
    setParams(p);
  };
  const closeBtn = (r: Rectification) => (r.status === 'open' && can('rectification.close')
    ? <Button size="small" type="primary" onClick={() => setClosing(r)} data-testid="rect-close">销号</Button> : null);
  const closedInfo = (r: Rectification) => (r.status === 'closed' ? (
    <div style={{ fontSize: 13, whiteSpace: 'normal', maxWidth: 260 }}>
      {r.closeNote ?? r.note ? <div>销号说明：{r.closeNote ?? r.note}</div> : null}
      {r.closedOn ? <div className="muted">{r.closedOn} 销号</div> : null}
      {(r.attachments ?? (r.attachmentIds ?? []).map((id, i) => ({ id, filename: `整改材料${i + 1}` }))).map((a) => <div key={a.id}><a href={`/api/attachments/${a.id}`} target="_blank" rel="noreferrer">{a.filename}</a></div>)}
    </div>
  ) : null);

  return (
    <div>
      <PageHeader title="整改事项" subtitle="述职评议中提出的问题，按期整改并提供佐证材料后销号；未销号的事项显示在工作台" />
      <Space wrap style={{ marginBottom: 16 }}>
        <OrgTreeSelect value={org} onChange={(v) => set('org', v)} allowClear={false} style={{ minWidth: 240 }} />
        <Select allowClear placeholder="全部年度" value={year} onChange={(v) => set('year', v)} style={{ width: 130 }} options={yearOptions()} />
        <Select value={status} onChange={(v) => set('status', v)} style={{ width: 120 }} data-testid="rect-status-filter"
          options={[{ value: 'open', label: '整改中' }, { value: 'closed', label: '已销号' }, { value: 'all', label: '全部' }]} />
      </Space>
      <ErrorAlert error={list.error} onRetry={list.reload} />
      {mobile ? (
        <div className="report-cards" data-testid="rect-list">
          {rows.length === 0 && !list.loading ? <Empty description="没有整改事项" /> : null}
          {rows.map((r) => (
            <Card key={r.id} size="small" data-testid="rect-row" data-id={r.id}>
              <Space size={4} wrap style={{ marginBottom: 4 }}><RectStatusTag status={r.status} deadline={r.deadline} /><span className="muted">{r.orgName}</span></Space>
              <div className="report-card-title">{r.problem}</div>
              <div style={{ fontSize: 13 }}>责任人：{r.ownerName}　期限：{r.deadline}</div>
              <div style={{ fontSize: 13 }}>销号材料：{r.evidenceRequired}</div>
              {closedInfo(r)}
              <div style={{ marginTop: 6 }}>{closeBtn(r)}</div>
            </Card>
          ))}
        </div>
      ) : (
        <Card size="small">
          <Table<Rectification> size="small" rowKey="id" loading={list.loading} dataSource={rows} pagination={false} scroll={{ x: 'max-content' }} data-testid="rect-list"
            locale={{ emptyText: '没有整改事项' }}
            onRow={(r) => ({ 'data-testid': 'rect-row', 'data-id': r.id } as React.HTMLAttributes<HTMLElement>)}
            columns={[
              { title: '党组织', dataIndex: 'orgName' },
              { title: '存在问题', dataIndex: 'problem', render: (v: string) => <div style={{ whiteSpace: 'normal', minWidth: 220, maxWidth: 420 }}>{v}</div> },
              { title: '责任人', dataIndex: 'ownerName' },
              { title: '期限', dataIndex: 'deadline' },
              { title: '销号材料', dataIndex: 'evidenceRequired', render: (v: string) => <div style={{ whiteSpace: 'normal', minWidth: 160, maxWidth: 300 }}>{v}</div> },
              { title: '状态', dataIndex: 'status', render: (_: unknown, r) => <Space direction="vertical" size={2}><RectStatusTag status={r.status} deadline={r.deadline} />{closedInfo(r)}</Space> },
              { title: '', key: 'ops', render: (_: unknown, r) => <Space>{r.reportId ? <Button size="small" href={REPORT_PATHS.report(r.reportId)}>报告</Button> : null}{closeBtn(r)}</Space> },
            ]} />
        </Card>
      )}
      <CloseDialog item={closing} onClose={() => setClosing(null)} onDone={() => { setClosing(null); list.reload(); }} />
    </div>
  );
}

function CloseDialog({ item, onClose, onDone }: { item: Rectification | null; onClose: () => void; onDone: () => void }) {
  const { message } = App.useApp();
  const [note, setNote] = useState('');
  const [files, setFiles] = useState<{ id: number; filename: string }[]>([]);
  const [uploading, setUploading] = useState(false);
  const [saving, submit] = useSubmit();
  const reset = () => { setNote(''); setFiles([]); };

  async function upload(file: File) {
    if (!item?.orgId) {
      message.error('无法确定整改事项所属组织，请刷新后重试');
      return false;
    }
    setUploading(true);
    try {
      const form = new FormData();
      form.append('org', String(item.orgId));
      form.append('file', file);
      const r = await api.upload<{ id: number; filename: string }>('/api/attachments', form);
      setFiles((f) => [...f, { id: r.id, filename: r.filename }]);
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setUploading(false);
    }
    return false;
  }
  async function save() {
    if (!note.trim()) {
      message.warning('请填写整改情况说明');
      return;
    }
    if (!files.length) {
      message.warning('请上传整改佐证材料');
      return;
    }
    await submit(async () => {
      await api.post(`/api/rectifications/${item!.id}/close`, { note: note.trim(), attachmentIds: files.map((f) => f.id) });
      message.success('已销号');
      reset();
      onDone();
    });
  }
  return (
    <Modal open={!!item} title="整改销号" okText="确认销号" confirmLoading={saving} okButtonProps={{ disabled: uploading, 'data-testid': 'rect-close-submit' } as React.ComponentProps<typeof Button>} onOk={save} onCancel={() => { reset(); onClose(); }} destroyOnHidden>
      {item ? (
        <Form layout="vertical">
          <p className="dialog-lead">{item.problem}<br /><span className="muted">销号需提供：{item.evidenceRequired}</span></p>
          <Form.Item label="整改情况说明" required>
            <Input.TextArea rows={3} value={note} onChange={(e) => setNote(e.target.value)} data-testid="rect-close-note" placeholder="写明采取的措施和整改结果" />
          </Form.Item>
          <Form.Item label="佐证材料" required>
            <Upload beforeUpload={upload} showUploadList={false} multiple>
              <Button icon={<UploadOutlined />} loading={uploading} data-testid="rect-close-upload">上传文件或照片</Button>
            </Upload>
            <div style={{ marginTop: 6 }}>{files.map((f) => <Tag key={f.id} closable onClose={() => setFiles((x) => x.filter((y) => y.id !== f.id))} data-testid="rect-close-file">{f.filename}</Tag>)}</div>
          </Form.Item>
        </Form>
      ) : null}
    </Modal>
  );
}

export default RectificationsPage;
