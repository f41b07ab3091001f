CREATE TABLE "telegram_flood" (
	"bot_id" bigint PRIMARY KEY NOT NULL,
	"until" timestamp with time zone NOT NULL
);
