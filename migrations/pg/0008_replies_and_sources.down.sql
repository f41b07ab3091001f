-- Reverses 0008_replies_and_sources.sql: drops the answers' Telegram message ids, their index and their sources.
DROP INDEX IF EXISTS "messages_telegram_idx";
--> statement-breakpoint
ALTER TABLE "messages" DROP COLUMN "sent_message_ids";
--> statement-breakpoint
ALTER TABLE "messages" DROP COLUMN "sources";
