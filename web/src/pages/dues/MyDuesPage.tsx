import { Card, Empty, Skeleton, Tag } from 'antd';
import type { HistoryView } from '../../../../src/modules/dues/contract';
import { api } from '../../api/client';
import { useMe } from '../../auth/AuthContext';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useLoad, useTitle } from '../../lib/hooks';
import { StatusTag, Stepper, categoryLabel, channelLabel, monthTitle, paymentKindLabel, useParam, yuan } from './shared';
import './dues.css';

/**
 * 我的党费: a member's own year on their phone — what each month owed and what was paid, every
 * payment record including corrections (冲正) and voluntary dues, and the base it was computed from.
 */
export function MyDuesPage() {
  useTitle('我的党费');
  const me = useMe();
  const [yearParam, setYear] = useParam('year');
  const h = useLoad((signal) => api.get<HistoryView>('/api/dues/me', { year: yearParam ?? undefined }, signal), [yearParam], !!me.personId);
  const v = h.data;
  const base = v?.bases[v.bases.length - 1];
  return (
    <div className="page page-narrow dues-page dues-mine">
      <PageHeader title="我的党费" subtitle={v ? `${v.person.name} · ${v.person.orgName}` : undefined} />
      {!me.personId ? <Empty description="本账户没有关联党员信息" /> : null}
      <ErrorAlert error={h.error} onRetry={h.reload} />
      {h.loading && !v ? <Card><Skeleton active /></Card> : null}
      {v ? (
        <>
          <Card className="section-card dues-toolbar" size="small">
            <Stepper label={`${v.year}年`} onPrev={() => setYear(String(v.year - 1))} onNext={() => setYear(String(v.year + 1))} />
          </Card>
          <div className="dues-totals" data-testid="my-dues-totals">
            <div><span>应缴</span><b>{yuan(v.totals.dueFen)}</b></div>
            <div><span>已缴</span><b>{yuan(v.totals.paidFen)}</b></div>
            <div><span>欠缴</span><b className={v.totals.unpaidMonths ? 'dues-red' : ''}>{v.totals.unpaidMonths}个月</b></div>
            <div><span>自愿多交</span><b>{yuan(v.totals.voluntaryFen)}</b></div>
          </div>
          {base ? (
            <p className="muted dues-base-note">
              当前标准：{categoryLabel(base.category)}{base.baseFen !== null ? `，基数 ${yuan(base.baseFen)} 元` : ''}，每月 {yuan(base.monthlyDueFen)} 元（{base.effectiveMonth} 起，{base.ruleSet}）
            </p>
          ) : null}
          <Card className="section-card" title="各月交纳" size="small" styles={{ body: { padding: 0 } }}>
            <div className="dues-months" data-testid="my-dues-months">
              {v.months.map((m) => (
                <div className="dues-month" key={m.month}>
                  <span className="dues-month-label">{Number(m.month.slice(5))}月</span>
                  <span className="dues-month-amount">{m.paidFen !== null ? `${yuan(m.paidFen)} 元` : m.dueFen ? `应缴 ${yuan(m.dueFen)}` : ''}</span>
                  <span className="dues-month-meta">{m.paidOn ? `${m.paidOn} ${channelLabel(m.channel)}` : ''}{m.backPayment ? <Tag color="gold" className="dues-inline-tag">补交</Tag> : null}</span>
                  <StatusTag status={m.status} />
                </div>
              ))}
            </div>
          </Card>
          <Card className="section-card" title="缴费记录" size="small">
            {v.payments.length === 0 ? <Empty description="本年度没有缴费记录" /> : null}
            <div className="dues-records" data-testid="my-dues-records">
              {v.payments.map((p) => (
                <div className={`dues-record ${p.kind === 'reversal' || p.reversedBy ? 'dues-record-reversed' : ''}`} key={p.id} data-testid={`my-dues-record-${p.id}`}>
                  <div>
                    <b>{monthTitle(p.month)}</b> {paymentKindLabel(p.kind)}
                    {p.reversedBy ? <Tag className="dues-inline-tag">已冲正</Tag> : null}
                    {p.backPayment ? <Tag color="gold" className="dues-inline-tag">补交</Tag> : null}
                  </div>
                  <div className={p.amountFen < 0 ? 'dues-red' : ''}>{p.amountFen < 0 ? '−' : ''}{yuan(Math.abs(p.amountFen))} 元</div>
                  <div className="dues-record-meta">{p.paidOn} · {channelLabel(p.channel)}{p.receiptNo ? ` · 收据${p.receiptNo}` : ''}{p.reason ? ` · ${p.reason}` : ''}</div>
                </div>
              ))}
            </div>
          </Card>
        </>
      ) : null}
    </div>
  );
}

export default MyDuesPage;
