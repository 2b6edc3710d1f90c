import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { App, Button, Card, Form, Input, Modal, Progress, Select, Space, Table } from 'antd';
import type { MemberListItem } from '../../api/types';
import { api, errorMessage } from '../../api/client';
import type { Page } from '../../api/types';
import { DateField } from '../../components/DateField';
import { ErrorAlert } from '../../components/ErrorAlert';
import { OrgTreeSelect } from '../../components/OrgTreeSelect';
import { PageHeader } from '../../components/PageHeader';
import { todayIso } from '../../lib/format';
import { useLoad, useTitle } from '../../lib/hooks';
import { thisYear, useDefaultOrg } from './shared';
import './orgLife.css';

interface Coverage { orgId: number; orgName: string; talks: number; required: number; covered: number; percent: number | null; missingPairs: { a: string; b: string }[]; missingMembers: string[] }
interface Talk { id: number; orgName: string; heldOn: string; personAName: string; personBName: string; topic: string }

/** 谈心谈话: records and yearly coverage (each pair of committee members, each member with a committee member). */
export function HeartTalksPage() {
  useTitle('谈心谈话');
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const org = useDefaultOrg(params.get('org'));
  const [year, setYear] = useState(thisYear());
  const [adding, setAdding] = useState(false);
  const [form] = Form.useForm();
  const data = useLoad((signal) => api.get<{ talks: Talk[]; coverage: Coverage[] }>('/api/orgLife/talks', { org, year }, signal), [org, year], !!org);
  const members = useLoad((signal) => api.get<Page<MemberListItem>>('/api/members', { org, pageSize: 200 }, signal), [org], !!org && adding);
  const options = (members.data?.items ?? []).map((m) => ({ value: m.id, label: m.name }));

  async function add() {
    const v = await form.validateFields();
    try {
      await api.post('/api/orgLife/talks', { ...v, orgId: org });
      message.success('已记录谈心谈话');
      setAdding(false);
      form.resetFields();
      data.reload();
    } catch (e) {
      message.error(errorMessage(e));
    }
  }

  return (
    <div>
      <PageHeader title="谈心谈话" subtitle="支委之间、支委与党员之间每年至少谈一次" extra={<Button type="primary" onClick={() => setAdding(true)} disabled={!org}>记录谈话</Button>} />
      <Space wrap style={{ marginBottom: 16 }}>
        <OrgTreeSelect value={org} onChange={(v) => v && setParams({ org: String(v) })} allowClear={false} style={{ minWidth: 240 }} />
        <Select value={year} onChange={setYear} style={{ width: 120 }} options={[0, 1, 2].map((k) => ({ value: thisYear() - k, label: `${thisYear() - k}年` }))} />
      </Space>
      <ErrorAlert error={data.error} onRetry={data.reload} />
      <Card size="small" title="年度覆盖情况" style={{ marginBottom: 16 }}>
        <Table size="small" rowKey="orgId" loading={data.loading} dataSource={data.data?.coverage ?? []} pagination={false} scroll={{ x: true }}
          expandable={{ expandedRowRender: (c: Coverage) => <div>{c.missingPairs.length ? <p>未谈：{c.missingPairs.map((p) => `${p.a}—${p.b}`).join('、')}</p> : null}{c.missingMembers.length ? <p>尚未与支委谈话的党员：{c.missingMembers.join('、')}</p> : null}</div>, rowExpandable: (c) => c.covered < c.required }}
          columns={[
            { title: '党支部', dataIndex: 'orgName' },
            { title: '谈话次数', dataIndex: 'talks' },
            { title: '已覆盖/应覆盖', render: (_: unknown, c: Coverage) => `${c.covered}/${c.required}` },
            { title: '覆盖率', render: (_: unknown, c: Coverage) => <Progress percent={c.percent ?? 0} size="small" style={{ minWidth: 100 }} /> },
          ]} />
      </Card>
      <Card size="small" title="谈话记录">
        <Table size="small" rowKey="id" dataSource={data.data?.talks ?? []} scroll={{ x: true }} columns={[
          { title: '日期', dataIndex: 'heldOn' }, { title: '谈话人', dataIndex: 'personAName' }, { title: '谈话对象', dataIndex: 'personBName' },
          { title: '主题', dataIndex: 'topic' }, { title: '党支部', dataIndex: 'orgName' },
        ]} />
      </Card>
      <Modal open={adding} onCancel={() => setAdding(false)} onOk={add} title="记录谈心谈话" okText="保存">
        <Form form={form} layout="vertical" initialValues={{ heldOn: todayIso() }}>
          <Form.Item name="heldOn" label="日期" rules={[{ required: true, message: '请选择日期' }]}><DateField /></Form.Item>
          <Form.Item name="personAId" label="谈话人" rules={[{ required: true, message: '请选择谈话人' }]}><Select showSearch optionFilterProp="label" options={options} loading={members.loading} /></Form.Item>
          <Form.Item name="personBId" label="谈话对象" rules={[{ required: true, message: '请选择谈话对象' }]}><Select showSearch optionFilterProp="label" options={options} loading={members.loading} /></Form.Item>
          <Form.Item name="topic" label="谈话主题" rules={[{ required: true, message: '请填写谈话主题' }]}><Input maxLength={200} /></Form.Item>
          <Form.Item name="notes" label="谈话要点"><Input.TextArea rows={3} maxLength={2000} /></Form.Item>
        </Form>
      </Modal>
    </div>
  );
}

export default HeartTalksPage;
