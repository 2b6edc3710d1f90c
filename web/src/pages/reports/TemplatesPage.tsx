import { useState } from 'react';
import { useNavigate } from 'react-router';
import { App, Button, Card, Form, Input, Modal, Space, Table, Tag } from 'antd';
import { api } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { orgKindLabel } from '../../lib/labels';
import { useLoad, useSubmit, useTitle } from '../../lib/hooks';
import { KIND_LABELS, REPORT_PATHS } from './shared';
import type { TemplateSummary } from './types';
import './reports.css';

/** 报告模板: the latest version of each template family; view, copy (to adapt), edit. */
export function TemplatesPage() {
  useTitle('报告模板');
  const { message } = App.useApp();
  const { can } = useAuth();
  const navigate = useNavigate();
  const list = useLoad((signal) => api.get<TemplateSummary[]>('/api/report-templates', undefined, signal), []);
  const [copyOf, setCopyOf] = useState<TemplateSummary | null>(null);
  const [form] = Form.useForm<{ newKey: string; name: string }>();
  const [saving, submit] = useSubmit();
  const canEdit = can('reports.templates');

  async function copy() {
    if (!copyOf) return;
    const v = await form.validateFields();
    await submit(async () => {
      await api.post(`/api/report-templates/${encodeURIComponent(copyOf.key)}/copy`, v);
      message.success('已复制模板');
      setCopyOf(null);
      navigate(REPORT_PATHS.template(v.newKey));
    });
  }

  return (
    <div>
      <PageHeader title="报告模板" subtitle="述职报告和工作总结的模板：章节、段落与数据项占位符；保存修改生成新版本，已有草稿保留原版本" />
      <ErrorAlert error={list.error} onRetry={list.reload} />
      <Card size="small">
        <Table<TemplateSummary> size="small" rowKey="key" loading={list.loading} dataSource={list.data ?? []} pagination={false} scroll={{ x: 'max-content' }} data-testid="template-list"
          columns={[
            { title: '模板名称', dataIndex: 'name', render: (v: string, t) => <a onClick={() => navigate(REPORT_PATHS.template(t.key))}>{v}</a> },
            { title: '类别', dataIndex: 'kind', render: (k: string) => KIND_LABELS[k] ?? k },
            { title: '适用组织', dataIndex: 'orgKinds', render: (ks: string[]) => (ks.length ? <Space size={2} wrap>{ks.map((k) => <Tag key={k}>{orgKindLabel(k)}</Tag>)}</Space> : '全部') },
            { title: '版本', dataIndex: 'version', render: (v: number) => `第${v}版` },
            { title: '编号', dataIndex: 'key', render: (v: string) => <span className="figure-id">{v}</span> },
            {
              title: '', key: 'ops', render: (_: unknown, t) => (
                <Space>
                  <Button size="small" onClick={() => navigate(REPORT_PATHS.template(t.key))}>{canEdit ? '查看/编辑' : '查看'}</Button>
                  {canEdit ? <Button size="small" onClick={() => { form.setFieldsValue({ newKey: `${t.key}Copy`, name: `${t.name}（副本）` }); setCopyOf(t); }}>复制</Button> : null}
                </Space>
              ),
            },
          ]} />
      </Card>
      <Modal open={!!copyOf} title={`复制模板：${copyOf?.name ?? ''}`} okText="复制" confirmLoading={saving} onOk={copy} onCancel={() => setCopyOf(null)} destroyOnHidden>
        <Form form={form} layout="vertical">
          <Form.Item name="newKey" label="新模板编号" extra="英文字母和数字，用于区分模板" rules={[{ required: true, message: '请填写新模板编号' }, { pattern: /^[a-z][A-Za-z0-9]{1,59}$/, message: '以小写英文字母开头，只含英文字母和数字' }]}>
            <Input />
          </Form.Item>
          <Form.Item name="name" label="新模板名称" rules={[{ required: true, message: '请填写新模板名称' }]}>
            <Input />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}

export default TemplatesPage;
