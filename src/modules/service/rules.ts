import { sql } from 'drizzle-orm';
import { rows } from '../../db/connection.js';
import { yearsBetween } from '../../domain/calendar.js';
import { SERVICE_2026, overduePairingWindows, type PairingFrequency } from '../../domain/serviceRules.js';
import { loadCalendar } from '../../platform/calendar.js';
import { pathsSql, registerRule, type FindingDraft } from '../../platform/findings.js';
import { settingsResolverFor, type SettingDef } from '../../platform/settings.js';
import { pairingRows } from './care.js';
import { SERVICE_SETTINGS } from './settings.js';

/**
 * Community-service finding rules (issue 19; LOCAL conventions of `service-2026`). A deed past its
 * deadline while neither done nor dropped is overdue from the day after the deadline. A pairing whose
 * latest ended window (deadline moved to the next working day when it falls on a holiday or weekend,
 * DOMAIN.md §2.1a) has no visit is late; the finding resolves itself once the records satisfy the rule
 * (the next window is visited, or the pairing ends). Computed from records, never inserted.
 */
registerRule({
  ruleId: 'service.deed.overdue',
  ruleSet: SERVICE_2026.id,
  source: 'issue 19（本地约定）',
  reads: ['serviceDeed'],
  async evaluate(db, scope) {
    const r = await rows<{ id: number; org_id: number; org_path: string; item: string; deadline: string }>(db, sql`select id, org_id, org_path, item, deadline::text as deadline
      from service_deeds where tenant_id = ${scope.tenantId} and ${pathsSql('org_path', scope.paths)} and status in ('planned', 'inProgress') and deadline < ${scope.today}`);
    return r.map((d): FindingDraft => ({
      orgId: Number(d.org_id), orgPath: d.org_path, subjectEntity: 'serviceDeed', subjectId: Number(d.id), period: d.deadline, severity: 'overdue', dueOn: d.deadline,
      message: `办实事项目“${d.item}”已超过完成时限（${d.deadline}），尚未办结`,
    }));
  },
});

registerRule({
  ruleId: 'service.pairing.late',
  ruleSet: SERVICE_2026.id,
  source: 'issue 19；DOMAIN.md §2.1a（工作日）',
  reads: ['servicePairing', 'serviceVisit'],
  async evaluate(db, scope) {
    const ps = await pairingRows(db, scope.tenantId, pathsSql('x.org_path', scope.paths));
    if (!ps.length) return [];
    const first = ps.reduce((m, p) => (p.start_on < m ? p.start_on : m), scope.today);
    const cal = await loadCalendar(db, yearsBetween(first, scope.today));
    const resolve = await settingsResolverFor(db, scope.tenantId, [SERVICE_SETTINGS.pairingFrequency as SettingDef]);
    const out: FindingDraft[] = [];
    for (const p of ps) {
      const frequency = (p.frequency ?? resolve(p.org_path, SERVICE_SETTINGS.pairingFrequency)) as PairingFrequency;
      const late = overduePairingWindows(p.start_on, p.end_on, frequency, p.visits, scope.today, cal);
      const last = late.at(-1);
      // only the latest ended window counts: once a later window passes with a visit, the pairing is back on track
      const ended = overduePairingWindows(p.start_on, p.end_on, frequency, [], scope.today, cal).at(-1);
      if (!last || !ended || last.from !== ended.from) continue;
      out.push({
        orgId: Number(p.org_id), orgPath: p.org_path, subjectEntity: 'servicePairing', subjectId: Number(p.id), period: last.from, severity: 'overdue', dueOn: last.deadline,
        message: `结对帮扶对象${p.head_name}在${last.from}至${last.to}期间没有走访记录（应于${last.deadline}前走访）`,
      });
    }
    return out;
  },
});
