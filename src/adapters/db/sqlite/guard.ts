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
import type { DatabaseGuard, DatabaseHold, InstanceClaim } from '../../../domain/ports/index.js';
import { busy, restoreRunning, theBotRuns } from '../shared/guard.js';

/**
 * The inbox owners whose instance holds its claim in this process. SQLite serves one daemon
 * (holdInstance), so an owner not in here is gone: its leases may be taken (inbox.ts).
 */
export const liveOwners = new Set<string>();

export function createSqliteGuard(path: string): DatabaseGuard {
  const file = `${path}.lock`;
  const target = `SQLite database ${path}`;

  function open(file: string): Database.Database {
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
    return db;
  }

  function hold(mode: 'shared' | 'exclusive', danger: string): DatabaseHold {
    const db = open(file);
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

  /** One daemon per SQLite file, whatever its mode: its own side file, held exclusively. */
  async function holdInstance(claim: InstanceClaim): Promise<DatabaseHold> {
    const db = open(`${path}.instance.lock`);
    try {
      db.exec('BEGIN EXCLUSIVE');
    } catch (error) {
      db.close();
      if (!busy(error)) throw error;
      throw new BotctlError('LOCKED', `Another botctl daemon runs on this database (${target})`, {
        hint: 'SQLite serves one instance: stop the other one, or move to Postgres with Redis (`botctl db move --to postgres://...`) to run several',
      });
    }
    liveOwners.add(claim.owner);
    let released = false;
    return {
      async release() {
        if (released) return;
        released = true;
        liveOwners.delete(claim.owner);
        db.close();
      },
    };
  }

  return {
    holdShared: async () => hold('shared', ''),
    holdExclusive: async (danger) => hold('exclusive', danger),
    holdInstance,
  };
}
