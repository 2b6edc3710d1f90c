import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { App, Button, Card, Col, Empty, Input, Pagination, Row, Select, Table, Tag, Tooltip, type TableProps } from 'antd';
import { CloseOutlined, KeyOutlined, PlusOutlined, SearchOutlined, StopOutlined, CheckCircleOutlined, UserAddOutlined, SafetyOutlined } from '@ant-design/icons';
import { api, errorMessage, request } from '../../api/client';
import { useAuth, useMe } from '../../auth/AuthContext';
import { ErrorAlert } from '../../components/ErrorAlert';
import { OrgTreeSelect } from '../../components/OrgTreeSelect';
import { PageHeader } from '../../components/PageHeader';
import { useIsMobile, useLoad, useTitle } from '../../lib/hooks';
import { roleLabel } from '../../lib/labels';
import { useOrgTree } from '../../lib/orgTree';
import { AddGrantDialog, CreateUserDialog, ResetPasswordDialog } from './UserDialogs';
import { GRANT_ROLES, ROLE_COLORS, type UserGrant, type UserItem } from './types';
import './users.css';

const PAGE_SIZE = 20;
const STATUS_OPTIONS = [
  { value: 'active', label: '正常' },
  { value: 'disabled', label: '已停用' },
];

/**
 * 账号与权限: the accounts holding a grant in the user's scope, with their roles; new account, add or
 * revoke a role, reset a password, disable or enable. Every change is audited on the server.
 */
