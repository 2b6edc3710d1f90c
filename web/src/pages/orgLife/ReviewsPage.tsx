import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { App, Button, Card, Input, InputNumber, Modal, Select, Space, Table, Tag } from 'antd';
import { api, errorMessage } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { OrgTreeSelect } from '../../components/OrgTreeSelect';
import { PageHeader } from '../../components/PageHeader';
import { useLoad, useTitle } from '../../lib/hooks';
import { thisYear, useDefaultOrg } from './shared';
import './orgLife.css';

interface Round { id: number; orgId: number; orgName: string; forYear: number; status: string; concludedOn: string | null; members: number; graded: number }
interface ResultRow { personId: number; name: string; selfAssessment: string | null; peerTally: Record<string, number>; grade: string | null; comment: string | null }
interface RoundDetail { id: number; orgName: string; forYear: number; status: string; grades: string[]; version: number; results: ResultRow[] }

/** 民主评议党员: yearly rounds per branch; self-assessment, peer tallies per grade, the branch's grade. */
export function ReviewsPage() {
  useTitle('民主评议党员');
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const org = useDefaultOrg(params.get('org'));
  const [year, setYear] = useState<number | undefined>(undefined);
  const [openId, setOpenId] = useState<number | null>(null);
  const [rows, setRows] = useState<ResultRow[]>([]);
  const [error, setError] = useState<unknown>(null);
  const list = useLoad((signal) => api.get<Round[]>('/api/orgLife/reviews', { org, year }, signal), [org, year], !!org);
  const detail = useLoad(async (signal) => {
    const d = await api.get<RoundDetail>(`/api/orgLife/reviews/${openId}`, undefined, signal);
    setRows(d.results);
    return d;
  }, [openId], !!openId);

  async function start() {
    try {
      const r = await api.post<{ id: number }>('/api/orgLife/reviews', { orgId: org, forYear: year ?? thisYear() });
      message.success('已开展民主评议，名单为该年度本支部党员');
      list.reload();
      setOpenId(r.id);
    } catch (e) {
      message.error(errorMessage(e));
    }
  }
  async function save(conclude: boolean) {
    if (!detail.data) return;
    try {
      await api.put('/api/orgLife/reviews/' + detail.data.id, { version: detail.data.version, conclude, results: rows.map((r) => ({ personId: r.personId, selfAssessment: r.selfAssessment, peerTally: r.peerTally, grade: r.grade, comment: r.comment })) });
      message.success(conclude ? '已完成评定' : '已保存');
      list.reload();
      detail.reload();
      if (conclude) setOpenId(null);
    } catch (e) {
      setError(e);
    }
  }
  const patch = (id: number, p: Partial<ResultRow>) => setRows((rs) => rs.map((r) => (r.personId === id ? { ...r, ...p } : r)));
  const d = detail.data;

  return (
    <div>
      <PageHeader title="民主评议党员" subtitle="个人自评、党员互评、民主测评，支部评定等次" extra={<Button type="primary" onClick={start} disabled={!org}>开展{year ?? thisYear()}年度评议</Button>} />
      <Space wrap style={{ marginBottom: 16 }}>
        <OrgTreeSelect value={org} onChange={(v) => v && setParams({ org: String(v) })} allowClear={false} style={{ minWidth: 240 }} />
        <Select allowClear placeholder="全部年度" value={year} onChange={setYear} style={{ width: 140 }} options={[0, 1, 2, 3].map((k) => ({ value: thisYear() - k, label: `${thisYear() - k}年度` }))} />
      </Space>
      <ErrorAlert error={list.error} onRetry={list.reload} />
      <Card size="small">
        <Table size="small" rowKey="id" loading={list.loading} dataSource={list.data ?? []} pagination={false} scroll={{ x: true }} columns={[
          { title: '党支部', dataIndex: 'orgName' },
          { title: '年度', dataIndex: 'forYear' },
          { title: '状态', dataIndex: 'status', render: (s: string) => (s === 'concluded' ? <Tag color="green">已评定</Tag> : <Tag color="blue">进行中</Tag>) },
          { title: '已评定/人数', render: (_: unknown, r: Round) => `${r.graded}/${r.members}` },
          { title: '评定日期', dataIndex: 'concludedOn', render: (v: string | null) => v ?? '—' },
          { title: '', render: (_: unknown, r: Round) => <Button size="small" onClick={() => setOpenId(r.id)}>{r.status === 'concluded' ? '查看' : '评议'}</Button> },
        ]} />
      </Card>
      <Modal open={!!openId} onCancel={() => setOpenId(null)} width={960} title={d ? `${d.orgName} ${d.forYear}年度民主评议` : '民主评议'}
        footer={d?.status === 'open' ? [<Button key="s" onClick={() => save(false)}>保存</Button>, <Button key="c" type="primary" onClick={() => save(true)}>完成评定</Button>] : null}>
        <ErrorAlert error={error || detail.error} />
        {d ? (
          <div className="orglife-scroll">
            <Table size="small" rowKey="personId" pagination={false} dataSource={rows} scroll={{ x: 'max-content' }} columns={[
              { title: '姓名', dataIndex: 'name', fixed: 'left' as const },
              { title: '个人自评', render: (_: unknown, r: ResultRow) => <Input.TextArea rows={1} disabled={d.status !== 'open'} value={r.selfAssessment ?? ''} onChange={(e) => patch(r.personId, { selfAssessment: e.target.value || null })} style={{ minWidth: 180 }} /> },
              ...d.grades.map((g) => ({ title: `互评：${g}`, render: (_: unknown, r: ResultRow) => <InputNumber min={0} size="small" disabled={d.status !== 'open'} value={r.peerTally[g] ?? 0} onChange={(v) => patch(r.personId, { peerTally: { ...r.peerTally, [g]: Number(v ?? 0) } })} style={{ width: 70 }} /> })),
              { title: '评定等次', render: (_: unknown, r: ResultRow) => <Select size="small" disabled={d.status !== 'open'} value={r.grade ?? undefined} placeholder="选择" onChange={(v) => patch(r.personId, { grade: v })} options={d.grades.map((g) => ({ value: g, label: g }))} style={{ width: 110 }} /> },
            ]} />
          </div>
        ) : null}
      </Modal>
    </div>
  );
}

export default ReviewsPage;
