-- Reverses 0007_api_keys.sql: drops the keys' expiry and the audit log's remote address.
ALTER TABLE "audit_log" DROP COLUMN "address";
--> statement-breakpoint
ALTER TABLE "api_keys" DROP COLUMN "expires_at";
