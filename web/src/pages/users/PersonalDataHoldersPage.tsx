import { App, Button, Card, Table, Tag, type TableProps } from 'antd';
import { api, errorMessage } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatTimestamp } from '../../lib/format';
import { useLoad, useTitle } from '../../lib/hooks';
import { roleLabel } from '../../lib/labels';
import { ROLE_COLORS, type PersonalDataHolder } from './types';

/**
 * 谁可以查看个人信息: the accounts in the caller's scope whose grant carries the right to see full ID
 * numbers, mobiles and addresses, with who granted it and when (from the audit log). A holder of
 * `personalData.grant` may take the right back here; the server refuses it on one's own grant.
 */
export default function PersonalDataHoldersPage() {
  useTitle('谁可以查看个人信息');
  const { can } = useAuth();
  const { modal, message } = App.useApp();
  const list = useLoad((signal) => api.get<PersonalDataHolder[]>('/api/personal-data/holders', undefined, signal), []);
  const mayRevoke = can('personalData.grant');

  const revoke = (h: PersonalDataHolder) =>
    modal.confirm({
      title: `收回“${h.displayName}”查看个人信息的权限？`,
      content: `收回后，该账号在“${h.orgName}”只能看到打码的身份证号和手机号。此操作留痕。`,
      okText: '收回', cancelText: '取消', okButtonProps: { danger: true },
      onOk: async () => {
        try {
          await api.put(`/api/grants/${h.grantId}/personal-data`, { canViewPersonalData: false });
          message.success('已收回');
          list.reload();
        } catch (e) {
          message.error(errorMessage(e));
        }
      },
    });

  const columns: TableProps<PersonalDataHolder>['columns'] = [
    { title: '账号', key: 'user', render: (_, h) => <span>{h.displayName}（{h.username}）{h.disabled ? <Tag style={{ marginLeft: 8 }}>已停用</Tag> : null}</span> },
    { title: '组织', dataIndex: 'orgName' },
    { title: '角色', dataIndex: 'role', render: (r: PersonalDataHolder['role']) => <Tag color={ROLE_COLORS[r]}>{roleLabel(r)}</Tag> },
    { title: '授予人', key: 'by', render: (_, h) => h.grantedByName ?? (h.grantedBy ? h.grantedBy : '初始数据') },
    { title: '授予时间', dataIndex: 'grantedAt', render: (v: string | null) => (v ? formatTimestamp(v) : '—') },
    ...(mayRevoke ? [{ title: '操作', key: 'op', render: (_: unknown, h: PersonalDataHolder) => <Button size="small" danger onClick={() => revoke(h)}>收回</Button> }] : []),
  ];

  return (
    <div className="page">
      <PageHeader title="谁可以查看个人信息" subtitle="管理范围内可以查看完整身份证号、手机号和住址的账号；授予和收回均记入审计日志。" />
      <ErrorAlert error={list.error} onRetry={list.reload} />
      <Card>
        <Table rowKey="grantId" columns={columns} dataSource={list.data ?? []} loading={list.loading} pagination={false}
          locale={{ emptyText: '管理范围内没有账号持有查看个人信息的权限' }} />
      </Card>
    </div>
  );
}
