import { Link } from 'react-router';
import { Space, Table } from 'antd';
import type { EvidenceRow } from '../api/types';
import { useIsMobile } from '../lib/hooks';
import { useOrgTree } from '../lib/orgTree';

/** Where a record of an evidence row can be opened (only entities with a page of their own). */
const RECORD_PATHS: Record<string, { path: (id: number | string) => string; label: string }> = {
  meeting: { path: (id) => `/orgLife/meetings/${id}`, label: '会议记录' },
};

/** Links to the records behind a row: the row itself (a meeting) or the records it refers to (the meetings that met an obligation). */
export function RecordLinks({ row }: { row: EvidenceRow }) {
  const own = RECORD_PATHS[row.entity] ? [{ entity: row.entity, id: row.id }] : [];
  const links = [...own, ...(row.refs ?? []).filter((r) => RECORD_PATHS[r.entity])];
  if (!links.length) return null;
  return (
    <Space size={4} wrap>
      {links.map((r, i) => (
        <Link key={`${r.entity}:${r.id}`} to={RECORD_PATHS[r.entity]!.path(r.id)} data-testid="evidence-record-link">
          {RECORD_PATHS[r.entity]!.label}{links.length > 1 ? i + 1 : ''}
        </Link>
      ))}
    </Space>
  );
}

/**
 * The records behind a figure, paged by the server (reports' figure drawer, the assessment score
 * evidence): 序号, the record, its org, date and what it counts, with links to meeting records.
 */
export function EvidenceTable({ items, total, page, pageSize, loading, onPage, testId = 'evidence-rows' }: {
  items: EvidenceRow[]; total: number; page: number; pageSize: number; loading?: boolean; onPage: (p: number) => void; testId?: string;
}) {
  const mobile = useIsMobile();
  const { tree } = useOrgTree();
  const orgName = (id: number | null) => (id !== null && tree ? tree.compact(tree.byId.get(id)?.name ?? '') : '');
  // a label that begins with its org's full name (an obligation row) reads without it: the org has its own column
  const label = (r: EvidenceRow) => {
    const full = r.orgId !== null && tree ? tree.byId.get(r.orgId)?.name : undefined;
    return full && r.label.startsWith(`${full} `) ? r.label.slice(full.length + 1) : r.label;
  };
  const linked = items.some((r) => RECORD_PATHS[r.entity] || r.refs?.some((x) => RECORD_PATHS[x.entity]));
  return (
    <Table<EvidenceRow>
      data-testid={testId}
      size="small"
      rowKey={(r) => `${r.entity}:${r.id}`}
      loading={loading}
      dataSource={items}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: '没有对应的记录' }}
      columns={[
        { title: '序号', key: 'n', width: 60, render: (_: unknown, _r, i) => (page - 1) * pageSize + i + 1 },
        { title: '记录', key: 'label', render: (_: unknown, r: EvidenceRow) => label(r) },
        { title: '党组织', dataIndex: 'orgId', render: (id: number | null) => orgName(id) },
        { title: '日期', dataIndex: 'date', width: 110, render: (v: string | null) => v ?? '—' },
        { title: '计数', dataIndex: 'contributes', width: 60 },
        ...(linked ? [{ title: '原始记录', key: 'links', render: (_: unknown, r: EvidenceRow) => <RecordLinks row={r} /> }] : []),
      ]}
      pagination={{ current: page, pageSize, total, onChange: onPage, showSizeChanger: false, size: 'small', simple: mobile, showTotal: mobile ? undefined : (t) => `共 ${t} 条` }}
    />
  );
}
