CREATE TABLE "attachments" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"filename" text NOT NULL,
	"mime" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"created_by" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL,
	CONSTRAINT "attachments_storage_key_unique" UNIQUE("storage_key")
);
--> statement-breakpoint
CREATE TABLE "heart_talks" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"held_on" date NOT NULL,
	"person_a_id" integer NOT NULL,
	"person_b_id" integer NOT NULL,
	"topic" text NOT NULL,
	"notes" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meeting_attendance" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"meeting_id" integer NOT NULL,
	"person_id" integer NOT NULL,
	"status" text NOT NULL,
	"leave_reason" text,
	"voting" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meeting_guests" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"meeting_id" integer NOT NULL,
	"name" text NOT NULL,
	"unit_or_role" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meeting_votes" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"meeting_id" integer NOT NULL,
	"subject" text NOT NULL,
	"subject_person_id" integer,
	"yes" integer NOT NULL,
	"no" integer NOT NULL,
	"abstain" integer NOT NULL,
	"written_yes" integer DEFAULT 0 NOT NULL,
	"result" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meetings" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"kind" text NOT NULL,
	"also_counts_as" text[] DEFAULT '{}'::text[] NOT NULL,
	"held_on" date NOT NULL,
	"start_time" text,
	"end_time" text,
	"place" text,
	"host_person_id" integer,
	"recorder_person_id" integer,
	"topic" text NOT NULL,
	"agenda" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"minutes_html" text,
	"decisions" text,
	"lecturer" text,
	"lecture_title" text,
	"theme" text,
	"for_year" integer,
	"entered_at" text NOT NULL,
	"late_entry" boolean DEFAULT false NOT NULL,
	"counts_as_held" boolean DEFAULT true NOT NULL,
	"valid_for_decisions" boolean DEFAULT true NOT NULL,
	"invalid_reason" text,
	"quorum" jsonb,
	"rule_set" text NOT NULL,
	"attachment_ids" integer[] DEFAULT '{}'::int[] NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "member_review_results" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"round_id" integer NOT NULL,
	"person_id" integer NOT NULL,
	"self_assessment" text,
	"peer_tally" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"grade" text,
	"comment" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "member_review_rounds" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"for_year" integer NOT NULL,
	"status" text NOT NULL,
	"meeting_id" integer,
	"grades" jsonb NOT NULL,
	"concluded_on" date,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "study_plans" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"person_id" integer NOT NULL,
	"year" integer NOT NULL,
	"plan" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "study_records" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"person_id" integer NOT NULL,
	"studied_on" date NOT NULL,
	"minutes" integer NOT NULL,
	"source" text NOT NULL,
	"title" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dues_bases" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"person_id" integer NOT NULL,
	"effective_month" date NOT NULL,
	"category" text NOT NULL,
	"base_fen" integer,
	"pay_slip" jsonb,
	"flat_fen" integer,
	"monthly_due_fen" integer NOT NULL,
	"rule_set" text NOT NULL,
	"rounding" jsonb NOT NULL,
	"reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dues_hand_ins" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"to_org_id" integer NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"amount_fen" integer NOT NULL,
	"handed_on" date NOT NULL,
	"receipt_no" text NOT NULL,
	"central_fen" integer DEFAULT 0 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dues_payments" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"person_id" integer NOT NULL,
	"month" date NOT NULL,
	"kind" text NOT NULL,
	"amount_fen" integer NOT NULL,
	"paid_on" date NOT NULL,
	"channel" text NOT NULL,
	"receipt_no" text,
	"back_payment" boolean DEFAULT false NOT NULL,
	"reason" text,
	"reversal_of" integer,
	"reversed_by" integer,
	"recorded_by" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dues_reductions" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"person_id" integer NOT NULL,
	"from_month" date NOT NULL,
	"to_month" date,
	"kind" text NOT NULL,
	"monthly_fen" integer,
	"decision" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "heart_talks" ADD CONSTRAINT "heart_talks_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "heart_talks" ADD CONSTRAINT "heart_talks_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "heart_talks" ADD CONSTRAINT "heart_talks_person_a_id_people_id_fk" FOREIGN KEY ("person_a_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "heart_talks" ADD CONSTRAINT "heart_talks_person_b_id_people_id_fk" FOREIGN KEY ("person_b_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_attendance" ADD CONSTRAINT "meeting_attendance_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_attendance" ADD CONSTRAINT "meeting_attendance_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_attendance" ADD CONSTRAINT "meeting_attendance_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_guests" ADD CONSTRAINT "meeting_guests_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_votes" ADD CONSTRAINT "meeting_votes_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_review_results" ADD CONSTRAINT "member_review_results_round_id_member_review_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."member_review_rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_review_results" ADD CONSTRAINT "member_review_results_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_review_rounds" ADD CONSTRAINT "member_review_rounds_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_review_rounds" ADD CONSTRAINT "member_review_rounds_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_plans" ADD CONSTRAINT "study_plans_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_records" ADD CONSTRAINT "study_records_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_records" ADD CONSTRAINT "study_records_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dues_bases" ADD CONSTRAINT "dues_bases_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dues_bases" ADD CONSTRAINT "dues_bases_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dues_bases" ADD CONSTRAINT "dues_bases_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dues_hand_ins" ADD CONSTRAINT "dues_hand_ins_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dues_hand_ins" ADD CONSTRAINT "dues_hand_ins_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dues_hand_ins" ADD CONSTRAINT "dues_hand_ins_to_org_id_orgs_id_fk" FOREIGN KEY ("to_org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dues_payments" ADD CONSTRAINT "dues_payments_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dues_payments" ADD CONSTRAINT "dues_payments_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dues_payments" ADD CONSTRAINT "dues_payments_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dues_reductions" ADD CONSTRAINT "dues_reductions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dues_reductions" ADD CONSTRAINT "dues_reductions_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "attachments_path_idx" ON "attachments" USING btree ("org_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "attachments_sha256_idx" ON "attachments" USING btree ("tenant_id","sha256");--> statement-breakpoint
CREATE INDEX "heart_talks_path_idx" ON "heart_talks" USING btree ("org_path" text_pattern_ops,"held_on");--> statement-breakpoint
CREATE UNIQUE INDEX "meeting_attendance_uq" ON "meeting_attendance" USING btree ("meeting_id","person_id");--> statement-breakpoint
CREATE INDEX "meeting_attendance_person_idx" ON "meeting_attendance" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "meetings_path_held_idx" ON "meetings" USING btree ("org_path" text_pattern_ops,"held_on");--> statement-breakpoint
CREATE INDEX "meetings_org_held_idx" ON "meetings" USING btree ("org_id","held_on");--> statement-breakpoint
CREATE UNIQUE INDEX "member_review_results_uq" ON "member_review_results" USING btree ("round_id","person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "member_review_rounds_uq" ON "member_review_rounds" USING btree ("org_id","for_year");--> statement-breakpoint
CREATE UNIQUE INDEX "study_plans_uq" ON "study_plans" USING btree ("person_id","year");--> statement-breakpoint
CREATE INDEX "study_records_person_idx" ON "study_records" USING btree ("person_id","studied_on");--> statement-breakpoint
CREATE UNIQUE INDEX "dues_bases_uq" ON "dues_bases" USING btree ("person_id","effective_month");--> statement-breakpoint
CREATE INDEX "dues_bases_org_idx" ON "dues_bases" USING btree ("org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "dues_hand_ins_uq" ON "dues_hand_ins" USING btree ("org_id","period_start","period_end");--> statement-breakpoint
CREATE INDEX "dues_hand_ins_path_idx" ON "dues_hand_ins" USING btree ("org_path" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "dues_payments_one_due_uq" ON "dues_payments" USING btree ("person_id","month") WHERE kind = 'due' and reversed_by is null;--> statement-breakpoint
CREATE INDEX "dues_payments_path_month_idx" ON "dues_payments" USING btree ("org_path" text_pattern_ops,"month");--> statement-breakpoint
CREATE INDEX "dues_payments_person_idx" ON "dues_payments" USING btree ("person_id","month");--> statement-breakpoint
CREATE INDEX "dues_reductions_person_idx" ON "dues_reductions" USING btree ("person_id");