-- Issue 18 (speed): the member-month ledger dues_member_months, kept current in the writing
-- transaction by statement-level triggers with transition tables (like member_counts, 0009). Custom SQL
-- (functions and triggers); works on PGlite and PostgreSQL.
--
-- Definition (the same as memberMonthsSql in src/modules/dues/queries.ts): a member owes a month when an
-- active membership period (probationary or full, active or lostContact) overlaps it, from the month of
-- admitted_on; per (person, month) one row for each org of such a period, seq 1 being the org of the
-- latest period (valid_from desc, id desc); the due is the base in effect (a base applies from its
-- effective month until the next base) unless a reduction/exemption covers the month; only months with
-- a due are kept (a month without base or reduction owes nothing to any figure); the payment is the
-- effective `due` payment. Months run through the horizon system_meta 'dues_ledger_through' (no horizon:
-- no rows), which dues_ledger_extend moves (the daily job).
CREATE FUNCTION dues_ledger_through() RETURNS date LANGUAGE sql STABLE AS $$
  SELECT value::date FROM system_meta WHERE key = 'dues_ledger_through'
$$;
--> statement-breakpoint
-- The ledger rows of some people through a horizon month (the definition above), computed from scratch.
CREATE FUNCTION dues_ledger_compute(ids int[], through date) RETURNS TABLE (tenant_id int, person_id int, month date, org_id int, org_path text, seq smallint,
  base_id int, category text, due_fen int, reduction_id int, payment_id int, paid_on date) LANGUAGE sql STABLE AS $$
  WITH p AS (
    SELECT pe.id, date_trunc('month', pe.admitted_on)::date AS adm,
      date_trunc('month', least((SELECT min(b.effective_month) FROM dues_bases b WHERE b.person_id = pe.id),
        (SELECT min(r.from_month) FROM dues_reductions r WHERE r.person_id = pe.id)))::date AS first
    FROM people pe WHERE pe.id = ANY(ids) AND pe.admitted_on IS NOT NULL
  ), cand AS (
    SELECT mp.tenant_id, mp.person_id, g.m::date AS month, mp.org_id,
      row_number() OVER (PARTITION BY mp.person_id, g.m ORDER BY mp.valid_from DESC, mp.id DESC) AS r
    FROM p
    JOIN membership_periods mp ON mp.person_id = p.id
    CROSS JOIN LATERAL generate_series(greatest(date_trunc('month', mp.valid_from)::date, p.adm, p.first)::timestamp,
      (CASE WHEN mp.valid_to IS NULL THEN through ELSE least(date_trunc('month', mp.valid_to - 1)::date, through) END)::timestamp,
      interval '1 month') g(m)
    WHERE p.first IS NOT NULL AND mp.stage IN ('probationary', 'full') AND mp.state IN ('active', 'lostContact')
  ), per_org AS (
    SELECT min(cand.tenant_id) AS tenant_id, cand.person_id, cand.month, cand.org_id,
      row_number() OVER (PARTITION BY cand.person_id, cand.month ORDER BY min(cand.r)) AS seq
    FROM cand GROUP BY cand.person_id, cand.month, cand.org_id
  )
  SELECT w.* FROM (
    SELECT c.tenant_id, c.person_id, c.month, c.org_id, o.path AS org_path, c.seq::smallint AS seq, b.id AS base_id, b.category,
      (CASE WHEN r.kind = 'exemption' THEN 0 WHEN r.kind = 'reduction' THEN r.monthly_fen ELSE b.monthly_due_fen END) AS due_fen,
      r.id AS reduction_id, pay.id AS payment_id, pay.paid_on
    FROM per_org c
    JOIN orgs o ON o.id = c.org_id
    -- the base in effect: the latest with effective_month <= month (bases are unique per person and month)
    LEFT JOIN LATERAL (SELECT x.id, x.category, x.monthly_due_fen FROM dues_bases x WHERE x.person_id = c.person_id AND x.effective_month <= c.month
      ORDER BY x.effective_month DESC LIMIT 1) b ON true
    LEFT JOIN LATERAL (SELECT x.id, x.kind, x.monthly_fen FROM dues_reductions x WHERE x.person_id = c.person_id AND x.from_month <= c.month
      AND (x.to_month IS NULL OR x.to_month >= c.month) ORDER BY x.id LIMIT 1) r ON true
    LEFT JOIN dues_payments pay ON pay.person_id = c.person_id AND pay.month = c.month AND pay.kind = 'due' AND pay.reversed_by IS NULL
  ) w WHERE w.due_fen IS NOT NULL
