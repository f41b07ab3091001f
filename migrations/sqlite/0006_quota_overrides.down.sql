-- Reverses 0006_quota_overrides.sql: drops the users' own quota limits.
ALTER TABLE `users` DROP COLUMN `quota_overrides`;
