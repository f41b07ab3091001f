/**
 * Migration ledger on SQLite. Each migration runs in its own BEGIN IMMEDIATE transaction,
 * which takes the file's write lock; the ledger is re-read inside it, so a second process
 * that planned the same migration skips it instead of applying it twice.
 */
import type { LedgerRow, LedgerSession, MigrationDriver } from '../migrate.js';
import { LEDGER_TABLE } from '../migrate.js';
import type { SqliteClient } from './client.js';

interface RawLedgerRow {
  id: number;
  tag: string;
  hash: string;
  applied_at: number;
}

export function sqliteMigrationDriver(client: SqliteClient): MigrationDriver {
  const read = (): LedgerRow[] => {
    const exists = client
      .prepare(`select 1 from sqlite_master where type = 'table' and name = ?`)
      .get(LEDGER_TABLE);
    if (exists === undefined) return [];
    const rows = client
      .prepare(`select id, tag, hash, applied_at from ${LEDGER_TABLE} order by id`)
      .all() as RawLedgerRow[];
    return rows.map((row) => ({
      id: row.id,
      tag: row.tag,
      hash: row.hash,
      appliedAt: new Date(row.applied_at),
    }));
  };

  // Table rebuilds (drizzle-kit's ALTER for SQLite) drop and recreate parents; with foreign keys
  // on, that would cascade-delete children. The pragma is a no-op inside a transaction, so it is
  // switched off around it, and foreign_key_check vets the result before the commit.
  const transaction = (work: () => boolean): boolean => {
    client.pragma('foreign_keys = OFF');
    try {
      client.exec('BEGIN IMMEDIATE');
      try {
        const done = work();
        const violations = client.pragma('foreign_key_check') as unknown[];
        if (violations.length > 0) {
          throw new Error(`foreign_key_check found ${violations.length} rows that break a foreign key`);
        }
        client.exec('COMMIT');
        return done;
      } catch (error) {
        client.exec('ROLLBACK');
        throw error;
      }
    } finally {
      client.pragma('foreign_keys = ON');
    }
  };
  const isApplied = (id: number) =>
    client.prepare(`select 1 from ${LEDGER_TABLE} where id = ?`).get(id) !== undefined;

  const session: LedgerSession = {
    async read() {
      return read();
    },
    async apply(migration, statements) {
      return transaction(() => {
        if (isApplied(migration.id)) return false;
        for (const statement of statements) client.exec(statement);
        client
          .prepare(`insert into ${LEDGER_TABLE} (id, tag, hash, applied_at) values (?, ?, ?, ?)`)
          .run(migration.id, migration.tag, migration.hash, Date.now());
        return true;
      });
    },
    async revert(migration, statements) {
      transaction(() => {
        if (!isApplied(migration.id)) return false;
        for (const statement of statements) client.exec(statement);
        client.prepare(`delete from ${LEDGER_TABLE} where id = ?`).run(migration.id);
        return true;
      });
    },
  };

  return {
    dialect: 'sqlite',
    async read() {
      return read();
    },
    async exclusive(work) {
      client.exec(
        `create table if not exists ${LEDGER_TABLE} (
          id integer primary key not null,
          tag text not null,
          hash text not null,
          applied_at integer not null
        )`,
      );
      return work(session);
    },
  };
}
