CREATE TABLE `event_outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` text NOT NULL,
	`endpoint` text NOT NULL,
	`type` text NOT NULL,
	`telegram_id` integer,
	`body` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`occurred_at` integer NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`claimed_until` integer,
	`last_error` text,
	`delivered_at` integer
);
--> statement-breakpoint
CREATE INDEX `event_outbox_endpoint_idx` ON `event_outbox` (`endpoint`,`status`,`id`);--> statement-breakpoint
CREATE INDEX `event_outbox_status_idx` ON `event_outbox` (`status`,`id`);--> statement-breakpoint
CREATE INDEX `event_outbox_telegram_id_idx` ON `event_outbox` (`telegram_id`);