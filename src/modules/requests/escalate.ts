import { sql } from 'drizzle-orm';
import { rows } from '../../db/connection.js';
import { checkTransition, slaStatus, type RequestKind, type RequestState } from '../../domain/requestWorkflow.js';
import { appendAudit, type AuditEntry } from '../../platform/audit.js';
import { loadCalendarFor } from '../../platform/calendar.js';
import { evaluateFindings } from '../../platform/findings.js';
import { JOBS } from '../../platform/jobs.js';
import { minimalPaths } from '../../platform/scope.js';
import { systemActor } from '../../platform/write.js';
import { slaResolver } from './settings.js';

/**
 * The daily escalation (DOMAIN.md §10.1): a request still unanswered one working day (setting
 * `requests.sla.escalateAfterDays`) after its answer deadline moves to `escalated` by the system
 * actor, audited, so the subdistrict above the community sees it as escalated in its inbox (its scope
 * already covers the community). Idempotent: the job runs once per business day, and an escalated
 * request is never escalated again. Registered in the platform's job table (`zhibu jobs run requests.escalate`).
 */
JOBS['requests.escalate'] = {
  name: 'requests.escalate',
  label: '超过答复时限仍未答复的群众诉求上报街道',
  async run(ctx, tx, today) {
    const open = await rows<{ id: number; tenant_id: number; org_id: number; org_path: string; kind: RequestKind; state: RequestState; submitted_on: string; accepted_on: string }>(tx, sql`select id,
        tenant_id, org_id, org_path, kind, state, submitted_on::text as submitted_on, accepted_on::text as accepted_on
      from resident_requests where state in ('accepted', 'assigned', 'inProgress', 'claimed') and accepted_on is not null order by tenant_id, id`);
    const cal = await loadCalendarFor(tx, ...open.map((r) => r.accepted_on), today);
    const out: Record<string, number> = {};
    for (const tenantId of [...new Set(open.map((r) => r.tenant_id))]) {
      const limits = await slaResolver(tx, tenantId);
      const entries: AuditEntry[] = [];
      const paths: string[] = [];
      for (const r of open.filter((x) => x.tenant_id === tenantId)) {
        const s = slaStatus({ state: r.state, submittedOn: r.submitted_on, acceptedOn: r.accepted_on, answeredOn: null }, today, cal, limits(r.org_path));
        if (!s.escalateNow || !checkTransition(r.kind, r.state, 'escalate', 'system').ok) continue;
        const upd = await rows<{ id: number }>(tx, sql`update resident_requests set state = 'escalated', escalated_on = ${today}, version = version + 1, updated_at = ${ctx.clock.nowIso()}
          where id = ${r.id} and state = ${r.state} returning id`);
        if (upd.length !== 1) continue;
        entries.push({ action: 'update', entity: 'residentRequest', entityId: r.id, orgId: r.org_id, before: { state: r.state }, after: { state: 'escalated' }, meta: { action: 'escalate', answerDue: s.answerDue } });
        paths.push(r.org_path);
      }
      if (entries.length === 0) continue;
      await evaluateFindings(tx, { tenantId, paths: minimalPaths(paths), today }, { entities: ['residentRequest'], nowIso: ctx.clock.nowIso() });
      await appendAudit(tx, ctx.clock, tenantId, systemActor, entries);
      out[tenantId] = entries.length;
    }
    return { escalated: out };
  },
};
