ALTER TABLE "messages" ADD COLUMN "sent_message_ids" text;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "sources" text;--> statement-breakpoint
CREATE INDEX "messages_telegram_idx" ON "messages" USING btree ("conversation_id","telegram_message_id");