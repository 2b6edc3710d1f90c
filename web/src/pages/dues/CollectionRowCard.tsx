import { Button, Input, InputNumber, Segmented, Select, Tag } from 'antd';
import type { CollectionRow, Decision } from '../../../../src/modules/dues/contract';
import { DateField } from '../../components/DateField';
import { CHANNEL_OPTIONS, StatusTag, categoryLabel, channelLabel, toFen, yuan } from './shared';

/** What the treasurer plans for a member still unpaid this month. */
export interface Plan {
  action: 'full' | 'amount' | 'unpaid' | 'exempt';
  amountFen?: number | null;
  channel?: string | null;
  decision?: Partial<Decision>;
}

const ACTIONS = [
  { value: 'full', label: '足额' },
  { value: 'amount', label: '其他金额' },
  { value: 'unpaid', label: '未缴' },
  { value: 'exempt', label: '免交' },
];

/** One member of the collection screen: name, due, status; inline exception editing; 冲正 on a paid month. */
export function CollectionRowCard(props: {
  row: CollectionRow;
  plan: Plan;
  editable: boolean;
  ended: boolean;
  onPlan: (p: Plan) => void;
  onReverse?: () => void;
}) {
  const { row: r, plan } = props;
  const set = (p: Partial<Plan>) => props.onPlan({ ...plan, ...p });
  const setDecision = (d: Partial<Decision>) => set({ decision: { ...plan.decision, ...d } });
  return (
    <div className={`dues-row dues-row--${props.editable ? plan.action : r.status}`} data-testid={`dues-row-${r.personId}`}>
      <div className="dues-row-head">
        <div className="dues-row-name">
          <b>{r.name}</b>
          {r.stage === 'probationary' ? <Tag color="orange">预备</Tag> : null}
          {r.isMobile ? <Tag color="purple">流动</Tag> : null}
          {r.category ? <span className="dues-row-cat">{categoryLabel(r.category)}</span> : null}
        </div>
        <div className="dues-row-due">
          <span className="dues-row-amount">{yuan(r.dueFen)}</span>
          <StatusTag status={r.status} />
        </div>
      </div>
      {r.payment ? (
        <div className="dues-row-paid">
          <span>
            实缴 {yuan(r.payment.amountFen)} 元 · {r.payment.paidOn} · {channelLabel(r.payment.channel)}
            {r.payment.backPayment ? <Tag color="gold" className="dues-inline-tag">补交</Tag> : null}
            {r.voluntaryFen ? <Tag color="cyan" className="dues-inline-tag">自愿多交 {yuan(r.voluntaryFen)}</Tag> : null}
          </span>
          {props.onReverse ? <Button size="small" danger type="link" onClick={props.onReverse} data-testid={`dues-reverse-${r.personId}`}>冲正</Button> : null}
        </div>
      ) : null}
      {r.reduction ? <div className="dues-row-note">{r.reduction === 'exemption' ? '经批准免交' : '经批准减交'}</div> : null}
      {props.editable ? (
        <div className="dues-row-edit">
          <Segmented block size="middle" value={plan.action} options={ACTIONS} onChange={(v) => props.onPlan({ ...plan, action: v as Plan['action'] })} data-testid={`dues-exception-${r.personId}`} />
          {plan.action === 'amount' ? (
            <div className="dues-row-fields">
              <InputNumber min={0.01} max={1000000} precision={2} step={1} inputMode="decimal" placeholder="实缴金额" suffix="元" style={{ flex: 1 }}
                value={plan.amountFen ? plan.amountFen / 100 : null} onChange={(v) => set({ amountFen: toFen(v as number | null) })} data-testid={`dues-amount-${r.personId}`} />
              <Select value={plan.channel ?? undefined} onChange={(v) => set({ channel: v })} options={CHANNEL_OPTIONS} placeholder="缴费方式" allowClear style={{ width: 120 }} />
            </div>
          ) : null}
          {plan.action === 'amount' && plan.amountFen && r.dueFen && plan.amountFen > r.dueFen ? (
            <div className="dues-row-note">超出应缴的 {yuan(plan.amountFen - r.dueFen)} 元记为自愿多交党费</div>
          ) : null}
          {plan.action === 'exempt' ? (
            <div className="dues-row-decision">
              <div className="dues-row-note">免交须经上一级党委批准（《党费规定》第七条），请填写批准决定：</div>
              <Input placeholder="批准的党组织" value={plan.decision?.approvedBy} onChange={(e) => setDecision({ approvedBy: e.target.value })} maxLength={80} />
              <div className="dues-row-fields">
                <DateField value={plan.decision?.approvedOn ?? null} onChange={(v) => setDecision({ approvedOn: v ?? undefined })} placeholder="批准日期" />
                <Input placeholder="文号" value={plan.decision?.documentNo} onChange={(e) => setDecision({ documentNo: e.target.value })} maxLength={60} />
              </div>
              <Input placeholder="理由" value={plan.decision?.reason} onChange={(e) => setDecision({ reason: e.target.value })} maxLength={300} />
            </div>
          ) : null}
        </div>
      ) : null}
      {!r.payment && !props.editable && r.status === 'unpaid' && props.ended ? <div className="dues-row-note dues-red">当月已结束，未交纳</div> : null}
    </div>
  );
}
