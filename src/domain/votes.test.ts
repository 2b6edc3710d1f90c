import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkVoteCounts, evaluateVote, hasQuorum, tallyRollCall, type Ballot, type BallotChoice, type RollCallVoter, type VoteInput } from './votes.js';

type Row = [string, VoteInput, boolean, boolean | null];

describe('evaluateVote: quorum and passing at the exactly-half edges (DOMAIN §2.1, §3.3)', () => {
  it.each<Row>([
    // default: more than half must be present
    ['10 should, 5 present: no quorum', { shouldAttendVoting: 10, presentVoting: 5, yes: 5, no: 0, abstain: 0 }, false, null],
    ['10 should, 6 present, 6 yes: passes', { shouldAttendVoting: 10, presentVoting: 6, yes: 6, no: 0, abstain: 0 }, true, true],
    ['10 should, 6 present, 5 yes: fails (5 is not more than half of 10)', { shouldAttendVoting: 10, presentVoting: 6, yes: 5, no: 1, abstain: 0 }, true, false],
    ['9 should, 4 present: no quorum', { shouldAttendVoting: 9, presentVoting: 4, yes: 4, no: 0, abstain: 0 }, false, null],
    ['9 should, 5 present, 5 yes: passes', { shouldAttendVoting: 9, presentVoting: 5, yes: 5, no: 0, abstain: 0 }, true, true],
    ['9 should, 9 present, 4 yes: fails', { shouldAttendVoting: 9, presentVoting: 9, yes: 4, no: 3, abstain: 2 }, true, false],
    ['2 should, 1 present: no quorum', { shouldAttendVoting: 2, presentVoting: 1, yes: 1, no: 0, abstain: 0 }, false, null],
    ['1 should, 1 present, 1 yes: passes', { shouldAttendVoting: 1, presentVoting: 1, yes: 1, no: 0, abstain: 0 }, true, true],
    ['yes counts against should attend, not present: 10 should, 6 present, 4 yes', { shouldAttendVoting: 10, presentVoting: 6, yes: 4, no: 0, abstain: 2 }, true, false],
    // setting: exactly half counts as quorum
    ['half setting: 10 should, 5 present, 5 yes: quorum but fails', { shouldAttendVoting: 10, presentVoting: 5, yes: 5, no: 0, abstain: 0, exactlyHalfIsQuorum: true }, true, false],
    ['half setting: 10 should, 4 present: no quorum', { shouldAttendVoting: 10, presentVoting: 4, yes: 4, no: 0, abstain: 0, exactlyHalfIsQuorum: true }, false, null],
    ['half setting: 9 should, 4 present: no quorum (4 < 4.5)', { shouldAttendVoting: 9, presentVoting: 4, yes: 4, no: 0, abstain: 0, exactlyHalfIsQuorum: true }, false, null],
    ['half setting: 2 should, 1 present, 1 yes: quorum but fails', { shouldAttendVoting: 2, presentVoting: 1, yes: 1, no: 0, abstain: 0, exactlyHalfIsQuorum: true }, true, false],
    // written opinions of absent voting members (default counted)
    ['written: 10 should, 6 present, 4 yes + 2 written: passes', { shouldAttendVoting: 10, presentVoting: 6, yes: 4, no: 2, abstain: 0, writtenYes: 2 }, true, true],
    ['written not counted: same counts fail', { shouldAttendVoting: 10, presentVoting: 6, yes: 4, no: 2, abstain: 0, writtenYes: 2, countWrittenOpinions: false }, true, false],
    ['written: 10 should, 6 present, 4 yes + 1 written: fails', { shouldAttendVoting: 10, presentVoting: 6, yes: 4, no: 2, abstain: 0, writtenYes: 1 }, true, false],
    ['written opinions never make a quorum', { shouldAttendVoting: 10, presentVoting: 5, yes: 5, no: 0, abstain: 0, writtenYes: 5 }, false, null],
  ])('%s', (_name, input, quorum, passed) => {
    const result = evaluateVote(input);
    expect(result.quorum).toBe(quorum);
    expect(result.passed).toBe(passed);
  });
});

