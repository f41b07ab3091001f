CREATE INDEX `daily_usage_day_idx` ON `daily_usage` (`day`,`user_id`,`messages`,`tokens_in`,`tokens_out`,`audio_seconds`,`images`);--> statement-breakpoint
CREATE INDEX `messages_stats_idx` ON `messages` (`role`,`created_at`,`model`,`tokens_in`,`tokens_out`,`latency_ms`);--> statement-breakpoint
CREATE INDEX `messages_latency_idx` ON `messages` (`role`,`latency_ms`,`created_at`);