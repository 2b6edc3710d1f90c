import { useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { Alert, App, Button, Card, Input, Select, Space, Spin, Switch, Tabs, Tag } from 'antd';
import { ApiError, api, errorMessage } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { optionsOf } from '../../lib/labels';
import { useLoad, useTitle } from '../../lib/hooks';
import { ORG_KINDS } from '../../../../src/domain/vocab';
import { KIND_LABELS } from './shared';
import type { TemplateError } from './types';
import './reports.css';

/** The template as JSON (the zod schema lives in the engine's contract; the server validates on save). */
interface Block { type: string; text?: string; editable?: boolean; label?: string; hint?: string; title?: string; name?: string; [k: string]: unknown }
interface Section { heading: string; level: 1 | 2 | 3; blocks: Block[]; sections?: Section[] }
interface Template { key: string; version: number; name: string; kind: string; orgKinds: string[]; title: string; salutation?: string; sections: Section[]; closing?: string[]; signature: boolean; [k: string]: unknown }

const BLOCK_NAMES: Record<string, string> = { lastYearReview: '上年评议整改情况', problemCandidates: '问题线索', lastYearPlan: '上年工作计划' };

function errorsOf(e: unknown): TemplateError[] {
  if (!(e instanceof ApiError)) return [{ message: errorMessage(e) }];
  const b = e.body as Record<string, unknown>;
  const raw = b.errors ?? b.items ?? b.details;
  if (Array.isArray(raw)) return raw.map((x) => (typeof x === 'string' ? { message: x } : (x as TemplateError)));
  const f = Object.entries(e.fields);
  if (f.length) return f.map(([path, message]) => ({ path, message }));
  return [{ message: e.message }];
}
const where = (x: TemplateError) => x.location ?? x.path ?? [x.section !== undefined ? `第${Number(x.section) + 1}节` : '', x.block !== undefined ? `第${Number(x.block) + 1}段` : ''].filter(Boolean).join(' ');

/** 报告模板 (one family): view, edit as a structured form or as JSON; the server's validation errors by location. */
export function TemplateEditPage() {
  const { key = '' } = useParams();
  const { message } = App.useApp();
  const { can } = useAuth();
  const canEdit = can('reports.templates');
  const load = useLoad((signal) => api.get<Template | { template: Template }>(`/api/report-templates/${encodeURIComponent(key)}`, undefined, signal), [key]);
  const [tpl, setTpl] = useState<Template | null>(null);
  const [json, setJson] = useState('');
  const [tab, setTab] = useState('form');
  const [errors, setErrors] = useState<TemplateError[] | null>(null);
  const [busy, setBusy] = useState(false);
  useTitle(tpl?.name ?? '报告模板');
  useEffect(() => {
    if (!load.data) return;
    const raw = load.data as Template & { template?: Template };
    const t: Template = raw.template ?? raw;
    setTpl(t);
    setJson(JSON.stringify(t, null, 2));
  }, [load.data]);

  /** The template being edited: from the JSON tab when that is open. */
  function current(): Template | null {
    if (tab !== 'json') return tpl;
    try {
      return JSON.parse(json) as Template;
    } catch (e) {
      setErrors([{ location: 'JSON', message: `JSON 格式错误：${(e as Error).message}` }]);
      return null;
    }
  }
  function switchTab(k: string) {
    if (k === 'form') {
      try {
        setTpl(JSON.parse(json) as Template);
      } catch (e) {
        setErrors([{ location: 'JSON', message: `JSON 格式错误，无法切换到表单：${(e as Error).message}` }]);
        return;
      }
    } else if (tpl) setJson(JSON.stringify(tpl, null, 2));
    setTab(k);
  }
  async function send(path: string, ok: string) {
    const t = current();
    if (!t) return;
    setBusy(true);
    try {
      const r = await api.post<{ errors?: TemplateError[]; version?: number }>(path, t);
      if (r?.errors?.length) setErrors(r.errors);
      else {
        setErrors([]);
        message.success(ok);
        if (path.endsWith('report-templates')) load.reload();
      }
    } catch (e) {
      setErrors(errorsOf(e));
    } finally {
      setBusy(false);
    }
  }

  if (!tpl) return load.error ? <ErrorAlert error={load.error} onRetry={load.reload} /> : <div className="page-spinner"><Spin /></div>;
  const set = (p: Partial<Template>) => setTpl({ ...tpl, ...p });
  const setSection = (path: number[], fn: (s: Section) => Section) => {
    const walk = (list: Section[], depth: number): Section[] => list.map((s, i) => (i !== path[depth] ? s : depth === path.length - 1 ? fn(s) : { ...s, sections: walk(s.sections ?? [], depth + 1) }));
    set({ sections: walk(tpl.sections, 0) });
  };

  const renderSection = (s: Section, path: number[]) => (
    <Card key={path.join('.')} size="small" style={{ marginBottom: 8 }} title={<Space wrap><Tag>{`${s.level}级标题`}</Tag><Input value={s.heading} disabled={!canEdit} onChange={(e) => setSection(path, (x) => ({ ...x, heading: e.target.value }))} style={{ width: 'min(420px, 70vw)' }} /></Space>}>
      {s.blocks.map((b, bi) => {
        const upd = (p: Partial<Block>) => setSection(path, (x) => ({ ...x, blocks: x.blocks.map((y, j) => (j === bi ? { ...y, ...p } : y)) }));
        return (
          <div key={bi} style={{ marginBottom: 8 }}>
            {b.type === 'paragraph' ? (
              <>
                <div className="muted" style={{ fontSize: 12 }}>段落（占位符：{'{{fig 编号}}'}、{'{{field 名称 label="…" reason="…"}}'}、{'{{if fig 编号}}…{{/if}}'}）</div>
                <Input.TextArea autoSize={{ minRows: 2 }} value={b.text} disabled={!canEdit} onChange={(e) => upd({ text: e.target.value })} />
              </>
            ) : b.type === 'narrative' ? (
              <Space wrap style={{ width: '100%' }}>
                <Tag color="purple">作者撰写</Tag>
                <Input addonBefore="名称" value={b.label} disabled={!canEdit} onChange={(e) => upd({ label: e.target.value })} />
                <Input addonBefore="提示" value={b.hint ?? ''} disabled={!canEdit} onChange={(e) => upd({ hint: e.target.value || undefined })} style={{ minWidth: 260 }} />
              </Space>
            ) : b.type === 'block' ? (
              <Tag color="cyan">插入：{BLOCK_NAMES[b.name ?? ''] ?? b.name}</Tag>
            ) : (
              <div><Tag color="geekblue">{b.type === 'table' ? '表格' : '图表'}</Tag>{b.title}<span className="muted">（在 JSON 中编辑列和数据项）</span></div>
            )}
          </div>
        );
      })}
      {(s.sections ?? []).map((c, ci) => renderSection(c, [...path, ci]))}
    </Card>
  );

  return (
    <div>
      <PageHeader title={tpl.name} subtitle={`${KIND_LABELS[tpl.kind] ?? tpl.kind} · 第${tpl.version}版 · 编号 ${tpl.key}`}
        extra={canEdit ? <Space><Button loading={busy} onClick={() => send('/api/report-templates/validate', '校验通过，没有发现问题')} data-testid="template-validate">校验</Button><Button type="primary" loading={busy} onClick={() => send('/api/report-templates', '已保存为新版本')} data-testid="template-save">保存为新版本</Button></Space> : null} />
      {errors && errors.length ? (
        <Alert type="error" showIcon closable onClose={() => setErrors(null)} style={{ marginBottom: 12 }} title={`模板有 ${errors.length} 处问题`} data-testid="template-errors"
          description={<ul style={{ margin: 0, paddingLeft: 18 }}>{errors.map((e, i) => <li key={i}>{where(e) ? <b>{where(e)}：</b> : null}{e.message}</li>)}</ul>} />
      ) : null}
      <Tabs activeKey={tab} onChange={switchTab} items={[
        {
          key: 'form', label: '结构化编辑', children: (
            <div>
              <Card size="small" style={{ marginBottom: 8 }}>
                <Space direction="vertical" style={{ width: '100%' }}>
                  <Input addonBefore="模板名称" value={tpl.name} disabled={!canEdit} onChange={(e) => set({ name: e.target.value })} />
                  <Input addonBefore="报告标题" value={tpl.title} disabled={!canEdit} onChange={(e) => set({ title: e.target.value })} />
                  <Input addonBefore="称谓" value={tpl.salutation ?? ''} disabled={!canEdit} onChange={(e) => set({ salutation: e.target.value || undefined })} />
                  <Select mode="multiple" allowClear placeholder="适用组织类别（不选为全部）" value={tpl.orgKinds} disabled={!canEdit} onChange={(v) => set({ orgKinds: v })} options={optionsOf(ORG_KINDS)} style={{ width: '100%' }} />
                  <Space><span>落款和日期</span><Switch checked={tpl.signature} disabled={!canEdit} onChange={(v) => set({ signature: v })} /></Space>
                </Space>
              </Card>
              {tpl.sections.map((s, i) => renderSection(s, [i]))}
              <Card size="small" title="结束语">
                <Input.TextArea autoSize={{ minRows: 2 }} disabled={!canEdit} value={(tpl.closing ?? []).join('\n')} onChange={(e) => set({ closing: e.target.value.split('\n').filter((x) => x.trim()) })} placeholder="每段一行" />
              </Card>
            </div>
          ),
        },
        { key: 'json', label: 'JSON', children: <Input.TextArea value={json} onChange={(e) => setJson(e.target.value)} disabled={!canEdit} autoSize={{ minRows: 20, maxRows: 40 }} style={{ fontFamily: 'ui-monospace, monospace', fontSize: 12 }} data-testid="template-json" /> },
      ]} />
    </div>
  );
}

export default TemplateEditPage;