describe('evaluateVote: reasons and needed counts', () => {
  it('no quorum reports only the quorum violation', () => {
    const r = evaluateVote({ shouldAttendVoting: 10, presentVoting: 5, yes: 5, no: 0, abstain: 0 });
    expect(r.reason).toBe('应到会有表决权党员10人，实到5人，未超过半数，不足法定人数，表决无效');
    expect(r.reason).not.toMatch(/通过/);
    expect(r).toMatchObject({ presentNeeded: 6, yesNeeded: 6 });
  });

  it('the half setting changes the wording and the needed count', () => {
    const r = evaluateVote({ shouldAttendVoting: 10, presentVoting: 4, yes: 4, no: 0, abstain: 0, exactlyHalfIsQuorum: true });
    expect(r.reason).toMatch(/未达到半数/);
    expect(r.presentNeeded).toBe(5);
  });

  it('passed', () => {
    const r = evaluateVote({ shouldAttendVoting: 10, presentVoting: 8, yes: 5, no: 1, abstain: 2, writtenYes: 1 });
    expect(r.reason).toBe(
      '应到会有表决权党员10人，实到8人；赞成6票（含未到会党员书面赞成意见1份），反对1票，弃权2票，超过应到会有表决权党员10人的半数，表决通过',
    );
    expect(r.yesCounted).toBe(6);
  });

  it('failed', () => {
    const r = evaluateVote({ shouldAttendVoting: 7, presentVoting: 7, yes: 3, no: 4, abstain: 0 });
    expect(r.reason).toMatch(/未超过应到会有表决权党员7人的半数（至少需4票），未通过$/);
  });
});

describe('inconsistent counts', () => {
  it.each<[Partial<VoteInput>, RegExp]>([
    [{ presentVoting: 11 }, /实到人数不能超过应到人数/],
    [{ yes: 5, no: 5, abstain: 1 }, /票数之和不能超过实到人数/],
    [{ writtenYes: 1 }, /书面赞成意见数不能超过未到会/],
    [{ yes: -1 }, /赞成票数应为非负整数/],
    [{ abstain: 1.5 }, /弃权票数应为非负整数/],
    [{ shouldAttendVoting: 0, presentVoting: 0, yes: 0, no: 0 }, /不能为0/],
  ])('%j', (patch, message) => {
    const input = { shouldAttendVoting: 10, presentVoting: 10, yes: 5, no: 5, abstain: 0, ...patch };
    expect(checkVoteCounts(input).join('；')).toMatch(message);
    expect(() => evaluateVote(input)).toThrow(message);
  });
});

describe('properties', () => {
  const voteArb = fc
    .record({ should: fc.integer({ min: 1, max: 200 }), presentShare: fc.double({ min: 0, max: 1, noNaN: true }), half: fc.boolean() })
    .chain(({ should, presentShare, half }) => {
      const present = Math.round(should * presentShare);
      return fc.record({
        input: fc
          .tuple(fc.integer({ min: 0, max: present }), fc.integer({ min: 0, max: should - present }))
          .map(([yes, writtenYes]): VoteInput => ({
            shouldAttendVoting: should,
            presentVoting: present,
            yes,
            no: present - yes,
            abstain: 0,
            writtenYes,
            exactlyHalfIsQuorum: half,
          })),
      });
    });

  it('passes exactly when counted yes votes are more than half of should attend', () => {
    fc.assert(
      fc.property(voteArb, ({ input }) => {
        const r = evaluateVote(input);
        if (!r.quorum) {
          expect(r.passed).toBeNull();
        } else {
          expect(r.passed).toBe((input.yes + (input.writtenYes ?? 0)) * 2 > input.shouldAttendVoting);
        }
      }),
    );
  });

  it('presentNeeded is the smallest quorum', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.boolean(), (should, half) => {
        const r = evaluateVote({ shouldAttendVoting: should, presentVoting: 0, yes: 0, no: 0, abstain: 0, exactlyHalfIsQuorum: half });
        expect(hasQuorum(should, r.presentNeeded, half)).toBe(true);
        expect(hasQuorum(should, r.presentNeeded - 1, half)).toBe(false);
      }),
    );
  });
});

