/**
 * Every column that carries a copy of an org's materialized path (orgs.path of the record's org).
 * Moving an org rewrites all of them in the same transaction (modules/orgs/service.ts moveOrg), so a
 * moved subtree's records follow it into the new parent's scope and leave the old one (issue 17
 * finding 2). test/orgPaths.int.test.ts fails when a table gains a path column that is not listed here.
 * `orgs.path` itself is rewritten by moveOrg together with depth and parent.
 */
export const ORG_PATH_COLUMNS = [
  { table: 'people', column: 'org_path' },
  { table: 'findings', column: 'org_path' },
  { table: 'attachments', column: 'org_path' },
  { table: 'meetings', column: 'org_path' },
  { table: 'heart_talks', column: 'org_path' },
  { table: 'member_review_rounds', column: 'org_path' },
  { table: 'study_records', column: 'org_path' },
  { table: 'dues_payments', column: 'org_path' },
  { table: 'dues_hand_ins', column: 'org_path' },
  // derived (the dues ledger, kept by triggers) but a copy of orgs.path: the triggers do not watch orgs
  { table: 'dues_member_months', column: 'org_path' },
  { table: 'reports', column: 'org_path' },
  { table: 'report_comments', column: 'org_path' },
  { table: 'rectification_items', column: 'org_path' },
  { table: 'report_jobs', column: 'org_path' },
  { table: 'assessment_sessions', column: 'org_path' },
  { table: 'assessment_inputs', column: 'org_path' },
  { table: 'weak_orgs', column: 'org_path' },
  { table: 'weak_org_progress', column: 'org_path' },
  { table: 'development_records', column: 'org_path' },
  { table: 'development_steps', column: 'org_path' },
  { table: 'grids', column: 'org_path' },
  { table: 'households', column: 'org_path' },
  { table: 'resident_requests', column: 'org_path' },
  { table: 'request_claims', column: 'org_path' },
  { table: 'service_teams', column: 'org_path' },
  { table: 'service_volunteers', column: 'org_path' },
  { table: 'service_activities', column: 'org_path' },
  { table: 'service_participations', column: 'org_path' },
  { table: 'service_households', column: 'org_path' },
  { table: 'service_visits', column: 'org_path' },
  { table: 'service_pairings', column: 'org_path' },
  { table: 'service_deeds', column: 'org_path' },
] as const;

/**
 * Path columns that are derived, not copied: `member_counts` is kept by the triggers on `people`, so
 * moveOrg's rewrite of people.org_path moves the counts with it (rewriting them too would count twice).
 */
export const DERIVED_ORG_PATH_COLUMNS = [{ table: 'member_counts', column: 'org_path' }] as const;
