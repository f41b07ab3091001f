-- Reverses 0006_api_keys.sql: drops per-user quota overrides, the keys' expiry and the audit log's remote address.
ALTER TABLE `users` DROP COLUMN `quota_overrides`;
--> statement-breakpoint
ALTER TABLE `audit_log` DROP COLUMN `address`;
--> statement-breakpoint
ALTER TABLE `api_keys` DROP COLUMN `expires_at`;
