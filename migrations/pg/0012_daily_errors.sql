CREATE TABLE "daily_errors" (
	"day" text NOT NULL,
	"code" text NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "daily_errors_day_code_pk" PRIMARY KEY("day","code")
);
