import { useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { App, Button, Card, Empty, Form, Modal, Select, Space, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { ErrorAlert } from '../../components/ErrorAlert';
import { OrgTreeSelect } from '../../components/OrgTreeSelect';
import { PageHeader } from '../../components/PageHeader';
import { formatTimestamp } from '../../lib/format';
import { useIsMobile, useLoad, useSubmit, useTitle } from '../../lib/hooks';
import { useOrgTree } from '../../lib/orgTree';
import { KIND_LABELS, REPORT_PATHS, ReportStatusTag, thisYear, useDefaultOrg, yearOptions } from './shared';
import type { ReportMeta, TemplateSummary } from './types';
import './reports.css';

type ListAnswer = ReportMeta[] | { items: ReportMeta[]; total?: number };
const itemsOf = (a: ListAnswer | undefined): ReportMeta[] => (Array.isArray(a) ? a : (a?.items ?? []));

/** 述职报告: this year's and earlier reports of the user's orgs; 新建报告 from a template offered for the org's kind. */
export function ReportsListPage() {
  useTitle('述职报告');
  const { message } = App.useApp();
  const { can } = useAuth();
  const navigate = useNavigate();
  const mobile = useIsMobile();
  const [params, setParams] = useSearchParams();
  const org = useDefaultOrg(params.get('org'));
  const year = params.get('year') ? Number(params.get('year')) : undefined;
  const status = params.get('status') ?? undefined;
  const { tree } = useOrgTree();
  const list = useLoad((signal) => api.get<ListAnswer>('/api/reports', { org, year, status }, signal), [org, year, status], !!org);
  const templates = useLoad((signal) => api.get<TemplateSummary[]>('/api/report-templates', undefined, signal), []);
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm<{ orgId: number; year: number; templateKey: string }>();
  const createOrg = Form.useWatch('orgId', form);
  const [saving, submit] = useSubmit();

  const set = (k: string, v: string | number | undefined | null) => {
    const p = new URLSearchParams(params);
    if (v === undefined || v === null || v === '') p.delete(k);
    else p.set(k, String(v));
    setParams(p);
  };

  const orgKind = createOrg && tree ? tree.byId.get(createOrg)?.kind : undefined;
  const offered = useMemo(
    () => (templates.data ?? []).filter((t) => !orgKind || t.orgKinds.length === 0 || t.orgKinds.includes(orgKind)),
    [templates.data, orgKind],
  );

  function openCreate() {
    form.setFieldsValue({ orgId: org, year: thisYear(), templateKey: undefined });
    setCreating(true);
  }
  async function create() {
    const v = await form.validateFields();
    await submit(async () => {
      const r = await api.post<{ id: number } | { report: { id: number } }>('/api/reports', v);
      const id = 'id' in r ? r.id : r.report.id;
      message.success('已生成报告草稿，数据已按记录自动填入');
      setCreating(false);
      navigate(REPORT_PATHS.report(id));
    });
  }

  const rows = itemsOf(list.data);
  const orgName = (r: ReportMeta) => r.orgName ?? (tree ? tree.compact(tree.byId.get(r.orgId)?.name ?? '') : '');

  return (
    <div>
      <PageHeader
        title="述职报告"
        subtitle="从组织生活、党员、党费等记录自动生成报告草稿，数字可追溯到明细"
        extra={can('reports.write') ? <Button type="primary" icon={<PlusOutlined />} onClick={openCreate} disabled={!org} data-testid="report-new">新建报告</Button> : null}
      />
      <Space wrap style={{ marginBottom: 16 }}>
        <OrgTreeSelect value={org} onChange={(v) => set('org', v)} allowClear={false} style={{ minWidth: 240 }} data-testid="report-filter-org" />
        <Select allowClear placeholder="全部年度" value={year} onChange={(v) => set('year', v)} style={{ width: 130 }} options={yearOptions()} />
        <Select allowClear placeholder="全部状态" value={status} onChange={(v) => set('status', v)} style={{ width: 120 }}
          options={[{ value: 'draft', label: '草稿' }, { value: 'final', label: '已定稿' }]} />
      </Space>
      <ErrorAlert error={list.error} onRetry={list.reload} />
      {mobile ? (
        <div className="report-cards" data-testid="report-list">
          {rows.length === 0 && !list.loading ? <Empty description="暂无报告" /> : null}
          {rows.map((r) => (
            <Card key={r.id} size="small" className="report-card" onClick={() => navigate(REPORT_PATHS.report(r.id))} data-testid="report-row">
              <div className="report-card-title">{r.title || r.templateName || '述职报告'}</div>
              <Space size={4} wrap><ReportStatusTag status={r.status} /><Tag>{r.year}年度</Tag><span className="muted">{orgName(r)}</span></Space>
            </Card>
          ))}
        </div>
      ) : (
        <Card size="small">
          <Table<ReportMeta> size="small" rowKey="id" loading={list.loading} dataSource={rows} pagination={false} data-testid="report-list"
            locale={{ emptyText: '暂无报告，点击“新建报告”从模板生成' }}
            onRow={(r) => ({ 'data-testid': 'report-row', onClick: () => navigate(REPORT_PATHS.report(r.id)), style: { cursor: 'pointer' } } as React.HTMLAttributes<HTMLElement>)}
            columns={[
              { title: '年度', dataIndex: 'year', width: 80 },
              { title: '党组织', key: 'org', render: (_: unknown, r) => orgName(r) },
              { title: '标题', key: 'title', render: (_: unknown, r) => r.title || r.templateName || r.templateKey },
              { title: '版本', dataIndex: 'reportVersion', width: 70, render: (v?: number) => (v ? `第${v}版` : '—') },
              { title: '状态', dataIndex: 'status', width: 90, render: (s: string) => <ReportStatusTag status={s} /> },
              { title: '更新时间', key: 'at', width: 170, render: (_: unknown, r) => formatTimestamp(r.finalizedAt ?? r.updatedAt ?? r.createdAt) },
            ]} />
        </Card>
      )}
      <Modal open={creating} title="新建报告" okText="生成草稿" confirmLoading={saving} onOk={create} onCancel={() => setCreating(false)} destroyOnHidden>
        <p className="dialog-lead">按所选模板逐项从记录取数生成草稿；缺少记录的数字会标红，需要手工填写的项目单独列出。</p>
        <Form form={form} layout="vertical" data-testid="report-create-form">
          <Form.Item name="orgId" label="党组织" rules={[{ required: true, message: '请选择党组织' }]}>
            <OrgTreeSelect allowClear={false} />
          </Form.Item>
          <Form.Item name="year" label="年度" rules={[{ required: true, message: '请选择年度' }]}>
            <Select options={yearOptions()} />
          </Form.Item>
          <Form.Item name="templateKey" label="报告模板" rules={[{ required: true, message: '请选择报告模板' }]}
            extra={orgKind && offered.length === 0 ? '没有适用于该类组织的模板，请联系管理员在“报告模板”中添加' : undefined}>
            <Select data-testid="report-template" placeholder="选择模板" loading={templates.loading}
              options={offered.map((t) => ({ value: t.key, label: `${t.name}（${KIND_LABELS[t.kind] ?? t.kind}）` }))} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}

export default ReportsListPage;
