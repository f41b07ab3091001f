/**
 * Opening SQLite copies: the ledger's last row, and the full check a backup must pass before
 * it is trusted (integrity_check, foreign_key_check, a non-empty ledger).
 */
import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { BotctlError } from '../../../domain/errors.js';
import type { DatabaseCopyInfo, SchemaVersion } from '../../../domain/ports/index.js';
import { LEDGER_TABLE } from '../migrate.js';

export function lastMigration(db: Database.Database): SchemaVersion | null {
  const ledger = db
    .prepare(`select 1 from sqlite_master where type = 'table' and name = ?`)
    .get(LEDGER_TABLE);
  if (ledger === undefined) return null;
  const row = db.prepare(`select id, tag from ${LEDGER_TABLE} order by id desc limit 1`).get() as
    SchemaVersion | undefined;
  return row ?? null;
}

export function withDb<T>(file: string, work: (db: Database.Database) => T): T {
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
