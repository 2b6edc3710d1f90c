import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Radio, Result, Select, Typography } from 'antd';
import type { CommunityOption } from '../../../../src/modules/requests/contract';
import { REQUEST_KINDS, REQUEST_KIND_LABELS, REQUEST_LIMITS } from '../../../../src/domain/requestWorkflow';
import { api, errorMessage } from '../../api/client';
import { useLoad, useTitle } from '../../lib/hooks';
import './h5.css';

interface Submitted { token: string; trackUrl: string }
interface Values { communityId?: number; gridId?: number; kind: string; content: string; contactName: string; mobile: string; address?: string }

/**
 * 居民提交诉求 (H5, no login): pick the community (and grid), the kind, write the request and a
 * contact; the answer is a tracking link shown once — only its hash is kept on the server.
 */
export default function PublicRequestPage() {
  useTitle('提交诉求');
  const communities = useLoad((signal) => api.get<CommunityOption[]>('/api/public/communities', undefined, signal), []);
  const [form] = Form.useForm<Values>();
  const communityId = Form.useWatch('communityId', form);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Submitted | null>(null);
  const grids = communities.data?.find((c) => c.id === communityId)?.grids ?? [];

  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      const body = { ...v, address: v.address || undefined, gridId: v.gridId || undefined };
      setDone(await api.post<Submitted>('/api/public/requests', body));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    const link = `${window.location.origin}${done.trackUrl}`;
    return (
      <div className="h5-page">
        <Result status="success" title="诉求已提交" subTitle="社区将在1个工作日内受理。请保存下面的查询链接，凭它查看办理进度和答复，并进行评价。" />
        <Card size="small">
          <Typography.Paragraph copyable={{ text: link }} className="h5-link">
            <a href={done.trackUrl} data-testid="h5-track-link">{link}</a>
          </Typography.Paragraph>
          <Alert type="warning" showIcon title="查询链接只显示这一次，请截图或复制保存；丢失后无法找回。" />
        </Card>
      </div>
    );
  }

  return (
    <div className="h5-page">
      <Typography.Title level={3} className="h5-title">群众诉求 · 微心愿</Typography.Title>
      <p className="h5-muted">无需登录。请如实填写，社区网格员会尽快与您联系。</p>
      {communities.error ? <Alert type="error" showIcon title={errorMessage(communities.error)} /> : null}
      {error ? <Alert type="error" showIcon title={error} data-testid="h5-error" style={{ marginBottom: 12 }} /> : null}
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ kind: 'repair' }} requiredMark={false}>
        <Form.Item name="communityId" label="所在社区" rules={[{ required: true, message: '请选择社区' }]}>
          <Select data-testid="h5-community" placeholder="请选择社区" loading={communities.loading} showSearch optionFilterProp="label"
            options={(communities.data ?? []).map((c) => ({ value: c.id, label: c.name }))} onChange={() => form.setFieldValue('gridId', undefined)} />
        </Form.Item>
        {grids.length ? (
          <Form.Item name="gridId" label="所在网格（可不选）">
            <Select allowClear placeholder="不清楚可不选" options={grids.map((g) => ({ value: g.id, label: g.name }))} />
          </Form.Item>
        ) : null}
        <Form.Item name="kind" label="类别">
          <Radio.Group optionType="button" buttonStyle="solid" className="h5-kinds" options={REQUEST_KINDS.map((k) => ({ value: k, label: REQUEST_KIND_LABELS[k] }))} />
        </Form.Item>
        <Form.Item name="content" label="诉求内容" rules={[{ required: true, message: '请填写诉求内容' }]}>
          <Input.TextArea data-testid="h5-content" rows={5} maxLength={REQUEST_LIMITS.contentMax} showCount placeholder="请写明事项、地点和您的期望" />
        </Form.Item>
        <Form.Item name="contactName" label="联系人" rules={[{ required: true, message: '请填写联系人' }]}>
          <Input data-testid="h5-name" maxLength={REQUEST_LIMITS.nameMax} placeholder="如：张女士" />
        </Form.Item>
        <Form.Item name="mobile" label="手机号码（仅社区工作人员可见，显示时隐去中间四位）" rules={[{ required: true, message: '请填写手机号码' }]}>
          <Input data-testid="h5-mobile" inputMode="tel" maxLength={13} />
        </Form.Item>
        <Form.Item name="address" label="地址（可不填）">
          <Input maxLength={REQUEST_LIMITS.addressMax} placeholder="如：3栋2单元201" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={busy} data-testid="h5-submit">提交</Button>
      </Form>
    </div>
  );
}
