import { useEffect, useState } from 'react';
import { Alert, App, Col, Form, Input, Modal, Row, Select, Switch } from 'antd';
import { api } from '../../api/client';
import type { MemberDetail, MemberListItem } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { OrgTreeSelect } from '../../components/OrgTreeSelect';
import { applyServerErrors } from '../../lib/forms';
import { roleLabel } from '../../lib/labels';
import { MemberPicker } from './MemberPicker';
import {
  GRANT_ROLES, PASSWORD_HINT, PASSWORD_NOTE, PASSWORD_RULES, ROLE_HINTS,
  type GrantRole, type UserCreateInput, type UserItem,
} from './types';

/** Roles the actor may grant: the administrator roles only by a sysAdmin (server: checkGrant). */
const ADMIN_ROLES: GrantRole[] = ['sysAdmin', 'securityAdmin', 'auditAdmin'];
function useRoleOptions(disableMember = false) {
  const { can } = useAuth();
  return GRANT_ROLES.filter((r) => !ADMIN_ROLES.includes(r.key) || can('system.admin')).map((r) => ({
    value: r.key,
    label: r.label,
    disabled: disableMember && r.key === 'member',
  }));
}

/** canViewPersonalData only matters for roles that can read member lists. */
const PD_ROLES: GrantRole[] = ['sysAdmin', 'orgAdmin', 'partyWorker', 'registryClerk'];
const showsPd = (r: GrantRole | undefined) => !!r && PD_ROLES.includes(r);

/** Shown only to a holder of personalData.grant: the server refuses the right from anyone else. */
function PersonalDataSwitch({ testId }: { testId: string }) {
  const { can } = useAuth();
  if (!can('personalData.grant')) return null;
  return (
    <Form.Item
      name="canViewPersonalData"
      label="可查看完整个人信息"
      valuePropName="checked"
      extra="允许查看完整的公民身份号码和手机号码；每次查看都记入审计日志。"
    >
      <Switch checkedChildren="允许" unCheckedChildren="不允许" data-testid={testId} />
    </Form.Item>
  );
}

interface CreateValues {
  role: GrantRole;
  personId?: number | null;
  orgId?: number | null;
  canViewPersonalData: boolean;
  username: string;
  displayName: string;
  password: string;
  confirm: string;
  mobile?: string;
}

