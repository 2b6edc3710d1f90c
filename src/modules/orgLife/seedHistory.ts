import { addDays, addMonths, compareDates, formatIso, lastDayOfMonth, monthStart, parseIso } from '../../domain/dates.js';
import { assemblyQuorum, committeeMajority } from '../../domain/orgLifeCounting.js';
import { COMMITTEE_POSTS } from '../../domain/vocab.js';
import type { Dataset, GenPerson } from '../../demo/generator.js';
import type { Rng } from '../../demo/random.js';

/**
 * The demo's meeting history as plain data (no database): twelve months of meetings for every branch,
 * dated relative to today, with attendance drawn from who should have attended on each date. The
 * variations the acceptance journeys need are named in `DemoPlan`.
 */
export interface DemoPlan {
  /** Branch key → months ('YYYY-MM') in which its committee meeting is skipped. */
  skipCommittee: Map<string, Set<string>>;
  /** Branch key → kinds skipped in the given months. */
  skipKinds: Map<string, { kinds: string[]; months: Set<string> }>;
  /** Person key → first month from which they attend nothing. */
  absentFrom: Map<string, string>;
  /** Branch key → a month in which its member assembly falls below quorum. */
  lowQuorum: Map<string, string>;
  /** Branches whose committee meets whether or not three committee posts are held (branch1). */
  alwaysCommittee: Set<string>;
}

export interface GenMeeting {
  orgKey: string;
  kind: string;
  alsoCountsAs: string[];
  heldOn: string;
  startTime: string;
  endTime: string;
  place: string;
  topic: string;
  theme: string | null;
  lecturer: string | null;
  lectureTitle: string | null;
  forYear: number | null;
  hostKey: string | null;
  recorderKey: string | null;
  attendance: { personKey: string; status: 'present' | 'onLeave' | 'absent'; leaveReason: string | null; voting: boolean }[];
  countsAsHeld: boolean;
  validForDecisions: boolean;
  invalidReason: string | null;
  quorum: unknown;
  lateEntry: boolean;
  enteredOn: string;
}

const TOPICS: Record<string, string[]> = {
  committeeMeeting: ['研究本月党建工作安排', '讨论发展党员工作', '研究党费收缴和使用', '研究主题党日活动方案', '讨论社区治理重点工作', '研究困难党员帮扶'],
  themedPartyDay: ['重温入党誓词', '走访慰问困难群众', '社区环境整治志愿服务', '学习党的创新理论', '参观红色教育基地', '垃圾分类宣传志愿服务'],
  memberAssembly: ['学习传达上级会议精神，讨论季度工作', '通报支部工作情况，听取党员意见', '讨论本季度党建重点任务'],
  groupMeeting: ['学习交流党的创新理论', '讨论楼栋居民诉求', '交流近期思想工作情况'],
  partyLecture: ['坚定理想信念 践行初心使命', '学习党章 遵守党章', '发扬优良作风 服务人民群众'],
  studySession: ['集中学习党的二十大精神', '学习《中国共产党支部工作条例（试行）》', '学习基层治理有关政策'],
};
const LEAVE_REASONS = ['因病请假', '外出务工', '出差', '照顾家人', '单位值班'];
const PLACES = ['党群服务中心会议室', '社区党员活动室', '党员之家'];

export function committeeHeldOn(ds: Dataset, orgKey: string, d: string): string[] {
  return [...new Set(ds.posts.filter((p) => p.orgKey === orgKey && COMMITTEE_POSTS.includes(p.post as never) && compareDates(p.validFrom, d) <= 0).map((p) => p.personKey))];
}

const isFullOn = (p: GenPerson, d: string) => !!p.fullOn && compareDates(p.fullOn, d) <= 0;

