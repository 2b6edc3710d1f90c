import { useEffect, useState } from 'react';
import { Modal, Table } from 'antd';
import { api } from '../../api/client';
import type { EvidenceRow, FigureResult } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useIsMobile, useLoad } from '../../lib/hooks';
import type { OrgTree } from '../../lib/orgTree';

export interface EvidenceRequest {
  figureId: string;
  by?: string;
  title: string;
}

const PAGE_SIZE = 20;

/**
 * 查看明细: the evidence rows behind a figure (the members or orgs it counts), paged by the server.
 * A count's evidence has exactly `value` rows, so the total here equals the number on the chart.
 */
export function EvidenceModal({ req, org, to, tree, onClose }: { req: EvidenceRequest | null; org?: number; to?: string; tree: OrgTree | null; onClose: () => void }) {
  const mobile = useIsMobile();
  const [page, setPage] = useState(1);
  useEffect(() => setPage(1), [req?.figureId, req?.by]);
  const data = useLoad(
    (signal) => api.get<FigureResult>(`/api/figures/${req!.figureId}`, { org, to, by: req!.by, page, pageSize: PAGE_SIZE }, signal),
    [req?.figureId, req?.by, org, to, page],
    !!req,
  );
  const d = data.data;
  const breakdown = new Map((d?.value.breakdown ?? []).map((b) => [b.key, b.label]));
  // Evidence labels may end in the dimension's key, "丁军（male）": show the Chinese label instead.
  const label = (s: string) => s.replace(/（([^（）]+)）$/u, (all, key: string) => (breakdown.has(key) ? `（${breakdown.get(key)}）` : all));
  const orgName = (id: number | null) => (id !== null && tree ? tree.compact(tree.byId.get(id)?.name ?? '') : '');
  const isOrg = req?.figureId.startsWith('orgs.');

  return (
    <Modal open={!!req} title={`${req?.title ?? ''} · 明细`} footer={null} onCancel={onClose} width={760} destroyOnHidden>
      <ErrorAlert error={data.error} onRetry={data.reload} />
      {d ? <p className="dialog-lead">{d.figure.definition}</p> : null}
      <Table<EvidenceRow>
        data-testid="evidence-table"
        size="small"
        rowKey={(r) => `${r.entity}:${r.id}`}
        loading={data.loading}
        dataSource={d?.evidence.items ?? []}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: '序号', key: 'n', width: 64, render: (_: unknown, _r, i) => (page - 1) * PAGE_SIZE + i + 1 },
          { title: isOrg ? '组织' : '姓名', dataIndex: 'label', render: (s: string) => label(s) },
          ...(isOrg ? [] : [{ title: '所在党组织', dataIndex: 'orgId', render: (id: number | null) => orgName(id) }]),
          { title: isOrg ? '成立日期' : '记录起始日期', dataIndex: 'date', width: 130 },
        ]}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: d?.evidence.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
          size: 'small',
          simple: mobile,
          showTotal: mobile ? undefined : (t) => `共 ${t} 条`,
        }}
      />
    </Modal>
  );
}
