ALTER TABLE "messages" ADD COLUMN "delivered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "update_inbox" ADD COLUMN "reply_message_id" bigint;--> statement-breakpoint
-- Answers stored before this migration were taken as answered then: count them as delivered.
UPDATE "messages" SET "delivered_at" = "created_at" WHERE "role" = 'model';
