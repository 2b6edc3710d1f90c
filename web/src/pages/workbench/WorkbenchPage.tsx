import { Link, useSearchParams } from 'react-router';
import { Breadcrumb, Button, Card, Skeleton } from 'antd';
import { IdcardOutlined, LockOutlined } from '@ant-design/icons';
import { api } from '../../api/client';
import type { FindingSummaryRow } from '../../api/types';
import { useAuth, useMe } from '../../auth/AuthContext';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useIsMobile, useLoad, useTitle } from '../../lib/hooks';
import { SEVERITIES } from '../../lib/labels';
import { useOrgTree } from '../../lib/orgTree';
import { FindingsList } from './FindingsList';
import { FindingsSummary } from './FindingsSummary';

/**
 * 工作台. Users with a scope see the open-finding counts of their child orgs (click to drill down,
 * `/?org=ID`) and the findings of the current org; a member sees the items addressed to them.
 */
export function WorkbenchPage() {
  useTitle('工作台');
  const me = useMe();
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const org = Number(params.get('org')) || undefined;
  const scoped = can('findings.read');
  const { tree } = useOrgTree(can('orgs.read'));
  const summary = useLoad((signal) => api.get<FindingSummaryRow[]>('/api/findings/summary', { org }, signal), [org], scoped);

  const open = (id: number) => setParams({ org: String(id) });
  const roots = summary.data?.filter((r) => r.isRoot) ?? [];
  const children = summary.data?.filter((r) => !r.isRoot) ?? [];
  const compact = (name: string) => (tree ? tree.compact(name) : name);
  const currentName = roots.length === 1 ? roots[0]!.name : me.grants.map((g) => g.orgName).join('、');

  // The path from the user's scope root down to the drilled-down org, for the breadcrumb.
  const trail: { id: number; name: string }[] = [];
  if (org && tree) {
    const scopeRootIds = new Set(me.grants.map((g) => g.orgId));
    let n = tree.byId.get(org);
    while (n) {
      trail.unshift({ id: n.id, name: tree.short(n.id) });
      if (scopeRootIds.has(n.id)) break;
      n = n.parentId !== null ? tree.byId.get(n.parentId) : undefined;
    }
  }

  return (
    <div className="page">
      <PageHeader
        title={scoped ? '工作台' : '我的待办'}
        subtitle={
          <>
            您好，{me.displayName || me.username}
            {currentName ? <span className="muted">　{currentName}</span> : null}
          </>
        }
      />
      {org ? (
        <Breadcrumb
          className="drill-breadcrumb"
          items={[
            { title: <a onClick={() => setParams({})}>全部</a> },
            ...trail.map((t, i) => ({ title: i === trail.length - 1 ? t.name : <a onClick={() => open(t.id)}>{t.name}</a> })),
          ]}
        />
      ) : null}
      {scoped ? (
        <>
          <ErrorAlert error={summary.error} onRetry={summary.reload} />
          {summary.data ? <SeverityCards rows={roots} /> : <Skeleton active paragraph={{ rows: 1 }} />}
          {children.length > 0 ? (
            <Card title="下级组织预警" className="section-card" extra={<span className="muted">点击组织查看其预警</span>}>
              <FindingsSummary rows={summary.data ?? []} onOpen={open} compact={compact} />
            </Card>
          ) : null}
        </>
      ) : null}
      <Card title={scoped ? (org ? '本组织及下级待办与预警' : '待办与预警') : '需要我处理的事项'} className="section-card">
        <FindingsList org={org} canDismiss={can('findings.dismiss')} onChanged={summary.reload} compact={compact} />
      </Card>
      {!scoped ? (
        <Card title="常用功能" className="section-card">
          <div className="card-actions">
            {me.personId ? <Link to="/profile"><Button icon={<IdcardOutlined />}>我的党员信息</Button></Link> : null}
            <Link to="/profile"><Button icon={<LockOutlined />}>修改密码</Button></Link>
          </div>
        </Card>
      ) : null}
    </div>
  );
}

function SeverityCards({ rows }: { rows: FindingSummaryRow[] }) {
  const mobile = useIsMobile();
  const sum = (k: string) => rows.reduce((a, r) => a + (r.counts[k as keyof typeof r.counts] ?? 0), 0);
  return (
    <div className="stat-grid severity-strip" data-testid="severity-cards">
      {SEVERITIES.map((s) => (
        <div className={`stat-card sev-${s.key}`} key={s.key}>
          <div className="stat-card-label" title={s.label}>{mobile ? s.short : s.label}</div>
          <div className="stat-card-value">{sum(s.key)}</div>
        </div>
      ))}
    </div>
  );
}
