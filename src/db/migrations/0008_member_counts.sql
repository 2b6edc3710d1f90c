CREATE TABLE "member_counts" (
	"tenant_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"stage" text NOT NULL,
	"state" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "member_counts_tenant_id_org_path_stage_state_pk" PRIMARY KEY("tenant_id","org_path","stage","state")
);
--> statement-breakpoint
CREATE INDEX "member_counts_path_idx" ON "member_counts" USING btree ("org_path" text_pattern_ops);