import { useState } from 'react';
import { App, Button, Card, Col, Input, InputNumber, Row, Space, Switch, Table, Tag, Tooltip } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { api, errorMessage } from '../../api/client';
import type { SettingItem } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { OrgTreeSelect } from '../../components/OrgTreeSelect';
import { PageHeader } from '../../components/PageHeader';
import { SourceText } from '../../components/SourceText';
import { useIsMobile, useLoad, useTitle } from '../../lib/hooks';

/** What a setting's mark says about its source (DOMAIN.md marks). */
const MARKS: Record<string, { label: string; color: string; hint: string }> = {
  LOCAL: { label: '地方规定', color: 'orange', hint: '各地规定不一，请按本地文件设置。' },
  UNVERIFIED: { label: '待核实', color: 'red', hint: '尚未找到权威出处，请核实后再使用。' },
  PROJECT: { label: '项目约定', color: 'blue', hint: '本系统的默认做法，可按需要调整。' },
  SECONDARY: { label: '二手资料', color: 'gold', hint: '依据转引资料，建议对照原文核实。' },
  PRIMARY: { label: '原始文件', color: 'green', hint: '依据党内法规或正式文件原文。' },
};

const show = (v: unknown): string =>
  typeof v === 'boolean' ? (v ? '是' : '否')
  : Array.isArray(v) ? v.map(show).join('、')
  : typeof v === 'object' && v !== null ? Object.entries(v).map(([k, x]) => `${k}: ${show(x)}`).join('，')
  : String(v ?? '—');
/** Long list or object values wrap inside their cell instead of widening the table. */
const wrapped = (v: unknown) => <span style={{ overflowWrap: 'anywhere' }}>{show(v)}</span>;

/** 系统设置: typed settings with default, source and mark; edit inline, per tenant or for an org subtree. */
export default function SettingsPage() {
  useTitle('系统设置');
  const mobile = useIsMobile();
  const { message } = App.useApp();
  const [org, setOrg] = useState<number | undefined>();
  const [editing, setEditing] = useState<string | null>(null);
  const [draft, setDraft] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const list = useLoad((signal) => api.get<SettingItem[]>('/api/settings', { org }, signal), [org]);

  const begin = (s: SettingItem) => {
    setEditing(s.key);
    setDraft(typeof s.default === 'object' && s.default !== null ? JSON.stringify(s.value, null, 2) : s.value);
  };
  const save = async (s: SettingItem) => {
    let value = draft;
    if (typeof s.default === 'object' && s.default !== null) {
      try {
        value = JSON.parse(String(draft));
      } catch {
        message.error('格式不正确，请填写 JSON');
        return;
      }
    }
    setSaving(true);
    try {
      await api.put(`/api/settings/${encodeURIComponent(s.key)}`, { org, value });
      message.success('已保存，修改已记入审计日志');
      setEditing(null);
      list.reload();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  const valueCell = (s: SettingItem) =>
    editing === s.key ? (
      <Space wrap>
        <Editor s={s} value={draft} onChange={setDraft} />
        <Button type="primary" size="small" loading={saving} onClick={() => save(s)} data-testid="setting-save">保存</Button>
        <Button size="small" onClick={() => setEditing(null)}>取消</Button>
      </Space>
    ) : (
      <Space wrap style={{ minWidth: 0, maxWidth: '100%' }}>
        <strong className="mono" style={{ overflowWrap: 'anywhere' }}>{show(s.value)}</strong>
        {JSON.stringify(s.value) !== JSON.stringify(s.default) ? <Tag color="purple">已修改</Tag> : null}
        <Button type="link" size="small" icon={<EditOutlined />} onClick={() => begin(s)} data-testid="setting-edit">修改</Button>
      </Space>
    );
  const markTag = (mark: string) => {
    const m = MARKS[mark] ?? { label: mark, color: 'default', hint: '' };
    return <Tooltip title={m.hint}><Tag color={m.color} data-mark={mark}>{m.label} · {mark}</Tag></Tooltip>;
  };

  return (
    <div className="page">
      <PageHeader title="系统设置" subtitle="本地可调整的规则参数。默认值写在代码中；在此修改后对所选范围生效（下级组织可单独覆盖，就近适用）。" />
      <Card className="section-card">
        <Row gutter={12} align="middle">
          <Col xs={24} md={12} lg={10}>
            <div className="field-label">适用范围</div>
            <OrgTreeSelect value={org ?? null} onChange={(v) => { setOrg(v ?? undefined); setEditing(null); }} placeholder="本县（区）全部组织" data-testid="settings-org" />
          </Col>
        </Row>
      </Card>
      <ErrorAlert error={list.error} onRetry={list.reload} />
      <Card className="section-card" styles={{ body: mobile ? { padding: 0 } : undefined }}>
        {mobile ? (
          <div className="setting-cards" data-testid="settings-list">
            {(list.data ?? []).map((s) => (
              <div className="setting-card" key={s.key}>
                <div className="setting-label">{s.label}</div>
                <div className="setting-value">{valueCell(s)}</div>
                <div className="setting-meta muted">默认 {show(s.default)} · 来源 <SourceText source={s.source} /></div>
                <div>{markTag(s.mark)}</div>
              </div>
            ))}
          </div>
        ) : (
          <Table<SettingItem>
            data-testid="settings-table"
            rowKey="key"
            loading={list.loading}
            dataSource={list.data ?? []}
            pagination={false}
            scroll={{ x: 960 }}
            columns={[
              { title: '设置项', dataIndex: 'label', render: (l: string, s) => <div><div>{l}</div><div className="muted setting-key">{s.key}</div></div> },
              { title: '当前值', key: 'value', width: 260, render: (_: unknown, s) => valueCell(s) },
              { title: '默认值', dataIndex: 'default', width: 90, render: wrapped },
              { title: '来源', dataIndex: 'source', width: 260, render: (src: string) => <SourceText source={src} /> },
              { title: '标注', dataIndex: 'mark', width: 190, render: markTag },
            ]}
          />
        )}
      </Card>
    </div>
  );
}

function Editor({ s, value, onChange }: { s: SettingItem; value: unknown; onChange: (v: unknown) => void }) {
  if (typeof s.default === 'number') return <InputNumber value={value as number} onChange={(v) => onChange(v)} style={{ width: 120 }} data-testid="setting-input" />;
  if (typeof s.default === 'boolean') return <Switch checked={!!value} onChange={onChange} checkedChildren="是" unCheckedChildren="否" />;
  if (typeof s.default === 'object' && s.default !== null) return <Input.TextArea value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} autoSize={{ minRows: 3, maxRows: 10 }} style={{ width: 280 }} />;
  return <Input value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} style={{ width: 200 }} data-testid="setting-input" />;
}
