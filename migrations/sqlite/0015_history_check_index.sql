DROP INDEX `messages_conversation_id_idx`;--> statement-breakpoint
CREATE INDEX `messages_conversation_id_idx` ON `messages` (`conversation_id`,`id`,`delivered_at`);