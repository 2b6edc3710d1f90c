import { sql } from 'drizzle-orm';
import { rows } from '../../db/connection.js';
import { addDays } from '../../domain/dates.js';
import { pathsSql, registerRule } from '../../platform/findings.js';
import { SETTINGS, getSetting } from '../../platform/settings.js';

/**
 * Rectification items (整改事项) raised by the reviewing org on a subordinate's report (DOMAIN.md §9.1:
 * 述职 → 评议 → 整改): each open item is a finding of the item's org until it is closed (销号) with
 * evidence, so the workbench lists it with no special code. Past its deadline it is overdue.
 */
export const RECTIFICATION_RULE = 'reports.rectification.open';

registerRule({
  ruleId: RECTIFICATION_RULE,
  ruleSet: 'reports-review',
  source: 'DOMAIN.md §9.1（述职评议考核：点评意见的整改落实）',
  reads: ['rectificationItem'],
  async evaluate(db, scope) {
    const soon = await getSetting(db, scope.tenantId, null, SETTINGS.dueSoonDays);
    const items = await rows<{ id: number; org_id: number; org_path: string; year: number; problem: string; deadline: string; owner_name: string }>(db, sql`
      select id, org_id, org_path, year, problem, deadline, owner_name from rectification_items
      where tenant_id = ${scope.tenantId} and not closed and ${pathsSql('org_path', scope.paths)}`);
    return items.map((i) => ({
      orgId: Number(i.org_id), orgPath: i.org_path, subjectEntity: 'rectificationItem', subjectId: Number(i.id), period: String(i.year),
      severity: i.deadline < scope.today ? 'overdue' as const : i.deadline <= addDays(scope.today, soon) ? 'dueSoon' as const : 'info' as const,
      dueOn: i.deadline,
      message: `${i.year}年度述职评议整改事项：${i.problem}（责任人${i.owner_name}，期限${i.deadline}），整改完成后上传材料销号`,
    }));
  },
});
