import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { App, Button, Card, Input, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { CopyOutlined } from '@ant-design/icons';
import { ApiError, api } from '../../api/client';
import type { FigureInfo } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { OrgTreeSelect } from '../../components/OrgTreeSelect';
import { PageHeader } from '../../components/PageHeader';
import { useIsMobile, useLoad, useTitle } from '../../lib/hooks';
import '../reports/reports.css';

/** One catalogue row: GET /api/figures/catalogue when the server has it, else GET /api/figures. */
interface CatalogueItem extends FigureInfo {
  module?: string;
  params?: unknown;
  sample?: { value: number | null; status?: string; display?: string | null } | number | null;
  sampleDisplay?: string | null;
}

const MODULE_LABELS: Record<string, string> = {
  members: '党员', orgs: '组织', orgLife: '组织生活', dues: '党费', reports: '述职报告', platform: '平台', development: '发展党员',
};
const KIND_LABELS: Record<string, string> = { stock: '时点数', flow: '期间数' };
const KIND_TIPS: Record<string, string> = { stock: '截至统计期末的状态', flow: '统计期间内发生的事项' };
const UNIT_LABELS: Record<string, string> = { count: '个数', percent: '百分比', fen: '元', hours: '小时', studyHours: '学时', days: '天' };

const moduleOf = (f: CatalogueItem) => f.module ?? f.id.split('.')[0];

function sampleText(f: CatalogueItem): string {
  if (f.sampleDisplay) return f.sampleDisplay;
  const s = f.sample;
  if (s === undefined) return '';
  if (s === null) return '缺数据';
  if (typeof s === 'number') return String(s);
  if (s.display) return s.display;
  if (s.status === 'missing' || s.value === null) return '缺数据';
  return f.unit === 'fen' ? `${(s.value / 100).toFixed(2)}元` : String(s.value);
}

/** 数据项目录: every registered figure, the vocabulary of report templates, with a sample value for an org. */
export function FiguresCataloguePage() {
  useTitle('数据项目录');
  const { message } = App.useApp();
  const mobile = useIsMobile();
  const [params, setParams] = useSearchParams();
  const org = Number(params.get('org')) || undefined;
  const [q, setQ] = useState('');
  const [mod, setMod] = useState<string | undefined>();
  const list = useLoad(async (signal) => {
    try {
      const r = await api.get<CatalogueItem[] | { items: CatalogueItem[] }>('/api/figures/catalogue', { org }, signal);
      return { items: Array.isArray(r) ? r : r.items, withSamples: true };
    } catch (e) {
      // Until the catalogue route exists, the plain registry listing (no sample values).
      if (e instanceof ApiError && e.status === 404) return { items: await api.get<CatalogueItem[]>('/api/figures', undefined, signal), withSamples: false };
      throw e;
    }
  }, [org]);
  const items = list.data?.items ?? [];
  const modules = useMemo(() => [...new Set(items.map(moduleOf))].sort(), [items]);
  const shown = useMemo(() => {
    const s = q.trim().toLowerCase();
    return items.filter((f) => (!mod || moduleOf(f) === mod) && (!s || [f.id, f.label, f.definition].some((x) => x.toLowerCase().includes(s))));
  }, [items, q, mod]);

  async function copy(id: string) {
    const text = `{{fig ${id}}}`;
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // clipboard needs a secure context; fall back to a selection copy
      const ta = document.createElement('textarea');
      ta.value = text;
      document.body.appendChild(ta);
      ta.select();
      document.execCommand('copy');
      ta.remove();
    }
    message.success(`已复制 ${text}，可粘贴到报告模板中`);
  }

  const copyBtn = (f: CatalogueItem) => (
    <Tooltip title="复制模板占位符">
      <Button size="small" icon={<CopyOutlined />} onClick={() => copy(f.id)} data-testid="figure-copy" aria-label={`复制 ${f.id} 的占位符`}>{mobile ? '复制' : null}</Button>
    </Tooltip>
  );
  const dims = (f: CatalogueItem) => (f.dimensions ?? []).map((d) => <Tag key={d.key} title={d.key}>{d.label}</Tag>);

  return (
    <div>
      <PageHeader title="数据项目录" subtitle="报告模板可引用的全部数据项：口径、单位、分组维度和示例取值；点击复制得到模板占位符 {{fig 数据项编号}}" />
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search allowClear placeholder="搜索编号、名称或口径" value={q} onChange={(e) => setQ(e.target.value)} style={{ width: 260 }} data-testid="figure-search" />
        <Select allowClear placeholder="全部模块" value={mod} onChange={setMod} style={{ width: 140 }} options={modules.map((m) => ({ value: m, label: MODULE_LABELS[m] ?? m }))} />
        <OrgTreeSelect value={org} onChange={(v) => { const p = new URLSearchParams(params); if (v) p.set('org', String(v)); else p.delete('org'); setParams(p); }} placeholder="示例取值的党组织（默认本级）" style={{ minWidth: 240 }} />
      </Space>
      <ErrorAlert error={list.error} onRetry={list.reload} />
      {mobile ? (
        <div className="report-cards" data-testid="figure-list">
          {shown.map((f) => (
            <Card key={f.id} size="small" data-testid="figure-row">
              <Space style={{ width: '100%', justifyContent: 'space-between' }} align="start">
                <div style={{ minWidth: 0 }}>
                  <div className="report-card-title">{f.label}</div>
                  <div className="figure-id muted" style={{ wordBreak: 'break-all' }}>{f.id}</div>
                </div>
                {copyBtn(f)}
              </Space>
              <Typography.Paragraph style={{ margin: '6px 0', fontSize: 13 }}>{f.definition}</Typography.Paragraph>
              <Space size={4} wrap>
                <Tag color="blue">{MODULE_LABELS[moduleOf(f)] ?? moduleOf(f)}</Tag>
                <Tag>{UNIT_LABELS[f.unit] ?? f.unit}</Tag>
                {dims(f)}
                {list.data?.withSamples ? <span>示例：<b>{sampleText(f)}</b></span> : null}
              </Space>
            </Card>
          ))}
        </div>
      ) : (
        <Card size="small">
          <Table<CatalogueItem> size="small" rowKey="id" loading={list.loading} dataSource={shown} data-testid="figure-list"
            pagination={{ pageSize: 50, showSizeChanger: false, showTotal: (t) => `共 ${t} 项` }}
            onRow={() => ({ 'data-testid': 'figure-row' } as React.HTMLAttributes<HTMLElement>)}
            scroll={{ x: 900 }}
            columns={[
              { title: '数据项', key: 'label', width: 220, render: (_: unknown, f) => <div><div>{f.label}</div><div className="figure-id muted" style={{ wordBreak: 'break-all' }}>{f.id}</div></div> },
              { title: '口径', dataIndex: 'definition', render: (v: string) => <div style={{ whiteSpace: 'normal' }}>{v}</div> },
              { title: '单位', dataIndex: 'unit', width: 76, render: (u: string) => UNIT_LABELS[u] ?? u },
              { title: '模块', key: 'module', width: 84, render: (_: unknown, f) => MODULE_LABELS[moduleOf(f)] ?? moduleOf(f) },
              { title: '类型', dataIndex: 'kind', width: 70, render: (k: string) => <Tooltip title={KIND_TIPS[k]}>{KIND_LABELS[k] ?? k}</Tooltip> },
              { title: '分组维度', key: 'dims', width: 170, render: (_: unknown, f) => <Space size={2} wrap>{dims(f)}</Space> },
              ...(list.data?.withSamples ? [{ title: '示例取值', key: 'sample', width: 100, render: (_: unknown, f: CatalogueItem) => <span data-testid="figure-sample">{sampleText(f)}</span> }] : []),
              { title: '', key: 'copy', width: 56, render: (_: unknown, f) => copyBtn(f) },
            ]} />
        </Card>
      )}
    </div>
  );
}

export default FiguresCataloguePage;