/** 新建账号: the account and its first grant in one request (POST /api/users). */
export function CreateUserDialog({ open, compact, onClose, onDone }: { open: boolean; compact: (n: string) => string; onClose: () => void; onDone: () => void }) {
  const [form] = Form.useForm<CreateValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const { message } = App.useApp();
  const roleOptions = useRoleOptions();
  const role = Form.useWatch('role', form);
  const isMember = role === 'member';

  const [person, setPerson] = useState<MemberListItem | null>(null);
  const onPick = (m: MemberListItem | null) => {
    setPerson(m);
    if (!m) return;
    // A member's grant sits at the org holding their membership; the name prefills the display name.
    if (isMember) form.setFieldValue('orgId', m.orgId);
    if (!form.getFieldValue('displayName')) form.setFieldValue('displayName', m.name);
    form.validateFields(['orgId', 'displayName']).catch(() => undefined);
  };

  const submit = async () => {
    setError('');
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const body: UserCreateInput = {
      username: v.username.trim(),
      displayName: v.displayName.trim(),
      password: v.password,
      ...(v.mobile?.trim() ? { mobile: v.mobile.trim() } : {}),
      ...(v.personId ? { personId: v.personId } : {}),
      grant: { orgId: v.orgId!, role: v.role, canViewPersonalData: showsPd(v.role) ? !!v.canViewPersonalData : false },
    };
    setBusy(true);
    try {
      await api.post('/api/users', body);
      message.success(`已新建账号“${body.username}”，操作已记入审计日志`);
      setPerson(null);
      form.resetFields();
      onDone();
    } catch (e) {
      setError(applyServerErrors(form, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title="新建账号"
      okText="新建"
      cancelText="取消"
      onOk={submit}
      onCancel={() => { setError(''); setPerson(null); form.resetFields(); onClose(); }}
      confirmLoading={busy}
      width={680}
      forceRender
      okButtonProps={{ 'data-testid': 'user-create-submit' }}
    >
      <Form
        form={form}
        name="user-create"
        layout="vertical"
        className="dialog-form user-form"
        initialValues={{ role: 'partyWorker', canViewPersonalData: false }}
        data-testid="user-create-form"
      >
        <div className="form-section-title">授予角色</div>
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item name="role" label="角色" rules={[{ required: true, message: '请选择角色' }]} extra={role ? ROLE_HINTS[role] : undefined}>
              <Select
                options={roleOptions}
                data-testid="user-role"
                onChange={(r: GrantRole) => {
                  form.setFields([{ name: 'personId', errors: [] }, { name: 'orgId', errors: [] }]);
                  if (r === 'member' && person) form.setFieldValue('orgId', person.orgId);
                }}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="personId"
              label={isMember ? '党员本人' : '关联党员记录'}
              rules={isMember ? [{ required: true, message: '党员角色须关联本人的党员记录' }] : []}
              extra={isMember ? '选择后自动填入其所在党组织。' : '可不填；关联后本人可在“我的信息”查看自己的党员信息。'}
            >
              <MemberPicker compact={compact} onPick={onPick} data-testid="user-person" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={showsPd(role) ? 12 : 24}>
            <Form.Item
              name="orgId"
              label="授权组织"
              rules={[{ required: true, message: '请选择授权组织' }]}
              extra={isMember ? '应为该党员组织关系所在的党组织。' : '角色在该组织及其全部下级组织内有效。'}
            >
              <OrgTreeSelect allowClear={false} data-testid="user-org" />
            </Form.Item>
          </Col>
          {showsPd(role) ? (
            <Col xs={24} sm={12}>
              <PersonalDataSwitch testId="user-personal-data" />
            </Col>
          ) : null}
        </Row>
        <div className="form-section-title">账号信息</div>
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item
              name="username"
              label="用户名"
              rules={[
                { required: true, message: '请填写用户名' },
                { pattern: /^\s*[A-Za-z0-9_.-]{3,40}\s*$/, message: '用户名为 3–40 位字母、数字、下划线、点或短横线' },
              ]}
              extra="登录时使用，建立后不能修改。"
            >
              <Input autoComplete="off" data-testid="user-username" placeholder="如 zhangsan" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="displayName"
              label="姓名或名称"
              rules={[
                { required: true, whitespace: true, message: '请填写姓名或名称' },
                { max: 40, message: '最多 40 个字' },
                { pattern: /^[^<>]*$/, message: '不能包含 < 或 >' },
              ]}
            >
              <Input data-testid="user-display-name" placeholder="如 张三 或 幸福社区党支部" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="password" label="初始密码" rules={PASSWORD_RULES} extra={PASSWORD_HINT}>
              <Input.Password autoComplete="new-password" data-testid="user-password" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="confirm"
              label="确认初始密码"
              dependencies={['password']}
              rules={[
                { required: true, message: '请再次输入密码' },
                ({ getFieldValue }) => ({
                  validator: (_, val) => (!val || val === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error('两次输入的密码不一致'))),
                }),
              ]}
            >
              <Input.Password autoComplete="new-password" data-testid="user-password-confirm" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="mobile" label="手机号码" extra="可不填；填写后可用手机号登录，不能与其他账号重复。">
              <Input inputMode="tel" maxLength={20} data-testid="user-mobile" />
            </Form.Item>
          </Col>
        </Row>
        <p className="note user-form-note">{PASSWORD_NOTE}</p>
        {error ? <Alert type="error" showIcon title={error} data-testid="user-create-error" /> : null}
      </Form>
    </Modal>
  );
}

/** 添加角色: another grant for an existing account (POST /api/users/:id/grants). */
export function AddGrantDialog({ user, onClose, onDone }: { user: UserItem | null; onClose: () => void; onDone: () => void }) {
  const [form] = Form.useForm<{ orgId: number; role: GrantRole; canViewPersonalData: boolean }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const { message } = App.useApp();
  const roleOptions = useRoleOptions(!user?.personId);
  const role = Form.useWatch('role', form);

  useEffect(() => {
    if (user) {
      form.resetFields();
      setError('');
    }
  }, [user, form]);

  // A member grant belongs at the person's own org: prefill it from the linked record.
  useEffect(() => {
    if (role !== 'member' || !user?.personId) return;
    const ctl = new AbortController();
    api.get<MemberDetail>(`/api/members/${user.personId}`, undefined, ctl.signal).then(
      (m) => form.setFieldValue('orgId', m.orgId),
      () => undefined,
    );
    return () => ctl.abort();
  }, [role, user?.personId, form]);

  const submit = async () => {
    setError('');
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    if (!user) return;
    setBusy(true);
    try {
      await api.post(`/api/users/${user.id}/grants`, {
        orgId: v.orgId,
        role: v.role,
        canViewPersonalData: showsPd(v.role) ? !!v.canViewPersonalData : false,
      });
      message.success(`已为“${user.displayName || user.username}”添加${roleLabel(v.role)}角色`);
      onDone();
    } catch (e) {
      setError(applyServerErrors(form, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={!!user}
      title={`添加角色：${user?.displayName || user?.username || ''}`}
      okText="添加"
      cancelText="取消"
      onOk={submit}
      onCancel={onClose}
      confirmLoading={busy}
      forceRender
    >
      <Form
        form={form}
        name="grant-add"
        layout="vertical"
        className="dialog-form"
        initialValues={{ role: 'partyWorker', canViewPersonalData: false }}
        data-testid="grant-add-form"
      >
        <Form.Item
          name="role"
          label="角色"
          rules={[{ required: true, message: '请选择角色' }]}
          extra={role ? ROLE_HINTS[role] + (!user?.personId ? ' 该账号未关联党员记录，不能授予党员角色。' : '') : undefined}
        >
          <Select options={roleOptions} data-testid="grant-role" />
        </Form.Item>
        <Form.Item name="orgId" label="授权组织" rules={[{ required: true, message: '请选择授权组织' }]}>
          <OrgTreeSelect allowClear={false} data-testid="grant-org" />
        </Form.Item>
        {showsPd(role) ? <PersonalDataSwitch testId="grant-personal-data" /> : null}
        {error ? <Alert type="error" showIcon title={error} /> : null}
      </Form>
    </Modal>
  );
}

/** 重置密码: the admin sets a new password; the account's sessions end (POST /api/users/:id/password). */
export function ResetPasswordDialog({ user, onClose, onDone }: { user: UserItem | null; onClose: () => void; onDone: () => void }) {
  const [form] = Form.useForm<{ newPassword: string; confirm: string }>();
  const [busy, setBusy] = useState(false);
  const { message } = App.useApp();

  useEffect(() => {
    if (user) form.resetFields();
  }, [user, form]);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    if (!user) return;
    setBusy(true);
    try {
      await api.post(`/api/users/${user.id}/password`, { newPassword: v.newPassword });
      message.success(`已重置“${user.displayName || user.username}”的密码`);
      onDone();
    } catch (e) {
      const rest = applyServerErrors(form, e);
      if (rest) form.setFields([{ name: 'newPassword', errors: [rest] }]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={!!user}
      title={`重置密码：${user?.displayName || user?.username || ''}`}
      okText="重置密码"
      cancelText="取消"
      onOk={submit}
      onCancel={onClose}
      confirmLoading={busy}
      forceRender
    >
      <p className="dialog-lead">重置后该账号在各处的登录会话立即失效，本人须用新密码重新登录。{PASSWORD_NOTE}</p>
      <Form form={form} name="user-password" layout="vertical" className="dialog-form" data-testid="user-password-form">
        <Form.Item name="newPassword" label="新密码" rules={PASSWORD_RULES} extra={PASSWORD_HINT}>
          <Input.Password autoComplete="new-password" data-testid="user-new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label="确认新密码"
          dependencies={['newPassword']}
          rules={[
            { required: true, message: '请再次输入新密码' },
            ({ getFieldValue }) => ({
              validator: (_, val) => (!val || val === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error('两次输入的新密码不一致'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="user-new-password-confirm" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
