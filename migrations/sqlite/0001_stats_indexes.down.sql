-- Reverses 0001_stats_indexes.sql: drops the indexes `botctl stats` reads.
DROP INDEX `messages_latency_idx`;
--> statement-breakpoint
DROP INDEX `messages_stats_idx`;
--> statement-breakpoint
DROP INDEX `daily_usage_day_idx`;
