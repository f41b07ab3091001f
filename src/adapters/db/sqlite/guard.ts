/**
 * The SQLite guard: an OS lock on a side file, `<database>.lock`, taken through SQLite's own
 * locking (POSIX locks, which the kernel drops when the process dies, however it dies). A daemon
 * keeps a read transaction open on it (SQLite's SHARED lock, any number at once); a restore
 * takes BEGIN EXCLUSIVE without waiting, which fails at once while any daemon holds it.
 *
 * A side file because the same trick on the database itself would stop every WAL checkpoint.
 * The file stays empty: nothing is ever written into it.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { BotctlError } from '../../../domain/errors.js';
import type { DatabaseGuard, DatabaseHold } from '../../../domain/ports/index.js';
import { busy, restoreRunning, theBotRuns } from '../shared/guard.js';

export function createSqliteGuard(path: string): DatabaseGuard {
  const file = `${path}.lock`;
  const target = `SQLite database ${path}`;

  function hold(mode: 'shared' | 'exclusive', danger: string): DatabaseHold {
    let db: Database.Database;
    try {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      db = new Database(file, { timeout: 0 });
      chmodSync(file, 0o600);
    } catch (error) {
      throw new BotctlError(
        'DATABASE_UNREACHABLE',
        `Cannot open the lock file ${file}: ${(error as Error).message}`,
        {
          cause: error,
          hint: 'check that the database directory is writable by this user',
        },
      );
    }
    try {
      if (mode === 'exclusive') db.exec('BEGIN EXCLUSIVE');
      else {
        db.exec('BEGIN');
        db.prepare('select count(*) from sqlite_master').get();
      }
    } catch (error) {
      db.close();
      if (!busy(error)) throw error;
      throw mode === 'exclusive' ? theBotRuns(target, danger) : restoreRunning(target);
    }
    let released = false;
    return {
      async release() {
        if (released) return;
        released = true;
        db.close(); // ends the transaction and drops the lock
      },
    };
  }

  return {
    holdShared: async () => hold('shared', ''),
    holdExclusive: async (danger) => hold('exclusive', danger),
  };
}
