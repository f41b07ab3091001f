ALTER TABLE `messages` ADD `delivered_at` integer;--> statement-breakpoint
ALTER TABLE `update_inbox` ADD `reply_message_id` integer;--> statement-breakpoint
-- Answers stored before this migration were taken as answered then: count them as delivered.
UPDATE `messages` SET `delivered_at` = `created_at` WHERE `role` = 'model';
