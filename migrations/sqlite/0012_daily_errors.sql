CREATE TABLE `daily_errors` (
	`day` text NOT NULL,
	`code` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`day`, `code`)
);
