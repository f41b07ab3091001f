/**
 * The database guard for a URL, like open.ts: Postgres by advisory lock, SQLite by a side lock
 * file. The drivers load on first use, so commands that never hold the guard never load them.
 */
import type { DatabaseGuard } from '../../domain/ports/index.js';
import { parseDatabaseUrl } from './url.js';
import { maskUrlPassword } from '../../domain/url-password.js';

export function createDatabaseGuard(url: string): DatabaseGuard {
  const load = async (): Promise<DatabaseGuard> => {
    const target = parseDatabaseUrl(url, process.cwd());
    if (target.dialect === 'postgres') {
      const { createPgGuard } = await import('./pg/guard.js');
      return createPgGuard(target.location, `PostgreSQL at ${maskUrlPassword(target.location)}`);
    }
    const path = target.location;
    // An in-memory database belongs to one process: nothing else can restore over it.
    if (path === ':memory:') return { holdShared: nothing, holdExclusive: nothing, holdInstance: nothing };
    const { createSqliteGuard } = await import('./sqlite/guard.js');
    return createSqliteGuard(path);
  };
  let guard: Promise<DatabaseGuard> | undefined;
  return {
    holdShared: async () => (await (guard ??= load())).holdShared(),
    holdExclusive: async (danger) => (await (guard ??= load())).holdExclusive(danger),
    holdInstance: async (claim) => (await (guard ??= load())).holdInstance(claim),
  };
}

const nothing = async () => ({ release: async () => undefined });
