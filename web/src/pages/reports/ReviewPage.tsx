import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { App, Button, Card, Drawer, Empty, Form, Input, List, Select, Space, Table, Tag } from 'antd';
import { api } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { ErrorAlert } from '../../components/ErrorAlert';
import { OrgTreeSelect } from '../../components/OrgTreeSelect';
import { PageHeader } from '../../components/PageHeader';
import { formatTimestamp } from '../../lib/format';
import { useIsMobile, useLoad, useSubmit, useTitle } from '../../lib/hooks';
import { RectificationDialog } from './RectificationDialog';
import { REPORT_PATHS, ReportStatusTag, thisYear, useDefaultOrg, yearOptions } from './shared';
import type { Comment, ReviewRow } from './types';
import type { FigureInfo } from '../../api/types';
import { useOrgTree } from '../../lib/orgTree';
import { DEFAULT_GRADES } from '../../../../src/modules/reports/contract';
import './reports.css';


/** One subordinate org as GET /api/report-reviews sends it. */
interface ReviewItem {
  org: { id: number; name: string; kind?: string };
  report: { id: number; status: 'draft' | 'final'; title?: string; reportVersion?: number; finalizedAt?: string | null; grade?: string | null } | null;
  figures: Record<string, { label: string; value: number | null }>;
}
type ReviewAnswer = { items: (ReviewItem | ReviewRow)[]; grades?: string[] } | ReviewRow[];

const UNIT_SUFFIX: Record<string, (v: number) => string> = {
  percent: (v) => `${v}%`, fen: (v) => `${(v / 100).toFixed(2)}元`, hours: (v) => `${v}小时`, studyHours: (v) => `${v}学时`, days: (v) => `${v}天`,
};

function toRow(x: ReviewItem | ReviewRow, units: Map<string, string>): ReviewRow {
  if (!('org' in x)) return x;
  return {
    orgId: x.org.id, orgName: x.org.name, reportId: x.report?.id ?? null, status: x.report?.status ?? null, title: x.report?.title,
    grade: x.report?.grade ?? null,
    keyFigures: Object.entries(x.figures).map(([id, f]) => ({
      label: f.label, value: f.value,
      display: f.value === null ? '缺数据' : (UNIT_SUFFIX[units.get(id) ?? '']?.(f.value) ?? String(f.value)),
    })),
  };
}
type CommentsAnswer = Comment[] | { items: Comment[]; grades?: string[] };

/** Key figures of a row as [label, display] pairs, whether the server sends a list or a map. */
function figuresOf(r: ReviewRow): [string, string][] {
  const k = r.keyFigures;
  if (!k) return [];
  if (Array.isArray(k)) return k.map((x) => [x.label, String(x.display ?? x.value ?? '—')]);
  return Object.entries(k).map(([l, v]) => [l, v === null ? '—' : String(v)]);
}

/** 述职评议: a higher committee's view of its subordinate orgs' reports for a year; 点评, 等次, 整改事项. */
export function ReviewPage() {
  useTitle('述职评议');
  const { message } = App.useApp();
  const { can } = useAuth();
  const mobile = useIsMobile();
  const [params, setParams] = useSearchParams();
  const org = useDefaultOrg(params.get('org'));
  const year = Number(params.get('year')) || thisYear();
  const list = useLoad((signal) => api.get<ReviewAnswer>('/api/report-reviews', { org, year }, signal), [org, year], !!org);
  const figs = useLoad((signal) => api.get<FigureInfo[]>('/api/figures', undefined, signal), []);
  const units = useMemo(() => new Map((figs.data ?? []).map((f) => [f.id, f.unit])), [figs.data]);
  const { tree } = useOrgTree();
  const rows = (Array.isArray(list.data) ? list.data : (list.data?.items ?? [])).map((x) => toRow(x, units))
    .map((r) => ({ ...r, orgName: tree ? tree.compact(r.orgName) : r.orgName }));
  const grades = !Array.isArray(list.data) && list.data?.grades?.length ? list.data.grades : DEFAULT_GRADES;
  const labels = useMemo(() => [...new Set(rows.flatMap((r) => figuresOf(r).map(([l]) => l)))], [rows]);
  const [open, setOpen] = useState<ReviewRow | null>(null);
  const set = (k: string, v: string | number | null | undefined) => {
    const p = new URLSearchParams(params);
    if (v) p.set(k, String(v));
    else p.delete(k);
    setParams(p);
  };

  return (
    <div>
      <PageHeader title="述职评议" subtitle="查看下级党组织的年度述职报告，逐一点评、评定等次，并将问题转为整改事项" />
      <Space wrap style={{ marginBottom: 16 }}>
        <OrgTreeSelect value={org} onChange={(v) => set('org', v)} allowClear={false} style={{ minWidth: 240 }} />
        <Select value={year} onChange={(v) => set('year', v)} style={{ width: 130 }} options={yearOptions()} data-testid="review-year" />
      </Space>
      <ErrorAlert error={list.error} onRetry={list.reload} />
      {mobile ? (
        <div className="report-cards" data-testid="review-list">
          {rows.length === 0 && !list.loading ? <Empty description="没有下级党组织" /> : null}
          {rows.map((r) => (
            <Card key={r.orgId} size="small" data-testid="review-row" data-org={r.orgId} onClick={() => r.reportId && setOpen(r)} className="report-card">
              <div className="report-card-title">{r.orgName}</div>
              <Space size={4} wrap><ReportStatusTag status={r.status} />{r.grade ? <Tag color="blue">{r.grade}</Tag> : null}</Space>
              {figuresOf(r).map(([l, v]) => <div key={l} style={{ fontSize: 13 }}><span className="muted">{l}：</span>{v}</div>)}
            </Card>
          ))}
        </div>
      ) : (
        <Card size="small">
          <Table<ReviewRow> size="small" rowKey="orgId" loading={list.loading} dataSource={rows} pagination={false} scroll={{ x: 'max-content' }} data-testid="review-list"
            locale={{ emptyText: '没有下级党组织' }}
            onRow={(r) => ({ 'data-testid': 'review-row', 'data-org': r.orgId } as React.HTMLAttributes<HTMLElement>)}
            columns={[
              { title: '党组织', dataIndex: 'orgName', fixed: 'left' as const },
              { title: '报告', dataIndex: 'status', render: (s: string | null) => <ReportStatusTag status={s} /> },
              ...labels.map((l) => ({ title: l, key: l, render: (_: unknown, r: ReviewRow) => figuresOf(r).find(([x]) => x === l)?.[1] ?? '—' })),
              { title: '等次', dataIndex: 'grade', render: (g: string | null) => (g ? <Tag color="blue">{g}</Tag> : '—') },
              { title: '', key: 'ops', render: (_: unknown, r) => (r.reportId ? <Button size="small" type="primary" ghost onClick={() => setOpen(r)} data-testid="review-open">{can('reports.review') ? '查看并点评' : '查看'}</Button> : <span className="muted">未提交</span>) },
            ]} />
        </Card>
      )}
      <ReviewDrawer row={open ? (rows.find((r) => r.orgId === open.orgId) ?? open) : null} grades={grades} onClose={() => setOpen(null)} onChanged={() => list.reload()} />
    </div>
  );
}

