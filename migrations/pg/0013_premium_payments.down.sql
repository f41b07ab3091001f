-- Reverses 0013_premium_payments.sql: drops the Stars payments and the users' premium end.
DROP TABLE "payments";--> statement-breakpoint
DROP INDEX "users_premium_until_idx";--> statement-breakpoint
ALTER TABLE "users" DROP COLUMN "premium_until";
