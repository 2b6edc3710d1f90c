import { useMemo, useState } from 'react';
import { Alert, App, Form, Input, Modal } from 'antd';
import { orgDissolve } from '../../../../src/modules/orgs/contract';
import { api } from '../../api/client';
import type { OrgDetail, OrgNode } from '../../api/types';
import { DateField } from '../../components/DateField';
import { OrgTreeSelect } from '../../components/OrgTreeSelect';
import { applyServerErrors, validateWith } from '../../lib/forms';
import { todayIso } from '../../lib/format';
import type { OrgTree } from '../../lib/orgTree';

/** 移动: the org and everything below it get a new parent (one transaction on the server). */
export function OrgMoveDialog({ open, org, tree, onClose, onDone }: { open: boolean; org: OrgDetail; tree: OrgTree; onClose: () => void; onDone: () => void }) {
  const [form] = Form.useForm<{ newParentId: number }>();
  const [busy, setBusy] = useState(false);
  const { message } = App.useApp();
  const inside = useMemo(() => tree.subtree(org.id), [tree, org.id]);
  const disabledNode = useMemo(() => (n: OrgNode) => inside.has(n.id) || n.id === org.parentId || n.kind === 'partyGroup', [inside, org.parentId]);
  const submit = async () => {
    const { newParentId } = await form.validateFields();
    setBusy(true);
    try {
      await api.post(`/api/orgs/${org.id}/move`, { newParentId });
      message.success('已移动');
      form.resetFields();
      onDone();
    } catch (e) {
      const rest = applyServerErrors(form, e);
      if (rest) form.setFields([{ name: 'newParentId', errors: [rest] }]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={open} title="移动组织" okText="确认移动" cancelText="取消" onOk={submit} onCancel={onClose} confirmLoading={busy} forceRender>
      <p className="dialog-lead">将“{org.name}”及其全部下级组织、党员移到新的上级组织之下。</p>
      <Form form={form} name="org-move" layout="vertical" data-testid="org-move-form">
        <Form.Item name="newParentId" label="新的上级组织" rules={[{ required: true, message: '请选择新的上级组织' }]}>
          <OrgTreeSelect disabledNode={disabledNode} allowClear={false} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 撤销: dissolve with a date and a reason; history stays, the org leaves the tree. */
export function OrgDissolveDialog({ open, org, onClose, onDone }: { open: boolean; org: OrgDetail; onClose: () => void; onDone: () => void }) {
  const [form] = Form.useForm<{ dissolvedOn: string; reason: string }>();
  const [busy, setBusy] = useState(false);
  const { message } = App.useApp();
  const members = org.fullMembers + org.probationaryMembers;
  const submit = async () => {
    const raw = await form.validateFields();
    const body = validateWith(form, orgDissolve, raw);
    if (!body) return;
    setBusy(true);
    try {
      await api.post(`/api/orgs/${org.id}/dissolve`, body);
      message.success('已撤销');
      form.resetFields();
      onDone();
    } catch (e) {
      const rest = applyServerErrors(form, e);
      if (rest) message.error(rest);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title="撤销组织"
      okText="确认撤销"
      okButtonProps={{ danger: true }}
      cancelText="取消"
      onOk={submit}
      onCancel={onClose}
      confirmLoading={busy}
      forceRender
    >
      <p className="dialog-lead">撤销“{org.name}”。撤销后该组织不再出现在组织树中，历史记录保留。</p>
      {members > 0 ? (
        <Alert type="warning" showIcon title={`该组织及下级仍有 ${members} 名党员，请先转接其组织关系。`} style={{ marginBottom: 16 }} />
      ) : null}
      <Form form={form} name="org-dissolve" layout="vertical" initialValues={{ dissolvedOn: todayIso() }} data-testid="org-dissolve-form">
        <Form.Item name="dissolvedOn" label="撤销日期" rules={[{ required: true, message: '请选择撤销日期' }]}>
          <DateField allowClear={false} />
        </Form.Item>
        <Form.Item name="reason" label="撤销原因" rules={[{ required: true, whitespace: true, message: '请填写撤销原因' }]}>
          <Input.TextArea rows={3} maxLength={200} showCount placeholder="例如：所在单位撤并，经上级党委批准撤销" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
