import { useState } from 'react';
import { Button, Card, Col, Row, Skeleton, Tooltip } from 'antd';
import { QuestionCircleOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { api } from '../../api/client';
import type { FigureResult } from '../../api/types';
import { DateField } from '../../components/DateField';
import { ErrorAlert } from '../../components/ErrorAlert';
import { OrgTreeSelect } from '../../components/OrgTreeSelect';
import { PageHeader } from '../../components/PageHeader';
import { todayIso } from '../../lib/format';
import { useIsMobile, useLoad, useTitle } from '../../lib/hooks';
import { useOrgTree } from '../../lib/orgTree';
import { EvidenceModal, type EvidenceRequest } from './EvidenceModal';
import { FigureChart, type ChartKind } from './FigureChart';

interface ChartSpec {
  figureId: 'members.count' | 'orgs.count';
  by: string;
  title: string;
  kind: ChartKind;
  hideZero?: boolean;
}

/** The charts of the annual statistics (DOMAIN.md §6), each a breakdown of one figure. */
const CHARTS: ChartSpec[] = [
  { figureId: 'members.count', by: 'gender', title: '党员性别构成', kind: 'pie' },
  { figureId: 'members.count', by: 'minority', title: '少数民族党员', kind: 'pie' },
  { figureId: 'members.count', by: 'ageBand', title: '党员年龄结构', kind: 'bar' },
  { figureId: 'members.count', by: 'partyAgeBand', title: '党员党龄结构', kind: 'bar' },
  { figureId: 'members.count', by: 'education', title: '党员学历结构', kind: 'hbar' },
  { figureId: 'members.count', by: 'occupation', title: '党员职业分布', kind: 'hbar' },
  { figureId: 'orgs.count', by: 'kind', title: '党组织类型', kind: 'hbar', hideZero: true },
];
const LOADS = [...CHARTS.map((c) => ({ figureId: c.figureId, by: c.by })), { figureId: 'members.count', by: 'stage' }];

/** 数据统计: org and 统计日期, total cards, and charts whose numbers can be opened as rows (查看明细). */
export default function StatsPage() {
  useTitle('数据统计');
  const mobile = useIsMobile();
  const { tree } = useOrgTree();
  const [org, setOrg] = useState<number | undefined>();
  const [to, setTo] = useState<string>(todayIso());
  const [evidence, setEvidence] = useState<EvidenceRequest | null>(null);

  const figures = useLoad(
    async (signal) => {
      const out = await Promise.all(
        LOADS.map((l) => api.get<FigureResult>(`/api/figures/${l.figureId}`, { org, to, by: l.by, pageSize: 1 }, signal)),
      );
      return new Map(LOADS.map((l, i) => [`${l.figureId}:${l.by}`, out[i]!]));
    },
    [org, to],
  );
  const get = (id: string, by: string) => figures.data?.get(`${id}:${by}`);
  const part = (id: string, by: string, key: string) => get(id, by)?.value.breakdown?.find((b) => b.key === key)?.value ?? 0;
  const members = get('members.count', 'gender')?.value.value ?? null;
  const cards = [
    { label: '党员总数', value: members, unit: '名', testId: 'stat-members' },
    { label: '正式党员', value: part('members.count', 'stage', 'full'), unit: '名' },
    { label: '预备党员', value: part('members.count', 'stage', 'probationary'), unit: '名' },
    { label: '女党员', value: part('members.count', 'gender', 'female'), unit: '名' },
    { label: '少数民族党员', value: part('members.count', 'minority', 'minority'), unit: '名' },
    { label: '党组织', value: get('orgs.count', 'kind')?.value.value ?? null, unit: '个', testId: 'stat-orgs' },
  ];

  return (
    <div className="page">
      <PageHeader title="数据统计" subtitle="按党内统计口径计算，截至统计日期；每个数字都可查看对应的人员或组织明细。" />
      <Card className="section-card stats-toolbar">
        <Row gutter={[12, 12]} align="middle">
          <Col xs={24} md={12} lg={10}>
            <div className="field-label">统计范围</div>
            <OrgTreeSelect value={org ?? null} onChange={(v) => setOrg(v ?? undefined)} placeholder="全部管理范围" data-testid="stats-org" />
          </Col>
          <Col xs={24} md={8} lg={6}>
            <div className="field-label">统计日期</div>
            <DateField value={to} onChange={(v) => setTo(v ?? todayIso())} allowClear={false} data-testid="stats-date" />
          </Col>
        </Row>
      </Card>
      <ErrorAlert error={figures.error} onRetry={figures.reload} />
      <div className="stat-grid stats-cards" data-testid="stats-cards">
        {cards.map((c) => (
          <div className="stat-card" key={c.label} data-testid={c.testId}>
            <div className="stat-card-label">{c.label}</div>
            <div className="stat-card-value">
              {figures.data ? (c.value ?? '—') : <Skeleton.Button active size="small" />}
              {figures.data && c.value !== null ? <span className="stat-card-unit">{c.unit}</span> : null}
            </div>
          </div>
        ))}
      </div>
      <Row gutter={[20, 20]}>
        {CHARTS.map((c) => {
          const f = get(c.figureId, c.by);
          return (
            <Col xs={24} lg={c.kind === 'pie' ? 12 : 12} key={`${c.figureId}:${c.by}`}>
              <Card
                className="chart-card"
                title={
                  <span>
                    {c.title}
                    {f ? (
                      <Tooltip title={f.figure.definition}>
                        <QuestionCircleOutlined className="chart-help" />
                      </Tooltip>
                    ) : null}
                  </span>
                }
                extra={
                  <Button type="link" size="small" icon={<UnorderedListOutlined />} onClick={() => setEvidence({ figureId: c.figureId, by: c.by, title: c.title })} data-testid="chart-evidence">
                    查看明细
                  </Button>
                }
                data-testid={`chart-${c.figureId}-${c.by}`}
              >
                {!f ? (
                  <Skeleton active paragraph={{ rows: 6 }} />
                ) : f.value.status === 'missing' ? (
                  <div className="chart-empty">暂无数据</div>
                ) : (
                  <FigureChart value={f.value} kind={c.kind} mobile={mobile} hideZero={c.hideZero} />
                )}
              </Card>
            </Col>
          );
        })}
      </Row>
      <EvidenceModal req={evidence} org={org} to={to} tree={tree} onClose={() => setEvidence(null)} />
    </div>
  );
}
