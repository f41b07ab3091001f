CREATE TABLE `admin_sessions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`role` text NOT NULL,
	`link_hash` text NOT NULL,
	`session_hash` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`link_expires_at` integer NOT NULL,
	`signed_in_at` integer,
	`expires_at` integer,
	`revoked_at` integer,
	`address` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `admin_sessions_link_hash_uq` ON `admin_sessions` (`link_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `admin_sessions_session_hash_uq` ON `admin_sessions` (`session_hash`);