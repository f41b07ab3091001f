-- Reverses 0016_inbox_admitted.sql: drops when an update was admitted (a replay is then never charged again, as before).
ALTER TABLE `update_inbox` DROP COLUMN `admitted_at`;
