import { useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { Alert, Button, Form, Input } from 'antd';
import { LockOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { useAuth } from '../auth/AuthContext';
import { ApiError, errorMessage } from '../api/client';
import { useTitle } from '../lib/hooks';

/**
 * 登录: username or mobile + password; an account with two factors is then asked for the dynamic code
 * (or a recovery code). Lockout and throttle messages come from the server as they are.
 */
export function LoginPage() {
  useTitle('登录');
  const { me, login } = useAuth();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [needCode, setNeedCode] = useState(false);
  const next = safeNext(params.get('next'));
  if (me) return <Navigate to={me.totpEnrolRequired ? '/profile' : next} replace />;

  const onFinish = async (v: { username: string; password: string; code?: string }) => {
    setBusy(true);
    setError('');
    try {
      const fresh = await login(v.username.trim(), v.password, needCode ? v.code?.trim() : undefined);
      navigate(fresh?.totpEnrolRequired ? '/profile' : next, { replace: true });
    } catch (e) {
      if (e instanceof ApiError && e.body.totpRequired && !needCode) {
        setNeedCode(true);
        return;
      }
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login-page">
      <div className="login-card">
        <div className="login-brand">
          <span className="brand-mark brand-mark-lg" aria-hidden>支</span>
          <div>
            <h1 className="login-title">支部</h1>
            <div className="login-sub">基层党建工作平台</div>
          </div>
        </div>
        <Form layout="vertical" onFinish={onFinish} requiredMark={false} size="large" data-testid="login-form" onValuesChange={() => error && setError('')}>
          <Form.Item label="用户名或手机号" name="username" rules={[{ required: true, whitespace: true, message: '请输入用户名或手机号' }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" placeholder="用户名或手机号" data-testid="login-username" />
          </Form.Item>
          <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" placeholder="密码" data-testid="login-password" />
          </Form.Item>
          {needCode ? (
            <Form.Item label="动态验证码" name="code" extra="请输入身份验证器应用中的 6 位数字，或一个恢复码" rules={[{ required: true, whitespace: true, message: '请输入动态验证码' }]}>
              <Input prefix={<SafetyOutlined />} autoComplete="one-time-code" inputMode="text" placeholder="6 位数字或恢复码" autoFocus data-testid="login-code" />
            </Form.Item>
          ) : null}
          {error ? <Alert type="error" showIcon title={error} className="login-error" data-testid="login-error" /> : null}
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
            登录
          </Button>
        </Form>
        <div className="login-foot">连续输错密码将暂时锁定账户。忘记密码请联系上级组织管理员重置。</div>
      </div>
    </div>
  );
}

/** Only same-site paths after login (no open redirect). */
function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/login')) return '/';
  return next;
}
