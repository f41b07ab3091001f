import { createHash } from 'node:crypto';

/**
 * Cached users carry database row ids, so a cache shared by two bots, or surviving a switch
 * to another database, must not serve one database's rows to another: the namespace names
 * both the bot (its numeric id, not the secret) and the database (a hash of its URL).
 * The daemon and the operator commands (`users forget`, `users ban`) must agree on it, so
 * both get the cache from the container.
 */
export function cacheNamespace(token: string, databaseUrl: string): string {
  const botId = /^(\d+):/.exec(token)?.[1] ?? 'bot';
  return `botctl:${botId}:${createHash('sha256').update(databaseUrl).digest('hex').slice(0, 10)}`;
}