export default function UsersPage() {
  useTitle('账号与权限');
  const me = useMe();
  const { can } = useAuth();
  const mobile = useIsMobile();
  const { modal, message } = App.useApp();
  const { tree } = useOrgTree();
  const list = useLoad((signal) => api.get<UserItem[]>('/api/users', undefined, signal), []);

  const [q, setQ] = useState('');
  const [role, setRole] = useState<string | undefined>();
  const [status, setStatus] = useState<string | undefined>();
  const [org, setOrg] = useState<number | null>(null);
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const [granting, setGranting] = useState<UserItem | null>(null);
  const [resetting, setResetting] = useState<UserItem | null>(null);

  const compact = (n: string) => (tree ? tree.compact(n) : n);
  const filtered = useMemo(() => {
    const term = q.trim().toLowerCase();
    const inOrg = org && tree ? tree.subtree(org) : null;
    return (list.data ?? []).filter((u) => {
      if (status === 'active' && u.disabled) return false;
      if (status === 'disabled' && !u.disabled) return false;
      if (role && !u.grants.some((g) => g.role === role)) return false;
      if (inOrg && !u.grants.some((g) => inOrg.has(g.orgId))) return false;
      if (term && !`${u.username}\n${u.displayName}\n${u.grants.map((g) => g.orgName).join('\n')}`.toLowerCase().includes(term)) return false;
      return true;
    });
  }, [list.data, q, role, status, org, tree]);
  const pageItems = filtered.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const filtering = !!(q.trim() || role || status || org);
  const total = list.data?.length ?? 0;
  const resetPage = <T,>(set: (v: T) => void) => (v: T) => {
    set(v);
    setPage(1);
  };

  const nameOf = (u: UserItem) => u.displayName || u.username;
  const isSelf = (u: UserItem) => u.id === me.userId;

  const revoke = (u: UserItem, g: UserGrant) => {
    const last = u.grants.length === 1;
    modal.confirm({
      title: `撤销“${nameOf(u)}”的${roleLabel(g.role)}角色？`,
      content: (
        <div>
          <p style={{ margin: '0 0 8px' }}>授权组织：{g.orgName}</p>
          {last ? (
            <p style={{ margin: 0, color: '#cf1322' }}>
              这是该账号在您管理范围内的唯一角色。撤销后它将不再出现在此列表中；如只是暂停使用，请改为“停用”。
            </p>
          ) : (
            <p style={{ margin: 0 }}>撤销后立即生效，该操作记入审计日志。</p>
          )}
        </div>
      ),
      okText: '撤销',
      okButtonProps: { danger: true, 'data-testid': 'grant-revoke-confirm' },
      cancelText: '取消',
      onOk: async () => {
        try {
          await request(`/api/grants/${g.id}`, { method: 'DELETE' });
          message.success('已撤销角色');
          list.reload();
        } catch (e) {
          message.error(errorMessage(e));
        }
      },
    });
  };

  const toggleDisabled = (u: UserItem) => {
    const disabling = !u.disabled;
    modal.confirm({
      title: disabling ? `停用账号“${nameOf(u)}”？` : `启用账号“${nameOf(u)}”？`,
      content: disabling
        ? '停用后该账号立即退出登录，且不能再登录；账号和角色保留，可随时重新启用。'
        : '启用后该账号可以用原密码登录。',
      okText: disabling ? '停用' : '启用',
      okButtonProps: { danger: disabling, 'data-testid': 'user-disable-confirm' },
      cancelText: '取消',
      onOk: async () => {
        try {
          await api.post(`/api/users/${u.id}/disable`, { disabled: disabling });
          message.success(disabling ? '已停用账号' : '已启用账号');
          list.reload();
        } catch (e) {
          message.error(errorMessage(e));
        }
      },
    });
  };

  const resetTotp = (u: UserItem) => {
    modal.confirm({
      title: `解除“${nameOf(u)}”的双因素认证？`,
      content: '仅在本人手机和恢复码均已丢失时使用。解除后该账号立即退出登录，下次登录只需密码；等保三级配置下，管理员须重新绑定动态验证码。此操作记入安全审计。',
      okText: '解除',
      okButtonProps: { danger: true, 'data-testid': 'user-totp-reset-confirm' },
      cancelText: '取消',
      onOk: async () => {
        try {
          await api.post(`/api/users/${u.id}/totp/reset`);
          message.success('已解除双因素认证');
          list.reload();
        } catch (e) {
          message.error(errorMessage(e));
        }
      },
    });
  };

  /** Why a grant cannot be revoked here (the server would refuse), or null. */
  const revokeBlock = (u: UserItem, g: UserGrant): string | null => {
    if (isSelf(u)) return '不能撤销自己的角色';
    if (g.role === 'sysAdmin' && !can('system.admin')) return '只有系统管理员可以撤销系统管理员角色';
    return null;
  };

  const grantList = (u: UserItem) => (
    <div className="user-grants" data-testid="user-grants">
      {u.grants.map((g) => {
        const block = revokeBlock(u, g);
        return (
          <div className="user-grant" key={g.id} data-testid="user-grant" data-role={g.role}>
            <div className="user-grant-body">
              <Tag color={ROLE_COLORS[g.role] ?? 'default'} className="user-grant-role">{roleLabel(g.role)}</Tag>
              <span className="user-grant-org" title={g.orgName}>{compact(g.orgName)}</span>
              {g.canViewPersonalData ? (
                <Tooltip title="可查看完整的公民身份号码和手机号码（每次查看记入审计日志）">
                  <Tag className="user-grant-pd">可看个人信息</Tag>
                </Tooltip>
              ) : null}
            </div>
            <Tooltip title={block ?? '撤销此角色'}>
              <Button
                type="text"
                size="small"
                className="user-grant-revoke"
                icon={<CloseOutlined />}
                aria-label={`撤销${roleLabel(g.role)}角色`}
                disabled={!!block}
                onClick={() => revoke(u, g)}
                data-testid="grant-revoke"
              />
            </Tooltip>
          </div>
        );
      })}
    </div>
  );

  const accountCell = (u: UserItem) => (
    <div className="user-account">
      <div className="user-name">
        <span className={u.disabled ? 'user-name-text user-disabled' : 'user-name-text'}>{nameOf(u)}</span>
        {isSelf(u) ? <Tag color="blue">本人</Tag> : null}
        {u.disabled ? <Tag color="default" data-testid="user-disabled-tag">已停用</Tag> : null}
        {u.totpEnabled ? <Tag color="green">双因素</Tag> : null}
      </div>
      <div className="muted user-username">
        <span className="mono">{u.username}</span>
        {u.personId ? (
          <>
            {' · '}
            <Link to={`/members/${u.personId}`}>党员记录</Link>
          </>
        ) : null}
      </div>
    </div>
  );

  const actions = (u: UserItem) => (
    <div className="user-actions">
      <Button size="small" icon={<PlusOutlined />} onClick={() => setGranting(u)} data-testid="grant-add">添加角色</Button>
      <Button size="small" icon={<KeyOutlined />} onClick={() => setResetting(u)} data-testid="user-reset-password">重置密码</Button>
      {u.totpEnabled && !isSelf(u) ? (
        <Button size="small" icon={<SafetyOutlined />} onClick={() => resetTotp(u)} data-testid="user-totp-reset">解除双因素</Button>
      ) : null}
      <Tooltip title={isSelf(u) ? '不能停用自己的账号' : undefined}>
        <Button
          size="small"
          icon={u.disabled ? <CheckCircleOutlined /> : <StopOutlined />}
          disabled={isSelf(u)}
          onClick={() => toggleDisabled(u)}
          data-testid="user-disable"
        >
          {u.disabled ? '启用' : '停用'}
        </Button>
      </Tooltip>
    </div>
  );

  const columns: TableProps<UserItem>['columns'] = [
    { title: '账号', key: 'account', width: 220, render: (_: unknown, u) => accountCell(u) },
    { title: '角色与授权组织', key: 'grants', render: (_: unknown, u) => grantList(u) },
    { title: '操作', key: 'op', width: 290, render: (_: unknown, u) => actions(u) },
  ];
  const empty = (
    <Empty
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={filtering ? '没有符合条件的账号' : '管理范围内还没有账号'}
    />
  );

  return (
    <div className="page">
      <PageHeader
        title="账号与权限"
        subtitle={list.data ? `管理范围内共 ${total} 个账号${filtering ? `，符合条件 ${filtered.length} 个` : ''}。角色在授权组织及其全部下级组织内有效。` : ' '}
        extra={
          <Button type="primary" icon={<UserAddOutlined />} onClick={() => setCreating(true)} data-testid="user-create">
            新建账号
          </Button>
        }
      />
      <Card className="section-card">
        <Row gutter={[12, 12]}>
          <Col xs={24} md={12} lg={7}>
            <Input
              allowClear
              prefix={<SearchOutlined className="muted" />}
              placeholder="搜索用户名、姓名或组织"
              value={q}
              onChange={(e) => resetPage(setQ)(e.target.value)}
              data-testid="users-search"
            />
          </Col>
          <Col xs={24} md={12} lg={7}>
            <OrgTreeSelect value={org} onChange={resetPage(setOrg)} placeholder="全部组织" data-testid="users-filter-org" />
          </Col>
          <Col xs={12} md={6} lg={5}>
            <Select
              allowClear
              placeholder="全部角色"
              value={role}
              onChange={resetPage(setRole)}
              options={GRANT_ROLES.map((r) => ({ value: r.key, label: r.label }))}
              style={{ width: '100%' }}
              data-testid="users-filter-role"
            />
          </Col>
          <Col xs={12} md={6} lg={5}>
            <Select
              allowClear
              placeholder="全部状态"
              value={status}
              onChange={resetPage(setStatus)}
              options={STATUS_OPTIONS}
              style={{ width: '100%' }}
              data-testid="users-filter-status"
            />
          </Col>
        </Row>
      </Card>
      <ErrorAlert error={list.error} onRetry={list.reload} />
      <Card className="section-card" styles={{ body: mobile ? { padding: 0 } : undefined }}>
        {mobile ? (
          pageItems.length === 0 ? (
            <div className="user-cards-empty">{list.loading ? null : empty}</div>
          ) : (
            <div className="user-cards" data-testid="users-cards">
              {pageItems.map((u) => (
                <div className="user-card" key={u.id} data-testid="user-card" data-username={u.username}>
                  {accountCell(u)}
                  {grantList(u)}
                  {actions(u)}
                </div>
              ))}
            </div>
          )
        ) : (
          <Table<UserItem>
            data-testid="users-table"
            rowKey="id"
            size="middle"
            loading={list.loading}
            columns={columns}
            dataSource={pageItems}
            pagination={false}
            scroll={{ x: 860 }}
            locale={{ emptyText: empty }}
            onRow={(u) => ({ 'data-testid': 'user-row', 'data-username': u.username, className: u.disabled ? 'user-row-disabled' : undefined } as React.HTMLAttributes<HTMLElement>)}
          />
        )}
        {filtered.length > PAGE_SIZE ? (
          <Pagination
            className="list-pagination users-pagination"
            current={page}
            pageSize={PAGE_SIZE}
            total={filtered.length}
            onChange={setPage}
            showSizeChanger={false}
            simple={mobile ? { readOnly: false } : undefined}
            showTotal={mobile ? undefined : (t) => `共 ${t} 个账号`}
            data-testid="users-pagination"
          />
        ) : null}
      </Card>
      <CreateUserDialog
        open={creating}
        compact={compact}
        onClose={() => setCreating(false)}
        onDone={() => { setCreating(false); list.reload(); }}
      />
      <AddGrantDialog user={granting} onClose={() => setGranting(null)} onDone={() => { setGranting(null); list.reload(); }} />
      <ResetPasswordDialog user={resetting} onClose={() => setResetting(null)} onDone={() => setResetting(null)} />
    </div>
  );
}
