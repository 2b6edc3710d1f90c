CREATE TABLE "grids" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"serving_org_id" integer,
	"leader_name" text,
	"recorded_on" date NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "households" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"grid_id" integer NOT NULL,
	"building" text NOT NULL,
	"unit" text,
	"room" text NOT NULL,
	"head_name" text NOT NULL,
	"id_number_enc" text,
	"id_number_bidx" text,
	"id_number_masked" text,
	"mobile_enc" text,
	"mobile_bidx" text,
	"mobile_masked" text,
	"residents" integer DEFAULT 1 NOT NULL,
	"tags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"recorded_on" date NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "request_claims" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"request_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"claimant_user_id" integer NOT NULL,
	"partner_unit" text,
	"claimant_name" text NOT NULL,
	"claimed_on" date NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "resident_requests" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"grid_id" integer,
	"kind" text NOT NULL,
	"state" text NOT NULL,
	"channel" text NOT NULL,
	"content" text NOT NULL,
	"contact_name" text NOT NULL,
	"mobile_enc" text,
	"mobile_bidx" text,
	"mobile_masked" text,
	"address_enc" text,
	"token_hash" text NOT NULL,
	"submitted_on" date NOT NULL,
	"accepted_on" date,
	"answered_on" date,
	"answer" text,
	"handled_by" integer,
	"reason" text,
	"merged_into" integer,
	"escalated_on" date,
	"closed_on" date,
	"rating" text,
	"rated_on" date,
	"rating_comment" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "grids" ADD CONSTRAINT "grids_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grids" ADD CONSTRAINT "grids_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grids" ADD CONSTRAINT "grids_serving_org_id_orgs_id_fk" FOREIGN KEY ("serving_org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_grid_id_grids_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."grids"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_claims" ADD CONSTRAINT "request_claims_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_claims" ADD CONSTRAINT "request_claims_request_id_resident_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."resident_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_claims" ADD CONSTRAINT "request_claims_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_claims" ADD CONSTRAINT "request_claims_claimant_user_id_users_id_fk" FOREIGN KEY ("claimant_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_requests" ADD CONSTRAINT "resident_requests_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_requests" ADD CONSTRAINT "resident_requests_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_requests" ADD CONSTRAINT "resident_requests_grid_id_grids_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."grids"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_requests" ADD CONSTRAINT "resident_requests_handled_by_users_id_fk" FOREIGN KEY ("handled_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "grids_org_code_uq" ON "grids" USING btree ("org_id","code");--> statement-breakpoint
CREATE INDEX "grids_path_idx" ON "grids" USING btree ("org_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "households_grid_idx" ON "households" USING btree ("grid_id","building","room");--> statement-breakpoint
CREATE INDEX "households_path_idx" ON "households" USING btree ("org_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "households_id_bidx_idx" ON "households" USING btree ("tenant_id","id_number_bidx");--> statement-breakpoint
CREATE UNIQUE INDEX "request_claims_request_uq" ON "request_claims" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "request_claims_path_idx" ON "request_claims" USING btree ("org_path" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "resident_requests_token_uq" ON "resident_requests" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "resident_requests_path_idx" ON "resident_requests" USING btree ("org_path" text_pattern_ops,"submitted_on");--> statement-breakpoint
CREATE INDEX "resident_requests_state_idx" ON "resident_requests" USING btree ("tenant_id","state");