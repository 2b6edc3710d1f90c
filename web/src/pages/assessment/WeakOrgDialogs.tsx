import { useEffect, useState } from 'react';
import { App, Button, Form, Input, Modal, Radio, Tag, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { api, errorMessage } from '../../api/client';
import { DateField } from '../../components/DateField';
import { todayIso } from '../../lib/format';
import { useSubmit } from '../../lib/hooks';
import type { Finding, WeakOrgEntry } from './shared';

/** 认定或排除 a 软弱涣散 candidate: the decision of the higher committee, recorded on the case (POST /api/findings/:id/decide). */
export function DecideDialog({ finding, onClose, onDone }: { finding: Finding | null; onClose: () => void; onDone: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ confirmed: boolean; decidedOn: string; decidedBy: string; outcome: string }>();
  const [saving, submit] = useSubmit();
  const confirmed = Form.useWatch('confirmed', form);
  useEffect(() => {
    if (finding) form.setFieldsValue({ confirmed: true, decidedOn: todayIso(), decidedBy: '', outcome: '' });
  }, [finding, form]);
  async function save() {
    const v = await form.validateFields();
    await submit(async () => {
      await api.post(`/api/findings/${finding!.id}/decide`, v);
      message.success(v.confirmed ? '已认定，请为该组织制定整顿方案' : '已排除，不列入台账');
      onDone();
    });
  }
  return (
    <Modal open={!!finding} title={`研究认定：${finding?.orgName ?? ''}`} okText="记录决定" confirmLoading={saving} onOk={save} onCancel={onClose} destroyOnHidden
      okButtonProps={{ 'data-testid': 'weak-decide-submit' } as React.ComponentProps<typeof Button>}>
      <p className="dialog-lead">{finding?.message}</p>
      <Form form={form} layout="vertical" data-testid="weak-decide-form">
        <Form.Item name="confirmed" label="认定结果">
          <Radio.Group options={[{ value: true, label: '认定为软弱涣散党组织' }, { value: false, label: '排除' }]} />
        </Form.Item>
        <Form.Item name="decidedOn" label="决定日期" rules={[{ required: true, message: '请选择决定日期' }]}>
          <DateField max={todayIso()} />
        </Form.Item>
        <Form.Item name="decidedBy" label="作出决定的党组织或会议" rules={[{ required: true, message: '请填写作出决定的党组织或会议' }]}>
          <Input placeholder="例如：县委常委会" maxLength={100} />
        </Form.Item>
        <Form.Item name="outcome" label={confirmed === false ? '排除理由' : '决定内容'} rules={[{ required: true, min: 2, message: confirmed === false ? '请写明排除理由' : '请填写决定内容' }]}>
          <Input.TextArea rows={3} maxLength={500} placeholder={confirmed === false ? '例如：该季度为集中换届，已补开会议' : '例如：认定为软弱涣散基层党组织，列入本年度整顿名单'} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 制定整顿方案 for a confirmed org: measures, owner, leader in charge, deadline (POST /api/weak-orgs). */
export function PlanDialog({ finding, onClose, onDone }: { finding: Finding | null; onClose: () => void; onDone: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ measures: string; ownerName: string; leaderName: string; deadline: string }>();
  const [saving, submit] = useSubmit();
  useEffect(() => {
    if (finding) form.resetFields();
  }, [finding, form]);
  async function save() {
    const v = await form.validateFields();
    await submit(async () => {
      await api.post('/api/weak-orgs', { findingId: finding!.id, ...v });
      message.success('已列入软弱涣散党组织台账');
      onDone();
    });
  }
  return (
    <Modal open={!!finding} title={`整顿方案：${finding?.orgName ?? ''}`} okText="保存方案" confirmLoading={saving} onOk={save} onCancel={onClose} destroyOnHidden>
      <Form form={form} layout="vertical" data-testid="weak-plan-form">
        <Form.Item name="measures" label="整顿措施" rules={[{ required: true, message: '请填写整顿措施' }]}>
          <Input.TextArea rows={4} maxLength={2000} placeholder="针对存在的问题逐项写明措施" />
        </Form.Item>
        <Form.Item name="ownerName" label="整顿责任人" rules={[{ required: true, message: '请填写整顿责任人' }]}>
          <Input maxLength={50} placeholder="例如：支部书记 张三" />
        </Form.Item>
        <Form.Item name="leaderName" label="联系领导" rules={[{ required: true, message: '请填写联系领导' }]}>
          <Input maxLength={50} placeholder="例如：镇党委副书记 李四" />
        </Form.Item>
        <Form.Item name="deadline" label="整顿期限" rules={[{ required: true, message: '请选择整顿期限' }]}>
          <DateField />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 记录整顿进展 on a ledger entry (POST /api/weak-orgs/:id/progress). */
export function ProgressDialog({ entry, onClose, onDone }: { entry: WeakOrgEntry | null; onClose: () => void; onDone: () => void }) {
  const { message } = App.useApp();
  const [content, setContent] = useState('');
  const [saving, submit] = useSubmit();
  useEffect(() => setContent(''), [entry]);
  async function save() {
    if (!content.trim()) { message.warning('请填写整顿进展'); return; }
    await submit(async () => {
      await api.post(`/api/weak-orgs/${entry!.id}/progress`, { content: content.trim() });
      message.success('已记录整顿进展');
      onDone();
    });
  }
  return (
    <Modal open={!!entry} title={`整顿进展：${entry?.orgName ?? ''}`} okText="记录" confirmLoading={saving} onOk={save} onCancel={onClose} destroyOnHidden>
      <Input.TextArea rows={4} maxLength={2000} value={content} onChange={(e) => setContent(e.target.value)} placeholder="写明已落实的措施和取得的成效" data-testid="weak-progress-content" />
    </Modal>
  );
}

/** 销号: the higher committee's decision with the acceptance material (POST /api/weak-orgs/:id/close). */
export function CloseDialog({ entry, onClose, onDone }: { entry: WeakOrgEntry | null; onClose: () => void; onDone: () => void }) {
  const { message } = App.useApp();
  const [decidedBy, setDecidedBy] = useState('');
  const [decision, setDecision] = useState('');
  const [files, setFiles] = useState<{ id: number; filename: string }[]>([]);
  const [uploading, setUploading] = useState(false);
  const [saving, submit] = useSubmit();
  useEffect(() => { setDecidedBy(''); setDecision(''); setFiles([]); }, [entry]);
  async function upload(file: File) {
    setUploading(true);
    try {
      const form = new FormData();
      form.append('org', String(entry!.orgId));
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
    if (!decidedBy.trim() || !decision.trim()) { message.warning('请填写作出销号决定的党组织和决定内容'); return; }
    if (!files.length) { message.warning('请上传整顿验收材料'); return; }
    await submit(async () => {
      await api.post(`/api/weak-orgs/${entry!.id}/close`, { decidedBy: decidedBy.trim(), decision: decision.trim(), attachmentIds: files.map((f) => f.id) });
      message.success('已销号');
      onDone();
    });
  }
  return (
    <Modal open={!!entry} title={`整顿销号：${entry?.orgName ?? ''}`} okText="确认销号" confirmLoading={saving} onOk={save} onCancel={onClose} destroyOnHidden
      okButtonProps={{ disabled: uploading } as React.ComponentProps<typeof Button>}>
      <Form layout="vertical">
        <Form.Item label="作出销号决定的党组织或会议" required>
          <Input value={decidedBy} onChange={(e) => setDecidedBy(e.target.value)} maxLength={100} placeholder="例如：县委组织部" />
        </Form.Item>
        <Form.Item label="销号决定" required>
          <Input.TextArea rows={3} value={decision} onChange={(e) => setDecision(e.target.value)} maxLength={500} placeholder="例如：经验收，整顿达标，同意销号" />
        </Form.Item>
        <Form.Item label="整顿验收材料" required>
          <Upload beforeUpload={upload} showUploadList={false} multiple>
            <Button icon={<UploadOutlined />} loading={uploading}>上传文件或照片</Button>
          </Upload>
          <div style={{ marginTop: 6 }}>{files.map((f) => <Tag key={f.id} closable onClose={() => setFiles((x) => x.filter((y) => y.id !== f.id))}>{f.filename}</Tag>)}</div>
        </Form.Item>
      </Form>
    </Modal>
  );
}
