/**
 * Response shapes of platform routes that have no contract.ts of their own (auth, findings, figures,
 * audit, settings, import runs). Org and member shapes come from the modules' contract files.
 */
export type { OrgNode, OrgDetail, OrgDirectoryItem, OrgInput, OrgPatch } from '../../../src/modules/orgs/contract';
export type { MemberListItem, MemberDetail, MemberInput, MemberPatch, ImportRowError } from '../../../src/modules/members/contract';

export interface Grant {
  orgId: number;
  orgName: string;
  role: string;
  canViewPersonalData: boolean;
}

export interface Me {
  userId: number;
  username: string;
  displayName: string;
  personId: number | null;
  permissions: string[];
  grants: Grant[];
  /** An mlps3 administrator signed in without TOTP: only enrolment works until it is done. */
  totpEnrolRequired?: boolean;
  /** The server's business date (YYYY-MM-DD); date fields default to it. */
  today?: string;
}

export interface TotpStatus { enabled: boolean; required: boolean; recoveryCodesLeft: number }
export interface TotpSetup { secret: string; otpauthUrl: string; qrDataUrl: string }

export type Severity = 'case' | 'violation' | 'overdue' | 'dueSoon' | 'info';

export interface Finding {
  id: number;
  ruleId: string;
  orgId: number;
  orgName: string;
  severity: Severity;
  status: string;
  dueOn: string | null;
  openedOn: string;
  message: string;
  source: string;
  conditionChanged: boolean | null;
}

export interface FindingSummaryRow {
  id: number;
  name: string;
  kind: string;
  isRoot: boolean;
  counts: Partial<Record<Severity, number>>;
  total: number;
}

export interface Page<T> {
  total: number;
  items: T[];
}

export interface FigureInfo {
  id: string;
  label: string;
  definition: string;
  unit: string;
  kind: string;
  source: string | null;
  dimensions?: { key: string; label: string }[];
}

export interface FigureValue {
  value: number | null;
  status: 'ok' | 'missing';
  unit: string;
  breakdown?: { key: string; label: string; value: number }[];
}

export interface EvidenceRow {
  entity: string;
  id: number | string;
  version?: number;
  date: string | null;
  orgId: number | null;
  label: string;
  contributes: number;
  /** Records behind a derived row (e.g. the meetings that met an obligation). */
  refs?: { entity: string; id: number }[];
}

export interface FigureResult {
  figure: FigureInfo;
  value: FigureValue;
  evidence: Page<EvidenceRow>;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  actorName: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  orgId: number | null;
  orgName: string | null;
  before: unknown;
  after: unknown;
  meta: unknown;
  hash: string;
}

export interface SettingItem {
  key: string;
  label: string;
  source: string;
  mark: string;
  default: unknown;
  value: unknown;
}

export type ImportStatus = 'parsing' | 'validating' | 'writing' | 'done' | 'rejected' | 'failed';

export interface ImportRun {
  id: number | string;
  status: ImportStatus;
  done: number;
  total: number;
  imported: number;
  errorCount: number;
  errors: { row: number; column?: string; reason: string }[];
  /** Notes that did not stop the import (a shared mobile). */
  warningCount?: number;
  warnings?: { row: number; column?: string; reason: string }[];
  message?: string;
}
