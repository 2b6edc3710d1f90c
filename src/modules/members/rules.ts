import { sql } from 'drizzle-orm';
import { rows } from '../../db/connection.js';
import { addMonths, compareDates } from '../../domain/dates.js';
import { MEMBERSHIP_1982 } from '../../domain/ruleSets.js';
import { pathsSql, registerRule } from '../../platform/findings.js';

/**
 * Member finding rules: invalid or missing ID numbers (DOMAIN.md §8) and probationary members past
 * their probation without a decision (DOMAIN.md §2.3). Findings only; no status changes by itself.
 */
registerRule({
  ruleId: 'members.idNumber.problem',
  ruleSet: MEMBERSHIP_1982.id,
  source: 'DOMAIN.md §8',
  reads: ['person'],
  async evaluate(db, scope) {
    const r = await rows<{ id: number; name: string; org_id: number; org_path: string; problem: string }>(
      db,
      sql`select id, name, org_id, org_path, id_number_problem as problem from people
          where tenant_id = ${scope.tenantId} and id_number_problem is not null and stage in ('probationary','full') and state in ('active','lostContact')
            and ${pathsSql('org_path', scope.paths)}`,
    );
    return r.map((p) => ({
      orgId: p.org_id, orgPath: p.org_path, subjectEntity: 'person', subjectId: p.id, period: 'current', severity: 'violation' as const,
      message: p.problem === 'missing' ? `党员${p.name}缺少公民身份号码，请补录` : `党员${p.name}的公民身份号码有误（${p.problem}），请核对更正`,
    }));
  },
});

registerRule({
  ruleId: 'members.probation.overdue',
  ruleSet: MEMBERSHIP_1982.id,
  source: 'DOMAIN.md §2.3',
  reads: ['person'],
  async evaluate(db, scope) {
    const months = MEMBERSHIP_1982.constants.PROBATION_MONTHS.value;
    const r = await rows<{ id: number; name: string; org_id: number; org_path: string; admitted_on: string }>(
      db,
      sql`select id, name, org_id, org_path, admitted_on from people
          where tenant_id = ${scope.tenantId} and stage = 'probationary' and state in ('active','lostContact') and admitted_on is not null
            and ${pathsSql('org_path', scope.paths)}`,
    );
    return r
      .map((p) => ({ p, end: addMonths(p.admitted_on, months) }))
      .filter(({ end }) => compareDates(end, scope.today) < 0)
      .map(({ p, end }) => ({
        orgId: p.org_id, orgPath: p.org_path, subjectEntity: 'person', subjectId: p.id, period: p.admitted_on, severity: 'overdue' as const, dueOn: end,
        message: `预备党员${p.name}的预备期已于 ${end} 届满，尚未讨论转正（按期转正、延长预备期或取消资格）`,
      }));
  },
});
