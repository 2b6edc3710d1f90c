import { Fragment, useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Alert, App, Button, Card, Popconfirm, Space, Spin, Tooltip } from 'antd';
import { DownloadOutlined, PrinterOutlined, ReloadOutlined, CheckCircleOutlined, CopyOutlined, FilePdfOutlined } from '@ant-design/icons';
import { ApiError, api, errorMessage } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatTimestamp } from '../../lib/format';
import { useLoad, useTitle } from '../../lib/hooks';
import { EvidenceDrawer } from './EvidenceDrawer';
import { type Drafts, FieldInput, FixMissingModal, NarrativeEditor, NarrativeText, SidePanel } from './ReportEditorParts';
import { REPORT_PATHS, ReportStatusTag, textToHtml } from './shared';
import type { BlockingItem, Narrative, Placeholder, RenderedBlock, RenderedRun, ReportDetail, ReportField } from './types';
import './reports.css';

/** The list of what blocks finalizing, whatever key the 409 body uses. */
function blockingOf(e: ApiError): BlockingItem[] {
  const b = e.body as Record<string, unknown>;
  const raw = (b.blocking ?? b.blockers ?? b.items ?? b.errors ?? b.details ?? (b.fields && typeof b.fields === 'object' ? Object.entries(b.fields as Record<string, string>).map(([k, v]) => ({ placeholderId: k, message: v })) : [])) as unknown;
  if (!Array.isArray(raw)) return [];
  return raw.map((x) => {
    if (typeof x !== 'string') return x as BlockingItem;
    // "指标「…」（f3）没有数据…": the placeholder id in full-width parentheses
    const m = /（([a-z]+\d+)）/.exec(x);
    return { message: x, placeholderId: m?.[1] };
  });
}

const narrativeKey = (n: Narrative) => String(n.id);

