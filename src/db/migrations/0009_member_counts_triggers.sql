-- Issue 18 (speed): member_counts holds people per (tenant, org path, stage, state), kept current in
-- the writing transaction by statement-level triggers with transition tables, so a bulk insert of
-- 60,000 people costs one grouped upsert, not 60,000. Rows are upserted in key order (no deadlock
-- between two writers); a row that reaches 0 stays (harmless, reused). Works on PGlite and PostgreSQL.
CREATE FUNCTION member_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO member_counts (tenant_id, org_path, stage, state, n)
      SELECT tenant_id, org_path, stage, state, count(*) FROM member_counts_new GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
      ON CONFLICT (tenant_id, org_path, stage, state) DO UPDATE SET n = member_counts.n + excluded.n;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO member_counts (tenant_id, org_path, stage, state, n)
      SELECT tenant_id, org_path, stage, state, -count(*) FROM member_counts_old GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
      ON CONFLICT (tenant_id, org_path, stage, state) DO UPDATE SET n = member_counts.n + excluded.n;
  ELSE
    INSERT INTO member_counts (tenant_id, org_path, stage, state, n)
      SELECT tenant_id, org_path, stage, state, sum(d) FROM (
        SELECT tenant_id, org_path, stage, state, 1 AS d FROM member_counts_new
        UNION ALL SELECT tenant_id, org_path, stage, state, -1 FROM member_counts_old) x
      GROUP BY 1, 2, 3, 4 HAVING sum(d) <> 0 ORDER BY 1, 2, 3, 4
      ON CONFLICT (tenant_id, org_path, stage, state) DO UPDATE SET n = member_counts.n + excluded.n;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION member_counts_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM member_counts;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER people_member_counts_ins AFTER INSERT ON people REFERENCING NEW TABLE AS member_counts_new
  FOR EACH STATEMENT EXECUTE FUNCTION member_counts_apply();
--> statement-breakpoint
CREATE TRIGGER people_member_counts_upd AFTER UPDATE ON people REFERENCING OLD TABLE AS member_counts_old NEW TABLE AS member_counts_new
  FOR EACH STATEMENT EXECUTE FUNCTION member_counts_apply();
--> statement-breakpoint
CREATE TRIGGER people_member_counts_del AFTER DELETE ON people REFERENCING OLD TABLE AS member_counts_old
  FOR EACH STATEMENT EXECUTE FUNCTION member_counts_apply();
--> statement-breakpoint
CREATE TRIGGER people_member_counts_trunc AFTER TRUNCATE ON people
  FOR EACH STATEMENT EXECUTE FUNCTION member_counts_clear();
--> statement-breakpoint
INSERT INTO member_counts (tenant_id, org_path, stage, state, n)
  SELECT tenant_id, org_path, stage, state, count(*) FROM people GROUP BY 1, 2, 3, 4;
