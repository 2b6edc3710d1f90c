import { useEffect, useState } from 'react';
import { Alert, Descriptions, Drawer, Tag } from 'antd';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { EvidenceTable } from '../../components/EvidenceTable';
import { useIsMobile, useLoad } from '../../lib/hooks';
import type { EvidencePage, Placeholder } from './types';

const PAGE_SIZE = 20;

/** Clicking a figure in a report: its definition, value and the records behind it (paged by the server). */
export function EvidenceDrawer({ reportId, ph, final, onClose }: { reportId: number; ph: Placeholder | null; final: boolean; onClose: () => void }) {
  const mobile = useIsMobile();
  const [page, setPage] = useState(1);
  useEffect(() => setPage(1), [ph?.id]);
  const ev = useLoad(
    (signal) => api.get<EvidencePage>(`/api/reports/${reportId}/placeholders/${encodeURIComponent(ph!.id)}/evidence`, { page, pageSize: PAGE_SIZE }, signal),
    [reportId, ph?.id, page],
    !!ph && !!ph.figureId,
  );
  const d = ev.data;
  return (
    <Drawer open={!!ph} onClose={onClose} title={ph ? `${ph.label} · 数据明细` : ''} size={mobile ? '100%' : 640} destroyOnHidden data-testid="evidence-drawer">
      {ph ? (
        <>
          <Descriptions size="small" column={1} bordered style={{ marginBottom: 12 }}>
            <Descriptions.Item label="数据项">{ph.label}{ph.figureId ? <span className="figure-id muted">（{ph.figureId}）</span> : null}</Descriptions.Item>
            {ph.definition ? <Descriptions.Item label="口径">{ph.definition}</Descriptions.Item> : null}
            {ph.period ? <Descriptions.Item label="统计期间">{ph.period}</Descriptions.Item> : null}
            <Descriptions.Item label="取值">
              <span data-testid="evidence-value">{ph.display ?? ph.value ?? '—'}</span>
              {ph.status === 'override' ? <Tag color="orange" style={{ marginLeft: 8 }}>手工填写</Tag> : null}
            </Descriptions.Item>
            {ph.reason ? <Descriptions.Item label="填写理由">{ph.reason}</Descriptions.Item> : null}
          </Descriptions>
          {final && d?.digest ? (
            <Alert style={{ marginBottom: 12 }} type={d.digest.matches ? 'success' : 'warning'} showIcon data-testid="evidence-digest"
              title={d.digest.matches ? '当前记录与定稿时一致' : '定稿后记录已有变化：报告中的数字保持定稿时的值，下列明细为当前记录'} />
          ) : null}
          <ErrorAlert error={ev.error} onRetry={ev.reload} />
          {ph.figureId ? (
            <EvidenceTable items={d?.items ?? []} total={d?.total ?? 0} page={page} pageSize={PAGE_SIZE} loading={ev.loading} onPage={setPage} />
          ) : <Alert type="info" showIcon title="这是手工填写的数值，没有对应的系统记录。" />}
        </>
      ) : null}
    </Drawer>
  );
}
