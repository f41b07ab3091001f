ALTER TABLE "update_inbox" ADD COLUMN "owner" text;--> statement-breakpoint
ALTER TABLE "update_inbox" ADD COLUMN "lease_until" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "update_inbox_chat_idx" ON "update_inbox" USING btree ("chat_key","update_id");