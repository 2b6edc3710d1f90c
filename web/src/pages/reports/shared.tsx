import { Tag } from 'antd';
import { useMe } from '../../auth/AuthContext';
import { todayIso } from '../../lib/format';

/** Route paths of the reports pages (wired in web/src/routes.tsx). */
export const REPORT_PATHS = {
  list: '/reports',
  report: (id: number | string) => `/reports/${id}`,
  templates: '/reports/templates',
  template: (key: string) => `/reports/templates/${encodeURIComponent(key)}`,
  review: '/reports/review',
  rectifications: '/reports/rectifications',
  figures: '/figures',
} as const;

export const KIND_LABELS: Record<string, string> = { dutyReport: '述职报告', workSummary: '工作总结' };

export function ReportStatusTag({ status }: { status: string | null | undefined }) {
  if (status === 'final') return <Tag color="green">已定稿</Tag>;
  if (status === 'draft') return <Tag color="blue">草稿</Tag>;
  return <Tag>未提交</Tag>;
}

export function RectStatusTag({ status, deadline }: { status: string; deadline?: string }) {
  if (status === 'closed') return <Tag color="green">已销号</Tag>;
  if (deadline && deadline < todayIso()) return <Tag color="red">已逾期</Tag>;
  return <Tag color="orange">整改中</Tag>;
}

/** The org a page opens on: ?org= when given, else the user's first grant. */
export function useDefaultOrg(param: string | null): number | undefined {
  const me = useMe();
  const fromParam = Number(param);
  if (fromParam) return fromParam;
  return me?.grants[0]?.orgId;
}

export const thisYear = () => Number(todayIso().slice(0, 4));
export const yearOptions = (n = 5) => Array.from({ length: n }, (_, k) => ({ value: thisYear() - k, label: `${thisYear() - k}年度` }));

/** Text of a candidate problem or plan item, whatever key the server put it under. */
export function candidateText(c: string | { text?: string; title?: string; message?: string; problem?: string; label?: string }): string {
  if (typeof c === 'string') return c;
  return c.text ?? c.title ?? c.message ?? c.problem ?? c.label ?? '';
}

/** Plain text → minimal HTML paragraphs (the server sanitizes; this only keeps line breaks). */
export function textToHtml(text: string): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return text.split(/\n+/).map((l) => l.trim()).filter(Boolean).map((l) => `<p>${esc(l)}</p>`).join('');
}

/** Minimal HTML → plain text with one line per paragraph (for the textarea editor). */
export function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>\s*/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
    .replace(/\n+$/, '');
}
