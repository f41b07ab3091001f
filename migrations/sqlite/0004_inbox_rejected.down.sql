-- Reverses 0004_inbox_rejected.sql: rejected updates become done (older versions prune only those), then the reason goes.
UPDATE `update_inbox` SET `status` = 'done', `done_at` = coalesce(`done_at`, `received_at`) WHERE `status` = 'rejected';
--> statement-breakpoint
ALTER TABLE `update_inbox` DROP COLUMN `reason`;
