/**
 * Organization structure rules (DOMAIN.md §3.1–§3.2, rule set structure-2018) as pure functions over
 * plain data. Each returns a finding-like object or null; the platform stores and addresses them.
 */
import { addMonths, compareDates, periodEnd, type IsoDate } from './dates.js';
import { STRUCTURE_2018 } from './ruleSets.js';
import { BRANCH_KINDS, labelOf, ORG_KINDS, type OrgKind, type UnitType } from './vocab.js';

const C = STRUCTURE_2018.constants;

export type RuleSeverity = 'dueSoon' | 'overdue' | 'violation' | 'info';

export interface RuleFinding {
  ruleId: string;
  ruleSet: string;
  severity: RuleSeverity;
  /** Chinese message for the workbench. */
  message: string;
  /** DOMAIN.md section. */
  source: string;
  dueDate?: IsoDate;
}

export interface OrgStructureInput {
  kind: OrgKind;
  unitType?: UnitType | null;
  /** Full (正式) members whose formal relation is with the org on `today`. */
  fullMemberCount: number;
  /** All members (full + probationary); needed only for the 50-member note. */
  memberCount?: number;
  /** Committee posts held on `today` (vocab COMMITTEE_POSTS). */
  committeePostsHeld: number;
  /** Last day of the current term, if the org has one. */
  termEnd?: IsoDate | null;
  today: IsoDate;
}

export const STRUCTURE_RULE_IDS = {
  branchMinFormal: 'structure.branchMinFormal',
  committeeRequired: 'structure.committeeRequired',
  branchSize: 'structure.branchSize',
  committeeSize: 'structure.committeeSize',
  termExpiry: 'structure.termExpiry',
} as const;

function finding(ruleId: string, severity: RuleSeverity, message: string, source: string, dueDate?: IsoDate): RuleFinding {
  const f: RuleFinding = { ruleId, ruleSet: STRUCTURE_2018.id, severity, message, source };
  if (dueDate !== undefined) f.dueDate = dueDate;
  return f;
}

function isBranchKind(kind: OrgKind): boolean {
  return BRANCH_KINDS.includes(kind);
}

/** 第四条/第五条 (§3.1): a branch or joint branch needs at least 3 full members. */
export function checkBranchMinFormal(input: OrgStructureInput): RuleFinding | null {
  const min = C.BRANCH_MIN_FORMAL.value;
  if (!isBranchKind(input.kind) || input.fullMemberCount >= min) return null;
  const name = labelOf(ORG_KINDS, input.kind);
  const advice = input.kind === 'branch' ? '，应与其他单位成立联合党支部或调整组织设置' : '，应调整组织设置';
  return finding(
    STRUCTURE_RULE_IDS.branchMinFormal,
    'violation',
    `${name}正式党员${input.fullMemberCount}人，不足${min}人${advice}`,
    C.BRANCH_MIN_FORMAL.source,
  );
}

/**
 * 第二十条 (§3.1): with 7 or more full members a branch has a committee; it has one on a date when
 * at least 3 committee posts are held (ARCHITECTURE.md, COMMITTEE_SIZE.min).
 */
export function checkCommitteeRequired(input: OrgStructureInput): RuleFinding | null {
  const threshold = C.COMMITTEE_MIN_FORMAL.value;
  const minPosts = C.COMMITTEE_SIZE.value.min;
  if (!isBranchKind(input.kind) || input.fullMemberCount < threshold || input.committeePostsHeld >= minPosts) return null;
  return finding(
    STRUCTURE_RULE_IDS.committeeRequired,
    'violation',
    `正式党员${input.fullMemberCount}人，达到${threshold}人以上，应设立支部委员会（${minPosts}至${C.COMMITTEE_SIZE.value.max}人），现有支部委员${input.committeePostsHeld}人`,
    C.COMMITTEE_MIN_FORMAL.source,
  );
}

/** 第四条 (§3.1): a branch normally has at most 50 members; more is a note, not a violation. */
export function checkBranchSize(input: OrgStructureInput): RuleFinding | null {
  const max = C.BRANCH_MAX_MEMBERS_NORMAL.value;
  const count = input.memberCount;
  if (!isBranchKind(input.kind) || count === undefined || count <= max) return null;
  return finding(
    STRUCTURE_RULE_IDS.branchSize,
    'info',
    `党员${count}人，超过党支部一般不超过${max}人的规定，可视情况设立党总支或分设党支部`,
    C.BRANCH_MAX_MEMBERS_NORMAL.source,
  );
}

/** 第二十条 (§3.1): a branch committee has 3–5 members, normally no more than 7. */
export function checkCommitteeSize(input: OrgStructureInput): RuleFinding | null {
  const { absoluteMax } = C.COMMITTEE_SIZE.value;
  if (!isBranchKind(input.kind) || input.committeePostsHeld <= absoluteMax) return null;
  return finding(
    STRUCTURE_RULE_IDS.committeeSize,
    'info',
    `支部委员会现有委员${input.committeePostsHeld}人，一般不超过${absoluteMax}人`,
    C.COMMITTEE_SIZE.source,
  );
}

/**
 * §3.2: remind from 6 months before the term ends (dueSoon, from termEnd − 6 months inclusive);
 * overdue from the day after termEnd.
 */
export function checkTermExpiry(input: OrgStructureInput): RuleFinding | null {
  if (!input.termEnd) return null;
  const { termEnd, today } = input;
  if (compareDates(today, termEnd) > 0) {
    return finding(
      STRUCTURE_RULE_IDS.termExpiry,
      'overdue',
      `本届任期已于${termEnd}届满，应及时换届；确需延期换届的，须经上级党组织批准，一般不超过${C.TERM_SHIFT_MAX_YEARS.value}年`,
      C.TERM_YEARS.source,
      termEnd,
    );
  }
  if (compareDates(today, addMonths(termEnd, -C.TERM_REMIND_MONTHS.value)) >= 0) {
    return finding(
      STRUCTURE_RULE_IDS.termExpiry,
      'dueSoon',
      `本届任期将于${termEnd}届满，请提前做好换届准备`,
      C.TERM_REMIND_MONTHS.source,
      termEnd,
    );
  }
  return null;
}

/** All structure rules for one org. */
export function evaluateOrgStructure(input: OrgStructureInput): RuleFinding[] {
  return [checkBranchMinFormal, checkCommitteeRequired, checkBranchSize, checkCommitteeSize, checkTermExpiry]
    .map((rule) => rule(input))
    .filter((f): f is RuleFinding => f !== null);
}

/**
 * Term length in years (§3.2): 5 for a basicCommittee and for committees, general branches and
 * branches in villages and communities; 3 for other general branches and branches. null for kinds
 * §3.2 does not cover (county, township and temporary organizations, party groups).
 */
export function termYears(kind: OrgKind, unitType?: UnitType | null): number | null {
  const t = C.TERM_YEARS.value;
  const villageOrCommunity = unitType === 'village' || unitType === 'community';
  switch (kind) {
    case 'basicCommittee':
      return villageOrCommunity ? t.villageOrCommunity : t.basicCommittee;
    case 'generalBranch':
      return villageOrCommunity ? t.villageOrCommunity : t.generalBranch;
    case 'branch':
    case 'jointBranch':
      return villageOrCommunity ? t.villageOrCommunity : t.branch;
    default:
      return null;
  }
}

/** The last day of a term that began with an election on `electedOn` (§2.1a counting). */
export function termEndFrom(electedOn: IsoDate, kind: OrgKind, unitType?: UnitType | null): IsoDate | null {
  const years = termYears(kind, unitType);
  return years === null ? null : periodEnd(electedOn, { years });
}
