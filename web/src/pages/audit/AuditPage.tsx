import { useState } from 'react';
import { Card, Col, Empty, Pagination, Row, Select, Table } from 'antd';
import { api } from '../../api/client';
import type { AuditEntry, Page } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatTimestamp } from '../../lib/format';
import { useIsMobile, useLoad, useTitle } from '../../lib/hooks';
import { AUDIT_ACTION_OPTIONS, AUDIT_ENTITY_OPTIONS, auditActionLabel, auditEntityLabel } from '../../lib/labels';
import { useOrgTree } from '../../lib/orgTree';
import { AuditCards, changeSummary, JsonBlock } from './changes';

/** 审计日志: every write, newest first, with who, what, where, and the before/after snapshot. */
export default function AuditPage() {
  useTitle('审计日志');
  const mobile = useIsMobile();
  const { tree } = useOrgTree();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [entity, setEntity] = useState<string>();
  const [action, setAction] = useState<string>();
  const list = useLoad((signal) => api.get<Page<AuditEntry>>('/api/audit', { page, pageSize, entity, action }, signal), [page, pageSize, entity, action]);
  const compact = (n: string | null) => (n ? (tree ? tree.compact(n) : n) : '—');

  return (
    <div className="page">
      <PageHeader title="审计日志" subtitle="所有新增、修改、查看个人信息和登录等操作均按时间顺序记录，逐条哈希链接，不可篡改。" />
      <Card className="section-card">
        <Row gutter={[12, 12]}>
          <Col xs={12} md={6}>
            <Select
              value={entity}
              onChange={(v) => { setEntity(v); setPage(1); }}
              options={AUDIT_ENTITY_OPTIONS}
              placeholder="全部对象"
              allowClear
              style={{ width: '100%' }}
              data-testid="audit-filter-entity"
            />
          </Col>
          <Col xs={12} md={6}>
            <Select
              value={action}
              onChange={(v) => { setAction(v); setPage(1); }}
              options={AUDIT_ACTION_OPTIONS}
              placeholder="全部操作"
              allowClear
              style={{ width: '100%' }}
              data-testid="audit-filter-action"
            />
          </Col>
        </Row>
      </Card>
      <ErrorAlert error={list.error} onRetry={list.reload} />
      <Card className="section-card" styles={{ body: mobile ? { padding: 0 } : undefined }}>
        {mobile ? (
          <>
            {list.data && list.data.items.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无记录" /> : null}
            <AuditCards items={list.data?.items ?? []} compact={compact} />
            {list.data && list.data.total > pageSize ? (
              <Pagination className="list-pagination audit-pagination" simple current={page} pageSize={pageSize} total={list.data.total} onChange={setPage} />
            ) : null}
          </>
        ) : (
        <Table<AuditEntry>
          data-testid="audit-table"
          rowKey="seq"
          size="middle"
          loading={list.loading}
          dataSource={list.data?.items ?? []}
          scroll={{ x: 900 }}
          expandable={{
            expandedRowRender: (r) => (
              <div className="audit-expanded">
                <JsonBlock title="变更前" value={r.before} />
                <JsonBlock title="变更后" value={r.after} />
                {r.meta ? <JsonBlock title="附加信息" value={r.meta} /> : null}
                <div className="audit-hash muted">序号 {r.seq} · 哈希 {r.hash}</div>
              </div>
            ),
          }}
          columns={[
            { title: '时间', dataIndex: 'at', width: 170, render: (t: string) => <span className="mono">{formatTimestamp(t)}</span> },
            { title: '操作人', dataIndex: 'actorName', width: 170, render: (n: string | null, r) => n ?? r.actor },
            { title: '操作', dataIndex: 'action', width: 110, render: auditActionLabel },
            { title: '对象', dataIndex: 'entity', width: 120, render: (e: string, r) => `${auditEntityLabel(e)}${r.entityId && e !== 'session' ? ` #${r.entityId}` : ''}` },
            { title: '组织', dataIndex: 'orgName', width: 200, ellipsis: { showTitle: false }, render: (n: string | null) => <span title={n ?? ''}>{compact(n)}</span> },
            { title: '变更摘要', key: 'summary', render: (_: unknown, r) => <span className="audit-summary">{changeSummary(r)}</span> },
          ]}
          pagination={{
            current: page,
            pageSize,
            total: list.data?.total ?? 0,
            onChange: (p, ps) => { setPage(p); setPageSize(ps); },
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100],
            showTotal: (t) => `共 ${t} 条`,
          }}
        />
        )}
      </Card>
    </div>
  );
}
