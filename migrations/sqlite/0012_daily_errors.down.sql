-- Reverses 0012_daily_errors.sql: drops the per-day error counts (the stats lose their error series).
DROP TABLE "daily_errors";
