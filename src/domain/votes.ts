/**
 * The one vote and quorum function (ARCHITECTURE.md "Shared services"), used by member-assembly
 * records and by member development (admission and 转正 votes, DOMAIN.md §2.1 steps 15 and 23).
 *
 * - Quorum (DOMAIN.md §2.1, §3.3): voting members present must be MORE than half of the voting
 *   members who should attend. "超过半数" and "半数以上" differ at exactly half; the setting
 *   `exactlyHalfIsQuorum` (default false) lets exactly half count.
 * - Passing (§2.1, §3.3): yes votes MORE than half of the voting members who should attend — not of
 *   those present. Exactly half never passes.
 * - Written opinions of absent voting members count toward the vote (§2.1 for admissions; §3.3: for
 *   转正 by analogy, a setting, default yes).
 * - Without a quorum the vote is invalid: only the quorum violation is reported, never a result
 *   (§2.5).
 */

export interface VoteInput {
  /** Voting (formal, not suspended) members who should attend. */
  shouldAttendVoting: number;
  /** Of those, how many were present. */
  presentVoting: number;
  yes: number;
  no: number;
  abstain: number;
  /** Written yes opinions from absent voting members. */
  writtenYes?: number;
  /** Setting: exactly half present counts as a quorum (default false). */
  exactlyHalfIsQuorum?: boolean;
  /** Setting: count written opinions of absent members (default true). */
  countWrittenOpinions?: boolean;
}

export interface VoteResult {
  quorum: boolean;
  /** null when there is no quorum: the vote is invalid and has no result. */
  passed: boolean | null;
  /** Chinese explanation. */
  reason: string;
  /** Fewest present voting members that make a quorum. */
  presentNeeded: number;
  /** Fewest yes votes (counted) that pass. */
  yesNeeded: number;
  /** Yes votes counted: present yes plus written yes when counted. */
  yesCounted: number;
}

const COUNT_NAMES: Record<string, string> = {
  shouldAttendVoting: '应到会有表决权党员人数',
  presentVoting: '实到会有表决权党员人数',
  yes: '赞成票数',
  no: '反对票数',
  abstain: '弃权票数',
  writtenYes: '书面赞成意见数',
};

/** Chinese descriptions of inconsistent counts; empty when the counts make sense. */
export function checkVoteCounts(input: VoteInput): string[] {
  const problems: string[] = [];
  const writtenYes = input.writtenYes ?? 0;
  const counts: Record<string, number> = {
    shouldAttendVoting: input.shouldAttendVoting,
    presentVoting: input.presentVoting,
    yes: input.yes,
    no: input.no,
    abstain: input.abstain,
    writtenYes,
  };
  for (const [name, value] of Object.entries(counts)) {
    if (!Number.isInteger(value) || value < 0) problems.push(`${COUNT_NAMES[name]}应为非负整数`);
  }
  if (problems.length > 0) return problems;
  if (input.shouldAttendVoting === 0) problems.push('应到会有表决权党员人数不能为0');
  if (input.presentVoting > input.shouldAttendVoting) problems.push('实到人数不能超过应到人数');
  if (input.yes + input.no + input.abstain > input.presentVoting) problems.push('赞成、反对、弃权票数之和不能超过实到人数');
  if (writtenYes > input.shouldAttendVoting - input.presentVoting) problems.push('书面赞成意见数不能超过未到会有表决权党员人数');
  return problems;
}

/** Whether `present` of `should` is a quorum: more than half, or at least half under the setting. */
export function hasQuorum(should: number, present: number, exactlyHalfIsQuorum = false): boolean {
  if (should <= 0) return false;
  return exactlyHalfIsQuorum ? present * 2 >= should : present * 2 > should;
}

/** Smallest number strictly greater than half of n. */
function moreThanHalf(n: number): number {
  return Math.floor(n / 2) + 1;
}

