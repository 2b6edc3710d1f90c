import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { App, Button, Card, Form, Input, InputNumber, Modal, Select, Space, Table, Tag } from 'antd';
import { api, errorMessage } from '../../api/client';
import { DateField } from '../../components/DateField';
import { ErrorAlert } from '../../components/ErrorAlert';
import { OrgTreeSelect } from '../../components/OrgTreeSelect';
import { PageHeader } from '../../components/PageHeader';
import { todayIso } from '../../lib/format';
import { useLoad, useTitle } from '../../lib/hooks';
import { thisYear, useDefaultOrg } from './shared';
import './orgLife.css';

interface MemberStudy { personId: number; name: string; orgName: string; leader: boolean; recordMinutes: number; meetingMinutes: number; hours: number; target: number; met: boolean; plan: string | null }
const SOURCES = [{ value: 'selfStudy', label: '自学' }, { value: 'training', label: '脱产培训' }, { value: 'online', label: '网络学习' }, { value: 'other', label: '其他' }];

/** 学习学时: per member per year against the targets (32; 56 for secretaries and committee members); study plans. */
export function StudyPage() {
  useTitle('学习学时');
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const org = useDefaultOrg(params.get('org'));
  const [year, setYear] = useState(thisYear());
  const [record, setRecord] = useState<MemberStudy | null>(null);
  const [plan, setPlan] = useState<MemberStudy | null>(null);
  const [form] = Form.useForm();
  const [planText, setPlanText] = useState('');
  const data = useLoad((signal) => api.get<{ members: MemberStudy[]; metCount: number }>('/api/orgLife/study', { org, year }, signal), [org, year], !!org);

  async function saveRecord() {
    const v = await form.validateFields();
    try {
      const body = { personId: record!.personId, studiedOn: v.studiedOn, source: v.source, title: v.title, ...(v.unit === 'days' ? { trainingDays: v.amount } : { minutes: v.amount }) };
      await api.post('/api/orgLife/study/records', body);
      message.success('已记录学时');
      setRecord(null);
      form.resetFields();
      data.reload();
    } catch (e) {
      message.error(errorMessage(e));
    }
  }
  async function savePlan() {
    try {
      await api.put('/api/orgLife/study/plans', { personId: plan!.personId, year, plan: planText });
      message.success('已保存学习计划');
      setPlan(null);
      data.reload();
    } catch (e) {
      message.error(errorMessage(e));
    }
  }

  return (
    <div>
      <PageHeader title="学习学时" subtitle="1学时按本地设置折合分钟（默认45分钟），脱产培训1天计8学时" />
      <Space wrap style={{ marginBottom: 16 }}>
        <OrgTreeSelect value={org} onChange={(v) => v && setParams({ org: String(v) })} allowClear={false} style={{ minWidth: 240 }} />
        <Select value={year} onChange={setYear} style={{ width: 120 }} options={[0, 1, 2].map((k) => ({ value: thisYear() - k, label: `${thisYear() - k}年` }))} />
        {data.data ? <Tag color="blue">达标 {data.data.metCount}/{data.data.members.length}</Tag> : null}
      </Space>
      <ErrorAlert error={data.error} onRetry={data.reload} />
      <Card size="small">
        <Table size="small" rowKey="personId" loading={data.loading} dataSource={data.data?.members ?? []} scroll={{ x: 'max-content' }} columns={[
          { title: '姓名', dataIndex: 'name', render: (n: string, r: MemberStudy) => <>{n}{r.leader ? <Tag style={{ marginLeft: 6 }}>支委</Tag> : null}</> },
          { title: '所在党组织', dataIndex: 'orgName' },
          { title: '学时', dataIndex: 'hours', render: (h: number, r: MemberStudy) => <Tag color={r.met ? 'green' : 'orange'}>{h} / {r.target}</Tag> },
          { title: '学习计划', dataIndex: 'plan', render: (p: string | null) => p ?? '—', ellipsis: true },
          { title: '', render: (_: unknown, r: MemberStudy) => <Space><Button size="small" onClick={() => setRecord(r)}>记学时</Button><Button size="small" onClick={() => { setPlan(r); setPlanText(r.plan ?? ''); }}>学习计划</Button></Space> },
        ]} />
      </Card>
      <Modal open={!!record} onCancel={() => setRecord(null)} onOk={saveRecord} title={`记录学时：${record?.name ?? ''}`} okText="保存">
        <Form form={form} layout="vertical" initialValues={{ studiedOn: todayIso(), source: 'selfStudy', unit: 'minutes', amount: 90 }}>
          <Form.Item name="studiedOn" label="日期" rules={[{ required: true, message: '请选择日期' }]}><DateField /></Form.Item>
          <Form.Item name="source" label="学习方式"><Select options={SOURCES} /></Form.Item>
          <Space.Compact style={{ width: '100%' }}>
            <Form.Item name="amount" noStyle rules={[{ required: true, message: '请填写时长' }]}><InputNumber min={0.5} style={{ width: '60%' }} /></Form.Item>
            <Form.Item name="unit" noStyle><Select style={{ width: '40%' }} options={[{ value: 'minutes', label: '分钟' }, { value: 'days', label: '培训天数' }]} /></Form.Item>
          </Space.Compact>
          <Form.Item name="title" label="学习内容" rules={[{ required: true, message: '请填写学习内容' }]} style={{ marginTop: 16 }}><Input maxLength={200} /></Form.Item>
        </Form>
      </Modal>
      <Modal open={!!plan} onCancel={() => setPlan(null)} onOk={savePlan} title={`${year}年学习计划：${plan?.name ?? ''}`} okText="保存">
        <Input.TextArea rows={5} value={planText} onChange={(e) => setPlanText(e.target.value)} maxLength={4000} />
      </Modal>
    </div>
  );
}

export default StudyPage;
