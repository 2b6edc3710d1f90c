import { useEffect, useState } from 'react';
import { Alert, Button, Card, Descriptions, Input, Radio, Result, Tag, Typography } from 'antd';
import type { TrackView } from '../../../../src/modules/requests/contract';
import { RATINGS, RATING_LABELS, type Rating } from '../../../../src/domain/requestWorkflow';
import { api, errorMessage } from '../../api/client';
import { useTitle } from '../../lib/hooks';
import './h5.css';

/**
 * 诉求查询 (H5, no login): the token travels in the link's fragment (#…), which browsers never send
 * to the server or in a Referer; the page posts it to the track endpoint and shows only this request.
 */
export default function PublicTrackPage() {
  useTitle('诉求查询');
  const [token, setToken] = useState(() => window.location.hash.replace(/^#/, ''));
  const [typed, setTyped] = useState('');
  const [view, setView] = useState<TrackView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [rating, setRating] = useState<Rating>('satisfied');
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!token) return;
    setError(null);
    api.post<TrackView>('/api/public/requests/track', { token }).then(setView, (e) => setError(errorMessage(e)));
  }, [token]);

  const rate = async () => {
    setBusy(true);
    setError(null);
    try {
      setView(await api.post<TrackView>('/api/public/requests/rate', { token, rating, comment: comment.trim() || undefined }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="h5-page">
      <Typography.Title level={3} className="h5-title">诉求办理进度</Typography.Title>
      {error ? <Alert type="error" showIcon title={error} data-testid="h5-error" style={{ marginBottom: 12 }} /> : null}
      {!token ? (
        <Card size="small">
          <p>请输入提交诉求时获得的查询码（查询链接“#”后面的部分）。</p>
          <Input value={typed} onChange={(e) => setTyped(e.target.value.trim())} maxLength={60} />
          <Button type="primary" block style={{ marginTop: 12 }} onClick={() => setToken(typed)}>查询</Button>
        </Card>
      ) : null}
      {view ? (
        <>
          <Card size="small" className="h5-card">
            <div className="h5-state" data-testid="h5-state"><Tag color={view.answer ? 'green' : 'blue'}>{view.stateLabel}</Tag>{view.kindLabel} · {view.communityName}</div>
            <Typography.Paragraph className="h5-content">{view.content}</Typography.Paragraph>
            <Descriptions size="small" column={1} items={[
              { key: 's', label: '提交日期', children: view.submittedOn },
              { key: 'a', label: '受理日期', children: view.acceptedOn ?? '待受理' },
              { key: 'r', label: '答复日期', children: view.answeredOn ?? '待答复' },
            ]} />
          </Card>
          {view.answer ? (
            <Card size="small" title="社区答复" className="h5-card">
              <Typography.Paragraph data-testid="h5-answer">{view.answer}</Typography.Paragraph>
            </Card>
          ) : null}
          {view.canRate ? (
            <Card size="small" title="对答复进行评价" className="h5-card">
              <Radio.Group value={rating} onChange={(e) => setRating(e.target.value)} data-testid="h5-rating"
                options={RATINGS.map((r) => ({ value: r, label: RATING_LABELS[r] }))} />
              <Input.TextArea value={comment} onChange={(e) => setComment(e.target.value)} rows={2} maxLength={300} placeholder="意见建议（可不填）" style={{ marginTop: 12 }} />
              <Button type="primary" block style={{ marginTop: 12 }} loading={busy} onClick={rate} data-testid="h5-rate">提交评价</Button>
            </Card>
          ) : null}
          {view.ratingLabel ? <Result status="success" title={`您的评价：${view.ratingLabel}`} subTitle="感谢您的评价！" data-testid="h5-rated" /> : null}
        </>
      ) : null}
    </div>
  );
}
