/**
 * `db move` copies the tables the drizzle schemas declare. These tests fail when a table exists
 * that the move would not copy: a table in a migrated database (either dialect) missing from the
 * list, or two dialects' schemas that disagree on tables, columns or keys (rows could not travel).
 */
import { getTableColumns } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { pgMoveTables, sqliteMoveTables, moveTableNames } from '../../src/adapters/db/move/tables.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../helpers/db.js';

let db: TestDatabase | undefined;
afterEach(async () => {
  await db?.cleanup();
  db = undefined;
});

const LEDGER = 'botctl_migrations';

describe('db move table list', () => {
  it.each(DIALECTS)('covers every table a fully migrated %s database holds', async (dialect) => {
    db = await openTestDatabase(dialect);
    const sql =
      dialect === 'sqlite'
        ? `select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`
        : `select tablename as name from pg_tables where schemaname = 'public'`;
    const present = (await db.raw(sql)).map((row) => String(row.name)).filter((name) => name !== LEDGER);
    expect(moveTableNames(dialect).sort()).toEqual(present.sort());
  });

  it('the two schemas agree on tables, order, columns and keys', () => {
    const shape = (specs: ReturnType<typeof sqliteMoveTables> | ReturnType<typeof pgMoveTables>) =>
      specs.map((s) => ({
        name: s.name,
        key: s.key,
        sequence: s.sequence,
        columns: Object.entries(getTableColumns(s.table as never)).map(([k, c]) => [
          k,
          (c as { name: string }).name,
        ]),
      }));
    expect(shape(pgMoveTables())).toEqual(shape(sqliteMoveTables()));
  });

  it('puts every parent before its children', () => {
    const order = moveTableNames('sqlite');
    const before = (parent: string, child: string) => order.indexOf(parent) < order.indexOf(child);
    expect(before('users', 'conversations')).toBe(true);
    expect(before('conversations', 'messages')).toBe(true);
    expect(before('messages', 'audio_files')).toBe(true);
    expect(before('broadcasts', 'deliveries')).toBe(true);
    expect(before('users', 'deliveries')).toBe(true);
  });
});
