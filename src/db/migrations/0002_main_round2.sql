ALTER TABLE "meeting_votes" ADD COLUMN "ballots" jsonb;--> statement-breakpoint
ALTER TABLE "dues_bases" ADD COLUMN "quarter_incomes" jsonb;