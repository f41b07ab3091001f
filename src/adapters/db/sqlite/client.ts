/** Opens the SQLite file with the pragmas the repositories rely on; open.ts creates it first (0600). */
import Database from 'better-sqlite3';

export type SqliteClient = Database.Database;

export function openSqliteClient(path: string): SqliteClient {
  const client = new Database(path, { fileMustExist: path !== ':memory:' });
  try {
    // WAL lets readers (backups, `botctl stats`) run beside the daemon's writer.
    client.pragma('journal_mode = WAL');
    client.pragma('foreign_keys = ON');
    // Another process (a CLI command beside the daemon) may hold the write lock briefly.
    client.pragma('busy_timeout = 5000');
    // Safe with WAL: a power loss may drop the last commits but never corrupts the file.
    client.pragma('synchronous = NORMAL');
    return client;
  } catch (error) {
    client.close();
    throw error;
  }
}
