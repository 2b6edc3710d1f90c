import { Table, Tag } from 'antd';
import { RightOutlined } from '@ant-design/icons';
import type { FindingSummaryRow } from '../../api/types';
import { orgKindLabel, SEVERITIES } from '../../lib/labels';
import { useIsMobile } from '../../lib/hooks';

/**
 * Counts of open findings per child org (the first row is the current org with its whole subtree).
 * Clicking a child drills down: the same view for that org.
 */
export function FindingsSummary({ rows, onOpen, compact }: { rows: FindingSummaryRow[]; onOpen: (id: number) => void; compact: (name: string) => string }) {
  const mobile = useIsMobile();
  const children = rows.filter((r) => !r.isRoot);
  if (mobile) {
    return (
      <div className="summary-cards" data-testid="findings-summary">
        {children.map((r) => (
          <button type="button" className="summary-card" key={r.id} onClick={() => onOpen(r.id)} data-testid="summary-row">
            <div className="summary-card-main">
              <div className="summary-card-name">{compact(r.name)}</div>
              <div className="summary-card-tags">
                {r.total === 0 ? <span className="muted">无待办</span> : null}
                {SEVERITIES.filter((s) => r.counts[s.key]).map((s) => (
                  <Tag key={s.key} color={s.color}>{s.label} {r.counts[s.key]}</Tag>
                ))}
              </div>
            </div>
            <RightOutlined className="muted" />
          </button>
        ))}
      </div>
    );
  }
  return (
    <Table<FindingSummaryRow>
      data-testid="findings-summary"
      rowKey="id"
      size="middle"
      dataSource={children}
      pagination={false}
      scroll={{ x: 'max-content' }}
      onRow={(r) => ({ onClick: () => onOpen(r.id), className: 'clickable-row', 'data-testid': 'summary-row' } as React.HTMLAttributes<HTMLElement>)}
      columns={[
        {
          title: '下级组织',
          dataIndex: 'name',
          render: (name: string, r) => (
            <span>
              <a onClick={(e) => { e.preventDefault(); onOpen(r.id); }} href={`/?org=${r.id}`}>{compact(name)}</a>
              <span className="muted cell-sub">{orgKindLabel(r.kind)}</span>
            </span>
          ),
        },
        ...SEVERITIES.map((s) => ({
          title: <Tag color={s.color} className="th-tag">{s.label}</Tag>,
          key: s.key,
          align: 'center' as const,
          width: 110,
          render: (_: unknown, r: FindingSummaryRow) => (r.counts[s.key] ? <strong>{r.counts[s.key]}</strong> : <span className="muted">0</span>),
        })),
        { title: '合计', dataIndex: 'total', align: 'center' as const, width: 80, render: (n: number) => (n ? <strong>{n}</strong> : <span className="muted">0</span>) },
      ]}
    />
  );
}
