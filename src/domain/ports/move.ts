/**
 * `botctl db move`: one database seen table by table, so its rows can be copied into another
 * database of either dialect. Rows travel as the values the repositories would map them to
 * (Dates, numbers, parsed JSON), never decrypted: sealed fields stay sealed.
 */
import type { DatabaseHold, SchemaVersion } from './backup.js';
import type { MigrationStatus } from './database.js';
import type { Dialect } from './repositories.js';

/** One row, keyed by the schema's property names; opaque to the service. */
export type MoveRow = Readonly<Record<string, unknown>>;
/** The primary key values of the last row copied, in key order. */
export type MoveKey = readonly (string | number)[];

/** What a table holds, computed the same way on both dialects from the mapped values. */
export interface TableDigest {
  rows: number;
  /** Hex digest over every row; equal digests mean equal rows. */
  digest: string;
}

/** Where an interrupted move into this database stopped. */
export interface MoveProgress {
  /** The source it was copying from (where, password masked) and that source's schema. */
  source: string;
  schema: SchemaVersion;
  tables: ReadonlyMap<string, { done: boolean; lastKey: MoveKey | null; copied: number }>;
}

export interface MoveDatabase {
  readonly dialect: Dialect;
  /** A SQLite file's absolute path, or the Postgres URL with its password masked. */
  readonly where: string;
  /** The same place, compared to refuse a move onto itself (a path or host:port/database). */
  readonly identity: string;
  /** Every table of the schema, parents before children (the order rows must be inserted in). */
  readonly tables: readonly string[];
  /** Refused (LOCKED, exit 75) while a daemon holds the database; `danger` says why. */
  holdExclusive(danger: string): Promise<DatabaseHold>;
  status(): Promise<MigrationStatus>;
  /** Rows per table; 0 for a table that does not exist yet. */
  counts(): Promise<Record<string, number>>;
  /** Up to one batch of rows after `after` (all from the start when null), in primary key order. */
  readBatch(table: string, after: MoveKey | null): Promise<{ rows: MoveRow[]; last: MoveKey | null }>;
  digest(table: string): Promise<TableDigest>;
  /** The highest id the table's sequence has handed out (deleted rows included); null: none. */
  highWater(table: string): Promise<number | null>;
  close(): Promise<void>;
}

export interface MoveTarget extends MoveDatabase {
  /** Tables that are not botctl's (another application's data): the database is not empty. */
  foreignTables(): Promise<string[]>;
  /** null when no move was interrupted here. */
  readProgress(): Promise<MoveProgress | null>;
  /** Applies the migrations up to `id` (the source's version); SCHEMA_NEWER if it is past it. */
  migrateTo(id: number): Promise<void>;
  /** Deletes every row of every botctl table and any progress (--force). */
  clear(): Promise<void>;
  startProgress(source: string, schema: SchemaVersion): Promise<void>;
  /** Upserts the rows and records `last` as copied, in one transaction. */
  writeBatch(table: string, rows: readonly MoveRow[], last: MoveKey, copied: number): Promise<void>;
  finishTable(table: string): Promise<void>;
  /** Sets the table's sequence so new ids start above `highWater` and every copied id. */
  setHighWater(table: string, highWater: number | null): Promise<void>;
  /** The move is complete: the progress goes. */
  endProgress(): Promise<void>;
}
