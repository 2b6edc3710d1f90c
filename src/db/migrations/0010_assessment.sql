CREATE TABLE "assessment_inputs" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"session_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"indicator_key" text NOT NULL,
	"score" integer,
	"ratings" jsonb,
	"note" text,
	"attachment_ids" integer[] DEFAULT '{}'::int[] NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assessment_sessions" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"year" integer NOT NULL,
	"title" text NOT NULL,
	"tree_key" text NOT NULL,
	"tree_version" integer NOT NULL,
	"tree" jsonb NOT NULL,
	"org_ids" integer[] DEFAULT '{}'::int[] NOT NULL,
	"status" text NOT NULL,
	"result" jsonb,
	"finished_at" text,
	"finished_by" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assessment_trees" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"key" text NOT NULL,
	"tree_version" integer NOT NULL,
	"name" text NOT NULL,
	"body" jsonb NOT NULL,
	"created_by" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "weak_org_progress" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"weak_org_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"entered_on" date NOT NULL,
	"content" text NOT NULL,
	"attachment_ids" integer[] DEFAULT '{}'::int[] NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "weak_orgs" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"year" integer NOT NULL,
	"finding_id" integer NOT NULL,
	"rule_id" text NOT NULL,
	"measures" text NOT NULL,
	"owner_name" text NOT NULL,
	"leader_name" text NOT NULL,
	"deadline" date NOT NULL,
	"status" text NOT NULL,
	"closed_on" date,
	"close_decided_by" text,
	"close_decision" text,
	"close_attachment_ids" integer[] DEFAULT '{}'::int[] NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "assessment_inputs" ADD CONSTRAINT "assessment_inputs_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_inputs" ADD CONSTRAINT "assessment_inputs_session_id_assessment_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."assessment_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_inputs" ADD CONSTRAINT "assessment_inputs_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_sessions" ADD CONSTRAINT "assessment_sessions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_sessions" ADD CONSTRAINT "assessment_sessions_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_trees" ADD CONSTRAINT "assessment_trees_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "weak_org_progress" ADD CONSTRAINT "weak_org_progress_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "weak_org_progress" ADD CONSTRAINT "weak_org_progress_weak_org_id_weak_orgs_id_fk" FOREIGN KEY ("weak_org_id") REFERENCES "public"."weak_orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "weak_orgs" ADD CONSTRAINT "weak_orgs_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "weak_orgs" ADD CONSTRAINT "weak_orgs_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_inputs_uq" ON "assessment_inputs" USING btree ("session_id","org_id","indicator_key");--> statement-breakpoint
CREATE INDEX "assessment_sessions_path_idx" ON "assessment_sessions" USING btree ("org_path" text_pattern_ops,"year");--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_trees_uq" ON "assessment_trees" USING btree ("tenant_id","key","tree_version");--> statement-breakpoint
CREATE INDEX "weak_org_progress_idx" ON "weak_org_progress" USING btree ("weak_org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "weak_orgs_finding_uq" ON "weak_orgs" USING btree ("finding_id");--> statement-breakpoint
CREATE INDEX "weak_orgs_path_idx" ON "weak_orgs" USING btree ("org_path" text_pattern_ops,"year");