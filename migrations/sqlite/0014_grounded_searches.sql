DROP INDEX `daily_usage_day_idx`;--> statement-breakpoint
ALTER TABLE `daily_usage` ADD `searches` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `daily_usage_day_idx` ON `daily_usage` (`day`,`user_id`,`messages`,`tokens_in`,`tokens_out`,`audio_seconds`,`images`,`searches`);