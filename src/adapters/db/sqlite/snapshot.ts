/**
 * SQLite copies through the online backup API: better-sqlite3's db.backup() copies the pages
 * while the daemon keeps writing (WAL: readers never block the writer). Every page goes in one
 * step, so the copy is one read transaction, a single point in time; with small steps a write
 * between steps would restart the copy, possibly forever under a busy writer.
 *
 * A restore unpacks beside the target, checks it, then renames it over the target (atomic on
 * one filesystem), so the database is the old one or the new one, never half of each.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, statSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { BotctlError } from '../../../domain/errors.js';
import { makeDirs } from '../../system/dirs.js';
import type { DatabaseSnapshotter, SchemaVersion } from '../../../domain/ports/index.js';
import { lastMigration, withDb } from './copy-check.js';

export { checkSqliteCopy } from './copy-check.js';

const ALL_PAGES = 0x7fffffff;

const failed = (path: string, doing: string, error: unknown) =>
  new BotctlError(
    'BACKUP_FAILED',
    `Could not ${doing} the SQLite database ${path}: ${(error as Error).message}`,
    {
      cause: error,
      hint: 'if the file is damaged, move it away (with its -wal file) and restore a backup into the empty place',
    },
  );

/**
 * Folds the WAL into the old file before its -wal goes, so nothing of it can be replayed onto
 * the new one. False when another connection still reads or writes it (a running bot): its
 * writes would land in the replaced file and be lost.
 */
function checkpointed(path: string): boolean {
  try {
    return withDb(path, (db) => {
      db.pragma('busy_timeout = 2000');
      const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
      return result?.busy !== 1;
    });
  } catch {
    return true; // a damaged old file cannot be checkpointed; it is replaced either way
  }
}

export function createSqliteSnapshotter(path: string): DatabaseSnapshotter {
  const exists = () => existsSync(path) && statSync(path).size > 0;

  return {
    dialect: 'sqlite',
    target: `SQLite database ${path}`,

    async inspect() {
      if (!exists()) return { exists: false, schema: null };
      try {
        return withDb(path, (db) => {
          const tables = db.prepare(`select count(*) as n from sqlite_master where type = 'table'`).get() as {
            n: number;
          };
          return { exists: tables.n > 0, schema: lastMigration(db) };
        });
      } catch {
        // Unreadable is still "something is there": restoring over it needs --force.
        return { exists: true, schema: null };
      }
    },

    async snapshot(file) {
      if (!exists()) {
        throw new BotctlError('NOT_FOUND', `There is no SQLite database at ${path} to back up`, {
          hint: 'check databaseUrl (BOTCTL_DATABASE_URL), or run `botctl migrate up` first',
        });
      }
      const source = new Database(path, { fileMustExist: true });
      try {
        if (lastMigration(source) === null) {
          throw new BotctlError('NOT_FOUND', `The SQLite database ${path} has no botctl schema to back up`, {
            hint: 'run `botctl migrate up` first',
          });
        }
        // Created 0600 first: SQLite would make the copy with the umask's mode (0644).
        closeSync(openSync(file, 'w', 0o600));
        await source.backup(file, { progress: () => ALL_PAGES });
      } catch (error) {
        if (error instanceof BotctlError) throw error;
        throw failed(path, 'copy', error);
      } finally {
        source.close();
      }
      const schema = withDb(file, (copy) => {
        copy.pragma('journal_mode = DELETE');
        return lastMigration(copy) as SchemaVersion;
      });
      return { schema, bytes: statSync(file).size };
    },

    async scratchFile() {
      makeDirs(dirname(path), 'database directory');
      const file = `${path}.restore-${randomBytes(4).toString('hex')}.tmp`;
      return { file, cleanup: () => rm(file, { force: true }) };
    },

    async replace(file) {
      if (exists() && !checkpointed(path)) {
        throw new BotctlError('BACKUP_FAILED', `The SQLite database ${path} is in use by another process`, {
          hint: 'stop the bot (and any other botctl using it), then restore again; nothing was changed',
        });
      }
      try {
        await rm(`${path}-wal`, { force: true });
        await rm(`${path}-shm`, { force: true });
        await rename(file, path);
        const dir = await open(dirname(path), 'r');
        await dir.sync().finally(() => dir.close());
      } catch (error) {
        throw failed(path, 'replace', error);
      }
    },

    async close() {},
  };
}
