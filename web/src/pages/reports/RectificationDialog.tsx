import { useEffect } from 'react';
import { App, Form, Input, Modal } from 'antd';
import { api } from '../../api/client';
import { DateField } from '../../components/DateField';
import { useSubmit } from '../../lib/hooks';

/** 新建整改事项 from a problem named in a review comment: owner, deadline, evidence needed to close it. */
export function RectificationDialog({ open, reportId, commentId, problem, onClose, onDone }: {
  open: boolean; reportId: number | null; commentId?: number | null; problem?: string; onClose: () => void; onDone: () => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ problem: string; ownerName: string; deadline: string; evidenceRequired: string }>();
  const [saving, submit] = useSubmit();
  useEffect(() => {
    if (open) form.setFieldsValue({ problem: problem ?? '', ownerName: '', deadline: undefined, evidenceRequired: '' });
  }, [open, problem, form]);
  async function save() {
    const v = await form.validateFields();
    await submit(async () => {
      await api.post('/api/rectifications', { reportId, commentId: commentId ?? undefined, ...v });
      message.success('已建立整改事项，将显示在该组织的工作台直至销号');
      onDone();
    });
  }
  return (
    <Modal open={open} title="新建整改事项" okText="建立" confirmLoading={saving} onOk={save} onCancel={onClose} destroyOnHidden>
      <Form form={form} layout="vertical" data-testid="rect-form">
        <Form.Item name="problem" label="存在问题" rules={[{ required: true, message: '请填写需要整改的问题' }]}>
          <Input.TextArea rows={3} data-testid="rect-problem" />
        </Form.Item>
        <Form.Item name="ownerName" label="整改责任人" rules={[{ required: true, message: '请填写整改责任人' }]}>
          <Input data-testid="rect-owner" placeholder="例如：支部书记 张三" />
        </Form.Item>
        <Form.Item name="deadline" label="整改期限" rules={[{ required: true, message: '请选择整改期限' }]}>
          <DateField data-testid="rect-deadline" />
        </Form.Item>
        <Form.Item name="evidenceRequired" label="销号需提供的材料" rules={[{ required: true, message: '请说明销号需要提供的佐证材料' }]}>
          <Input.TextArea rows={2} data-testid="rect-evidence" placeholder="例如：整改后的会议记录和照片" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
