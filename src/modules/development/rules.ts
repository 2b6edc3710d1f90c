import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/connection.js';
import { openDeadlines, type OpenDeadline } from '../../domain/development.js';
import { compareDates, daysBetween } from '../../domain/dates.js';
import { stepTitle } from '../../domain/developmentSteps.js';
import { DEVELOPMENT_2014 } from '../../domain/ruleSets.js';
import { loadCalendarFor } from '../../platform/calendar.js';
import { pathsSql, registerRule, type FindingDraft } from '../../platform/findings.js';
import { checkContext, stepRowsByRecord, toEntry } from './load.js';
import { developmentSettingsResolver } from './settings.js';

/**
 * Development deadlines as findings (DOMAIN.md §2.1, §2.3, §2.5; ARCHITECTURE.md "Findings and cases"):
 * the talk within a month of the application, the activist review every 6 months, approval within 3
 * months of the assembly (counted from the date the resolution reached the committee), the oath
 * (2026), the end of the probation and the 转正 approval. Due soon from `findings.dueSoonDays` before
 * the deadline (the probation end from `development.probationNoticeDays`), overdue from the day after.
 * Deadlines the committee must meet (approval) go to the approver's workbench: the nearest ancestor
 * with `approvesMembers` (a general branch, a village/community committee without the power or a
 * temporary branch never approves). Recording the step resolves the finding in the same transaction.
 */
export const DEVELOPMENT_RULE_IDS = { deadline: 'development.deadline' } as const;

/** Project convention: a probation ending is announced a month ahead, so the branch can prepare the assembly. */
export const PROBATION_NOTICE_DAYS = 30;

interface Candidate {
  record_id: number;
  person_id: number;
  name: string;
  birth_date: string;
  rule_set: string;
  org_id: number;
  org_path: string;
  org_name: string;
  approver_id: number | null;
  approver_path: string | null;
  approver_name: string | null;
}

/** Records of active people still in the pipeline under `paths` (by the person's org), with their approver. */
export async function pipelineRecords(db: Db, tenantId: number, paths: string[] | null): Promise<Candidate[]> {
  return rows<Candidate>(db, sql`
    select r.id as record_id, p.id as person_id, p.name, p.birth_date::text as birth_date, r.rule_set, p.org_id, p.org_path, o.name as org_name,
      a.id as approver_id, a.path as approver_path, a.name as approver_name
    from development_records r join people p on p.id = r.person_id join orgs o on o.id = p.org_id
    left join lateral (select x.id, x.path, x.name from orgs x where x.tenant_id = p.tenant_id and x.approves_members and x.dissolved_on is null
      and p.org_path like x.path || '%' and x.id <> p.org_id order by x.depth desc limit 1) a on true
    where r.tenant_id = ${tenantId} and ${pathsSql('p.org_path', paths)} and p.state = 'active' and p.stage in ('applicant','activist','candidate','probationary')`);
}

const within = (paths: string[] | null, path: string) => paths === null || paths.some((p) => path.startsWith(p));

registerRule({
  ruleId: DEVELOPMENT_RULE_IDS.deadline,
  ruleSet: DEVELOPMENT_2014.id,
  source: 'DOMAIN.md §2.1, §2.3, §2.5',
  reads: ['development', 'person', 'org'],
  async evaluate(db, scope) {
    // the approver is an ancestor of the person's org, so its findings come from records under the evaluated paths;
    // a write touches the approver's path too (service.ts), and a draft outside the evaluated paths is left alone
    const records = await pipelineRecords(db, scope.tenantId, scope.paths);
    if (records.length === 0) return [];
    const steps = await stepRowsByRecord(db, scope.tenantId, null, records.map((r) => Number(r.record_id)));
    const resolve = await developmentSettingsResolver(db, scope.tenantId);
    const calendar = await loadCalendarFor(db, scope.today);
    const out: FindingDraft[] = [];
    for (const r of records) {
      const settings = resolve(r.org_path);
      const ctx = checkContext(r.rule_set, r.birth_date, calendar, settings);
      for (const d of openDeadlines(ctx, (steps.get(Number(r.record_id)) ?? []).map(toEntry))) {
        const notice = d.rule === 'PROBATION_MONTHS' ? Math.max(PROBATION_NOTICE_DAYS, settings.dueSoonDays) : settings.dueSoonDays;
        const overdue = compareDates(scope.today, d.dueOn) > 0;
        if (!overdue && daysBetween(scope.today, d.dueOn) > notice) continue;
        const toApprover = d.byCommittee && r.approver_id !== null;
        const orgId = toApprover ? Number(r.approver_id) : Number(r.org_id);
        const orgPath = toApprover ? r.approver_path! : r.org_path;
        if (!within(scope.paths, orgPath)) continue;
        out.push({
          orgId, orgPath, subjectEntity: 'person', subjectId: Number(r.person_id), period: `${d.step}:${d.dueOn}`,
          severity: overdue ? 'overdue' : 'dueSoon', dueOn: d.dueOn, addresseePost: 'secretary',
          message: message(r, d, overdue),
        });
      }
    }
    return out;
  },
});

function message(r: Candidate, d: OpenDeadline, overdue: boolean): string {
  const who = `${r.org_name}${r.name}`;
  const when = overdue ? `应于${d.dueOn}前完成，已逾期` : `将于${d.dueOn}到期`;
  if (d.rule === 'PROBATION_MONTHS') return overdue ? `${who}预备期已于${d.dueOn}届满，请及时召开支部大会讨论转正` : `${who}预备期将于${d.dueOn}届满，请及时讨论其转正`;
  return `${who}：${stepTitle(d.step)}（${d.what}）${when}${d.byCommittee && r.approver_name ? `（审批党组织：${r.approver_name}）` : ''}`;
}
