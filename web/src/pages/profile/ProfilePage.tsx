import { useState } from 'react';
import { App, Button, Card, Descriptions, Form, Input, Skeleton, Tag } from 'antd';
import { api } from '../../api/client';
import type { MemberDetail } from '../../api/types';
import { useMe } from '../../auth/AuthContext';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { applyServerErrors } from '../../lib/forms';
import { useLoad, useTitle } from '../../lib/hooks';
import { roleLabel } from '../../lib/labels';
import { MemberRecord } from '../members/MemberRecord';

/** 我的信息: the account and its roles, password change, and for a linked member their own record. */
export default function ProfilePage() {
  useTitle('我的信息');
  const me = useMe();
  const own = useLoad((signal) => api.get<{ person: MemberDetail | null }>('/api/me', undefined, signal), [me.personId], !!me.personId);

  return (
    <div className="page page-narrow">
      <PageHeader title="我的信息" subtitle={me.displayName || me.username} />
      <Card className="section-card" title="账户" size="small">
        <Descriptions
          column={{ xs: 1, sm: 2 }}
          size="small"
          items={[
            { key: 'u', label: '用户名', children: me.username },
            { key: 'n', label: '显示名称', children: me.displayName || '—' },
            {
              key: 'g',
              label: '权限',
              span: 'filled',
              children: (
                <div className="grant-list" data-testid="profile-grants">
                  {me.grants.length === 0 ? '—' : null}
                  {me.grants.map((g) => (
                    <div key={`${g.orgId}-${g.role}`}>
                      <Tag color="red">{roleLabel(g.role)}</Tag>
                      <span>{g.orgName}</span>
                      {g.canViewPersonalData ? <Tag className="grant-pd">可查看个人信息</Tag> : null}
                    </div>
                  ))}
                </div>
              ),
            },
          ]}
        />
      </Card>
      <PasswordCard />
      {me.personId ? (
        <>
          <h2 className="section-heading">我的党员信息</h2>
          <ErrorAlert error={own.error} onRetry={own.reload} />
          {own.data?.person ? (
            <MemberRecord m={own.data.person} writable={false} onChanged={own.reload} compact={(n) => n} />
          ) : own.loading ? (
            <Card><Skeleton active /></Card>
          ) : null}
        </>
      ) : null}
    </div>
  );
}

function PasswordCard() {
  const [form] = Form.useForm<{ oldPassword: string; newPassword: string; confirm: string }>();
  const [busy, setBusy] = useState(false);
  const { message } = App.useApp();
  const submit = async (v: { oldPassword: string; newPassword: string }) => {
    setBusy(true);
    try {
      await api.post('/api/auth/password', { oldPassword: v.oldPassword, newPassword: v.newPassword });
      message.success('密码已修改，下次登录请使用新密码');
      form.resetFields();
    } catch (e) {
      const rest = applyServerErrors(form, e);
      if (rest) message.error(rest);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card className="section-card" title="修改密码" size="small">
      <Form form={form} layout="vertical" onFinish={submit} className="password-form" data-testid="password-form" requiredMark={false}>
        <Form.Item name="oldPassword" label="原密码" rules={[{ required: true, message: '请输入原密码' }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label="新密码"
          extra="至少 8 位，须同时包含字母和数字。"
          rules={[
            { required: true, message: '请输入新密码' },
            { min: 8, message: '密码至少 8 位' },
            { pattern: /^(?=.*[A-Za-z])(?=.*\d)/, message: '密码须同时包含字母和数字' },
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label="确认新密码"
          dependencies={['newPassword']}
          rules={[
            { required: true, message: '请再次输入新密码' },
            ({ getFieldValue }) => ({
              validator: (_, v) => (!v || v === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error('两次输入的新密码不一致'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="password-submit">修改密码</Button>
      </Form>
    </Card>
  );
}
