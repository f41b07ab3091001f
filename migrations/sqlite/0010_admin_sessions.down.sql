-- Reverses 0010_admin_sessions.sql: drops sign-in links and panel sessions.
DROP TABLE `admin_sessions`;
