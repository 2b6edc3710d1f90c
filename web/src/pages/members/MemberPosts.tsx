import { useState } from 'react';
import { App, Button, Form, Modal, Select, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { postEnd, postInput } from '../../../../src/modules/members/contract';
import { api } from '../../api/client';
import type { MemberDetail } from '../../api/types';
import { DateField } from '../../components/DateField';
import { OrgTreeSelect } from '../../components/OrgTreeSelect';
import { applyServerErrors, validateWith } from '../../lib/forms';
import { todayIso } from '../../lib/format';
import { POST_OPTIONS, postLabel } from '../../lib/labels';

type Post = MemberDetail['posts'][number];

/** 任职: posts held on dates; add a post, or end one (离任) with a date. */
export function MemberPosts({ m, writable, onChanged, compact }: { m: MemberDetail; writable: boolean; onChanged: () => void; compact: (n: string) => string }) {
  const [adding, setAdding] = useState(false);
  const [ending, setEnding] = useState<Post | null>(null);
  return (
    <div data-testid="member-posts">
      {m.posts.length === 0 ? (
        <div className="muted">暂无任职记录</div>
      ) : (
        <Table<Post>
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={m.posts}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: '职务', dataIndex: 'post', render: (p: string, r) => <>{postLabel(p)} {r.validTo ? <Tag>已离任</Tag> : <Tag color="green">在任</Tag>}</> },
            { title: '组织', dataIndex: 'orgName', render: (n: string) => <span title={n}>{compact(n)}</span> },
            { title: '任职日期', dataIndex: 'validFrom' },
            { title: '离任日期', dataIndex: 'validTo', render: (d: string | null) => d ?? '—' },
            ...(writable
              ? [{ title: '操作', key: 'op', render: (_: unknown, r: Post) => (r.validTo ? null : <Button size="small" onClick={() => setEnding(r)} data-testid="post-end">离任</Button>) }]
              : []),
          ]}
        />
      )}
      {writable ? (
        <Button icon={<PlusOutlined />} onClick={() => setAdding(true)} style={{ marginTop: 12 }} data-testid="post-add">新增任职</Button>
      ) : null}
      {writable ? (
        <>
          <AddPostDialog open={adding} m={m} onClose={() => setAdding(false)} onDone={() => { setAdding(false); onChanged(); }} />
          <EndPostDialog post={ending} onClose={() => setEnding(null)} onDone={() => { setEnding(null); onChanged(); }} />
        </>
      ) : null}
    </div>
  );
}

function AddPostDialog({ open, m, onClose, onDone }: { open: boolean; m: MemberDetail; onClose: () => void; onDone: () => void }) {
  const [form] = Form.useForm<{ orgId: number; post: string; validFrom: string }>();
  const [busy, setBusy] = useState(false);
  const { message } = App.useApp();
  const submit = async () => {
    const raw = await form.validateFields();
    const body = validateWith(form, postInput, raw);
    if (!body) return;
    setBusy(true);
    try {
      await api.post(`/api/members/${m.id}/posts`, body);
      message.success('已新增任职');
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
    <Modal open={open} title={`新增任职：${m.name}`} okText="保存" cancelText="取消" onOk={submit} onCancel={onClose} confirmLoading={busy} forceRender>
      <Form form={form} name="post-add" layout="vertical" initialValues={{ orgId: m.orgId, validFrom: todayIso() }} data-testid="post-form">
        <Form.Item name="orgId" label="任职组织" rules={[{ required: true, message: '请选择任职组织' }]}>
          <OrgTreeSelect allowClear={false} />
        </Form.Item>
        <Form.Item name="post" label="职务" rules={[{ required: true, message: '请选择职务' }]}>
          <Select options={POST_OPTIONS} placeholder="选择职务" />
        </Form.Item>
        <Form.Item name="validFrom" label="任职日期" rules={[{ required: true, message: '请选择任职日期' }]}>
          <DateField allowClear={false} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function EndPostDialog({ post, onClose, onDone }: { post: Post | null; onClose: () => void; onDone: () => void }) {
  const [form] = Form.useForm<{ validTo: string }>();
  const [busy, setBusy] = useState(false);
  const { message } = App.useApp();
  const submit = async () => {
    const raw = await form.validateFields();
    const body = validateWith(form, postEnd, raw);
    if (!body || !post) return;
    setBusy(true);
    try {
      await api.post(`/api/posts/${post.id}/end`, body);
      message.success('已登记离任');
      onDone();
    } catch (e) {
      const rest = applyServerErrors(form, e);
      if (rest) form.setFields([{ name: 'validTo', errors: [rest] }]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={!!post} title="登记离任" okText="确认离任" cancelText="取消" onOk={submit} onCancel={onClose} confirmLoading={busy} forceRender>
      <p className="dialog-lead">{post ? `${postLabel(post.post)}（${post.orgName}），${post.validFrom} 起任职。` : ''}</p>
      <Form form={form} name="post-end" layout="vertical" initialValues={{ validTo: todayIso() }}>
        <Form.Item name="validTo" label="离任日期" rules={[{ required: true, message: '请选择离任日期' }]}>
          <DateField allowClear={false} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
