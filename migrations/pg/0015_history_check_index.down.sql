-- Reverses 0015_history_check_index.sql: the conversation index without delivered_at (the history check reads rows again).
DROP INDEX "messages_conversation_id_idx";
--> statement-breakpoint
CREATE INDEX "messages_conversation_id_idx" ON "messages" USING btree ("conversation_id","id");
