ALTER TABLE "audit_heads" ADD COLUMN "pruned_seq" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_heads" ADD COLUMN "pruned_hash" text;--> statement-breakpoint
ALTER TABLE "audit_heads" ADD COLUMN "pruned_mac" text;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "mac" text;