ALTER TABLE "update_inbox" ADD COLUMN "from_id" bigint;--> statement-breakpoint
CREATE INDEX "update_inbox_from_idx" ON "update_inbox" USING btree ("from_id");