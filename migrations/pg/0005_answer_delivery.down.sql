-- Reverses 0005_answer_delivery.sql: drops the answers' delivery time and the inbox's group preview id.
ALTER TABLE "update_inbox" DROP COLUMN "reply_message_id";
--> statement-breakpoint
ALTER TABLE "messages" DROP COLUMN "delivered_at";
