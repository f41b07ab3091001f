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
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { BotctlError } from '../../../domain/errors.js';
import type { DatabaseCopyInfo, DatabaseSnapshotter, SchemaVersion } from '../../../domain/ports.js';
import { LEDGER_TABLE } from '../migrate.js';

const ALL_PAGES = 0x7fffffff;

function lastMigration(db: Database.Database): SchemaVersion | null {
  const ledger = db
    .prepare(`select 1 from sqlite_master where type = 'table' and name = ?`)
    .get(LEDGER_TABLE);
  if (ledger === undefined) return null;
  const row = db.prepare(`select id, tag from ${LEDGER_TABLE} order by id desc limit 1`).get() as
    SchemaVersion | undefined;
  return row ?? null;
}

function withDb<T>(file: string, work: (db: Database.Database) => T): T {
  const db = new Database(file, { fileMustExist: true });
  try {
    return work(db);
  } finally {
    db.close();
  }
}

/** Opens a copy and checks it: integrity, foreign keys, a non-empty ledger. BACKUP_CORRUPT otherwise. */
export function checkSqliteCopy(file: string): DatabaseCopyInfo {
  const bad = (why: string, cause?: unknown) =>
    new BotctlError('BACKUP_CORRUPT', `The SQLite copy fails its check: ${why}`, {
      cause,
      hint: 'restore from another backup',
    });
  let schema: SchemaVersion | null;
  try {
    schema = withDb(file, (db) => {
      const integrity = db.pragma('integrity_check') as Array<{ integrity_check: string }>;
      if (integrity[0]?.integrity_check !== 'ok')
        throw bad(integrity.map((r) => r.integrity_check).join('; '));
      const orphans = (db.pragma('foreign_key_check') as unknown[]).length;
      if (orphans > 0) throw bad(`${orphans} rows break a foreign key`);
      // A restored file must stand alone: no WAL beside it until botctl opens it again.
      db.pragma('journal_mode = DELETE');
      return lastMigration(db);
    });
  } catch (error) {
    if (error instanceof BotctlError) throw error;
    throw bad((error as Error).message, error);
  }
  if (schema === null) throw bad(`no ${LEDGER_TABLE} ledger (not a botctl database?)`);
  return { schema, bytes: statSync(file).size };
}

const failed = (path: string, doing: string, error: unknown) =>
  new BotctlError(
    'BACKUP_FAILED',
    `Could not ${doing} the SQLite database ${path}: ${(error as Error).message}`,
    {
      cause: error,
      hint: 'if the file is damaged, move it away (with its -wal file) and restore a backup into the empty place',
    },
  );

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
      if (!exists()) throw new BotctlError('NOT_FOUND', `There is no SQLite database at ${path} to back up`);
      const source = new Database(path, { fileMustExist: true });
      try {
        if (lastMigration(source) === null) {
          throw new BotctlError('NOT_FOUND', `The SQLite database ${path} has no botctl schema to back up`, {
            hint: 'run `botctl migrate up` first',
          });
        }
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
      mkdirSync(dirname(path), { recursive: true });
      const file = `${path}.restore-${randomBytes(4).toString('hex')}.tmp`;
      return { file, cleanup: () => rm(file, { force: true }) };
    },

    async replace(file) {
      try {
        if (exists()) {
          // Fold the WAL into the old file before its -wal goes: nothing of it may be replayed onto the new one.
          try {
            withDb(path, (db) => db.pragma('wal_checkpoint(TRUNCATE)'));
          } catch {
            // A damaged old file cannot be checkpointed; it is replaced either way.
          }
        }
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
