import { useState } from 'react';
import { Link } from 'react-router';
import { Button, Card, Descriptions, Dropdown, Empty, Skeleton, Table, Tag } from 'antd';
import { DeleteOutlined, DragOutlined, EditOutlined, MoreOutlined, PlusOutlined, TeamOutlined } from '@ant-design/icons';
import { api } from '../../api/client';
import type { OrgDetail } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useIsMobile, useLoad } from '../../lib/hooks';
import { dash } from '../../lib/format';
import { orgKindLabel, postLabel, unitTypeLabel } from '../../lib/labels';
import type { OrgTree } from '../../lib/orgTree';
import { OrgFormDialog } from './OrgFormDialog';
import { OrgDissolveDialog, OrgMoveDialog } from './OrgMoveDissolve';

type Dialog = 'create' | 'edit' | 'move' | 'dissolve' | null;

/** The selected org: attributes, approver, committee posts, member counts, open findings, and (orgs.write) actions. */
export function OrgDetailPanel({ id, tree, onChanged }: { id: number; tree: OrgTree; onChanged: (goTo?: number) => void }) {
  const { can } = useAuth();
  const mobile = useIsMobile();
  const [dialog, setDialog] = useState<Dialog>(null);
  const detail = useLoad((signal) => api.get<OrgDetail>(`/api/orgs/${id}`, undefined, signal), [id]);
  const o = detail.data;
  const writable = can('orgs.write');
  const isScopeRoot = tree.roots.some((r) => r.id === id);

  if (detail.error) return <ErrorAlert error={detail.error} onRetry={detail.reload} />;
  if (!o || o.id !== id) return <Card><Skeleton active paragraph={{ rows: 8 }} /></Card>;

  const done = (goTo?: number) => {
    setDialog(null);
    detail.reload();
    onChanged(goTo);
  };
  const more = [
    { key: 'move', icon: <DragOutlined />, label: '移动', disabled: isScopeRoot },
    { key: 'dissolve', icon: <DeleteOutlined />, label: '撤销', danger: true, disabled: isScopeRoot },
  ];
  const actions = writable ? (
    <div className="card-actions">
      <Button icon={<PlusOutlined />} onClick={() => setDialog('create')} data-testid="org-create" disabled={o.kind === 'partyGroup'}>
        新建下级组织
      </Button>
      <Button icon={<EditOutlined />} onClick={() => setDialog('edit')} data-testid="org-edit">编辑</Button>
      {mobile ? (
        <Dropdown menu={{ items: more, onClick: ({ key }) => setDialog(key as Dialog) }} trigger={['click']}>
          <Button icon={<MoreOutlined />} aria-label="更多操作" data-testid="org-more" />
        </Dropdown>
      ) : (
        <>
          <Button icon={<DragOutlined />} onClick={() => setDialog('move')} disabled={isScopeRoot} data-testid="org-move">移动</Button>
          <Button danger icon={<DeleteOutlined />} onClick={() => setDialog('dissolve')} disabled={isScopeRoot} data-testid="org-dissolve">撤销</Button>
        </>
      )}
    </div>
  ) : null;

  const approverText = o.approvesMembers ? '本组织具有审批权' : o.approver ? `由 ${o.approver.name} 审批` : '未设置';
  return (
    <>
      <Card className="section-card org-detail" data-testid="org-detail">
        <div className="org-detail-head">
          <div className="org-detail-title">
            <h2>{o.name}</h2>
            <div className="org-detail-tags">
              <Tag color="red">{orgKindLabel(o.kind)}</Tag>
              {o.unitType ? <Tag>{unitTypeLabel(o.unitType)}</Tag> : null}
              {o.tags.map((t) => <Tag key={t} color="gold">{t}</Tag>)}
            </div>
          </div>
          {actions}
        </div>
        <div className="stat-grid org-stats">
          <div className="stat-card"><div className="stat-card-label">党员合计</div><div className="stat-card-value">{o.fullMembers + o.probationaryMembers}</div></div>
          <div className="stat-card"><div className="stat-card-label">正式党员</div><div className="stat-card-value">{o.fullMembers}</div></div>
          <div className="stat-card"><div className="stat-card-label">预备党员</div><div className="stat-card-value">{o.probationaryMembers}</div></div>
          <Link to={`/?org=${o.id}`} className={`stat-card stat-card-link${o.openFindings ? ' sev-overdue' : ''}`}>
            <div className="stat-card-label">待处理预警</div>
            <div className="stat-card-value">{o.openFindings}</div>
          </Link>
        </div>
        <Descriptions
          column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 3 }}
          size="small"
          className="org-desc"
          items={[
            { key: 'code', label: '组织编码', children: o.code },
            { key: 'parent', label: '上级组织', children: o.parentName ? <Link to={`/orgs/${o.parentId}`}>{o.parentName}</Link> : '—' },
            { key: 'est', label: '成立日期', children: dash(o.establishedOn) },
            { key: 'term', label: '本届任期', children: o.termStart || o.termEnd ? `${o.termStart ?? '—'} 至 ${o.termEnd ?? '—'}` : '—' },
            { key: 'approver', label: '发展党员审批', children: approverText },
            { key: 'addr', label: '地址', children: dash(o.address) },
          ]}
        />
        <div className="org-detail-links">
          <Link to={`/members?org=${o.id}`}><TeamOutlined /> 查看本组织及下级党员</Link>
        </div>
      </Card>
      <Card className="section-card" title="支部委员会（现任职务）" size="small">
        {o.committee.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无在任委员" />
        ) : (
          <Table
            size="small"
            rowKey={(r) => `${r.post}-${r.personId}`}
            pagination={false}
            dataSource={o.committee}
            scroll={{ x: 'max-content' }}
            columns={[
              { title: '职务', dataIndex: 'post', render: (p: string) => postLabel(p) },
              { title: '姓名', dataIndex: 'name', render: (n: string, r) => <Link to={`/members/${r.personId}`}>{n}</Link> },
              { title: '任职日期', dataIndex: 'validFrom' },
            ]}
          />
        )}
      </Card>
      <OrgFormDialog mode="create" open={dialog === 'create'} parentId={o.id} parentKind={o.kind} onClose={() => setDialog(null)} onSaved={(newId) => done(newId)} />
      <OrgFormDialog mode="edit" open={dialog === 'edit'} org={o} onClose={() => setDialog(null)} onSaved={() => done()} />
      <OrgMoveDialog open={dialog === 'move'} org={o} tree={tree} onClose={() => setDialog(null)} onDone={() => done(o.id)} />
      <OrgDissolveDialog open={dialog === 'dissolve'} org={o} onClose={() => setDialog(null)} onDone={() => done(o.parentId ?? undefined)} />
    </>
  );
}