$$;
--> statement-breakpoint
CREATE FUNCTION dues_ledger_refresh(ids int[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  through date;
BEGIN
  IF ids IS NULL OR cardinality(ids) = 0 THEN
    RETURN;
  END IF;
  -- The horizon does not move meanwhile (dues_ledger_extend takes this lock exclusively), and two
  -- transactions refreshing one person take turns on the person row: each statement below then sees
  -- what the other committed (READ COMMITTED takes a new snapshot per statement).
  PERFORM pg_advisory_xact_lock_shared(18, 1);
  PERFORM 1 FROM people WHERE id = ANY(ids) ORDER BY id FOR NO KEY UPDATE;
  through := dues_ledger_through();
  IF through IS NULL THEN
    DELETE FROM dues_member_months WHERE person_id = ANY(ids);
    RETURN;
  END IF;
  -- Every join below is an index probe per member-month (or a hash join), so a stale or missing
  -- planner estimate (a bulk insert just before) cannot turn it into a scan per row.
  IF cardinality(ids) > 64 THEN
    -- bulk (an import, a restore batch, the daily job): replace the people's rows
    DELETE FROM dues_member_months WHERE person_id = ANY(ids);
    INSERT INTO dues_member_months (tenant_id, person_id, month, org_id, org_path, seq, base_id, category, due_fen, reduction_id, payment_id, paid_on)
      SELECT * FROM dues_ledger_compute(ids, through) ORDER BY person_id, month, org_id;
    RETURN;
  END IF;
  -- a few people (a service write): write only the rows that differ
  WITH kept AS (
    SELECT * FROM dues_ledger_compute(ids, through)
  ), gone AS (
    DELETE FROM dues_member_months l WHERE l.person_id = ANY(ids)
      AND NOT EXISTS (SELECT 1 FROM kept k WHERE k.person_id = l.person_id AND k.month = l.month AND k.org_id = l.org_id)
  )
  INSERT INTO dues_member_months (tenant_id, person_id, month, org_id, org_path, seq, base_id, category, due_fen, reduction_id, payment_id, paid_on)
    SELECT * FROM kept ORDER BY person_id, month, org_id
  ON CONFLICT (person_id, month, org_id) DO UPDATE SET tenant_id = excluded.tenant_id, org_path = excluded.org_path, seq = excluded.seq,
    base_id = excluded.base_id, category = excluded.category, due_fen = excluded.due_fen, reduction_id = excluded.reduction_id,
    payment_id = excluded.payment_id, paid_on = excluded.paid_on
  WHERE (dues_member_months.tenant_id, dues_member_months.org_path, dues_member_months.seq, dues_member_months.base_id, dues_member_months.category,
      dues_member_months.due_fen, dues_member_months.reduction_id, dues_member_months.payment_id, dues_member_months.paid_on)
    IS DISTINCT FROM (excluded.tenant_id, excluded.org_path, excluded.seq, excluded.base_id, excluded.category,
      excluded.due_fen, excluded.reduction_id, excluded.payment_id, excluded.paid_on);
END
$$;
--> statement-breakpoint
-- Move the horizon (the daily job: through the current month) and recompute every member with a base
-- or a reduction; `through` NULL keeps the horizon and only rebuilds.
CREATE FUNCTION dues_ledger_extend(new_through date) RETURNS date LANGUAGE plpgsql AS $$
DECLARE
  everyone int[];
BEGIN
  PERFORM pg_advisory_xact_lock(18, 1);
  IF new_through IS NOT NULL THEN
    INSERT INTO system_meta (key, value) VALUES ('dues_ledger_through', date_trunc('month', new_through)::date::text)
      ON CONFLICT (key) DO UPDATE SET value = excluded.value;
  END IF;
  everyone := ARRAY(SELECT person_id FROM dues_bases UNION SELECT person_id FROM dues_reductions UNION SELECT person_id FROM dues_member_months ORDER BY 1);
  -- in slices of 64 people: only the rows that differ are written (the new months), not every row again
  FOR i IN 1 .. coalesce(cardinality(everyone), 0) BY 64 LOOP
    PERFORM dues_ledger_refresh(everyone[i:i + 63]);
  END LOOP;
  RETURN dues_ledger_through();
END
$$;
--> statement-breakpoint
CREATE FUNCTION dues_ledger_people() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM dues_ledger_refresh(ARRAY(SELECT id FROM dues_ledger_old));
  ELSE
    PERFORM dues_ledger_refresh(ARRAY(SELECT n.id FROM dues_ledger_new n JOIN dues_ledger_old o ON o.id = n.id
      WHERE n.admitted_on IS DISTINCT FROM o.admitted_on));
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- membership_periods, dues_bases, dues_reductions: every person whose rows changed.
CREATE FUNCTION dues_ledger_person_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM dues_ledger_refresh(ARRAY(SELECT DISTINCT person_id FROM dues_ledger_new));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM dues_ledger_refresh(ARRAY(SELECT DISTINCT person_id FROM dues_ledger_old));
  ELSE
    PERFORM dues_ledger_refresh(ARRAY(SELECT person_id FROM dues_ledger_new UNION SELECT person_id FROM dues_ledger_old));
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- dues_payments: only `due` rows are a member-month's payment (a reversal sets the original's reversed_by).
CREATE FUNCTION dues_ledger_payments() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM dues_ledger_refresh(ARRAY(SELECT DISTINCT person_id FROM dues_ledger_new WHERE kind = 'due'));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM dues_ledger_refresh(ARRAY(SELECT DISTINCT person_id FROM dues_ledger_old WHERE kind = 'due'));
  ELSE
    PERFORM dues_ledger_refresh(ARRAY(SELECT person_id FROM dues_ledger_new WHERE kind = 'due' UNION SELECT person_id FROM dues_ledger_old WHERE kind = 'due'));
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION dues_ledger_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'dues_payments' THEN
    UPDATE dues_member_months SET payment_id = NULL, paid_on = NULL WHERE payment_id IS NOT NULL;
  ELSE
    DELETE FROM dues_member_months;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER people_dues_ledger_upd AFTER UPDATE ON people REFERENCING OLD TABLE AS dues_ledger_old NEW TABLE AS dues_ledger_new
  FOR EACH STATEMENT EXECUTE FUNCTION dues_ledger_people();
--> statement-breakpoint
CREATE TRIGGER people_dues_ledger_del AFTER DELETE ON people REFERENCING OLD TABLE AS dues_ledger_old
  FOR EACH STATEMENT EXECUTE FUNCTION dues_ledger_people();
--> statement-breakpoint
CREATE TRIGGER membership_periods_dues_ledger_ins AFTER INSERT ON membership_periods REFERENCING NEW TABLE AS dues_ledger_new
  FOR EACH STATEMENT EXECUTE FUNCTION dues_ledger_person_rows();
--> statement-breakpoint
CREATE TRIGGER membership_periods_dues_ledger_upd AFTER UPDATE ON membership_periods REFERENCING OLD TABLE AS dues_ledger_old NEW TABLE AS dues_ledger_new
  FOR EACH STATEMENT EXECUTE FUNCTION dues_ledger_person_rows();
--> statement-breakpoint
CREATE TRIGGER membership_periods_dues_ledger_del AFTER DELETE ON membership_periods REFERENCING OLD TABLE AS dues_ledger_old
  FOR EACH STATEMENT EXECUTE FUNCTION dues_ledger_person_rows();
--> statement-breakpoint
CREATE TRIGGER dues_bases_dues_ledger_ins AFTER INSERT ON dues_bases REFERENCING NEW TABLE AS dues_ledger_new
  FOR EACH STATEMENT EXECUTE FUNCTION dues_ledger_person_rows();
--> statement-breakpoint
CREATE TRIGGER dues_bases_dues_ledger_upd AFTER UPDATE ON dues_bases REFERENCING OLD TABLE AS dues_ledger_old NEW TABLE AS dues_ledger_new
  FOR EACH STATEMENT EXECUTE FUNCTION dues_ledger_person_rows();
--> statement-breakpoint
CREATE TRIGGER dues_bases_dues_ledger_del AFTER DELETE ON dues_bases REFERENCING OLD TABLE AS dues_ledger_old
  FOR EACH STATEMENT EXECUTE FUNCTION dues_ledger_person_rows();
--> statement-breakpoint
CREATE TRIGGER dues_reductions_dues_ledger_ins AFTER INSERT ON dues_reductions REFERENCING NEW TABLE AS dues_ledger_new
  FOR EACH STATEMENT EXECUTE FUNCTION dues_ledger_person_rows();
--> statement-breakpoint
CREATE TRIGGER dues_reductions_dues_ledger_upd AFTER UPDATE ON dues_reductions REFERENCING OLD TABLE AS dues_ledger_old NEW TABLE AS dues_ledger_new
  FOR EACH STATEMENT EXECUTE FUNCTION dues_ledger_person_rows();
--> statement-breakpoint
CREATE TRIGGER dues_reductions_dues_ledger_del AFTER DELETE ON dues_reductions REFERENCING OLD TABLE AS dues_ledger_old
  FOR EACH STATEMENT EXECUTE FUNCTION dues_ledger_person_rows();
--> statement-breakpoint
CREATE TRIGGER dues_payments_dues_ledger_ins AFTER INSERT ON dues_payments REFERENCING NEW TABLE AS dues_ledger_new
  FOR EACH STATEMENT EXECUTE FUNCTION dues_ledger_payments();
--> statement-breakpoint
CREATE TRIGGER dues_payments_dues_ledger_upd AFTER UPDATE ON dues_payments REFERENCING OLD TABLE AS dues_ledger_old NEW TABLE AS dues_ledger_new
  FOR EACH STATEMENT EXECUTE FUNCTION dues_ledger_payments();
--> statement-breakpoint
CREATE TRIGGER dues_payments_dues_ledger_del AFTER DELETE ON dues_payments REFERENCING OLD TABLE AS dues_ledger_old
  FOR EACH STATEMENT EXECUTE FUNCTION dues_ledger_payments();
--> statement-breakpoint
CREATE TRIGGER people_dues_ledger_trunc AFTER TRUNCATE ON people FOR EACH STATEMENT EXECUTE FUNCTION dues_ledger_truncated();
--> statement-breakpoint
CREATE TRIGGER membership_periods_dues_ledger_trunc AFTER TRUNCATE ON membership_periods FOR EACH STATEMENT EXECUTE FUNCTION dues_ledger_truncated();
--> statement-breakpoint
CREATE TRIGGER dues_bases_dues_ledger_trunc AFTER TRUNCATE ON dues_bases FOR EACH STATEMENT EXECUTE FUNCTION dues_ledger_truncated();
--> statement-breakpoint
CREATE TRIGGER dues_reductions_dues_ledger_trunc AFTER TRUNCATE ON dues_reductions FOR EACH STATEMENT EXECUTE FUNCTION dues_ledger_truncated();
--> statement-breakpoint
CREATE TRIGGER dues_payments_dues_ledger_trunc AFTER TRUNCATE ON dues_payments FOR EACH STATEMENT EXECUTE FUNCTION dues_ledger_truncated();
--> statement-breakpoint
-- The horizon starts at the current month; the daily job moves it on.
SELECT dues_ledger_extend(date_trunc('month', current_date)::date);
