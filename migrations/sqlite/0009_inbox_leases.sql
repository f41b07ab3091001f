ALTER TABLE `update_inbox` ADD `owner` text;--> statement-breakpoint
ALTER TABLE `update_inbox` ADD `lease_until` integer;--> statement-breakpoint
CREATE INDEX `update_inbox_chat_idx` ON `update_inbox` (`chat_key`,`update_id`);