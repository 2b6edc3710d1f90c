CREATE TABLE "dues_member_months" (
	"tenant_id" integer NOT NULL,
	"person_id" integer NOT NULL,
	"month" date NOT NULL,
	"org_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"seq" smallint NOT NULL,
	"base_id" integer,
	"category" text,
	"due_fen" integer NOT NULL,
	"reduction_id" integer,
	"payment_id" integer,
	"paid_on" date,
	CONSTRAINT "dues_member_months_person_id_month_org_id_pk" PRIMARY KEY("person_id","month","org_id")
);
--> statement-breakpoint
CREATE INDEX "dues_member_months_tenant_month_idx" ON "dues_member_months" USING btree ("tenant_id","month");--> statement-breakpoint
CREATE INDEX "dues_member_months_path_idx" ON "dues_member_months" USING btree ("org_path" text_pattern_ops,"month");