/** 述职报告草稿: the rendered report as a document with live figures, typed fields and editable narratives. */
export function ReportEditorPage() {
  const { id } = useParams();
  const reportId = Number(id);
  const navigate = useNavigate();
  const { message, modal } = App.useApp();
  const { can } = useAuth();
  const load = useLoad((signal) => api.get<ReportDetail>(`/api/reports/${reportId}`, undefined, signal), [reportId], !!reportId);
  const d = load.data;
  useTitle(d?.rendered.title ?? '述职报告');
  const [evidenceFor, setEvidenceFor] = useState<Placeholder | null>(null);
  const [fixFor, setFixFor] = useState<Placeholder | null>(null);
  const [blocking, setBlocking] = useState<BlockingItem[] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [pdfError, setPdfError] = useState<string | null>(null);
  const [drafts] = useState<Drafts>(() => new Map());

  const final = d?.report.status === 'final';
  const editable = !!d && !final && can('reports.write');
  const byId = useMemo(() => new Map((d?.placeholders ?? []).map((p) => [p.id, p])), [d]);
  const narratives = useMemo(() => new Map((d?.narratives ?? []).map((n) => [narrativeKey(n), n])), [d]);
  const fields = useMemo(() => new Map((d?.fields ?? []).map((f) => [f.name, f])), [d]);

  // Which narratives and fields appear inside the document; the rest are listed above it.
  const placed = useMemo(() => {
    const n = new Set<string>();
    const f = new Set<string>();
    const ph = new Set<string>();
    for (const s of d?.rendered.sections ?? []) for (const b of s.blocks) {
      if (b.kind !== 'paragraph') continue;
      for (const r of b.runs) {
        if (!r.ref) continue;
        if (r.ref.startsWith('narrative:')) n.add(r.ref.slice('narrative:'.length));
        if (r.ref.startsWith('field:')) f.add(r.ref.slice('field:'.length));
        const p = byId.get(r.ref);
        if (p) ph.add(p.id);
        if (p?.fieldName) f.add(p.fieldName);
      }
    }
    return { n, f, ph };
  }, [d, narratives, byId]);

  async function act(name: string, fn: () => Promise<unknown>, ok?: string) {
    setBusy(name);
    try {
      await fn();
      if (ok) message.success(ok);
      load.reload();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(null);
    }
  }

  async function finalize() {
    setBusy('finalize');
    try {
      await api.post(`/api/reports/${reportId}/finalize`);
      setBlocking(null);
      message.success('报告已定稿，文字和数字已冻结');
      load.reload();
    } catch (e) {
      if (e instanceof ApiError && (e.status === 409 || e.status === 400)) {
        const items = blockingOf(e);
        setBlocking(items.length ? items : [{ message: e.message }]);
        window.scrollTo({ top: 0, behavior: 'smooth' });
      } else message.error(errorMessage(e));
    } finally {
      setBusy(null);
    }
  }

  async function newVersion() {
    setBusy('newVersion');
    try {
      const r = await api.post<{ id: number } | { report: { id: number } }>(`/api/reports/${reportId}/new-version`);
      const nid = 'id' in r ? r.id : r.report.id;
      message.success('已从定稿生成新版本草稿');
      navigate(REPORT_PATHS.report(nid));
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(null);
    }
  }

  async function downloadPdf() {
    setBusy('pdf');
    setPdfError(null);
    try {
      const res = await fetch(`/api/reports/${reportId}/pdf`, { credentials: 'same-origin' });
      if (!res.ok) {
        const body = (await res.json().catch(() => ({}))) as { message?: string };
        setPdfError(body.message ?? `无法生成 PDF（${res.status}）`);
        return;
      }
      const blob = await res.blob();
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `${d?.rendered.title ?? '述职报告'}.pdf`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } finally {
      setBusy(null);
    }
  }

  async function saveField(f: ReportField | { name: string }, value: string | number | null) {
    try {
      const v = typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value.trim()) : value === '' ? null : value;
      await api.put(`/api/reports/${reportId}/fields/${encodeURIComponent(f.name)}`, { value: v });
      load.reload();
    } catch (e) {
      message.error(errorMessage(e));
    }
  }
  async function saveNarrative(n: Narrative, html: string): Promise<boolean> {
    try {
      await api.put(`/api/reports/${reportId}/narratives/${encodeURIComponent(narrativeKey(n))}`, { html });
      message.success(`已保存“${n.label}”`);
      load.reload();
      return true;
    } catch (e) {
      message.error(errorMessage(e));
      return false;
    }
  }

  function insertProblem(text: string) {
    const list = d?.narratives ?? [];
    const target = list.find((n) => /问题|不足/.test(n.label)) ?? list[0];
    if (!target) {
      message.warning('该模板没有可撰写的段落');
      return;
    }
    const html = (target.html || '') + textToHtml(text);
    void saveNarrative(target, html);
  }

  if (!d) return load.error ? <ErrorAlert error={load.error} onRetry={load.reload} /> : <div className="page-spinner"><Spin /></div>;

  const counts = { ok: 0, missing: 0, field: 0, override: 0 };
  for (const p of d.placeholders) if (p.status in counts) counts[p.status as keyof typeof counts]++;
  const emptyFields = d.fields.filter((f) => f.value === null || f.value === undefined || f.value === '').length;

  const renderRun = (r: RenderedRun, i: number) => {
    if (!r.ref) return <Fragment key={i}>{r.text}</Fragment>;
    if (r.ref.startsWith('field:')) {
      const name = r.ref.slice('field:'.length);
      const f = fields.get(name) ?? { name, label: name };
      if (!editable) return <span key={i} className={r.missing ? 'report-missing' : undefined}>{r.text}</span>;
      return <FieldInput key={i} field={f} onSave={(v) => saveField(f, v)} />;
    }
    const p = byId.get(r.ref);
    if (!p) return r.missing ? <span key={i} className="report-missing">{r.text || '缺数据'}</span> : <Fragment key={i}>{r.text}</Fragment>;
    if (p.status === 'field' || (p.fieldName && p.status !== 'override')) {
      const f = fields.get(p.fieldName ?? '') ?? { name: p.fieldName ?? p.id, label: p.label, reason: p.reason ?? undefined, unit: p.unit };
      if (!editable) return <span key={i} className={f.value === null || f.value === undefined || f.value === '' ? 'report-missing' : undefined}>{f.value ?? r.text ?? '待填写'}</span>;
      return <FieldInput key={i} field={f} onSave={(v) => saveField(f, v)} />;
    }
    if (p.status === 'missing' || r.missing) {
      return (
        <Tooltip key={i} title={editable ? `${p.label}：没有可计算的记录。点击填写数值（需说明理由）或删除该句` : p.label}>
          <span className="report-missing" data-testid="report-missing" data-ref={p.id} onClick={() => (editable ? setFixFor(p) : setEvidenceFor(p))}>
            缺数据：{p.label}
          </span>
        </Tooltip>
      );
    }
    return (
      <Tooltip key={i} title={p.status === 'override' ? `手工填写：${p.reason ?? ''}` : `${p.label}，点击查看明细`}>
        <span className={`report-fig${p.status === 'override' ? ' report-fig-override' : ''}`} data-testid="report-fig" data-ref={p.id}
          role="button" tabIndex={0} onClick={() => setEvidenceFor(p)} onKeyDown={(e) => e.key === 'Enter' && setEvidenceFor(p)}>
          {r.text}
        </span>
      </Tooltip>
    );
  };

  const renderBlock = (b: RenderedBlock, key: string) => {
    if (b.kind === 'table') {
      return (
        <div key={key} className="report-table-wrap">
          <table className="report-table">
            <caption>{b.title}</caption>
            <thead><tr>{b.columns.map((c, i) => <th key={i}>{c}</th>)}</tr></thead>
            <tbody>{b.rows.map((row, ri) => <tr key={ri}>{row.map((c, ci) => <td key={ci}>{c}</td>)}</tr>)}</tbody>
          </table>
        </div>
      );
    }
    if (b.kind === 'chart') {
      const max = Math.max(1, ...b.values);
      return (
        <div key={key} className="report-chart">
          <div style={{ fontWeight: 600, textAlign: 'center' }}>{b.title}</div>
          {b.categories.map((c, i) => (
            <div key={i} className="report-chart-row">
              <span>{c}</span>
              <div className="report-chart-bar" style={{ width: `${(100 * b.values[i]) / max}%` }} />
              <span>{b.values[i]}{b.unit}</span>
            </div>
          ))}
        </div>
      );
    }
    const ref = b.runs.length === 1 ? b.runs[0].ref : undefined;
    const n = ref?.startsWith('narrative:') ? narratives.get(ref.slice('narrative:'.length)) : undefined;
    if (n) {
      // a narrative renders as one paragraph per line: one editor, at its first line
      if (seenNarratives.has(narrativeKey(n))) return null;
      seenNarratives.add(narrativeKey(n));
      // keyed by narrative, not by position: saving one narrative or removing a sentence shifts the blocks after it
      const k = `narrative-${narrativeKey(n)}`;
      return editable ? <NarrativeEditor key={k} n={n} drafts={drafts} onSave={(html) => saveNarrative(n, html)} /> : <NarrativeText key={k} html={n.html} />;
    }
    return <p key={key}>{b.runs.map(renderRun)}</p>;
  };

  const seenNarratives = new Set<string>();
  const unplacedNarratives = d.narratives.filter((n) => !placed.n.has(narrativeKey(n)));
  const unplacedFields = d.fields.filter((f) => !placed.f.has(f.name));
  // missing figures that the document does not show (e.g. in a condition or a table) still block finalizing
  const unplacedMissing = d.placeholders.filter((p) => p.status === 'missing' && !placed.ph.has(p.id));

  return (
    <div>
      <PageHeader
        title={<Space wrap size={8}><span>{d.rendered.title}</span><ReportStatusTag status={d.report.status} /></Space>}
        subtitle={`${d.rendered.orgName} · ${d.rendered.year}年度${d.report.reportVersion ? ` · 第${d.report.reportVersion}版` : ''}${d.report.finalizedAt ? ` · 定稿于 ${formatTimestamp(d.report.finalizedAt)}` : ''}`}
        extra={
          <div className="report-toolbar">
            {editable ? <Button icon={<ReloadOutlined />} loading={busy === 'refresh'} onClick={() => act('refresh', () => api.post(`/api/reports/${reportId}/refresh`), '已按最新记录重新取数')} data-testid="report-refresh">刷新数据</Button> : null}
            {editable ? (
              <Popconfirm title="定稿后文字和数字将冻结，不再随记录变化。确定定稿？" okText="定稿" cancelText="取消" onConfirm={finalize}>
                <Button type="primary" icon={<CheckCircleOutlined />} loading={busy === 'finalize'} data-testid="report-finalize">定稿</Button>
              </Popconfirm>
            ) : null}
            {final ? <Button icon={<DownloadOutlined />} href={`/api/reports/${reportId}/docx`} data-testid="report-docx">下载 Word</Button> : null}
            {final ? <Button icon={<FilePdfOutlined />} loading={busy === 'pdf'} onClick={downloadPdf} data-testid="report-pdf">下载 PDF</Button> : null}
            <Button icon={<PrinterOutlined />} onClick={() => window.open(`/api/reports/${reportId}/print`, '_blank', 'noopener')} data-testid="report-print">打印</Button>
            {final && can('reports.write') ? <Button icon={<CopyOutlined />} loading={busy === 'newVersion'} onClick={() => modal.confirm({ title: '新建版本', content: '将以此定稿为底稿生成新的草稿，数字按最新记录重新计算。', okText: '新建', cancelText: '取消', onOk: newVersion })} data-testid="report-new-version">新建版本</Button> : null}
          </div>
        }
      />
      <ErrorAlert error={load.error} onRetry={load.reload} />
      {pdfError ? <Alert type="warning" showIcon closable onClose={() => setPdfError(null)} title="暂时无法生成 PDF" description={pdfError} style={{ marginBottom: 12 }} data-testid="report-pdf-error" /> : null}
      {!final ? (
        <Alert style={{ marginBottom: 12 }} type={counts.missing || emptyFields ? 'warning' : 'info'} showIcon data-testid="report-summary"
          title={`共 ${d.placeholders.length} 处数据：自动取数 ${counts.ok} 处，缺数据 ${counts.missing} 处，手工填写 ${counts.override} 处，待填写项目 ${emptyFields} 个`}
          description="蓝色数字可点击查看明细；红色为缺少记录的数据，可填写数值并说明理由，或删除该句；灰框为需要手工填写的项目。" />
      ) : null}
      {blocking ? (
        <Alert style={{ marginBottom: 12 }} type="error" showIcon closable onClose={() => setBlocking(null)} data-testid="report-blocking"
          title="以下内容尚未完成，暂不能定稿"
          description={
            <ul className="report-blocking">
              {blocking.map((b, i) => {
                const p = b.placeholderId ? byId.get(b.placeholderId) : undefined;
                return (
                  <li key={i}>
                    {b.message ?? b.label ?? p?.label ?? b.fieldName}
                    {p && p.status === 'missing' ? <Button size="small" type="link" onClick={() => setFixFor(p)}>填写或删除</Button> : null}
                  </li>
                );
              })}
            </ul>
          }
        />
      ) : null}
      <div className="report-layout">
        <div style={{ minWidth: 0 }}>
          {editable && (unplacedFields.length || unplacedNarratives.length || unplacedMissing.length) ? (
            <Card size="small" title="待填写内容" style={{ marginBottom: 12 }} data-testid="report-pending">
              {unplacedMissing.map((p) => (
                <div key={p.id} style={{ marginBottom: 8 }}>
                  <span className="report-missing" data-testid="report-missing" data-ref={p.id} onClick={() => setFixFor(p)}>缺数据：{p.label}</span>
                  <span className="muted" style={{ fontSize: 12, marginLeft: 8 }}>{p.period}，点击填写数值或删除所在句子</span>
                </div>
              ))}
              {unplacedFields.map((f) => (
                <div key={f.name} style={{ marginBottom: 8 }}><FieldInput field={f} onSave={(v) => saveField(f, v)} block /></div>
              ))}
              {unplacedNarratives.map((n) => <NarrativeEditor key={narrativeKey(n)} n={n} drafts={drafts} onSave={(html) => saveNarrative(n, html)} />)}
            </Card>
          ) : null}
          <article className="report-doc" data-testid="report-doc">
            <h1 className="report-doc-title">{d.rendered.title}</h1>
            {d.rendered.salutation ? <p className="report-salutation">{d.rendered.salutation}</p> : null}
            {d.rendered.sections.map((s, si) => {
              const H = (s.level === 1 ? 'h2' : s.level === 2 ? 'h3' : 'h4') as 'h2';
              return (
                <section key={si}>
                  {s.heading ? <H>{s.heading}</H> : null}
                  {s.blocks.map((b, bi) => renderBlock(b, `${si}-${bi}`))}
                </section>
              );
            })}
            {d.rendered.closing.map((c, i) => <p key={`c${i}`}>{c}</p>)}
            {d.rendered.signature ? (
              <div className="report-signature"><div>{d.rendered.signature.orgName}</div><div>{d.rendered.signature.date}</div></div>
            ) : null}
            {final && d.rendered.appendix.length ? (
              <div className="report-appendix" data-testid="report-appendix">
                <h3>附：数据说明</h3>
                <div className="report-table-wrap">
                  <table className="report-table">
                    <thead><tr><th>数据项</th><th>统计期间</th><th>数值</th><th>明细条数</th></tr></thead>
                    <tbody>{d.rendered.appendix.map((a, i) => <tr key={i} title={a.definition}><td style={{ textAlign: 'left', whiteSpace: 'normal' }}>{a.label}</td><td>{a.period}</td><td>{a.value}</td><td>{a.evidenceCount}</td></tr>)}</tbody>
                  </table>
                </div>
              </div>
            ) : null}
          </article>
        </div>
        <aside className="report-side">
          <SidePanel d={d} editable={editable} onInsert={insertProblem} />
        </aside>
      </div>
      <EvidenceDrawer reportId={reportId} ph={evidenceFor} final={final} onClose={() => setEvidenceFor(null)} />
      <FixMissingModal reportId={reportId} ph={fixFor} onClose={() => setFixFor(null)} onDone={() => { setFixFor(null); setBlocking(null); load.reload(); }} />
    </div>
  );
}

export default ReportEditorPage;
