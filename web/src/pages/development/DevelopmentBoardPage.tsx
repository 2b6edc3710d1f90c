import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Badge, Button, Card, Drawer, Empty, Segmented, Space, Spin, Tag, Timeline, Typography } from 'antd';
import type { BoardItem, RecordView } from '../../../../src/modules/development/contract';
import type { DevelopmentStep } from '../../../../src/domain/developmentSteps';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { OrgTreeSelect } from '../../components/OrgTreeSelect';
import { PageHeader } from '../../components/PageHeader';
import { useAuth, useMe } from '../../auth/AuthContext';
import { todayIso } from '../../lib/format';
import { useLoad, useTitle } from '../../lib/hooks';
import { StepForm } from './StepForm';
import './development.css';

const STAGES = [
  { key: 'applicant', label: '入党申请人', color: 'default' },
  { key: 'activist', label: '入党积极分子', color: 'blue' },
  { key: 'candidate', label: '发展对象', color: 'purple' },
  { key: 'probationary', label: '预备党员', color: 'gold' },
] as const;
const stageOf = (k: string) => STAGES.find((s) => s.key === k) ?? { key: k, label: k, color: 'default' };

interface Board { today: string; steps: DevelopmentStep[]; items: BoardItem[] }

/** The development pipeline (发展党员): everyone on the way to membership, by stage, with the next step. */
export function DevelopmentBoardPage() {
  useTitle('发展党员');
  const me = useMe();
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const org = Number(params.get('org')) || me?.grants[0]?.orgId;
  const [stage, setStage] = useState<string>('all');
  const [recording, setRecording] = useState<BoardItem | null>(null);
  const [viewing, setViewing] = useState<BoardItem | null>(null);
  const board = useLoad((signal) => api.get<Board>('/api/development/board', { org }, signal), [org], !!org);
  const items = board.data?.items ?? [];
  const shown = useMemo(() => items.filter((i) => stage === 'all' || i.stage === stage), [items, stage]);
  const today = board.data?.today ?? todayIso();

  return (
    <div className="dev-board">
      <PageHeader title="发展党员" subtitle="按《中国共产党发展党员工作细则》25个步骤逐人跟踪，下一步骤、期限和所需材料一目了然" />
      <Space wrap style={{ marginBottom: 12 }}>
        <OrgTreeSelect value={org} onChange={(v) => v && setParams({ org: String(v) })} allowClear={false} style={{ minWidth: 240 }} />
      </Space>
      <div className="dev-stages">
        <Segmented block value={stage} onChange={(v) => setStage(String(v))} data-testid="dev-stage-filter"
          options={[{ value: 'all', label: `全部 ${items.length}` }, ...STAGES.map((s) => ({ value: s.key, label: `${s.label} ${items.filter((i) => i.stage === s.key).length}` }))]} />
      </div>
      <ErrorAlert error={board.error} onRetry={board.reload} />
      {board.loading && !board.data ? <div className="page-spinner"><Spin /></div> : null}
      {board.data && shown.length === 0 ? <Empty description="暂无人员" /> : null}
      <div className="dev-cards">
        {shown.map((i) => {
          const overdue = i.next?.dueOn ? i.next.dueOn < today : false;
          return (
            <Card key={i.personId} size="small" className="dev-card" data-testid={`dev-card-${i.personId}`}
              title={<Space size={4} wrap><span>{i.name}</span><Tag color={stageOf(i.stage).color}>{stageOf(i.stage).label}</Tag></Space>}
              extra={i.flags > 0 ? <Badge count={i.flags} title="有超期记录" /> : null}>
              <div className="dev-line">当前：{i.currentStep > 0 ? `第${i.currentStep}步 ${i.currentLabel}（${i.lastDoneOn}）` : i.currentLabel}</div>
              {i.next ? (
                <>
                  <div className="dev-line" data-testid="dev-next"><b>下一步：第{i.next.no}步 {i.next.label}</b>{i.next.byCommittee ? <Tag style={{ marginLeft: 4 }}>上级党委</Tag> : null}</div>
                  {i.next.dueOn ? <div className={`dev-line ${overdue ? 'dev-overdue' : ''}`}>期限：{i.next.dueOn}{overdue ? '（已逾期）' : ''}{i.next.dueRule ? ` · ${i.next.dueRule}` : ''}</div> : null}
                  {i.next.earliestOn ? <div className="dev-line">最早可于 {i.next.earliestOn} 办理</div> : null}
                  {i.next.documents.length ? <div className="dev-line">所需材料：{i.next.documents.map((d) => <Tag key={d}>{d}</Tag>)}</div> : null}
                </>
              ) : <div className="dev-line">25个步骤已全部完成</div>}
              <Space style={{ marginTop: 8 }} wrap>
                {can('development.write') && i.next ? <Button type="primary" size="small" onClick={() => setRecording(i)} data-testid={`dev-record-${i.personId}`}>记录步骤</Button> : null}
                <Button size="small" onClick={() => setViewing(i)} data-testid={`dev-view-${i.personId}`}>查看记录</Button>
              </Space>
            </Card>
          );
        })}
      </div>
      {recording && board.data ? (
        <StepForm item={recording} steps={board.data.steps} orgId={recording.orgId} onClose={() => setRecording(null)} onSaved={() => { setRecording(null); board.reload(); }} />
      ) : null}
      <RecordDrawer item={viewing} onClose={() => setViewing(null)} />
    </div>
  );
}

