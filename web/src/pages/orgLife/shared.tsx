import { Tag } from 'antd';
import { ATTENDANCE_STATUSES, MEETING_KINDS, OBLIGATION_STATUS_LABELS, meetingKindLabel } from '../../../../src/domain/orgLifeRules';
import { useMe } from '../../auth/AuthContext';
import { todayIso } from '../../lib/format';

/**
 * Shared bits of the organizational-life pages: route paths (for the lead to wire and for links between
 * these pages), labels and the default org (the user's first grant).
 */
export const ORG_LIFE_PATHS = {
  calendar: '/orgLife',
  quick: '/orgLife/new',
  meeting: (id: number | string) => `/orgLife/meetings/${id}`,
  matrix: '/orgLife/matrix',
  reviews: '/orgLife/reviews',
  talks: '/orgLife/talks',
  study: '/orgLife/study',
  ledgerImport: '/orgLife/import',
} as const;

export const KIND_OPTIONS = MEETING_KINDS.map((k) => ({ value: k.key, label: k.label }));
export const kindLabel = meetingKindLabel;
export const attendanceLabel = (s: string) => ATTENDANCE_STATUSES.find((x) => x.key === s)?.label ?? s;

const STATUS_COLORS: Record<string, string> = { done: 'green', dueSoon: 'gold', overdue: 'red', notYetDue: 'default' };
export function ObligationTag({ status }: { status: string }) {
  return <Tag color={STATUS_COLORS[status] ?? 'default'}>{OBLIGATION_STATUS_LABELS[status as keyof typeof OBLIGATION_STATUS_LABELS] ?? status}</Tag>;
}

export const ATTENDANCE_COLORS: Record<string, string> = { present: 'green', onLeave: 'gold', absent: 'red' };

/** The org a page opens on: ?org= when given, else the user's first grant. */
export function useDefaultOrg(param: string | null): number | undefined {
  const me = useMe();
  const fromParam = Number(param);
  if (fromParam) return fromParam;
  return me?.grants[0]?.orgId;
}

export const thisYear = () => Number(todayIso().slice(0, 4));
