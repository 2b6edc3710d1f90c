import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { Button, Card, Descriptions, Empty, Select, Space, Tag, Timeline, Typography } from 'antd';
import { api } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { ErrorAlert } from '../../components/ErrorAlert';
import { OrgTreeSelect } from '../../components/OrgTreeSelect';
import { PageHeader } from '../../components/PageHeader';
import { todayIso } from '../../lib/format';
import { useLoad, useTitle } from '../../lib/hooks';
import { useOrgTree } from '../../lib/orgTree';
import { thisYear, useDefaultOrg, yearOptions } from '../reports/shared';
import { CloseDialog, DecideDialog, PlanDialog, ProgressDialog } from './WeakOrgDialogs';
import { WEAK_ORG_RULE_SET, type Finding, type WeakOrgEntry } from './shared';
import './assessment.css';

interface FindingsPage { total: number; items: Finding[] }

function EntryStatus({ e }: { e: WeakOrgEntry }) {
  if (e.status === 'closed') return <Tag color="green">已销号</Tag>;
  if (e.deadline < todayIso()) return <Tag color="red">逾期未销号</Tag>;
  return <Tag color="orange">整顿中</Tag>;
}

const CANDIDATES_SHOWN = 5;

/**
 * A candidate's message as category tag and facts: the year prefix and the closing instruction
 * ("请上级党组织研究认定…", which the buttons already say) are left out.
 */
function Proposal({ text }: { text: string }) {
  const m = /（(第[^）]+类：[^）]+)）：(.*?)。?(请上级党组织研究认定或排除，并写明理由)?$/.exec(text);
  if (!m) return <div className="assess-card-text">{text}</div>;
  return <div className="assess-card-text"><Tag color="volcano" className="assess-category">{m[1]}</Tag>{m[2]}。</div>;
}

/**
 * 软弱涣散党组织台账 (DOMAIN.md §9.2): this year's candidates proposed from the records wait for the higher
 * committee's decision; a confirmed org gets a rectification plan, progress entries and a close-out
 * (销号) with the acceptance material. Nothing enters the ledger without a person's decision.
 */
