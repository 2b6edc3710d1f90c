CREATE TABLE "development_records" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"person_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"rule_set" text NOT NULL,
	"current_step" integer NOT NULL,
	"next_step" integer,
	"contact_person_ids" integer[] DEFAULT '{}'::int[] NOT NULL,
	"introducer_ids" integer[] DEFAULT '{}'::int[] NOT NULL,
	"front_line" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "development_steps" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"record_id" integer NOT NULL,
	"person_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"step" integer NOT NULL,
	"done_on" date NOT NULL,
	"actor_name" text NOT NULL,
	"decision" text,
	"documents" text[] DEFAULT '{}'::text[] NOT NULL,
	"attachment_ids" integer[] DEFAULT '{}'::int[] NOT NULL,
	"meeting_id" integer,
	"subject_person_id" integer,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"issues" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"rule_set" text NOT NULL,
	"note" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "development_records" ADD CONSTRAINT "development_records_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "development_records" ADD CONSTRAINT "development_records_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "development_records" ADD CONSTRAINT "development_records_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "development_steps" ADD CONSTRAINT "development_steps_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "development_steps" ADD CONSTRAINT "development_steps_record_id_development_records_id_fk" FOREIGN KEY ("record_id") REFERENCES "public"."development_records"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "development_steps" ADD CONSTRAINT "development_steps_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "development_steps" ADD CONSTRAINT "development_steps_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "development_records_person_idx" ON "development_records" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "development_records_path_idx" ON "development_records" USING btree ("org_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "development_steps_record_idx" ON "development_steps" USING btree ("record_id","step");--> statement-breakpoint
CREATE INDEX "development_steps_path_idx" ON "development_steps" USING btree ("org_path" text_pattern_ops,"step","done_on");