import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/connection.js';
import { WEAK_ORG_CATEGORIES, WEAK_ORG_CRITERIA, WEAK_ORG_RULE_SET, monthsBetween, quarterRanges, type WeakOrgCriterion } from '../../domain/weakOrgRules.js';
import { pathsSql, registerRule, type EvalScope, type FindingDraft } from '../../platform/findings.js';
import { settingsResolverFor } from '../../platform/settings.js';
import { ASSESSMENT_SETTINGS } from './settings.js';

/**
 * 软弱涣散 identification (DOMAIN.md §9.2): from the tenant's identification day of year Y (setting, default
 * 1 January) each quantified criterion proposes the orgs it finds in year Y−1's records as cases
 * (需组织认定事项, period Y). Nothing changes state until a person decides the case through
 * POST /api/findings/:id/decide; a confirmed org then gets a rectification plan (weakOrgs.ts).
 */
export const weakOrgRuleId = (c: WeakOrgCriterion) => `assessment.weakOrg.${c}`;
const ORG_KINDS = sql`('branch','jointBranch','generalBranch','basicCommittee')`;

interface Candidate { orgId: number; orgPath: string; facts: string }

async function identificationYear(db: Db, scope: EvalScope): Promise<number | null> {
  const settings = await settingsResolverFor(db, scope.tenantId, [ASSESSMENT_SETTINGS.identifyFrom]);
  const y = Number(scope.today.slice(0, 4));
  return scope.today.slice(5) >= settings(null, ASSESSMENT_SETTINGS.identifyFrom) ? y : null;
}

const CHECKS: Record<WeakOrgCriterion, { reads: string[]; find(db: Db, scope: EvalScope, year: number): Promise<Candidate[]> }> = {
  secretaryVacant: {
    reads: ['post', 'org'],
    async find(db, scope) {
      const settings = await settingsResolverFor(db, scope.tenantId, [ASSESSMENT_SETTINGS.secretaryVacantMonths]);
      const list = await rows<{ id: number; path: string; last_end: string | null }>(db, sql`
        select o.id, o.path,
          (select max(t.valid_to) from post_terms t where t.org_id = o.id and t.post = 'secretary') as last_end
        from orgs o where o.tenant_id = ${scope.tenantId} and o.dissolved_on is null and o.kind in ${ORG_KINDS} and ${pathsSql('o.path', scope.paths)}
          and not exists (select 1 from post_terms t where t.org_id = o.id and t.post = 'secretary' and t.valid_from <= ${scope.today} and (t.valid_to is null or t.valid_to > ${scope.today}))`);
      const out: Candidate[] = [];
      for (const o of list) {
        // an org with no secretary term on record is not proposed: its posts were never entered (the registry is incomplete, not the org)
        const since = o.last_end;
        if (!since) continue;
        const months = monthsBetween(since, scope.today);
        if (months >= settings(o.path, ASSESSMENT_SETTINGS.secretaryVacantMonths)) out.push({ orgId: Number(o.id), orgPath: o.path, facts: `书记自${since}起空缺，已${months}个月` });
      }
      return out;
    },
  },
  noOrgLife: {
    reads: ['meeting', 'org'],
    async find(db, scope, year) {
      const quarters = quarterRanges(year - 1);
      const list = await rows<{ id: number; path: string; established_on: string | null; dissolved_on: string | null; first: string | null; held: string[] | string | null }>(db, sql`
        select o.id, o.path, o.established_on, o.dissolved_on, (select min(m.held_on) from meetings m where m.org_id = o.id) as first,
          (select array_agg(distinct to_char(m.held_on, 'Q')) from meetings m where m.org_id = o.id and m.counts_as_held and m.held_on between ${quarters[0].from} and ${quarters[3].to}) as held
        from orgs o where o.tenant_id = ${scope.tenantId} and o.kind in ('branch','jointBranch') and ${pathsSql('o.path', scope.paths)}`);
      const out: Candidate[] = [];
      for (const o of list) {
        const held = new Set((Array.isArray(o.held) ? o.held : String(o.held ?? '').replace(/[{}]/g, '').split(',')).filter(Boolean).map(Number));
        // only quarters from the one of the org's first meeting on record: before it, its life was not kept in zhibu
        if (!o.first) continue;
        const first = String(o.first).slice(0, 10);
        const owed = quarters.filter((q) => q.to >= first && (!o.established_on || o.established_on <= q.from) && (!o.dissolved_on || o.dissolved_on > q.to));
        const empty = owed.filter((q) => !held.has(q.q));
        if (empty.length) out.push({ orgId: Number(o.id), orgPath: o.path, facts: `${year - 1}年第${empty.map((q) => q.q).join('、')}季度未召开任何组织生活会议` });
      }
      return out;
    },
  },
  bottomGrade: {
    reads: ['assessmentSession'],
    async find(db, scope, year) {
      const list = await rows<{ org_id: number; path: string; grade: string; total: string; title: string; committee_path: string }>(db, sql`
        select o.id as org_id, o.path, e->>'grade' as grade, e->>'total' as total, a.title, a.org_path as committee_path
        from assessment_sessions a cross join lateral jsonb_array_elements(a.result->'orgs') e join orgs o on o.id = (e->'org'->>'id')::int
        where a.tenant_id = ${scope.tenantId} and a.status = 'final' and a.year = ${year - 1} and ${pathsSql('o.path', scope.paths)}`);
      const settings = await settingsResolverFor(db, scope.tenantId, [ASSESSMENT_SETTINGS.gradeCutoffs]);
      const out = new Map<number, Candidate>();
      for (const r of list) {
        const cut = settings(r.committee_path, ASSESSMENT_SETTINGS.gradeCutoffs);
        const lowest = [...cut].sort((a, b) => a.min - b.min)[0]?.grade;
        if (r.grade === lowest) out.set(Number(r.org_id), { orgId: Number(r.org_id), orgPath: r.path, facts: `${r.title}：${r.total}分，评定为“${r.grade}”` });
      }
      return [...out.values()];
    },
  },
};

for (const [criterion, check] of Object.entries(CHECKS) as [WeakOrgCriterion, (typeof CHECKS)[WeakOrgCriterion]][]) {
  const c = WEAK_ORG_CRITERIA[criterion];
  const category = WEAK_ORG_CATEGORIES.find((x) => x.no === c.category)!;
  registerRule({
    ruleId: weakOrgRuleId(criterion), ruleSet: WEAK_ORG_RULE_SET, source: c.source, reads: check.reads,
    async evaluate(db, scope): Promise<FindingDraft[]> {
      const year = await identificationYear(db, scope);
      if (year === null) return [];
      return (await check.find(db, scope, year)).map((o) => ({
        orgId: o.orgId, orgPath: o.orgPath, subjectEntity: 'org', subjectId: o.orgId, period: String(year), severity: 'case' as const,
        message: `${year}年软弱涣散基层党组织排查候选（第${category.no}类：${category.label}）：${c.label}。${o.facts}。请上级党组织研究认定或排除，并写明理由`,
      }));
    },
  });
}