export function WeakOrgsPage() {
  useTitle('软弱涣散党组织台账');
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const org = useDefaultOrg(params.get('org'));
  const year = params.get('year') ? Number(params.get('year')) : thisYear();
  const { tree } = useOrgTree();
  const compact = (n: string) => (tree ? tree.compact(n) : n);
  const set = (k: string, v: string | number | undefined | null) => {
    const p = new URLSearchParams(params);
    if (v === undefined || v === null || v === '') p.delete(k);
    else p.set(k, String(v));
    setParams(p);
  };
  const ledger = useLoad((signal) => api.get<WeakOrgEntry[]>('/api/weak-orgs', { org, year }, signal), [org, year], !!org);
  const open = useLoad((signal) => api.get<FindingsPage>('/api/findings', { org, status: 'open', pageSize: 200 }, signal), [org], !!org && can('findings.read'));
  const decided = useLoad((signal) => api.get<FindingsPage>('/api/findings', { org, status: 'decided', pageSize: 200 }, signal), [org], !!org && can('findings.read'));
  const reload = () => { ledger.reload(); open.reload(); decided.reload(); };
  const [deciding, setDeciding] = useState<Finding | null>(null);
  const [planning, setPlanning] = useState<Finding | null>(null);
  const [progressOf, setProgressOf] = useState<WeakOrgEntry | null>(null);
  const [closing, setClosing] = useState<WeakOrgEntry | null>(null);
  const [showAll, setShowAll] = useState(false);

  const mine = (f: Finding) => f.ruleSet === WEAK_ORG_RULE_SET && f.period === String(year);
  const candidates = (open.data?.items ?? []).filter(mine);
  const planned = new Set((ledger.data ?? []).map((e) => e.findingId));
  const toPlan = (decided.data?.items ?? []).filter((f) => mine(f) && f.decision?.confirmed === true && !planned.has(f.id));
  const entries = ledger.data ?? [];
  const canDecide = can('findings.dismiss');
  const canWrite = can('assessment.write');
  const done = () => { setDeciding(null); setPlanning(null); setProgressOf(null); setClosing(null); reload(); };

  return (
    <div>
      <PageHeader title="软弱涣散党组织台账" subtitle="按记录排查候选，经上级党组织研究认定后逐个制定整顿方案、记录进展、验收销号" />
      <Space wrap style={{ marginBottom: 16 }}>
        <OrgTreeSelect value={org} onChange={(v) => set('org', v)} allowClear={false} style={{ minWidth: 240 }} />
        <Select value={year} onChange={(v) => set('year', v)} style={{ width: 130 }} options={yearOptions()} data-testid="weak-year" />
      </Space>
      <ErrorAlert error={ledger.error ?? open.error ?? decided.error} onRetry={reload} />

      <Typography.Title level={2} className="assess-section-title">{year}年度台账（{entries.length} 个，已销号 {entries.filter((e) => e.status === 'closed').length} 个）</Typography.Title>
      {entries.length === 0 ? <Empty className="assess-empty" description={ledger.loading ? '正在加载…' : '本年度没有认定的软弱涣散党组织'} /> : null}
      <div className="assess-cards" data-testid="weak-ledger">
        {entries.map((e) => (
          <Card key={e.id} size="small" data-testid="weak-entry"
            title={<span className="assess-entry-title">{compact(e.orgName)}</span>} extra={<EntryStatus e={e} />}>
            <Descriptions size="small" column={1} className="assess-entry-facts">
              <Descriptions.Item label="排查情况"><Proposal text={e.proposal} /></Descriptions.Item>
              {e.decision ? <Descriptions.Item label="认定">{e.decision.decidedBy}（{e.decision.decidedOn}）：{e.decision.outcome}</Descriptions.Item> : null}
              <Descriptions.Item label="整顿措施">{e.measures}</Descriptions.Item>
              <Descriptions.Item label="责任人">{e.ownerName}</Descriptions.Item>
              <Descriptions.Item label="联系领导">{e.leaderName}</Descriptions.Item>
              <Descriptions.Item label="整顿期限">{e.deadline}</Descriptions.Item>
            </Descriptions>
            <div className="assess-progress-title">整顿进展</div>
            {e.progress.length ? (
              <Timeline className="assess-timeline" items={[
                ...e.progress.map((p) => ({ key: p.id, content: <><span className="muted">{p.enteredOn}</span> {p.content}</> })),
                ...(e.status === 'closed' ? [{ key: 'close', color: 'green', content: <><span className="muted">{e.closedOn}</span> 销号：{e.closeDecidedBy}决定，{e.closeDecision}{e.closeAttachmentIds.map((id, i) => <a key={id} href={`/api/attachments/${id}`} target="_blank" rel="noreferrer" style={{ marginLeft: 8 }}>验收材料{e.closeAttachmentIds.length > 1 ? i + 1 : ''}</a>)}</> }] : []),
              ]} />
            ) : <div className="muted" style={{ marginBottom: 8 }}>尚未记录进展</div>}
            {canWrite && e.status !== 'closed' ? (
              <Space wrap>
                <Button size="small" onClick={() => setProgressOf(e)} data-testid="weak-progress">记录进展</Button>
                <Button size="small" type="primary" onClick={() => setClosing(e)} data-testid="weak-close">验收销号</Button>
              </Space>
            ) : null}
          </Card>
        ))}
      </div>
      {toPlan.length ? (
        <>
          <Typography.Title level={2} className="assess-section-title">已认定、待制定整顿方案（{toPlan.length} 个）</Typography.Title>
          <div className="assess-cards">
            {toPlan.map((f) => (
              <Card key={f.id} size="small" data-testid="weak-to-plan">
                <div className="assess-card-title">{compact(f.orgName)}</div>
                <div className="assess-card-text">{f.decision?.decidedBy}（{f.decision?.decidedOn}）：{f.decision?.outcome}</div>
                {canWrite ? <Button size="small" type="primary" onClick={() => setPlanning(f)}>制定整顿方案</Button> : null}
              </Card>
            ))}
          </div>
        </>
      ) : null}

      <Typography.Title level={2} className="assess-section-title">排查候选（待认定 {candidates.length} 个）</Typography.Title>
      {candidates.length === 0 ? <Empty className="assess-empty" description={open.loading ? '正在加载…' : '没有待认定的候选'} /> : (
        <div className="assess-cards" data-testid="weak-candidates">
          {(showAll ? candidates : candidates.slice(0, CANDIDATES_SHOWN)).map((f) => (
            <Card key={f.id} size="small" data-testid="weak-candidate">
              <div className="assess-card-title">{compact(f.orgName)}</div>
              <Proposal text={f.message} />
              {canDecide ? <Button size="small" type="primary" onClick={() => setDeciding(f)} data-testid="weak-decide">研究认定</Button> : null}
            </Card>
          ))}
          {candidates.length > CANDIDATES_SHOWN && !showAll ? <Button type="link" onClick={() => setShowAll(true)}>展开其余 {candidates.length - CANDIDATES_SHOWN} 个候选</Button> : null}
        </div>
      )}

      <DecideDialog finding={deciding} onClose={() => setDeciding(null)} onDone={done} />
      <PlanDialog finding={planning} onClose={() => setPlanning(null)} onDone={done} />
      <ProgressDialog entry={progressOf} onClose={() => setProgressOf(null)} onDone={done} />
      <CloseDialog entry={closing} onClose={() => setClosing(null)} onDone={done} />
    </div>
  );
}

export default WeakOrgsPage;