function ReviewDrawer({ row, grades, onClose, onChanged }: { row: ReviewRow | null; grades: string[]; onClose: () => void; onChanged: () => void }) {
  const { message } = App.useApp();
  const { can } = useAuth();
  const mobile = useIsMobile();
  const reportId = row?.reportId ?? null;
  const comments = useLoad((signal) => api.get<CommentsAnswer>(`/api/reports/${reportId}/comments`, undefined, signal), [reportId], !!reportId);
  const items = Array.isArray(comments.data) ? comments.data : (comments.data?.items ?? []);
  const [form] = Form.useForm<{ strengths: string; problems: string; grade: string }>();
  const [saving, submit] = useSubmit();
  const [rect, setRect] = useState<{ commentId?: number; problem?: string } | null>(null);

  async function comment() {
    const v = await form.validateFields();
    await submit(async () => {
      await api.post(`/api/reports/${reportId}/comments`, v);
      message.success('已提交点评');
      form.resetFields();
      comments.reload();
      onChanged();
    });
  }

  return (
    <Drawer open={!!row} onClose={onClose} size={mobile ? '100%' : 600} title={row ? `${row.orgName} · 述职评议` : ''} destroyOnHidden data-testid="review-drawer"
      extra={reportId ? <Button href={REPORT_PATHS.report(reportId)} target="_blank" data-testid="review-read">阅读报告</Button> : null}>
      {row ? (
        <>
          <Space wrap style={{ marginBottom: 12 }}><ReportStatusTag status={row.status} />{figuresOf(row).map(([l, v]) => <Tag key={l}>{l}：{v}</Tag>)}</Space>
          <ErrorAlert error={comments.error} onRetry={comments.reload} />
          <List header={<b>点评意见</b>} dataSource={items} locale={{ emptyText: '尚未点评' }} data-testid="review-comments" renderItem={(c) => (
            <List.Item key={c.id} data-testid="review-comment" actions={can('reports.review') ? [<Button key="r" size="small" onClick={() => setRect({ commentId: c.id, problem: c.problems })} data-testid="rect-create">转为整改事项</Button>] : undefined}>
              <div style={{ minWidth: 0 }}>
                <Tag color="blue">等次：{c.grade}</Tag><span className="muted" style={{ fontSize: 12 }}>{c.reviewer ?? c.authorName ?? ''} {formatTimestamp(c.createdAt)}</span>
                <div><b>主要成绩：</b>{c.strengths}</div>
                <div><b>存在问题：</b>{c.problems}</div>
              </div>
            </List.Item>
          )} />
          {can('reports.review') ? (
            <Card size="small" title="点评" style={{ marginTop: 12 }}>
              <Form form={form} layout="vertical" data-testid="review-form">
                <Form.Item name="strengths" label="主要成绩" rules={[{ required: true, message: '请填写主要成绩' }]}>
                  <Input.TextArea rows={3} data-testid="review-strengths" />
                </Form.Item>
                <Form.Item name="problems" label="存在问题" rules={[{ required: true, message: '请填写存在问题' }]}>
                  <Input.TextArea rows={3} data-testid="review-problems" />
                </Form.Item>
                <Form.Item name="grade" label="评定等次" rules={[{ required: true, message: '请选择等次' }]}>
                  <Select options={grades.map((g) => ({ value: g, label: g }))} data-testid="review-grade" style={{ width: 160 }} />
                </Form.Item>
                <Button type="primary" loading={saving} onClick={comment} data-testid="review-submit">提交点评</Button>
              </Form>
            </Card>
          ) : null}
        </>
      ) : null}
      <RectificationDialog open={!!rect} reportId={reportId} commentId={rect?.commentId} problem={rect?.problem} onClose={() => setRect(null)} onDone={() => { setRect(null); comments.reload(); onChanged(); }} />
    </Drawer>
  );
}

export default ReviewPage;
