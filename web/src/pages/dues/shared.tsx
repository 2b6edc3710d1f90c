import { useCallback } from 'react';
import { useSearchParams } from 'react-router';
import { Button, Tag } from 'antd';
import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { DUES_CATEGORIES } from '../../../../src/domain/vocab';
import { MONTH_STATUSES, PAYMENT_CHANNELS, PAYMENT_KINDS, type MonthStatus } from '../../../../src/modules/dues/contract';
import { useMe } from '../../auth/AuthContext';
import { OrgTreeSelect } from '../../components/OrgTreeSelect';
import { useOrgTree } from '../../lib/orgTree';

/**
 * Shared bits of the dues pages (党费): route paths, money in 元 from integer fen, labels, the org and
 * period chosen in the URL (so a reload or a shared link keeps them), and steppers that work with one
 * thumb on a phone.
 */
export const DUES_PATHS = {
  collection: '/dues',
  bases: '/dues/bases',
  handIn: '/dues/hand-in',
  disclosure: '/dues/disclosure',
  mine: '/dues/mine',
} as const;

/** 1234 fen → "12.34"; null → "—". */
export const yuan = (fen: number | null | undefined) => (fen === null || fen === undefined ? '—' : (fen / 100).toFixed(2));
export const yuanText = (fen: number | null | undefined) => (fen === null || fen === undefined ? '—' : `${yuan(fen)} 元`);
/** An amount typed in 元 (up to 2 decimals) → integer fen. */
export const toFen = (y: number | null | undefined) => (y === null || y === undefined || Number.isNaN(y) ? null : Math.round(y * 100));

const lookup = (v: readonly { key: string; label: string }[]) => (k: string | null | undefined) => (k ? v.find((x) => x.key === k)?.label ?? k : '');
export const categoryLabel = lookup(DUES_CATEGORIES);
export const channelLabel = lookup(PAYMENT_CHANNELS);
export const paymentKindLabel = lookup(PAYMENT_KINDS);
export const statusLabel = (s: string) => (s === 'notOwed' ? '不需交纳' : lookup(MONTH_STATUSES)(s));
export const CHANNEL_OPTIONS = PAYMENT_CHANNELS.map((c) => ({ value: c.key, label: c.label }));
export const CATEGORY_OPTIONS = DUES_CATEGORIES.map((c) => ({ value: c.key, label: c.label }));

const STATUS_COLORS: Record<string, string> = { paid: 'green', partial: 'gold', unpaid: 'red', pending: 'default', exempt: 'blue', noBase: 'orange', notOwed: 'default' };
export function StatusTag({ status }: { status: MonthStatus | 'notOwed' | string }) {
  return <Tag color={STATUS_COLORS[status] ?? 'default'} className="dues-status">{statusLabel(status)}</Tag>;
}

/** 'YYYY-MM' shifted by n months. */
export function shiftMonth(month: string, n: number): string {
  const i = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}
export const monthTitle = (month: string) => `${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月`;

const BRANCH_KINDS = ['branch', 'jointBranch', 'temporaryBranch'];

/**
 * The org in ?org=, else the user's own branch (the first grant at a branch, else the first grant).
 * Setting it keeps the other query parameters.
 */
export function useDuesOrg(): [number | null, (id: number | null) => void] {
  const [params, setParams] = useSearchParams();
  const me = useMe();
  const { tree } = useOrgTree();
  const fromParam = Number(params.get('org')) || null;
  const branchGrant = me.grants.find((g) => BRANCH_KINDS.includes(tree?.byId.get(g.orgId)?.kind ?? ''));
  const org = fromParam ?? branchGrant?.orgId ?? me.grants[0]?.orgId ?? null;
  const setOrg = useCallback((id: number | null) => {
    const p = new URLSearchParams(params);
    if (id) p.set('org', String(id));
    else p.delete('org');
    setParams(p, { replace: true });
  }, [params, setParams]);
  return [org, setOrg];
}

/** A query parameter with a setter that keeps the others (month, year). */
export function useParam(name: string): [string | null, (v: string | null) => void] {
  const [params, setParams] = useSearchParams();
  const set = useCallback((v: string | null) => {
    const p = new URLSearchParams(params);
    if (v) p.set(name, v);
    else p.delete(name);
    setParams(p, { replace: true });
  }, [name, params, setParams]);
  return [params.get(name), set];
}

/** ‹ 2026年11月 › — big tap targets instead of a calendar popup. */
export function Stepper(props: { label: string; onPrev: () => void; onNext: () => void; nextDisabled?: boolean; testId?: string }) {
  return (
    <div className="dues-stepper" data-testid={props.testId}>
      <Button icon={<LeftOutlined />} onClick={props.onPrev} aria-label="上一期" />
      <span className="dues-stepper-label">{props.label}</span>
      <Button icon={<RightOutlined />} onClick={props.onNext} disabled={props.nextDisabled} aria-label="下一期" />
    </div>
  );
}

export function OrgPicker({ value, onChange }: { value: number | null; onChange: (id: number | null) => void }) {
  return (
    <div className="dues-org-picker">
      <OrgTreeSelect value={value} onChange={onChange} allowClear={false} placeholder="选择党支部" data-testid="dues-org" />
    </div>
  );
}
