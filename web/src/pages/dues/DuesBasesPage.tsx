import { useState } from 'react';
import { App, Button, Card, Empty, Input, Modal, Radio, Space, Table, Tag, type TableProps } from 'antd';
import { EditOutlined, SyncOutlined } from '@ant-design/icons';
import type { BaseView, BasesView } from '../../../../src/modules/dues/contract';
import { api, errorMessage } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { DateField } from '../../components/DateField';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useIsMobile, useLoad, useTitle } from '../../lib/hooks';
import { BaseEditor } from './BaseEditor';
import { OrgPicker, Stepper, categoryLabel, toFen, useDuesOrg, useParam, yuan } from './shared';
import './dues.css';

type Member = BasesView['members'][number];

/** The base in effect in the last month of `year` shown for a member (the latest one not after December). */
const current = (m: Member, year: number): BaseView | null => m.bases.filter((b) => b.effectiveMonth <= `${year}-12`).pop() ?? null;

/**
 * 党费基数: every member of the org with the base, category and monthly due for a year; January fixing
 * for the whole branch from last year's bases in one action; a member's base edited in a drawer with
 * the pay slip; reductions and exemptions recorded with the approving decision.
 */
export function DuesBasesPage() {
  useTitle('党费基数');
  const { can } = useAuth();
  const { message, modal } = App.useApp();
  const mobile = useIsMobile();
  const [org, setOrg] = useDuesOrg();
  const [yearParam, setYear] = useParam('year');
  const list = useLoad((signal) => api.get<BasesView>('/api/dues/bases', { org: org ?? undefined, year: yearParam ?? undefined }, signal), [org, yearParam], !!org);
  const year = list.data?.year ?? Number(yearParam);
  const [editing, setEditing] = useState<Member | null>(null);
  const [reducing, setReducing] = useState<Member | null>(null);
  const writable = can('dues.write');
  const missing = list.data?.members.filter((m) => m.missingForYear).length ?? 0;

  const carryForward = () => modal.confirm({
    title: `按上年基数生成${year}年1月基数`,
    content: `为本年度尚未核定基数的 ${missing} 名党员，按其最近一次基数（工资单或金额）在现行规则下重新计算，生成${year}年1月起的基数。没有历史基数的党员需逐人核定。`,
    okText: '生成', cancelText: '取消',
    onOk: async () => {
      try {
        const out = await api.post<{ created: unknown[]; missing: { name: string }[] }>('/api/dues/bases/carry-forward', { orgId: org, year });
        message.success(`已生成 ${out.created.length} 人的1月基数${out.missing.length ? `；${out.missing.map((m) => m.name).join('、')} 没有历史基数，请逐人核定` : ''}`);
        list.reload();
      } catch (e) {
        message.error(errorMessage(e));
      }
    },
  });

  const columns: TableProps<Member>['columns'] = [
    { title: '姓名', dataIndex: 'name', width: 110, fixed: 'left', render: (n: string, m) => <span>{n}{m.stage === 'probationary' ? <Tag color="orange" className="dues-inline-tag">预备</Tag> : null}</span> },
    { title: '类别', width: 90, render: (_, m) => categoryLabel(current(m, year)?.category) || '—' },
    { title: '基数（元）', width: 110, align: 'right', render: (_, m) => { const b = current(m, year); return b?.baseFen != null ? yuan(b.baseFen) : b?.flatFen != null ? `标准 ${yuan(b.flatFen)}` : '—'; } },
    { title: '月应缴（元）', width: 110, align: 'right', render: (_, m) => <b>{yuan(current(m, year)?.monthlyDueFen ?? null)}</b> },
    {
      title: '生效月份', width: 150,
      render: (_, m) => (
        <span>
          {m.bases.map((b) => <Tag key={b.id} title={b.reason ?? undefined}>{b.effectiveMonth}</Tag>)}
          {m.missingForYear ? <Tag color="orange">本年度未核定</Tag> : null}
        </span>
      ),
    },
    { title: '规则', width: 90, render: (_, m) => current(m, year)?.ruleSet ?? '—' },
    {
      title: '减免', width: 150,
      render: (_, m) => m.reductions.map((r) => <Tag key={r.id} color="blue" title={`${r.decision.approvedBy} ${r.decision.documentNo}`}>{r.kind === 'exemption' ? '免交' : `减交${yuan(r.monthlyFen)}`} {r.fromMonth}{r.toMonth && r.toMonth !== r.fromMonth ? `至${r.toMonth}` : ''}</Tag>),
    },
    ...(writable ? [{
      title: '操作', width: 150, fixed: mobile ? undefined : ('right' as const),
      render: (_: unknown, m: Member) => (
        <Space size={0}>
          <Button type="link" icon={<EditOutlined />} onClick={() => setEditing(m)} data-testid={`dues-base-edit-${m.personId}`}>核定</Button>
          <Button type="link" onClick={() => setReducing(m)}>减免</Button>
        </Space>
      ),
    }] : []),
  ];

  return (
    <div className="page dues-page">
      <PageHeader title="党费基数" subtitle={list.data ? `${list.data.org.name} · ${list.data.settings.ruleSet}` : '每年1月核定，年中调整须说明理由'}
        extra={writable && org ? <Button icon={<SyncOutlined />} onClick={carryForward} disabled={!missing} data-testid="dues-carry-forward">按上年基数生成1月基数</Button> : null} />
      <Card className="section-card dues-toolbar" size="small">
        <OrgPicker value={org} onChange={setOrg} />
        {year ? <Stepper label={`${year}年`} onPrev={() => setYear(String(year - 1))} onNext={() => setYear(String(year + 1))} /> : null}
      </Card>
      {!org ? <Empty description="请选择党支部" /> : null}
      <ErrorAlert error={list.error} onRetry={list.reload} />
      {list.data ? (
        <Card className="section-card" styles={{ body: { padding: 0 } }}>
          <Table rowKey="personId" size="small" columns={columns} dataSource={list.data.members} loading={list.loading} pagination={false} scroll={{ x: 960 }} />
        </Card>
      ) : null}
      {list.data ? (
        <BaseEditor open={!!editing} person={editing} latest={editing ? current(editing, year) : null} year={year} settings={list.data.settings}
          onClose={() => setEditing(null)} onSaved={() => { setEditing(null); list.reload(); }} />
      ) : null}
      <ReductionDialog member={reducing} year={year} onClose={() => setReducing(null)} onSaved={() => { setReducing(null); list.reload(); }} />
    </div>
  );
}

