import { addMonths, compareDates, parseIso, type IsoDate } from '../../domain/dates.js';
import { absenceSeverity } from '../../domain/orgLifeCounting.js';
import { ORG_LIFE_2018, meetingKindLabel, periodLabel } from '../../domain/orgLifeRules.js';
import { registerRule, type FindingDraft } from '../../platform/findings.js';
import { absenceRuns } from './attendance.js';
import { loadCompliance } from './compliance.js';
import { settingsResolver } from './settings.js';
import { heartTalkCoverageFor } from './talks.js';

/**
 * Organizational-life findings (DOMAIN.md §3.3–§3.4; ARCHITECTURE.md "Findings and cases"), computed
 * from records, never inserted: an unmet obligation is due soon from 7 days before its due date (yearly:
 * from 1 December) and overdue from the day after; 3 consecutive absence months raise a finding and 6 a
 * case for the branch to decide (nothing about the member changes by itself); incomplete heart-talk
 * coverage of the past year is overdue. Recording the missing meeting resolves its finding in the same
 * transaction, because the write touches `meeting` and these rules read it.
 */
const C = ORG_LIFE_2018.constants;
export const ORG_LIFE_RULE_IDS = {
  obligation: 'orgLife.obligation',
  absence: 'orgLife.absence',
  absenceCase: 'orgLife.absence.case',
  heartTalk: 'orgLife.heartTalk.coverage',
} as const;

const monthLabel = (m: string) => `${m.slice(0, 4)}年${Number(m.slice(5, 7))}月`;

registerRule({
  ruleId: ORG_LIFE_RULE_IDS.obligation,
  ruleSet: ORG_LIFE_2018.id,
  source: 'DOMAIN.md §3.3, §3.4',
  reads: ['meeting', 'meetingAttendance', 'postTerm', 'person', 'org'],
  async evaluate(db, scope) {
    const resolve = await settingsResolver(db, scope.tenantId);
    // the tenant-level lookback bounds what is read; a subtree override can only shorten it
    const maxLookback = resolve(null).findingLookbackMonths;
    // yearly obligations are due soon from 1 December and due on 31 March: look four months ahead
    const data = await loadCompliance(db, scope.tenantId, scope.paths, addMonths(scope.today, -maxLookback), addMonths(scope.today, 4), scope.today, { mode: 'due' });
    const byId = new Map(data.orgs.map((o) => [o.id, o]));
    const out: FindingDraft[] = [];
    for (const r of data.results) {
      if (r.status !== 'overdue' && r.status !== 'dueSoon') continue;
      const org = byId.get(r.orgId)!;
      if (r.status === 'overdue' && compareDates(r.dueOn, addMonths(scope.today, -resolve(org.path).findingLookbackMonths)) < 0) continue;
      const what = `${periodLabel(r.period)}${meetingKindLabel(r.kind)}`;
      // N per year: say how many are still missing
      const notHeld = r.times > 1 ? `应召开${r.times}次、已召开${r.satisfiedBy.length}次` : '未召开';
      out.push({
        orgId: r.orgId, orgPath: org.path, subjectEntity: 'org', subjectId: r.orgId, period: `${r.kind}:${r.period.key}`,
        severity: r.status, dueOn: r.dueOn, addresseePost: 'secretary',
        message: r.status === 'overdue'
          ? `${org.name}${what}${notHeld}（截止 ${r.dueOn}，已逾期），请尽快召开或补录会议记录`
          : `${org.name}${what}${r.times > 1 ? notHeld : '尚未召开'}，将于 ${r.dueOn} 到期`,
      });
    }
    return out;
  },
});

/** One rule per severity, so a run that reaches 6 months opens a case and its 3-month finding resolves. */
function registerAbsence(ruleId: string, severity: 'finding' | 'case') {
  registerRule({
    ruleId,
    ruleSet: ORG_LIFE_2018.id,
    source: severity === 'case' ? C.ABSENCE_CASE_MONTHS.source : C.ABSENCE_FINDING_MONTHS.source,
    reads: ['meeting', 'meetingAttendance', 'person'],
    async evaluate(db, scope) {
      const runs = await absenceRuns(db, scope.tenantId, scope.paths, scope.today, C.ABSENCE_FINDING_MONTHS.value);
      return runs.filter((a) => absenceSeverity(a.run.months) === severity).map((a): FindingDraft => ({
        orgId: a.orgId, orgPath: a.orgPath, subjectEntity: 'person', subjectId: a.personId, period: a.run.fromMonth,
        severity: severity === 'case' ? 'case' : 'violation', addresseePost: 'secretary',
        message: severity === 'case'
          ? `党员${a.name}自${monthLabel(a.run.fromMonth)}起已连续${a.run.months}个月未参加组织生活，须由党支部研究认定并作出决定（系统不会自动处理）`
          : `党员${a.name}自${monthLabel(a.run.fromMonth)}起已连续${a.run.months}个月未参加组织生活，请及时了解情况、谈心谈话`,
      }));
    },
  });
}
registerAbsence(ORG_LIFE_RULE_IDS.absence, 'finding');
registerAbsence(ORG_LIFE_RULE_IDS.absenceCase, 'case');

registerRule({
  ruleId: ORG_LIFE_RULE_IDS.heartTalk,
  ruleSet: ORG_LIFE_2018.id,
  source: 'DOMAIN.md §3.3, §3.4',
  reads: ['heartTalk', 'postTerm', 'person'],
  async evaluate(db, scope) {
    const year = parseIso(scope.today).y;
    const out: FindingDraft[] = [];
    // the past year is overdue when not covered; the current year is due soon in December
    const checks: { y: number; severity: 'overdue' | 'dueSoon' }[] = [{ y: year - 1, severity: 'overdue' }];
    if (compareDates(scope.today, `${year}-${C.YEARLY_DUE_SOON_FROM.value}`) >= 0) checks.push({ y: year, severity: 'dueSoon' });
    for (const c of checks) {
      for (const b of await heartTalkCoverageFor(db, scope.tenantId, scope.paths, c.y, scope.today)) {
        if (b.coverage.required === 0 || b.coverage.covered === b.coverage.required) continue;
        const missing = b.coverage.required - b.coverage.covered;
        const dueOn: IsoDate = `${c.y}-12-31`;
        out.push({
          orgId: b.orgId, orgPath: b.orgPath, subjectEntity: 'org', subjectId: b.orgId, period: String(c.y), severity: c.severity, dueOn, addresseePost: 'secretary',
          message: `${b.orgName}${c.y}年度谈心谈话尚未全覆盖：应谈${b.coverage.required}组，已谈${b.coverage.covered}组，还差${missing}组`,
        });
      }
    }
    return out;
  },
});
