import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/connection.js';
import { STRUCTURE_2018 } from '../../domain/ruleSets.js';
import {
  checkBranchMinFormal, checkBranchSize, checkCommitteeRequired, checkCommitteeSize, checkTermExpiry,
  STRUCTURE_RULE_IDS, type OrgStructureInput, type RuleFinding,
} from '../../domain/structure.js';
import { COMMITTEE_POSTS, type OrgKind, type UnitType } from '../../domain/vocab.js';
import { pathsSql, registerRule, type EvalScope, type FindingDraft } from '../../platform/findings.js';

/**
 * Org structure findings (DOMAIN.md §3.1–§3.2): the pure checks of domain/structure.ts over the
 * current member counts, committee posts held today and the term end of each org in scope.
 */
interface OrgFacts extends OrgStructureInput {
  id: number;
  path: string;
}

async function loadFacts(db: Db, scope: EvalScope): Promise<OrgFacts[]> {
  const posts = sql.join(COMMITTEE_POSTS.map((p) => sql`${p}`), sql`, `);
  const r = await rows<{ id: number; path: string; kind: string; unit_type: string | null; term_end: string | null; full_n: number; all_n: number; posts_n: number }>(
    db,
    sql`select o.id, o.path, o.kind, o.unit_type, o.term_end,
          (select count(*)::int from people p where p.org_id = o.id and p.stage = 'full' and p.state in ('active','lostContact')) as full_n,
          (select count(*)::int from people p where p.org_id = o.id and p.stage in ('probationary','full') and p.state in ('active','lostContact')) as all_n,
          (select count(*)::int from post_terms t where t.org_id = o.id and t.post in (${posts}) and t.valid_from <= ${scope.today} and (t.valid_to is null or t.valid_to > ${scope.today})) as posts_n
        from orgs o
        where o.tenant_id = ${scope.tenantId} and o.dissolved_on is null and o.kind in ('branch','jointBranch','generalBranch','basicCommittee','temporaryBranch')
          and ${pathsSql('o.path', scope.paths)}`,
  );
  return r.map((o) => ({
    id: o.id, path: o.path, kind: o.kind as OrgKind, unitType: o.unit_type as UnitType | null, termEnd: o.term_end,
    fullMemberCount: o.full_n, memberCount: o.all_n, committeePostsHeld: o.posts_n, today: scope.today,
  }));
}

function register(ruleId: string, check: (i: OrgStructureInput) => RuleFinding | null, source: string, reads: string[]) {
  registerRule({
    ruleId,
    ruleSet: STRUCTURE_2018.id,
    source,
    reads,
    async evaluate(db, scope) {
      const out: FindingDraft[] = [];
      for (const o of await loadFacts(db, scope)) {
        const f = check(o);
        if (!f) continue;
        out.push({
          orgId: o.id, orgPath: o.path, subjectEntity: 'org', subjectId: o.id,
          // a term finding belongs to that term; the others to the org's current state
          period: ruleId === STRUCTURE_RULE_IDS.termExpiry ? (o.termEnd ?? 'current') : 'current',
          severity: f.severity, dueOn: f.dueDate ?? null, message: f.message, addresseePost: 'secretary',
        });
      }
      return out;
    },
  });
}

const C = STRUCTURE_2018.constants;
register(STRUCTURE_RULE_IDS.branchMinFormal, checkBranchMinFormal, C.BRANCH_MIN_FORMAL.source, ['person', 'org']);
register(STRUCTURE_RULE_IDS.committeeRequired, checkCommitteeRequired, C.COMMITTEE_MIN_FORMAL.source, ['person', 'postTerm', 'org']);
register(STRUCTURE_RULE_IDS.branchSize, checkBranchSize, C.BRANCH_MAX_MEMBERS_NORMAL.source, ['person', 'org']);
register(STRUCTURE_RULE_IDS.committeeSize, checkCommitteeSize, C.COMMITTEE_SIZE.source, ['postTerm', 'org']);
register(STRUCTURE_RULE_IDS.termExpiry, checkTermExpiry, C.TERM_REMIND_MONTHS.source, ['org']);
