import { useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Alert, App, Button, Card, Skeleton } from 'antd';
import { memberInput, memberPatch } from '../../../../src/modules/members/contract';
import { api, ApiError } from '../../api/client';
import type { MemberDetail } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { applyServerErrors, blankToNull, validateWith } from '../../lib/forms';
import { useLoad, useTitle } from '../../lib/hooks';
import { useOrgTree } from '../../lib/orgTree';
import { MemberForm, useMemberForm, type MemberFormValues } from './MemberForm';

/** Personal fields arrive masked; in the edit form they start empty and are sent only when typed. */
const SECRET_FIELDS = ['idNumber', 'mobile', 'address'] as const;

/** 新增党员 (/members/new) and 编辑 (/members/:id/edit). Sends `version` so a concurrent edit is refused. */
export default function MemberEditPage() {
  const { id } = useParams();
  const editing = !!id;
  useTitle(editing ? '编辑党员' : '新增党员');
  const navigate = useNavigate();
  const { message } = App.useApp();
  const form = useMemberForm();
  const [busy, setBusy] = useState(false);
  const [stale, setStale] = useState('');
  const detail = useLoad((signal) => api.get<MemberDetail>(`/api/members/${id}`, undefined, signal), [id], editing);
  const m = detail.data;
  const { tree } = useOrgTree();

  const initial = useMemo<Partial<MemberFormValues>>(() => {
    if (!m) {
      // A branch worker adds members to their own branch; the list's org filter carries over too.
      const fromList = Number(new URLSearchParams(window.location.search).get('org')) || undefined;
      const own = tree?.roots.length === 1 && ['branch', 'jointBranch'].includes(tree.roots[0]!.kind) ? tree.roots[0]!.id : undefined;
      return { gender: 'male', ethnicity: '汉族', stage: 'full', orgId: fromList ?? own };
    }
    return {
      orgId: m.orgId, groupId: m.groupId, name: m.name, gender: m.gender, ethnicity: m.ethnicity, birthDate: m.birthDate,
      education: m.education, occupation: m.occupation, workUnit: m.workUnit, stage: m.stage, admittedOn: m.admittedOn ?? undefined, fullOn: m.fullOn,
    };
  }, [m, tree]);
  useEffect(() => {
    if (editing && !m) return; // the form is not on screen until the record arrives
    form.resetFields();
    form.setFieldsValue(initial);
  }, [initial, form, editing, m]);

  const submit = async () => {
    const raw = blankToNull(await form.validateFields()) as MemberFormValues;
    setBusy(true);
    setStale('');
    try {
      if (!editing) {
        const body = validateWith(form, memberInput, raw);
        if (!body) return;
        const out = await api.post<{ id: number }>('/api/members', body);
        message.success('已新增党员');
        navigate(`/members/${out.id}`, { replace: true });
        return;
      }
      if (!m) return;
      const patch: Record<string, unknown> = { version: m.version };
      const before = initial as Record<string, unknown>;
      for (const [k, v] of Object.entries(raw)) {
        if ((SECRET_FIELDS as readonly string[]).includes(k)) {
          if (v) patch[k] = v;
        } else if (JSON.stringify(v ?? null) !== JSON.stringify(before[k] ?? null)) patch[k] = v;
      }
      if (Object.keys(patch).length === 1) {
        navigate(`/members/${m.id}`);
        return;
      }
      const body = validateWith(form, memberPatch, patch);
      if (!body) return;
      await api.patch(`/api/members/${m.id}`, body);
      message.success('已保存');
      navigate(`/members/${m.id}`, { replace: true });
    } catch (e) {
      if (e instanceof ApiError && e.status === 409 && /已被他人修改|版本/.test(e.message)) {
        setStale(e.message);
        return;
      }
      const rest = applyServerErrors(form, e);
      if (rest) message.error(rest);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page page-narrow">
      <PageHeader title={editing ? `编辑党员${m ? `：${m.name}` : ''}` : '新增党员'} subtitle="带 * 的为必填项；保存时由系统校验公民身份号码与出生日期、性别是否一致。" />
      <ErrorAlert error={detail.error} onRetry={detail.reload} />
      {stale ? (
        <Alert
          type="warning"
          showIcon
          title={stale}
          action={<Button size="small" onClick={() => detail.reload()}>重新载入</Button>}
          style={{ marginBottom: 16 }}
        />
      ) : null}
      {editing && !m ? (
        <Card><Skeleton active paragraph={{ rows: 12 }} /></Card>
      ) : (
        <Card className="section-card">
          <MemberForm form={form} editing={editing} masked={m ? { idNumber: m.idNumber, mobile: m.mobile, address: m.address } : undefined} />
          <div className="form-actions">
            <Button onClick={() => navigate(-1)}>取消</Button>
            <Button type="primary" loading={busy} onClick={submit} data-testid="member-save">保存</Button>
          </div>
        </Card>
      )}
    </div>
  );
}
