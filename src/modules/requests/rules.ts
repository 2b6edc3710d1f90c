import { sql } from 'drizzle-orm';
import { rows } from '../../db/connection.js';
import { REQUEST_KIND_LABELS, slaStatus, type RequestKind, type RequestState } from '../../domain/requestWorkflow.js';
import { CALENDAR_ENTITY, loadCalendarFor } from '../../platform/calendar.js';
import { pathsSql, registerRule, type FindingDraft } from '../../platform/findings.js';
import { slaResolver } from './settings.js';

/**
 * Request deadlines as findings (DOMAIN.md §10.1): a request not accepted within the acceptance
 * limit, or not answered within the answer limit, is an `overdue` finding for its community. It
 * resolves itself once the request is accepted or answered (or rejected/merged); the lateness stays
 * visible in the inbox and the figures. Calendar edits re-evaluate it (it reads calendarYear).
 */
registerRule({
  ruleId: 'requests.sla.overdue',
  ruleSet: 'requests-2026',
  source: 'DOMAIN.md §10.1',
  reads: ['residentRequest', CALENDAR_ENTITY],
  async evaluate(db, scope) {
    const open = await rows<{ id: number; org_id: number; org_path: string; kind: RequestKind; state: RequestState; submitted_on: string; accepted_on: string | null }>(db, sql`select r.id,
        r.org_id, r.org_path, r.kind, r.state, r.submitted_on::text as submitted_on, r.accepted_on::text as accepted_on
      from resident_requests r where r.tenant_id = ${scope.tenantId} and r.state in ('submitted', 'accepted', 'assigned', 'inProgress', 'claimed', 'escalated') and ${pathsSql('r.org_path', scope.paths)}`);
    if (open.length === 0) return [];
    const cal = await loadCalendarFor(db, ...open.map((r) => r.submitted_on), scope.today);
    const limits = await slaResolver(db, scope.tenantId);
    const out: FindingDraft[] = [];
    for (const r of open) {
      const s = slaStatus({ state: r.state, submittedOn: r.submitted_on, acceptedOn: r.accepted_on, answeredOn: null }, scope.today, cal, limits(r.org_path));
      const what = `${REQUEST_KIND_LABELS[r.kind]}（${r.submitted_on}提交，编号${r.id}）`;
      if (r.state === 'submitted' && s.acceptLate) {
        out.push({ orgId: r.org_id, orgPath: r.org_path, subjectEntity: 'residentRequest', subjectId: r.id, period: 'accept', severity: 'overdue', dueOn: s.acceptDue,
          message: `${what}已超过受理时限（${s.acceptDue}），请尽快受理` });
      } else if (s.answerLate) {
        out.push({ orgId: r.org_id, orgPath: r.org_path, subjectEntity: 'residentRequest', subjectId: r.id, period: 'answer', severity: 'overdue', dueOn: s.answerDue,
          message: `${what}已超过答复时限（${s.answerDue}）${s.escalateNow ? '，应上报街道' : ''}，请尽快答复` });
      }
    }
    return out;
  },
});