export function generateMeetingHistory(ds: Dataset, today: string, rng: Rng, plan: DemoPlan): GenMeeting[] {
  const out: GenMeeting[] = [];
  const branches = ds.orgs.filter((o) => o.kind === 'branch' || o.kind === 'jointBranch');
  const peopleOf = new Map<string, GenPerson[]>();
  const groupOf = new Map<string, GenPerson[]>();
  for (const p of ds.people) {
    peopleOf.set(p.orgKey, [...(peopleOf.get(p.orgKey) ?? []), p]);
    if (p.groupKey) groupOf.set(p.groupKey, [...(groupOf.get(p.groupKey) ?? []), p]);
  }
  const byKey = new Map(ds.people.map((p) => [p.key, p]));
  const first = addMonths(monthStart(today), -12);

  const attend = (people: GenPerson[], d: string, orgKey: string, low: boolean, sure: boolean) =>
    people.filter((p) => compareDates(p.relationStart, d) <= 0).map((p) => {
      const from = plan.absentFrom.get(p.key);
      let status: 'present' | 'onLeave' | 'absent';
      if (from && d.slice(0, 7) >= from) status = 'absent';
      else if (sure) status = 'present';
      else if (low) status = rng.chance(0.35) ? 'present' : 'absent';
      else {
        const x = rng.next();
        status = x < 0.86 ? 'present' : x < 0.94 ? 'onLeave' : 'absent';
      }
      return { personKey: p.key, status, leaveReason: status === 'onLeave' ? rng.pick(LEAVE_REASONS) : null, voting: isFullOn(p, d) && p.orgKey === orgKey };
    });

  const make = (orgKey: string, kind: string, d: string, people: GenPerson[], extra: Partial<GenMeeting> = {}): void => {
    if (compareDates(d, today) > 0) return;
    const sec = committeeHeldOn(ds, orgKey, d);
    const start = rng.pick(['09:00', '14:30', '19:00']);
    const [h, mi] = start.split(':').map(Number);
    const len = rng.pick([60, 90, 120]);
    const endMin = h * 60 + mi + len;
    const m: GenMeeting = {
      orgKey, kind, alsoCountsAs: [], heldOn: d, startTime: start, endTime: `${String(Math.floor(endMin / 60)).padStart(2, '0')}:${String(endMin % 60).padStart(2, '0')}`,
      place: rng.pick(PLACES), topic: rng.pick(TOPICS[kind] ?? TOPICS.studySession), theme: null, lecturer: null, lectureTitle: null, forYear: null,
      hostKey: sec[0] ?? null, recorderKey: sec[1] ?? null, attendance: attend(people, d, orgKey, kind === 'memberAssembly' && plan.lowQuorum.get(orgKey) === d.slice(0, 7), kind === 'committeeMeeting' && plan.alwaysCommittee.has(orgKey)), countsAsHeld: true, validForDecisions: true,
      invalidReason: null, quorum: null, lateEntry: false, enteredOn: addDays(d, rng.int(0, 3)), ...extra,
    };
    if (compareDates(m.enteredOn, today) > 0) m.enteredOn = today;
    const present = new Set(m.attendance.filter((a) => a.status === 'present').map((a) => a.personKey));
    if (kind === 'committeeMeeting') {
      const q = committeeMajority(m.attendance.length, m.attendance.filter((a) => present.has(a.personKey)).length);
      m.quorum = { assembly: null, committee: q };
      if (!q.met) Object.assign(m, { countsAsHeld: false, validForDecisions: false, invalidReason: q.reason });
    }
    if (kind === 'memberAssembly' || m.alsoCountsAs.includes('memberAssembly')) {
      const voters = m.attendance.filter((a) => a.voting);
      const q = assemblyQuorum(voters.length, voters.filter((a) => present.has(a.personKey)).length);
      m.quorum = { assembly: q, committee: null };
      if (!q.met) Object.assign(m, { validForDecisions: false, invalidReason: q.reason });
    }
    out.push(m);
  };
  const day = (monthFirst: string, lo: number, hi: number) => {
    const { y, m } = parseIso(monthFirst);
    return formatIso(y, m, Math.min(rng.int(lo, hi), lastDayOfMonth(y, m)));
  };

  for (const b of branches) {
    const members = peopleOf.get(b.key) ?? [];
    const groups = ds.orgs.filter((g) => g.parentKey === b.key && g.kind === 'partyGroup');
    const skip = plan.skipKinds.get(b.key);
    const skipped = (kind: string, month: string) => !!skip && skip.kinds.includes(kind) && skip.months.has(month);
    for (let mStart = first; compareDates(mStart, today) <= 0; mStart = addMonths(mStart, 1)) {
      const month = mStart.slice(0, 7);
      const { m } = parseIso(mStart);
      const committee = committeeHeldOn(ds, b.key, mStart);
      if ((committee.length >= 3 || plan.alwaysCommittee.has(b.key)) && !plan.skipCommittee.get(b.key)?.has(month) && !skipped('committeeMeeting', month)) {
        const d = day(mStart, 2, 9);
        make(b.key, 'committeeMeeting', d, committeeHeldOn(ds, b.key, d).map((k) => byKey.get(k)!).filter(Boolean));
      }
      if (!skipped('themedPartyDay', month)) {
        make(b.key, 'themedPartyDay', day(mStart, 10, 16), members, { theme: rng.pick(TOPICS.themedPartyDay) });
      }
      if (m % 3 === 2 && !skipped('memberAssembly', month)) make(b.key, 'memberAssembly', day(mStart, 18, 26), members);
      if (m % 3 === 1 && !skipped('partyLecture', month)) {
        make(b.key, 'partyLecture', day(mStart, 20, 27), members, { lecturer: committee[0] ? byKey.get(committee[0])!.name : '街道党工委书记', lectureTitle: rng.pick(TOPICS.partyLecture) });
      }
      if (m % 2 === 0 && !skipped('studySession', month)) make(b.key, 'studySession', day(mStart, 17, 24), members);
      for (const g of groups) if (!skipped('groupMeeting', month)) make(g.key, 'groupMeeting', day(mStart, 12, 25), groupOf.get(g.key) ?? []);
    }
    // last year's (and the year before's) 组织生活会 combined with 民主评议党员, held in late December
    const y = parseIso(today).y;
    for (const fy of [y - 2, y - 1]) {
      if (skipped('orgLifeMeeting', String(fy))) continue;
      make(b.key, 'orgLifeMeeting', formatIso(fy, 12, rng.int(18, 28)), members, { alsoCountsAs: ['memberReview'], forYear: fy, topic: `${fy}年度组织生活会和民主评议党员` });
    }
  }
  return out;
}
