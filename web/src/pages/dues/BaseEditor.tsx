import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Checkbox, Drawer, Input, InputNumber, Radio, Select, Space } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  BRACKET_CATEGORIES, PAY_SLIP_ITEM_KINDS, baseFromPaySlip, defaultIncluded, duesRuleSetFor, monthlyDue, previousQuarterMonths, selfEmployedBase,
  type DuesRuleSetId, type PaySlipItem, type PaySlipItemKind,
} from '../../../../src/domain/duesRules';
import { DateField } from '../../components/DateField';
import type { DuesCategory } from '../../../../src/domain/vocab';
import type { BaseView, DuesSettingsView } from '../../../../src/modules/dues/contract';
import { api, errorMessage } from '../../api/client';
import { CATEGORY_OPTIONS, toFen, yuan } from './shared';

const KIND_OPTIONS = PAY_SLIP_ITEM_KINDS.map((k) => ({ value: k.key, label: `${k.role === 'deduction' ? '扣除：' : ''}${k.label}` }));
const STARTER: PaySlipItem[] = [
  { label: '岗位（职务）工资', kind: 'fixedPay', amountFen: 0 },
  { label: '薪级（级别）工资', kind: 'fixedPay', amountFen: 0 },
  { label: '津贴补贴', kind: 'standardAllowance', amountFen: 0 },
  { label: '基础性绩效', kind: 'basicPerformance', amountFen: 0 },
  { label: '个人所得税', kind: 'incomeTax', amountFen: 0 },
  { label: '社会保险（个人）', kind: 'socialInsurance', amountFen: 0 },
  { label: '住房公积金（个人）', kind: 'housingFund', amountFen: 0 },
];

/**
 * 核定党费基数: category, effective month and either a pay slip (items included and excluded, so the
 * base is shown, not typed), a base amount, or a flat amount. The monthly due is computed live with
 * the same rule functions the server uses (src/domain/duesRules), under the org's settings; the server
 * computes it again and stores it.
 */