/** Evaluates a vote; throws RangeError (Chinese message) when the counts are inconsistent. */
export function evaluateVote(input: VoteInput): VoteResult {
  const problems = checkVoteCounts(input);
  if (problems.length > 0) throw new RangeError(`表决数据有误：${problems.join('；')}`);

  const should = input.shouldAttendVoting;
  const present = input.presentVoting;
  const halfCounts = input.exactlyHalfIsQuorum ?? false;
  const countWritten = input.countWrittenOpinions ?? true;
  const writtenYes = countWritten ? (input.writtenYes ?? 0) : 0;
  const presentNeeded = halfCounts ? Math.ceil(should / 2) : moreThanHalf(should);
  const yesNeeded = moreThanHalf(should);
  const yesCounted = input.yes + writtenYes;
  const base = { presentNeeded, yesNeeded, yesCounted };

  if (!hasQuorum(should, present, halfCounts)) {
    const rule = halfCounts ? '未达到半数' : '未超过半数';
    return {
      ...base,
      quorum: false,
      passed: null,
      reason: `应到会有表决权党员${should}人，实到${present}人，${rule}，不足法定人数，表决无效`,
    };
  }

  const yesText = writtenYes > 0 ? `赞成${yesCounted}票（含未到会党员书面赞成意见${writtenYes}份）` : `赞成${yesCounted}票`;
  const passed = yesCounted >= yesNeeded;
  const verdict = passed
    ? `超过应到会有表决权党员${should}人的半数，表决通过`
    : `未超过应到会有表决权党员${should}人的半数（至少需${yesNeeded}票），未通过`;
  return {
    ...base,
    quorum: true,
    passed,
    reason: `应到会有表决权党员${should}人，实到${present}人；${yesText}，反对${input.no}票，弃权${input.abstain}票，${verdict}`,
  };
}

// ─── Roll-call votes ─────────────────────────────────────────────────────────

/** One person's vote in a roll call: present voting members vote; absent ones may send a written yes. */
export type BallotChoice = 'yes' | 'no' | 'abstain' | 'writtenYes';
export const BALLOT_CHOICE_LABELS: Record<BallotChoice, string> = { yes: '赞成', no: '反对', abstain: '弃权', writtenYes: '书面赞成意见' };

export interface Ballot {
  personId: number;
  choice: BallotChoice;
}

export interface RollCallVoter {
  personId: number;
  name?: string;
  present: boolean;
  /** Has a vote: a full member; probationary members attend without one (党章第七条). */
  voting: boolean;
}

export interface RollCallTally {
  yes: number;
  no: number;
  abstain: number;
  writtenYes: number;
  /** Chinese descriptions of ballots that cannot count; the vote must not be recorded while any exist. */
  problems: string[];
}

/**
 * Counts a roll call (who voted how) into the counts `evaluateVote` takes, refusing what a clerk
 * counting raised hands can get wrong: a probationary member's vote, a vote from someone absent, a
 * written opinion from someone present, a person voting twice or not on the list at all.
 */
export function tallyRollCall(ballots: readonly Ballot[], voters: readonly RollCallVoter[]): RollCallTally {
  const byId = new Map(voters.map((v) => [v.personId, v]));
  const seen = new Set<number>();
  const t: RollCallTally = { yes: 0, no: 0, abstain: 0, writtenYes: 0, problems: [] };
  for (const b of ballots) {
    const v = byId.get(b.personId);
    const who = v?.name ? `${v.name}` : `人员 ${b.personId}`;
    if (seen.has(b.personId)) { t.problems.push(`${who}重复表决`); continue; }
    seen.add(b.personId);
    if (!v) { t.problems.push(`${who}不在本次会议应到会人员名单中`); continue; }
    if (!v.voting) { t.problems.push(`${who}没有表决权（预备党员有发言权、无表决权）`); continue; }
    if (b.choice === 'writtenYes') {
      if (v.present) { t.problems.push(`${who}已到会，应当场表决，不能以书面意见计入`); continue; }
      t.writtenYes += 1;
    } else {
      if (!v.present) { t.problems.push(`${who}未到会，只能提交书面意见`); continue; }
      t[b.choice] += 1;
    }
  }
  return t;
}
