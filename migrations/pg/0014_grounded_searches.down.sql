-- Reverses 0014_grounded_searches.sql: drops the daily count of grounded answers, and puts the stats index back without it.
DROP INDEX "daily_usage_day_idx";
--> statement-breakpoint
ALTER TABLE "daily_usage" DROP COLUMN "searches";
--> statement-breakpoint
CREATE INDEX "daily_usage_day_idx" ON "daily_usage" USING btree ("day","user_id","messages","tokens_in","tokens_out","audio_seconds","images");
