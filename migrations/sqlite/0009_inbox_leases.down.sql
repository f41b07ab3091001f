-- Reverses 0009_inbox_leases.sql: drops the inbox leases (owner, expiry) and the per-chat index.
DROP INDEX IF EXISTS `update_inbox_chat_idx`;
--> statement-breakpoint
ALTER TABLE `update_inbox` DROP COLUMN `lease_until`;
--> statement-breakpoint
ALTER TABLE `update_inbox` DROP COLUMN `owner`;
