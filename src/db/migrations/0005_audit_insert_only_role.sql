-- Issue 17 #8 (c): an insert-only role for the audit log (docs/OPERATIONS.md "Audit log: insert-only role").
-- The application may run as a login role that is a member of zhibu_app: it reads and writes every
-- table, but on audit_log it may only INSERT and SELECT, and on audit_heads it may only move the
-- head forward (trigger below). Migrations, restore and `zhibu audit prune` run as the owner.
-- Harmless on PGlite (one superuser) and on a server where the role already exists.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'zhibu_app') THEN
    BEGIN
      CREATE ROLE zhibu_app NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; -- another database of the cluster migrating at the same moment
    END;
  END IF;
  EXECUTE format('GRANT USAGE ON SCHEMA public TO zhibu_app');
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO zhibu_app');
  EXECUTE format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO zhibu_app');
  EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM zhibu_app');
  EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON audit_heads FROM zhibu_app');
  EXECUTE format('GRANT UPDATE (last_seq, last_hash) ON audit_heads TO zhibu_app');
  EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO zhibu_app');
  EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO zhibu_app');
  IF EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'drizzle') THEN
    EXECUTE format('GRANT USAGE ON SCHEMA drizzle TO zhibu_app');
    EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA drizzle TO zhibu_app');
  END IF;
END
$$;
--> statement-breakpoint
-- The head only moves forward, by exactly the rows appended, unless the owner (migration, restore,
-- prune) acts: an application role cannot move it back to hide deleted rows.
CREATE OR REPLACE FUNCTION audit_heads_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF pg_has_role(current_user, (SELECT c.relowner FROM pg_class c WHERE c.oid = TG_RELID), 'MEMBER') THEN
    RETURN NEW;
  END IF;
  IF NEW.last_seq < OLD.last_seq OR NEW.tenant_id <> OLD.tenant_id
     OR NOT EXISTS (SELECT 1 FROM audit_log WHERE tenant_id = NEW.tenant_id AND seq = NEW.last_seq AND hash = NEW.last_hash)
        AND NEW.last_seq > 0 THEN
    RAISE EXCEPTION 'audit head may only move forward to an existing audit row' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
DROP TRIGGER IF EXISTS audit_heads_forward_only ON audit_heads;
--> statement-breakpoint
CREATE TRIGGER audit_heads_forward_only BEFORE UPDATE ON audit_heads FOR EACH ROW EXECUTE FUNCTION audit_heads_forward_only();
