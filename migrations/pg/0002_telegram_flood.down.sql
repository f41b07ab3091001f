-- Reverses 0002_telegram_flood.sql: drops the shared Telegram flood wait.
DROP TABLE "telegram_flood";
