import { useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Alert, Button, Card, Space, Table, Tooltip } from 'antd';
import { ArrowLeftOutlined, FileExcelOutlined, FileWordOutlined } from '@ant-design/icons';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatTimestamp } from '../../lib/format';
import { useIsMobile, useLoad, useTitle } from '../../lib/hooks';
import { useOrgTree } from '../../lib/orgTree';
import { ScoreEvidenceDrawer, type ScoreRef } from './ScoreEvidenceDrawer';
import { ASSESSMENT_PATHS, fmtScore, GradeTag, SessionStatusTag, SOURCE_LABELS, type OrgSheet, type SessionSheet } from './shared';
import './assessment.css';

interface Row { key: string; kind: 'indicator' | 'total' | 'proposed' | 'grade'; category?: string; label: string; max?: number; first?: boolean; span?: number }

/**
 * A session's score sheet: the scored orgs side by side, one row per indicator; every score opens its
 * evidence down to the records (e.g. the meetings that met an obligation). Exports: the sheet as xlsx
 * and, once the grades are confirmed, the grading announcement as Word.
 */
export function AssessmentSheetPage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const mobile = useIsMobile();
  const sheet = useLoad((signal) => api.get<SessionSheet>(`/api/assessment-sessions/${id}`, undefined, signal), [id]);
  const s = sheet.data;
  useTitle(s?.title ?? '考核评分表');
  const { tree } = useOrgTree();
  const [open, setOpen] = useState<ScoreRef | null>(null);
  const name = (o: OrgSheet) => (tree ? tree.compact(o.org.name) : o.org.name);

  const rows = useMemo<Row[]>(() => {
    if (!s) return [];
    const out: Row[] = [];
    for (const c of s.tree.categories) {
      c.indicators.forEach((i, n) => out.push({ key: i.key, kind: 'indicator', category: c.label, label: i.label, max: i.maxScore, first: n === 0, span: c.indicators.length }));
    }
    const max = out.reduce((sum, r) => sum + Math.round((r.max ?? 0) * 100), 0) / 100;
    out.push({ key: '#total', kind: 'total', label: '总分', max }, { key: '#proposed', kind: 'proposed', label: '建议等次' });
    if (s.status === 'final') out.push({ key: '#grade', kind: 'grade', label: '确定等次' });
    return out;
  }, [s]);

  const cell = (o: OrgSheet, r: Row) => {
    if (r.kind === 'total') return <strong data-testid="score-total">{fmtScore(o.total)}</strong>;
    if (r.kind === 'proposed') return <GradeTag grade={o.proposed} grades={s!.grades} proposed />;
    if (r.kind === 'grade') return <Tooltip title={o.gradeReason ? `调整理由：${o.gradeReason}` : undefined}><span data-testid="score-grade"><GradeTag grade={o.grade} grades={s!.grades} /></span></Tooltip>;
    const c = o.cells.find((x) => x.indicator === r.key);
    if (!c) return null;
    return (
      <button type="button" className={`assess-score assess-score-${c.source}`} onClick={() => setOpen({ org: { id: o.org.id, name: name(o) }, cell: c })}
        data-testid="score-cell" data-org={o.org.id} data-indicator={c.indicator} title={`${SOURCE_LABELS[c.source]}，点击查看依据`}>
        {fmtScore(c.score)}
      </button>
    );
  };

  return (
    <div>
      <PageHeader
        title={s?.title ?? '考核评分表'}
        subtitle={s ? <Space size={6} wrap><SessionStatusTag status={s.status} /><span>{s.year}年度 · {s.orgs.length}个党组织</span>{s.finishedAt ? <span className="muted">完成于 {formatTimestamp(s.finishedAt)}</span> : null}</Space> : null}
        extra={
          <Space wrap>
            <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(ASSESSMENT_PATHS.list)}>返回列表</Button>
            <Button icon={<FileExcelOutlined />} href={`/api/assessment-sessions/${id}/sheet.xlsx`} disabled={!s} data-testid="assessment-export-xlsx">导出评分表</Button>
            <Tooltip title={s && s.status !== 'final' ? '考核完成、等次确定后才能生成通报' : undefined}>
              <Button icon={<FileWordOutlined />} href={s?.status === 'final' ? `/api/assessment-sessions/${id}/announcement.docx` : undefined} disabled={s?.status !== 'final'} data-testid="assessment-export-docx">等次通报</Button>
            </Tooltip>
          </Space>
        }
      />
      <ErrorAlert error={sheet.error} onRetry={sheet.reload} />
      {s ? (
        <>
          <Alert type="info" showIcon style={{ marginBottom: 12 }}
            title={s.status === 'final' ? '考核已完成，分数和等次已冻结。点击任一分数可查看计分依据和对应的原始记录。' : '考核进行中：按数据项计算的分数随记录实时更新。点击任一分数可查看计分依据和对应的原始记录。'} />
          <Card size="small" className="assess-sheet-card">
            <Table<Row> size="small" rowKey="key" dataSource={rows} pagination={false} bordered data-testid="assessment-sheet" scroll={{ x: 'max-content' }}
              rowClassName={(r) => (r.kind === 'indicator' ? '' : 'assess-summary-row')}
              columns={[
                ...(mobile ? [] : [{
                  title: '类别', key: 'category', width: 96, fixed: 'left' as const,
                  onCell: (r: Row) => ({ rowSpan: r.kind === 'indicator' ? (r.first ? r.span : 0) : 1, colSpan: r.kind === 'indicator' ? 1 : 2 }),
                  render: (_: unknown, r: Row) => (r.kind === 'indicator' ? r.category : <strong>{r.label}</strong>),
                }]),
                {
                  title: '指标', key: 'label', width: mobile ? 112 : 170, fixed: 'left' as const,
                  onCell: (r: Row) => ({ colSpan: r.kind === 'indicator' || mobile ? 1 : 0 }),
                  render: (_: unknown, r: Row) => (r.kind === 'indicator' ? r.label : <strong>{r.label}</strong>),
                },
                { title: '满分', key: 'max', width: mobile ? 48 : 64, align: 'center', render: (_: unknown, r) => (r.max === undefined ? '' : fmtScore(r.max)) },
                ...s.orgs.map((o) => ({
                  title: <span className="assess-org-head">{name(o)}</span>, key: `o${o.org.id}`, width: 120, align: 'center' as const,
                  render: (_: unknown, r: Row) => cell(o, r),
                })),
              ]} />
          </Card>
          <div className="assess-legend">
            <span className="muted">分数颜色：</span>
            {(['figure', 'rating', 'manual', 'override'] as const).map((k) => <span key={k} className={`assess-legend-item assess-score-${k}`}>{SOURCE_LABELS[k]}</span>)}
          </div>
          <ScoreEvidenceDrawer sessionId={s.id} score={open} final={s.status === 'final'} onClose={() => setOpen(null)} />
        </>
      ) : null}
    </div>
  );
}

export default AssessmentSheetPage;
