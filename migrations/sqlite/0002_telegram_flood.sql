CREATE TABLE `telegram_flood` (
	`bot_id` integer PRIMARY KEY NOT NULL,
	`until` integer NOT NULL
);
