-- Reverses 0008_answer_messages.sql: drops the answers' Telegram message ids and their index.
DROP INDEX IF EXISTS `messages_telegram_idx`;
--> statement-breakpoint
ALTER TABLE `messages` DROP COLUMN `sent_message_ids`;