export function BaseEditor(props: {
  open: boolean;
  person: { personId: number; name: string } | null;
  latest: BaseView | null;
  year: number;
  settings: DuesSettingsView;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { message } = App.useApp();
  const [category, setCategory] = useState<DuesCategory>('inService');
  const [month, setMonth] = useState(`${props.year}-01`);
  const [mode, setMode] = useState<'slip' | 'base' | 'quarter'>('slip');
  /** Self-employed: the previous quarter's monthly net incomes; null = no record for that month. */
  const [incomes, setIncomes] = useState<(number | null)[]>([null, null, null]);
  const [slip, setSlip] = useState<PaySlipItem[]>(STARTER);
  const [baseFen, setBaseFen] = useState<number | null>(null);
  const [flatFen, setFlatFen] = useState<number | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!props.open) return;
    const l = props.latest;
    setCategory((l?.category as DuesCategory) ?? 'inService');
    setMonth(`${props.year}-01`);
    const lines = Array.isArray(l?.paySlip) ? (l!.paySlip as PaySlipItem[]).map((x) => ({ label: x.label, kind: x.kind, amountFen: x.amountFen, included: x.included })) : null;
    setMode(l?.category === 'selfEmployed' ? 'quarter' : lines || !l ? 'slip' : 'base');
    setIncomes([null, null, null]);
    setSlip(lines ?? STARTER);
    setBaseFen(l?.baseFen ?? null);
    setFlatFen(l?.flatFen ?? null);
    setReason('');
  }, [props.open, props.latest, props.year]);

  const ruleSet = duesRuleSetFor(`${month}-01`, props.settings.ruleSet as DuesRuleSetId);
  const quarterMonths = previousQuarterMonths(month);
  const usesBase = BRACKET_CATEGORIES.includes(category) || category === 'retired' || category === 'farmer';
  const computed = useMemo(() => {
    let base = baseFen;
    let slipError: string | null = null;
    let quarterNote: string | null = null;
    if (usesBase && mode === 'slip' && category !== 'retired' && category !== 'farmer') {
      const r = baseFromPaySlip(slip, ruleSet);
      if (r.ok) base = r.baseFen;
      else slipError = r.error;
    }
    if (category === 'selfEmployed' && mode === 'quarter') {
      const r = selfEmployedBase(month, quarterMonths.flatMap((m, i) => (incomes[i] === null ? [] : [{ month: m, netIncomeFen: incomes[i]! }])));
      if (r.ok) { base = r.baseFen; quarterNote = r.explanation; } else { base = null; slipError = r.error; }
    }
    const due = monthlyDue({ category, baseFen: usesBase ? base : null, flatFen }, {
      ruleSet, rounding: props.settings.rounding, capFen: props.settings.capFen, farmerDefaultFen: props.settings.farmerDefaultFen,
    });
    return { base, slipError, due, quarterNote };
  }, [baseFen, usesBase, mode, category, slip, ruleSet, flatFen, props.settings, incomes, month]);
  const midYear = ruleSet.constants.BASE_CHANGE.value === 'januaryFixing' && !month.endsWith('-01') && category !== 'selfEmployed' && category !== 'annualSalary';
  const quarterMode = category === 'selfEmployed' && mode === 'quarter';
  const slipMode = usesBase && mode === 'slip' && category !== 'retired' && category !== 'farmer';

  const save = async () => {
    if (!props.person) return;
    if ((midYear || category === 'other') && reason.trim().length < 2) return message.error(midYear ? '年中调整须填写理由' : '“其他”类别请填写理由');
    setBusy(true);
    try {
      await api.post('/api/dues/bases', {
        personId: props.person.personId, effectiveMonth: month, category,
        paySlip: slipMode ? slip.filter((i) => i.amountFen > 0) : null,
        baseFen: usesBase && !slipMode && !quarterMode ? baseFen : null,
        quarterIncomes: quarterMode ? quarterMonths.flatMap((m, i) => (incomes[i] === null ? [] : [{ month: m, netIncomeFen: incomes[i]! }])) : null,
        flatFen: category === 'farmer' || category === 'other' ? flatFen : null,
        reason: reason.trim() || null,
      });
      message.success(`已核定${props.person.name}的党费基数`);
      props.onSaved();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const setItem = (i: number, p: Partial<PaySlipItem>) => setSlip((s) => s.map((x, k) => (k === i ? { ...x, ...p } : x)));
  return (
    <Drawer open={props.open} onClose={props.onClose} title={`核定党费基数：${props.person?.name ?? ''}`} size={560} destroyOnHidden
      extra={<Button type="primary" loading={busy} onClick={save} data-testid="dues-base-save">保存</Button>}>
      <div className="dues-form">
        <label className="dues-field">党费类别<Select value={category} onChange={setCategory} options={CATEGORY_OPTIONS} data-testid="dues-base-category" /></label>
        <label className="dues-field">生效月份<DateField picker="month" value={month} allowClear={false} onChange={(v) => setMonth(v ?? month)} /></label>
        <div className="muted">规则版本：{ruleSet.title}（{ruleSet.id}）；{ruleSet.constants.BASE_CHANGE.label}</div>
        {usesBase && category !== 'retired' && category !== 'farmer' ? (
          <Radio.Group value={mode === 'quarter' && category !== 'selfEmployed' ? 'slip' : mode} onChange={(e) => setMode(e.target.value)} optionType="button"
            options={[
              ...(category === 'selfEmployed' ? [{ value: 'quarter', label: '按上季度平均收入' }] : []),
              { value: 'slip', label: '按工资单计算' }, { value: 'base', label: '直接填写基数' },
            ]} />
        ) : null}
        {slipMode ? (
          <div className="dues-slip">
            {slip.map((item, i) => (
              <div className="dues-slip-row" key={i}>
                <Input value={item.label} onChange={(e) => setItem(i, { label: e.target.value })} maxLength={40} placeholder="项目" />
                <Select value={item.kind} onChange={(v: PaySlipItemKind) => setItem(i, { kind: v, included: undefined })} options={KIND_OPTIONS} popupMatchSelectWidth={false} />
                <InputNumber min={0} precision={2} value={item.amountFen / 100} onChange={(v) => setItem(i, { amountFen: toFen(v as number | null) ?? 0 })} suffix="元" style={{ width: '100%' }} />
                <div className="dues-slip-tail">
                  <Checkbox checked={item.included ?? defaultIncluded(item.kind, ruleSet)}
                    disabled={item.kind === 'oneOff'} onChange={(e) => setItem(i, { included: e.target.checked })}>计入</Checkbox>
                  <Button type="text" icon={<DeleteOutlined />} aria-label="删除" onClick={() => setSlip((s) => s.filter((_, k) => k !== i))} />
                </div>
              </div>
            ))}
            <Button icon={<PlusOutlined />} onClick={() => setSlip((s) => [...s, { label: '', kind: 'fixedPay', amountFen: 0 }])}>添加项目</Button>
            {computed.slipError ? <Alert type="error" title={computed.slipError} showIcon /> : null}
          </div>
        ) : null}
        {quarterMode ? (
          <div className="dues-slip" data-testid="dues-base-quarter">
            <div className="muted">不按月取得收入的党员，以上一季度月平均纯收入为基数（第四条）；没有收入记录的月份留空，收入为零的月份填 0。</div>
            {quarterMonths.map((m, i) => (
              <label className="dues-field" key={m}>{`${m.slice(0, 4)}年${Number(m.slice(5, 7))}月纯收入`}
                <InputNumber min={0} precision={2} value={incomes[i] === null ? null : incomes[i]! / 100} suffix="元" style={{ width: '100%' }}
                  onChange={(v) => setIncomes((xs) => xs.map((x, k) => (k === i ? toFen(v as number | null) : x)))} data-testid={`dues-base-income-${i}`} />
              </label>
            ))}
            {computed.slipError ? <Alert type="error" title={computed.slipError} showIcon /> : computed.quarterNote ? <div className="muted">{computed.quarterNote}</div> : null}
          </div>
        ) : null}
        {usesBase && !slipMode && !quarterMode ? (
          <label className="dues-field">{category === 'retired' ? '每月离退休费（养老金）' : category === 'farmer' ? '申报的月平均收入（不申报则按固定标准）' : '每月收入基数'}
            <InputNumber min={0} precision={2} value={baseFen === null ? null : baseFen / 100} onChange={(v) => setBaseFen(toFen(v as number | null))} suffix="元" style={{ width: '100%' }} data-testid="dues-base-amount" />
          </label>
        ) : null}
        {category === 'farmer' || category === 'other' ? (
          <label className="dues-field">{category === 'farmer' ? '每月交纳标准（0.20–1.00 元）' : '支部确定的每月交纳金额'}
            <InputNumber min={0} precision={2} value={flatFen === null ? null : flatFen / 100} onChange={(v) => setFlatFen(toFen(v as number | null))} suffix="元" style={{ width: '100%' }} />
          </label>
        ) : null}
        {midYear || category === 'other' ? (
          <label className="dues-field">{midYear ? '年中调整理由（必填）' : '理由（必填）'}<Input.TextArea value={reason} onChange={(e) => setReason(e.target.value)} rows={2} maxLength={200} /></label>
        ) : null}
        <div className="dues-computed" data-testid="dues-base-computed">
          {computed.base !== null && usesBase ? <div>基数：<b>{yuan(computed.base)}</b> 元</div> : null}
          {computed.due.ok ? (
            <div>月应缴：<b>{yuan(computed.due.dueFen)}</b> 元 <span className="muted">（{computed.due.explanation}）</span></div>
          ) : <Alert type="warning" title={computed.due.error} showIcon />}
        </div>
        <Space className="muted">取整：{props.settings.rounding.unit === 'fen' ? '分' : props.settings.rounding.unit === 'jiao' ? '角' : '元'}，{props.settings.rounding.mode === 'up' ? '向上取整' : '四舍五入'}；月交纳额上限 {yuan(props.settings.capFen)} 元（dues-2017）</Space>
      </div>
    </Drawer>
  );
}
