ALTER TABLE `update_inbox` ADD `from_id` integer;--> statement-breakpoint
CREATE INDEX `update_inbox_from_idx` ON `update_inbox` (`from_id`);