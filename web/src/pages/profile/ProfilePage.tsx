import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Form, Input, Skeleton, Space, Tag, Typography } from 'antd';
import { api } from '../../api/client';
import type { MemberDetail, TotpSetup, TotpStatus } from '../../api/types';
import { useAuth, useMe } from '../../auth/AuthContext';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { applyServerErrors } from '../../lib/forms';
import { useLoad, useTitle } from '../../lib/hooks';
import { roleLabel } from '../../lib/labels';
import { MemberRecord } from '../members/MemberRecord';

/** 我的信息: the account and its roles, two-factor enrolment, password change, and for a linked member their own record. */
export default function ProfilePage() {
  useTitle('我的信息');
  const me = useMe();
  const own = useLoad((signal) => api.get<{ person: MemberDetail | null }>('/api/me', undefined, signal), [me.personId], !!me.personId && !me.totpEnrolRequired);

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
      <TotpCard />
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

/** 双因素认证: enrol a TOTP authenticator (secret as text and QR code), confirm with a code, keep the recovery codes. */
function TotpCard() {
  const me = useMe();
  const { refresh } = useAuth();
  const status = useLoad((signal) => api.get<TotpStatus>('/api/auth/totp', undefined, signal), []);
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ code: string }>();
  const { message } = App.useApp();
  const begin = async () => {
    setBusy(true);
    try {
      setSetup(await api.post<TotpSetup>('/api/auth/totp/setup'));
    } catch (e) {
      const rest = applyServerErrors(form, e);
      if (rest) message.error(rest);
    } finally {
      setBusy(false);
    }
  };
  const confirm = async (v: { code: string }) => {
    setBusy(true);
    try {
      const r = await api.post<{ recoveryCodes: string[] }>('/api/auth/totp/confirm', { code: v.code.trim() });
      setCodes(r.recoveryCodes);
      setSetup(null);
      message.success('双因素认证已启用');
      status.reload();
      if (me.totpEnrolRequired) await refresh();
    } catch (e) {
      const rest = applyServerErrors(form, e);
      if (rest) message.error(rest);
    } finally {
      setBusy(false);
    }
  };
  const enabled = status.data?.enabled;
  return (
    <Card className="section-card" title="双因素认证" size="small" data-testid="totp-card">
      {me.totpEnrolRequired ? <Alert type="warning" showIcon title="按本单位安全配置（等保三级），管理员须先绑定双因素认证，完成后才能使用其他功能。" style={{ marginBottom: 12 }} /> : null}
      <ErrorAlert error={status.error} onRetry={status.reload} />
      {codes ? (
        <Alert
          type="success"
          showIcon
          title="请立即抄写或打印以下恢复码并妥善保管。手机丢失时，每个恢复码可代替动态验证码登录一次；本页关闭后不再显示。"
          description={<div className="recovery-codes" data-testid="totp-recovery">{codes.map((c) => <Typography.Text code key={c}>{c}</Typography.Text>)}</div>}
          style={{ marginBottom: 12 }}
        />
      ) : null}
      {enabled ? (
        <div data-testid="totp-enabled">已启用（剩余恢复码 {status.data?.recoveryCodesLeft} 个）。登录时需输入身份验证器中的动态验证码。</div>
      ) : setup ? (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <div>用身份验证器应用（如微信小程序“腾讯身份验证器”、Google Authenticator、Microsoft Authenticator）扫描二维码，或手动输入密钥：</div>
          <img src={setup.qrDataUrl} alt="双因素认证二维码" width={180} height={180} data-testid="totp-qr" />
          <Typography.Text copyable code data-testid="totp-secret">{setup.secret}</Typography.Text>
          <Form form={form} layout="inline" onFinish={confirm} requiredMark={false}>
            <Form.Item name="code" label="动态验证码" rules={[{ required: true, whitespace: true, message: '请输入 6 位动态验证码' }]}>
              <Input autoComplete="one-time-code" inputMode="numeric" maxLength={6} style={{ width: 140 }} data-testid="totp-code" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy} data-testid="totp-confirm">确认绑定</Button>
          </Form>
        </Space>
      ) : status.data ? (
        <Space orientation="vertical">
          <div>{status.data.required ? '按安全配置，您的账户必须使用双因素认证。' : '可选：启用后，登录时除密码外还需输入手机上的动态验证码。'}</div>
          <Button onClick={begin} loading={busy} data-testid="totp-begin">绑定双因素认证</Button>
        </Space>
      ) : null}
    </Card>
  );
}
