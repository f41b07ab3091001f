/**
 * The tables `db move` copies, read from the drizzle schemas (sqlite/schema.ts, pg/schema.ts):
 * the one list, so a table added to the schema is copied without anyone remembering to.
 * Ordered parents first by their foreign keys, each with its primary key (the keyset the copy
 * pages by) and, where ids come from a sequence, the column the sequence feeds.
 */
import { getTableColumns, is, type Column } from 'drizzle-orm';
import { getTableConfig as pgTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Dialect } from '../../../domain/ports/index.js';
import * as pgSchema from '../pg/schema.js';
import * as sqliteSchema from '../sqlite/schema.js';

export interface MoveTableSpec<T> {
  readonly name: string;
  readonly table: T;
  /** Property name -> column, every column of the table. */
  readonly columns: Readonly<Record<string, Column>>;
  /** Property names of the primary key, in key order. */
  readonly key: readonly string[];
  /** The property the id sequence fills (Postgres identity, SQLite AUTOINCREMENT); null if none. */
  readonly sequence: string | null;
  /** Rows per batch: as many as fit well under both drivers' bound-parameter limits. */
  readonly batchRows: number;
}

/** Both drivers accept 32,766 parameters or more per statement; stay well below. */
const PARAMETERS_PER_BATCH = 30_000;
const MAX_BATCH_ROWS = 2_000;

interface TableFacts {
  name: string;
  primaryKeys: { columns: Column[] }[];
  parents: string[];
}

function plan<T extends object>(tables: T[], facts: (table: T) => TableFacts): MoveTableSpec<T>[] {
  const specs = new Map<string, { spec: MoveTableSpec<T>; parents: string[] }>();
  for (const table of tables) {
    const { name, primaryKeys, parents } = facts(table);
    const columns = getTableColumns(table as never) as Record<string, Column>;
    const entries = Object.entries(columns);
    const keyOf = (column: Column) => entries.find(([, c]) => c.name === column.name)?.[0] as string;
    const single = entries.filter(([, c]) => c.primary).map(([k]) => k);
    const key = single.length > 0 ? single : (primaryKeys[0]?.columns.map(keyOf) ?? []);
    if (key.length === 0) throw new Error(`table ${name} has no primary key: db move cannot page it`);
    const sequence =
      entries.find(
        ([, c]) =>
          (c as { generatedIdentity?: unknown }).generatedIdentity !== undefined ||
          (c as { autoIncrement?: boolean }).autoIncrement === true,
      )?.[0] ?? null;
    const batchRows = Math.min(MAX_BATCH_ROWS, Math.floor(PARAMETERS_PER_BATCH / entries.length));
    specs.set(name, { spec: { name, table, columns, key, sequence, batchRows }, parents });
  }
  // Parents first (Kahn's order); names break ties so the order is stable.
  const ordered: MoveTableSpec<T>[] = [];
  const placed = new Set<string>();
  while (placed.size < specs.size) {
    const ready = [...specs.values()]
      .filter(
        ({ spec, parents }) =>
          !placed.has(spec.name) && parents.every((p) => p === spec.name || placed.has(p)),
      )
      .sort((a, b) => a.spec.name.localeCompare(b.spec.name));
    if (ready.length === 0) throw new Error('the schema has a foreign key cycle: db move cannot order it');
    for (const { spec } of ready) {
      ordered.push(spec);
      placed.add(spec.name);
    }
  }
  return ordered;
}

let sqlitePlan: MoveTableSpec<SQLiteTable>[] | undefined;
let pgPlan: MoveTableSpec<PgTable>[] | undefined;

export function sqliteMoveTables(): readonly MoveTableSpec<SQLiteTable>[] {
  return (sqlitePlan ??= plan(
    (Object.values(sqliteSchema) as unknown[]).filter((t): t is SQLiteTable => is(t, SQLiteTable)),
    (table) => {
      const config = sqliteTableConfig(table);
      return {
        name: config.name,
        primaryKeys: config.primaryKeys,
        parents: config.foreignKeys.map((fk) => sqliteTableConfig(fk.reference().foreignTable).name),
      };
    },
  ));
}

export function pgMoveTables(): readonly MoveTableSpec<PgTable>[] {
  return (pgPlan ??= plan(
    (Object.values(pgSchema) as unknown[]).filter((t): t is PgTable => is(t, PgTable)),
    (table) => {
      const config = pgTableConfig(table);
      return {
        name: config.name,
        primaryKeys: config.primaryKeys,
        parents: config.foreignKeys.map((fk) => pgTableConfig(fk.reference().foreignTable).name),
      };
    },
  ));
}

/** The table names a move of this dialect copies, parents first. */
export function moveTableNames(dialect: Dialect): string[] {
  return (dialect === 'sqlite' ? sqliteMoveTables() : pgMoveTables()).map((t) => t.name);
}