function RecordDrawer({ item, onClose }: { item: BoardItem | null; onClose: () => void }) {
  const rec = useLoad((signal) => api.get<RecordView>(`/api/development/people/${item!.personId}`, undefined, signal), [item?.personId], !!item);
  const r = rec.data;
  return (
    <Drawer open={!!item} onClose={onClose} title={item ? `${item.name}的发展党员记录` : ''} width={Math.min(520, typeof window === 'undefined' ? 520 : window.innerWidth)}>
      <ErrorAlert error={rec.error} onRetry={rec.reload} />
      {r ? (
        <div data-testid="dev-record">
          <Typography.Paragraph type="secondary">规则版本：{r.ruleSetTitle}</Typography.Paragraph>
          {r.contactPersons.length ? <p>培养联系人：{r.contactPersons.map((p) => p.name).join('、')}</p> : null}
          {r.introducers.length ? <p>入党介绍人：{r.introducers.map((p) => p.name).join('、')}</p> : null}
          {r.deadlines.length ? <Card size="small" title="进行中的期限" style={{ marginBottom: 12 }}>{r.deadlines.map((d) => <div key={d.ruleId + d.step}>第{d.step}步：{d.what}，{d.dueOn}前</div>)}</Card> : null}
          <Timeline items={r.steps.map((s) => ({
            color: s.issues.some((x) => x.kind === 'flag') ? 'red' : 'green',
            children: (
              <div>
                <b>第{s.step}步 {s.label}</b> <span>{s.doneOn}</span> <span className="dev-muted">经办：{s.actorName}</span>
                {s.decision ? <Tag style={{ marginLeft: 4 }} color={s.decision === 'approved' ? 'green' : 'red'}>{s.decision === 'approved' ? '通过' : '未通过'}</Tag> : null}
                <div className="dev-muted">材料：{s.documents.length ? s.documents.join('、') : '未登记'}{s.requiredDocuments.some((d) => !s.documents.includes(d)) ? `（应有：${s.requiredDocuments.join('、')}）` : ''}</div>
                {s.issues.map((x) => <div key={x.ruleId} className="dev-overdue">{x.message}</div>)}
                {s.note ? <div className="dev-muted">{s.note}</div> : null}
              </div>
            ),
          }))} />
          {r.steps.length === 0 ? <Empty description="尚无发展记录" /> : null}
        </div>
      ) : <Spin />}
    </Drawer>
  );
}

export default DevelopmentBoardPage;
