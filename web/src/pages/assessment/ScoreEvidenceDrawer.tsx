import { useEffect, useState } from 'react';
import { Alert, Descriptions, Drawer, Tag, Typography } from 'antd';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { EvidenceTable } from '../../components/EvidenceTable';
import { useIsMobile, useLoad } from '../../lib/hooks';
import { fmtScore, SOURCE_LABELS, type ScoreCell, type ScoreEvidence } from './shared';

const PAGE_SIZE = 20;
/** The server's page limit: the rows of a score come in one request and are paged here. */
const FETCH_LIMIT = 500;

export interface ScoreRef { org: { id: number; name: string }; cell: ScoreCell }

/** How a figure-based score was reached, in words: "应完成 32 项，已完成 8 项，相差 24 项，每项扣 0.5 分，最多扣 5 分，得 0 分". */
function calculation(c: ScoreCell, d: ScoreEvidence | undefined): string | null {
  const f = c.figure;
  if (!f || !d) return null;
  const rule = d.indicator.rule;
  const name = (i: number, fallback: string) => d.figures[i]?.label ?? fallback;
  const v = f.value;
  if (v === null) return `${name(0, f.id)}：无数据，须由考核组评分`;
  const got = c.source === 'figure' ? `，得 ${fmtScore(c.score)} 分` : '';
  if (rule.kind === 'deductPer') {
    const cap = `最多扣 ${fmtScore(rule.cap ?? c.maxScore)} 分`;
    if (f.minusId) {
      if (f.minus === null || f.minus === undefined) return `${name(1, f.minusId)}：无数据`;
      return `${name(0, f.id)} ${v}，${name(1, f.minusId)} ${f.minus}，相差 ${Math.max(0, v - f.minus)}，每项扣 ${fmtScore(rule.per)} 分，${cap}${got}`;
    }
    return `${name(0, f.id)} ${v}，每项扣 ${fmtScore(rule.per)} 分，${cap}${got}`;
  }
  if (rule.kind === 'awardPer') return `${name(0, f.id)} ${v}，每项得 ${fmtScore(rule.per)} 分，最多 ${fmtScore(c.maxScore)} 分${got}`;
  if (rule.kind === 'percent') return `${name(0, f.id)} ${v}%，按满分 ${fmtScore(c.maxScore)} 分的 ${v}% 计${got}`;
  return null;
}

function FigureRows({ f }: { f: ScoreEvidence['figures'][number] }) {
  const [page, setPage] = useState(1);
  const items = f.items.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  return (
    <div className="assess-evidence-figure" data-testid="score-evidence-figure">
      <Typography.Title level={5} style={{ margin: '16px 0 8px' }}>{f.label}<span className="muted">（共 {f.total} 条）</span></Typography.Title>
      {f.total > f.items.length ? <Alert type="info" showIcon style={{ marginBottom: 8 }} title={`记录较多，这里列出前 ${f.items.length} 条`} /> : null}
      <EvidenceTable items={items} total={f.items.length} page={page} pageSize={PAGE_SIZE} onPage={setPage} testId="score-evidence-rows" />
    </div>
  );
}

/** A score of the sheet: how it was reached (rule, figure values, ratings, note) and the records behind it. */
export function ScoreEvidenceDrawer({ sessionId, score, final, onClose }: { sessionId: number; score: ScoreRef | null; final: boolean; onClose: () => void }) {
  const mobile = useIsMobile();
  const [key, setKey] = useState('');
  useEffect(() => setKey(score ? `${score.org.id}:${score.cell.indicator}` : ''), [score]);
  const ev = useLoad(
    (signal) => api.get<ScoreEvidence>(`/api/assessment-sessions/${sessionId}/evidence`, { org: score!.org.id, indicator: score!.cell.indicator, limit: FETCH_LIMIT }, signal),
    [sessionId, key],
    !!score,
  );
  const d = ev.data;
  const c = score?.cell;
  const ratings = c?.ratings ?? (d?.input?.ratings ?? undefined);
  return (
    <Drawer open={!!score} onClose={onClose} size={mobile ? '100%' : 720} destroyOnHidden data-testid="score-evidence"
      title={score ? `${score.org.name} · ${score.cell.label}` : ''}>
      {score && c ? (
        <>
          <Descriptions size="small" column={1} bordered style={{ marginBottom: 12 }} className="assess-evidence-facts">
            <Descriptions.Item label="考核指标">{c.category} · {c.label}</Descriptions.Item>
            {d ? <Descriptions.Item label="计分办法">{d.indicator.evidence}</Descriptions.Item> : null}
            <Descriptions.Item label="得分">
              <span data-testid="score-evidence-value">{fmtScore(c.score)}</span> / {fmtScore(c.maxScore)} 分
              <Tag style={{ marginLeft: 8 }} color={c.source === 'override' ? 'orange' : c.source === 'missing' ? 'red' : undefined}>{SOURCE_LABELS[c.source]}</Tag>
            </Descriptions.Item>
            {calculation(c, d) ? <Descriptions.Item label="计算过程"><span data-testid="score-evidence-calc">{calculation(c, d)}</span></Descriptions.Item> : null}
            {ratings ? <Descriptions.Item label="现场测评">{Object.entries(ratings).map(([g, n]) => `${g} ${n} 票`).join('，')}</Descriptions.Item> : null}
            {c.note ? <Descriptions.Item label="评分说明">{c.note}</Descriptions.Item> : null}
          </Descriptions>
          {final && d && d.changedSinceFinish !== null && d.changedSinceFinish !== undefined ? (
            <Alert style={{ marginBottom: 12 }} type={d.changedSinceFinish ? 'warning' : 'success'} showIcon data-testid="score-evidence-digest"
              title={d.changedSinceFinish ? '考核完成后记录已有变化：得分保持完成时的值，下列明细为当前记录' : '当前记录与考核完成时一致'} />
          ) : null}
          <ErrorAlert error={ev.error} onRetry={ev.reload} />
          {ev.loading && !d ? <div className="muted">正在加载明细…</div> : null}
          {d && d.figures.length === 0 ? (
            <Alert type="info" showIcon title={c.kind === 'rating' ? '现场测评得分按各等次票数和权重计算，没有对应的系统记录。' : '这是考核组填写的分数，依据见评分说明。'} />
          ) : null}
          {d?.figures.map((f) => <FigureRows key={`${f.id}:${f.key ?? ''}`} f={f} />)}
        </>
      ) : null}
    </Drawer>
  );
}
