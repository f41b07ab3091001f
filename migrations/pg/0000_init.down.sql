-- Reverses 0000_init.sql: drops every table it created, children first (indexes, constraints and
-- identity sequences go with them).
DROP TABLE "audio_files";
--> statement-breakpoint
DROP TABLE "messages";
--> statement-breakpoint
DROP TABLE "conversations";
--> statement-breakpoint
DROP TABLE "daily_usage";
--> statement-breakpoint
DROP TABLE "deliveries";
--> statement-breakpoint
DROP TABLE "broadcasts";
--> statement-breakpoint
DROP TABLE "api_keys";
--> statement-breakpoint
DROP TABLE "audit_log";
--> statement-breakpoint
DROP TABLE "update_inbox";
--> statement-breakpoint
DROP TABLE "users";