function ReductionDialog({ member, year, onClose, onSaved }: { member: Member | null; year: number; onClose: () => void; onSaved: () => void }) {
  const { message } = App.useApp();
  const [kind, setKind] = useState<'exemption' | 'reduction'>('exemption');
  const [from, setFrom] = useState(`${year}-01`);
  const [to, setTo] = useState('');
  const [monthly, setMonthly] = useState('');
  const [d, setD] = useState({ approvedBy: '', approvedOn: '', documentNo: '', reason: '' });
  const [busy, setBusy] = useState(false);
  const ok = async () => {
    if (!member) return;
    setBusy(true);
    try {
      await api.post('/api/dues/reductions', { personId: member.personId, kind, fromMonth: from, toMonth: to || null, monthlyFen: kind === 'reduction' ? toFen(Number(monthly)) : null, decision: d });
      message.success(`已登记${member.name}的${kind === 'exemption' ? '免交' : '减交'}`);
      onSaved();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={!!member} title={`减交或免交：${member?.name ?? ''}`} okText="登记" cancelText="取消" onOk={ok} onCancel={onClose} confirmLoading={busy} destroyOnHidden>
      <div className="dues-form">
        <p className="dialog-lead">确有困难的党员，经党支部研究、报上一级党委批准，可以少交或免交党费（第七条）。请填写批准决定。</p>
        <Radio.Group value={kind} onChange={(e) => setKind(e.target.value)} optionType="button" options={[{ value: 'exemption', label: '免交' }, { value: 'reduction', label: '减交' }]} />
        <Space.Compact block>
          <DateField picker="month" value={from || null} onChange={(v) => setFrom(v ?? '')} aria-label="开始月份" placeholder="开始月份" />
          <DateField picker="month" value={to || null} onChange={(v) => setTo(v ?? '')} aria-label="结束月份（不填为长期）" placeholder="结束月份（不填为长期）" />
        </Space.Compact>
        {kind === 'reduction' ? <Input value={monthly} onChange={(e) => setMonthly(e.target.value)} inputMode="decimal" placeholder="减交后每月金额" suffix="元" /> : null}
        <Input placeholder="批准的党组织" value={d.approvedBy} onChange={(e) => setD({ ...d, approvedBy: e.target.value })} maxLength={80} />
        <DateField value={d.approvedOn || null} onChange={(v) => setD({ ...d, approvedOn: v ?? '' })} placeholder="批准日期" />
        <Input placeholder="文号" value={d.documentNo} onChange={(e) => setD({ ...d, documentNo: e.target.value })} maxLength={60} />
        <Input.TextArea placeholder="理由" value={d.reason} onChange={(e) => setD({ ...d, reason: e.target.value })} maxLength={300} rows={2} />
      </div>
    </Modal>
  );
}

export default DuesBasesPage;
