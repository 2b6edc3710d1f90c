CREATE TABLE "rectification_items" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"report_id" integer NOT NULL,
	"comment_id" integer,
	"org_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"year" integer NOT NULL,
	"problem" text NOT NULL,
	"owner_name" text NOT NULL,
	"deadline" date NOT NULL,
	"evidence_required" text NOT NULL,
	"closed" boolean DEFAULT false NOT NULL,
	"closed_on" date,
	"closed_by" text,
	"close_note" text,
	"attachment_ids" integer[],
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_comments" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"report_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"year" integer NOT NULL,
	"reviewer_org_id" integer,
	"reviewer_label" text NOT NULL,
	"strengths" text NOT NULL,
	"problems" text NOT NULL,
	"grade" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_jobs" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"year" integer NOT NULL,
	"user_id" integer,
	"status" text NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"done" integer DEFAULT 0 NOT NULL,
	"result" jsonb,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_templates" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"key" text NOT NULL,
	"template_version" integer NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"body" jsonb NOT NULL,
	"copied_from" text,
	"created_by" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reports" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"year" integer NOT NULL,
	"template_key" text NOT NULL,
	"template_version" integer NOT NULL,
	"template" jsonb NOT NULL,
	"report_version" integer DEFAULT 1 NOT NULL,
	"previous_id" integer,
	"status" text NOT NULL,
	"title" text NOT NULL,
	"placeholders" jsonb NOT NULL,
	"narratives" jsonb NOT NULL,
	"fields" jsonb NOT NULL,
	"overrides" jsonb NOT NULL,
	"digests" jsonb,
	"rendered" jsonb NOT NULL,
	"evaluated_at" text NOT NULL,
	"finalized_at" text,
	"finalized_by" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "rectification_items" ADD CONSTRAINT "rectification_items_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectification_items" ADD CONSTRAINT "rectification_items_report_id_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_comments" ADD CONSTRAINT "report_comments_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_comments" ADD CONSTRAINT "report_comments_report_id_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_jobs" ADD CONSTRAINT "report_jobs_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_templates" ADD CONSTRAINT "report_templates_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "rectification_items_path_idx" ON "rectification_items" USING btree ("org_path" text_pattern_ops,"year");--> statement-breakpoint
CREATE INDEX "rectification_items_report_idx" ON "rectification_items" USING btree ("report_id");--> statement-breakpoint
CREATE INDEX "report_comments_path_idx" ON "report_comments" USING btree ("org_path" text_pattern_ops,"year");--> statement-breakpoint
CREATE INDEX "report_comments_report_idx" ON "report_comments" USING btree ("report_id");--> statement-breakpoint
CREATE UNIQUE INDEX "report_templates_uq" ON "report_templates" USING btree ("tenant_id","key","template_version");--> statement-breakpoint
CREATE INDEX "reports_path_idx" ON "reports" USING btree ("org_path" text_pattern_ops,"year");--> statement-breakpoint
CREATE INDEX "reports_org_year_idx" ON "reports" USING btree ("org_id","year");