describe('roll-call votes (who voted how) count like the counted vote', () => {
  const voters: RollCallVoter[] = [
    { personId: 1, name: '张三', present: true, voting: true },
    { personId: 2, name: '李四', present: true, voting: true },
    { personId: 3, name: '王五', present: true, voting: true },
    { personId: 4, name: '赵六', present: false, voting: true },
    { personId: 5, name: '钱七', present: true, voting: false },
  ];

  it.each<[string, Ballot[], Partial<ReturnType<typeof tallyRollCall>>, string[]]>([
    ['every present voter and a written yes', [{ personId: 1, choice: 'yes' }, { personId: 2, choice: 'no' }, { personId: 3, choice: 'abstain' }, { personId: 4, choice: 'writtenYes' }], { yes: 1, no: 1, abstain: 1, writtenYes: 1 }, []],
    ['a probationary member raising a hand is refused', [{ personId: 5, choice: 'yes' }], { yes: 0 }, ['钱七没有表决权（预备党员有发言权、无表决权）']],
    ['an absent member can only send a written opinion', [{ personId: 4, choice: 'yes' }], { yes: 0 }, ['赵六未到会，只能提交书面意见']],
    ['a present member cannot send a written opinion', [{ personId: 1, choice: 'writtenYes' }], { writtenYes: 0 }, ['张三已到会，应当场表决，不能以书面意见计入']],
    ['nobody votes twice', [{ personId: 1, choice: 'yes' }, { personId: 1, choice: 'no' }], { yes: 1, no: 0 }, ['张三重复表决']],
    ['someone not on the list', [{ personId: 99, choice: 'yes' }], { yes: 0 }, ['人员 99不在本次会议应到会人员名单中']],
  ])('%s', (_name, ballots, counts, problems) => {
    const t = tallyRollCall(ballots, voters);
    expect(t).toMatchObject(counts);
    expect(t.problems).toEqual(problems);
  });

  it('property: a valid roll call gives the same result as entering its counts', () => {
    const choice = fc.constantFrom<BallotChoice>('yes', 'no', 'abstain');
    fc.assert(fc.property(
      fc.array(fc.record({ present: fc.boolean(), voting: fc.boolean(), vote: fc.option(choice), written: fc.boolean() }), { minLength: 1, maxLength: 40 }),
      fc.boolean(),
      (people, exactlyHalf) => {
        const vs: RollCallVoter[] = people.map((p, i) => ({ personId: i + 1, present: p.present, voting: p.voting }));
        const ballots: Ballot[] = [];
        people.forEach((p, i) => {
          if (!p.voting) return;
          if (p.present && p.vote) ballots.push({ personId: i + 1, choice: p.vote });
          if (!p.present && p.written) ballots.push({ personId: i + 1, choice: 'writtenYes' });
        });
        const t = tallyRollCall(ballots, vs);
        expect(t.problems).toEqual([]);
        const should = vs.filter((v) => v.voting).length;
        if (should === 0) return;
        const present = vs.filter((v) => v.voting && v.present).length;
        const counted = (c: BallotChoice) => ballots.filter((b) => b.choice === c).length;
        const byCounts = evaluateVote({ shouldAttendVoting: should, presentVoting: present, yes: counted('yes'), no: counted('no'), abstain: counted('abstain'), writtenYes: counted('writtenYes'), exactlyHalfIsQuorum: exactlyHalf });
        const byRollCall = evaluateVote({ shouldAttendVoting: should, presentVoting: present, yes: t.yes, no: t.no, abstain: t.abstain, writtenYes: t.writtenYes, exactlyHalfIsQuorum: exactlyHalf });
        expect(byRollCall).toEqual(byCounts);
      },
    ), { numRuns: 300 });
  });
});
