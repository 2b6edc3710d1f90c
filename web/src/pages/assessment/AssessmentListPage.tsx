import { useNavigate, useSearchParams } from 'react-router';
import { Button, Card, Empty, Select, Space, Table, Tag } from 'antd';
import { WarningOutlined } from '@ant-design/icons';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { OrgTreeSelect } from '../../components/OrgTreeSelect';
import { PageHeader } from '../../components/PageHeader';
import { formatTimestamp } from '../../lib/format';
import { useIsMobile, useLoad, useTitle } from '../../lib/hooks';
import { useOrgTree } from '../../lib/orgTree';
import { useDefaultOrg, yearOptions } from '../reports/shared';
import { ASSESSMENT_PATHS, SessionStatusTag, type SessionSummary } from './shared';
import './assessment.css';

/** 述职评议考核: the sessions of the user's committees and of the committees below, newest year first. */
export function AssessmentListPage() {
  useTitle('考核评分');
  const navigate = useNavigate();
  const mobile = useIsMobile();
  const [params, setParams] = useSearchParams();
  const org = useDefaultOrg(params.get('org'));
  const year = params.get('year') ? Number(params.get('year')) : undefined;
  const { tree } = useOrgTree();
  const list = useLoad((signal) => api.get<SessionSummary[]>('/api/assessment-sessions', { org, year }, signal), [org, year], !!org);
  const set = (k: string, v: string | number | undefined | null) => {
    const p = new URLSearchParams(params);
    if (v === undefined || v === null || v === '') p.delete(k);
    else p.set(k, String(v));
    setParams(p);
  };
  const rows = list.data ?? [];
  const committee = (r: SessionSummary) => (tree ? tree.compact(r.orgName) : r.orgName);
  const open = (r: SessionSummary) => navigate(ASSESSMENT_PATHS.session(r.id));

  return (
    <div>
      <PageHeader
        title="述职评议考核"
        subtitle="按考核指标体系从组织生活、整改等记录自动计分，结合现场测评和实地考核确定等次，每项得分可查到依据"
        extra={<Button icon={<WarningOutlined />} onClick={() => navigate(ASSESSMENT_PATHS.weakOrgs)} data-testid="assessment-to-weak-orgs">软弱涣散党组织台账</Button>}
      />
      <Space wrap style={{ marginBottom: 16 }}>
        <OrgTreeSelect value={org} onChange={(v) => set('org', v)} allowClear={false} style={{ minWidth: 240 }} data-testid="assessment-filter-org" />
        <Select allowClear placeholder="全部年度" value={year} onChange={(v) => set('year', v)} style={{ width: 130 }} options={yearOptions()} />
      </Space>
      <ErrorAlert error={list.error} onRetry={list.reload} />
      {mobile ? (
        <div className="assess-cards" data-testid="assessment-list">
          {rows.length === 0 && !list.loading ? <Empty description="暂无考核" /> : null}
          {rows.map((r) => (
            <Card key={r.id} size="small" className="assess-card" onClick={() => open(r)} data-testid="assessment-row">
              <div className="assess-card-title">{r.title}</div>
              <Space size={4} wrap><SessionStatusTag status={r.status} /><Tag>{r.year}年度</Tag><span className="muted">{committee(r)} · {r.orgCount}个党组织</span></Space>
            </Card>
          ))}
        </div>
      ) : (
        <Card size="small">
          <Table<SessionSummary> size="small" rowKey="id" loading={list.loading} dataSource={rows} pagination={false} data-testid="assessment-list"
            locale={{ emptyText: '暂无考核' }}
            onRow={(r) => ({ 'data-testid': 'assessment-row', onClick: () => open(r), style: { cursor: 'pointer' } } as React.HTMLAttributes<HTMLElement>)}
            columns={[
              { title: '年度', dataIndex: 'year', width: 80 },
              { title: '考核名称', dataIndex: 'title' },
              { title: '组织考核的党组织', key: 'org', render: (_: unknown, r) => committee(r) },
              { title: '参加考核', dataIndex: 'orgCount', width: 100, render: (n: number) => `${n}个党组织` },
              { title: '状态', dataIndex: 'status', width: 90, render: (s: string) => <SessionStatusTag status={s} /> },
              { title: '完成时间', dataIndex: 'finishedAt', width: 170, render: (v: string | null) => (v ? formatTimestamp(v) : '—') },
            ]} />
        </Card>
      )}
    </div>
  );
}

export default AssessmentListPage;
