ALTER TABLE `messages` ADD `sent_message_ids` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `sources` text;--> statement-breakpoint
CREATE INDEX `messages_telegram_idx` ON `messages` (`conversation_id`,`telegram_message_id`);