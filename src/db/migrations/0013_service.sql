CREATE TABLE "service_activities" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"team_id" integer,
	"title" text NOT NULL,
	"kind" text NOT NULL,
	"held_on" date NOT NULL,
	"start_time" text,
	"end_time" text,
	"place" text,
	"capacity" integer,
	"rule_set" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "service_deeds" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"year" integer NOT NULL,
	"item" text NOT NULL,
	"source" text NOT NULL,
	"household_id" integer,
	"owner_person_id" integer,
	"deadline" date,
	"status" text NOT NULL,
	"planned_on" date NOT NULL,
	"started_on" date,
	"done_on" date,
	"dropped_on" date,
	"drop_reason" text,
	"evidence" text,
	"attachment_ids" integer[] DEFAULT '{}'::int[] NOT NULL,
	"feedback" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "service_households" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"head_name" text NOT NULL,
	"address_enc" text NOT NULL,
	"address_masked" text NOT NULL,
	"care_tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"person_id" integer,
	"note" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "service_pairings" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"household_id" integer NOT NULL,
	"person_id" integer,
	"start_on" date NOT NULL,
	"end_on" date,
	"frequency" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "service_participations" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"activity_id" integer NOT NULL,
	"person_id" integer,
	"volunteer_id" integer,
	"signed_up_at" text,
	"checked_in_at" text,
	"checked_in_by" integer,
	"minutes" integer,
	"confirmed_by" integer,
	"confirmed_at" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL,
	CONSTRAINT "service_participations_one_chk" CHECK ((person_id is null) <> (volunteer_id is null))
);
--> statement-breakpoint
CREATE TABLE "service_team_members" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"team_id" integer NOT NULL,
	"person_id" integer,
	"volunteer_id" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL,
	CONSTRAINT "service_team_members_one_chk" CHECK ((person_id is null) <> (volunteer_id is null))
);
--> statement-breakpoint
CREATE TABLE "service_teams" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"name" text NOT NULL,
	"note" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "service_visits" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"household_id" integer NOT NULL,
	"visited_on" date NOT NULL,
	"kind" text NOT NULL,
	"visitor_ids" integer[] NOT NULL,
	"money_fen" integer DEFAULT 0 NOT NULL,
	"goods" text,
	"note" text,
	"follow_up_needed" boolean DEFAULT false NOT NULL,
	"follow_up_note" text,
	"attachment_ids" integer[] DEFAULT '{}'::int[] NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "service_volunteers" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"name" text NOT NULL,
	"gender" text,
	"mobile_enc" text,
	"mobile_bidx" text,
	"mobile_masked" text,
	"id_number_enc" text,
	"id_number_bidx" text,
	"id_number_masked" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "service_activities" ADD CONSTRAINT "service_activities_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_activities" ADD CONSTRAINT "service_activities_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_activities" ADD CONSTRAINT "service_activities_team_id_service_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."service_teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_deeds" ADD CONSTRAINT "service_deeds_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_deeds" ADD CONSTRAINT "service_deeds_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_deeds" ADD CONSTRAINT "service_deeds_household_id_service_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."service_households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_deeds" ADD CONSTRAINT "service_deeds_owner_person_id_people_id_fk" FOREIGN KEY ("owner_person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_households" ADD CONSTRAINT "service_households_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_households" ADD CONSTRAINT "service_households_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_households" ADD CONSTRAINT "service_households_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_pairings" ADD CONSTRAINT "service_pairings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_pairings" ADD CONSTRAINT "service_pairings_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_pairings" ADD CONSTRAINT "service_pairings_household_id_service_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."service_households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_pairings" ADD CONSTRAINT "service_pairings_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_participations" ADD CONSTRAINT "service_participations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_participations" ADD CONSTRAINT "service_participations_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_participations" ADD CONSTRAINT "service_participations_activity_id_service_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."service_activities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_participations" ADD CONSTRAINT "service_participations_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_participations" ADD CONSTRAINT "service_participations_volunteer_id_service_volunteers_id_fk" FOREIGN KEY ("volunteer_id") REFERENCES "public"."service_volunteers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_team_members" ADD CONSTRAINT "service_team_members_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_team_members" ADD CONSTRAINT "service_team_members_team_id_service_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."service_teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_team_members" ADD CONSTRAINT "service_team_members_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_team_members" ADD CONSTRAINT "service_team_members_volunteer_id_service_volunteers_id_fk" FOREIGN KEY ("volunteer_id") REFERENCES "public"."service_volunteers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_teams" ADD CONSTRAINT "service_teams_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_teams" ADD CONSTRAINT "service_teams_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_visits" ADD CONSTRAINT "service_visits_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_visits" ADD CONSTRAINT "service_visits_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_visits" ADD CONSTRAINT "service_visits_household_id_service_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."service_households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_volunteers" ADD CONSTRAINT "service_volunteers_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_volunteers" ADD CONSTRAINT "service_volunteers_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "service_activities_path_held_idx" ON "service_activities" USING btree ("org_path" text_pattern_ops,"held_on");--> statement-breakpoint
CREATE INDEX "service_deeds_path_year_idx" ON "service_deeds" USING btree ("org_path" text_pattern_ops,"year");--> statement-breakpoint
CREATE INDEX "service_households_path_idx" ON "service_households" USING btree ("org_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "service_pairings_path_idx" ON "service_pairings" USING btree ("org_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "service_pairings_household_idx" ON "service_pairings" USING btree ("household_id");--> statement-breakpoint
CREATE UNIQUE INDEX "service_participations_person_uq" ON "service_participations" USING btree ("activity_id","person_id") WHERE person_id is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "service_participations_volunteer_uq" ON "service_participations" USING btree ("activity_id","volunteer_id") WHERE volunteer_id is not null;--> statement-breakpoint
CREATE INDEX "service_participations_path_idx" ON "service_participations" USING btree ("org_path" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "service_team_members_person_uq" ON "service_team_members" USING btree ("team_id","person_id") WHERE person_id is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "service_team_members_volunteer_uq" ON "service_team_members" USING btree ("team_id","volunteer_id") WHERE volunteer_id is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "service_teams_org_name_uq" ON "service_teams" USING btree ("org_id","name");--> statement-breakpoint
CREATE INDEX "service_teams_path_idx" ON "service_teams" USING btree ("org_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "service_visits_path_on_idx" ON "service_visits" USING btree ("org_path" text_pattern_ops,"visited_on");--> statement-breakpoint
CREATE INDEX "service_visits_household_idx" ON "service_visits" USING btree ("household_id","visited_on");--> statement-breakpoint
CREATE INDEX "service_volunteers_path_idx" ON "service_volunteers" USING btree ("org_path" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "service_volunteers_mobile_uq" ON "service_volunteers" USING btree ("tenant_id","mobile_bidx") WHERE mobile_bidx is not null;