-- Reverses 0011_event_outbox.sql: drops the event outbox (pending deliveries are lost with it).
DROP TABLE "event_outbox";
