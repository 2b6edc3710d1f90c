import { useState } from 'react';
import { Button } from 'antd';
import type { AuditEntry } from '../../api/types';
import { formatTimestamp } from '../../lib/format';
import { auditActionLabel, auditEntityLabel, FIELD_LABELS } from '../../lib/labels';

const short = (v: unknown): string => {
  if (v === null || v === undefined || v === '') return '空';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 24 ? `${s.slice(0, 24)}…` : s;
};
const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const IGNORED = new Set(['version', 'updatedAt', 'updated_at', 'createdAt', 'created_at']);

/** One line about what changed: "姓名：张三 → 张珊；学历：…", or the name of what was created. */
export function changeSummary(r: AuditEntry): string {
  const { before, after } = r;
  if (isObj(before) && isObj(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
      (k) => !IGNORED.has(k) && JSON.stringify(before[k]) !== JSON.stringify(after[k]),
    );
    if (keys.length === 0) return '无字段变化';
    const parts = keys.slice(0, 3).map((k) => `${FIELD_LABELS[k] ?? k}：${short(before[k])} → ${short(after[k])}`);
    return parts.join('；') + (keys.length > 3 ? ` 等 ${keys.length} 项` : '');
  }
  if (isObj(after)) {
    const name = after.name ?? after.label ?? after.key;
    return name ? `新建“${short(name)}”` : '新建记录';
  }
  if (after !== null && after !== undefined) return `设为 ${short(after)}${before !== null && before !== undefined ? `（原为 ${short(before)}）` : ''}`;
  if (isObj(r.meta)) {
    const m = r.meta;
    if (typeof m.reason === 'string') return `理由：${m.reason}`;
    const parts = Object.entries(m)
      .filter(([, v]) => typeof v !== 'object')
      .slice(0, 3)
      .map(([k, v]) => `${META_LABELS[k] ?? FIELD_LABELS[k] ?? k}：${short(v)}`);
    return parts.join('；');
  }
  return '';
}

const META_LABELS: Record<string, string> = { ip: '地址', count: '条数', fields: '字段', runId: '批次', file: '文件', rows: '行数' };

export function JsonBlock({ title, value }: { title: string; value: unknown }) {
  return (
    <div className="json-block">
      <div className="json-title">{title}</div>
      <pre>{value === null || value === undefined ? '（无）' : JSON.stringify(value, null, 2)}</pre>
    </div>
  );
}

/** Phones: one card per entry; 详情 opens the before/after snapshot in place. */
export function AuditCards({ items, compact }: { items: AuditEntry[]; compact: (n: string | null) => string }) {
  const [open, setOpen] = useState<number | null>(null);
  return (
    <div className="audit-cards" data-testid="audit-cards">
      {items.map((r) => (
        <div className="audit-card" key={r.seq}>
          <div className="audit-card-head">
            <strong>{auditActionLabel(r.action)}</strong>
            <span>{auditEntityLabel(r.entity)}{r.entityId && r.entity !== 'session' ? ` #${r.entityId}` : ''}</span>
            <span className="muted mono audit-card-time">{formatTimestamp(r.at)}</span>
          </div>
          <div className="audit-card-line">{r.actorName ?? r.actor}{r.orgName ? ` · ${compact(r.orgName)}` : ''}</div>
          <div className="audit-card-line muted">{changeSummary(r)}</div>
          <Button type="link" size="small" className="audit-card-more" onClick={() => setOpen(open === r.seq ? null : r.seq)}>
            {open === r.seq ? '收起' : '详情'}
          </Button>
          {open === r.seq ? (
            <div className="audit-expanded">
              <JsonBlock title="变更前" value={r.before} />
              <JsonBlock title="变更后" value={r.after} />
              {r.meta ? <JsonBlock title="附加信息" value={r.meta} /> : null}
              <div className="audit-hash muted">序号 {r.seq} · 哈希 {r.hash}</div>
            </div>
          ) : null}
        </div>
      ))}
    </div>
  );
}
