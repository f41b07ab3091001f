-- Reverses 0003_inbox_sender.sql: drops the inbox's sender column and its index.
DROP INDEX "update_inbox_from_idx";
--> statement-breakpoint
ALTER TABLE "update_inbox" DROP COLUMN "from_id";
