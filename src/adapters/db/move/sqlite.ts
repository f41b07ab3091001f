/** `db move` over a SQLite file: the rows through drizzle (so they map like the repositories'). */
import { sql, type Column } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { DatabaseGuard, MoveKey, MoveRow, MoveTarget } from '../../../domain/ports/index.js';
import { createMigrator, LEDGER_TABLE } from '../migrate.js';
import type { SqliteClient } from '../sqlite/client.js';
import type { Statement } from 'better-sqlite3';
import { sqliteMigrationDriver } from '../sqlite/ledger.js';
import { createDigester } from './digest.js';
import { keyOf, PROGRESS_TABLE, progressDdl, toProgress, type ProgressRow } from './progress.js';
import { sqliteMoveTables, type MoveTableSpec } from './tables.js';

export function sqliteMoveDatabase(
  client: SqliteClient,
  path: string,
  identity: string,
  guard: DatabaseGuard,
  migrationsDir?: string,
): MoveTarget {
  const db = drizzle({ client });
  const specs = sqliteMoveTables();
  const byName = new Map(specs.map((s) => [s.name, s]));
  const spec = (table: string) => byName.get(table) as MoveTableSpec<SQLiteTable>;
  const migrator = createMigrator(sqliteMigrationDriver(client), { dir: migrationsDir });
  const exists = (table: string) =>
    client.prepare(`select 1 from sqlite_master where type = 'table' and name = ?`).get(table) !== undefined;
  const keyColumns = (s: MoveTableSpec<SQLiteTable>) => s.key.map((k) => s.columns[k] as Column);

  const readBatch = async (table: string, after: MoveKey | null) => {
    const s = spec(table);
    const keys = keyColumns(s);
    const where =
      after === null
        ? undefined
        : sql`(${sql.join(keys, sql`, `)}) > (${sql.join(
            after.map((v) => sql`${v}`),
            sql`, `,
          )})`;
    const rows = db
      .select()
      .from(s.table)
      .where(where)
      .orderBy(...(keys as never[]))
      .limit(s.batchRows)
      .all() as MoveRow[];
    const lastRow = rows.at(-1);
    return { rows, last: lastRow === undefined ? null : keyOf(lastRow, s.key) };
  };

  const sequenceOf = (table: string) =>
    exists('sqlite_sequence')
      ? ((
          client.prepare(`select seq from sqlite_sequence where name = ?`).get(table) as
            { seq: number } | undefined
        )?.seq ?? null)
      : null;
  const maxId = (s: MoveTableSpec<SQLiteTable>) =>
    (
      client
        .prepare(`select max("${(s.columns[s.sequence as string] as Column).name}") as m from "${s.name}"`)
        .get() as {
        m: number | null;
      }
    ).m;

  const upserts = new Map<string, Statement>();
  const upsertOf = (s: MoveTableSpec<SQLiteTable>) => {
    const known = upserts.get(s.name);
    if (known !== undefined) return known;
    const columns = Object.entries(s.columns);
    const names = columns.map(([, c]) => `"${c.name}"`);
    const key = s.key.map((k) => `"${(s.columns[k] as Column).name}"`);
    const rest = columns
      .filter(([k]) => !s.key.includes(k))
      .map(([, c]) => `"${c.name}" = excluded."${c.name}"`);
    const statement = client.prepare(
      `insert into "${s.name}" (${names.join(', ')}) values (${names.map(() => '?').join(', ')}) ` +
        `on conflict (${key.join(', ')}) do ${rest.length === 0 ? 'nothing' : `update set ${rest.join(', ')}`}`,
    );
    upserts.set(s.name, statement);
    return statement;
  };

  return {
    dialect: 'sqlite',
    where: path,
    identity,
    tables: specs.map((s) => s.name),
    holdExclusive: (danger) => guard.holdExclusive(danger),
    status: () => migrator.status(),
    async counts() {
      return Object.fromEntries(
        specs.map((s) => [
          s.name,
          exists(s.name)
            ? (client.prepare(`select count(*) as n from "${s.name}"`).get() as { n: number }).n
            : 0,
        ]),
      );
    },
    readBatch,
    async digest(table) {
      const digester = createDigester(Object.keys(spec(table).columns).sort());
      for (let after: MoveKey | null = null; ;) {
        const batch = await readBatch(table, after);
        if (batch.last === null) return digester.result();
        digester.add(batch.rows);
        after = batch.last;
      }
    },
    async highWater(table) {
      const s = spec(table);
      if (s.sequence === null) return null;
      const values = [sequenceOf(table), maxId(s)].filter((v): v is number => v !== null);
      return values.length === 0 ? null : Math.max(...values);
    },
    async close() {
      client.close();
    },

    async foreignTables() {
      const known = new Set([...specs.map((s) => s.name), LEDGER_TABLE, PROGRESS_TABLE]);
      const rows = client
        .prepare(
          `select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`,
        )
        .all() as Array<{ name: string }>;
      return rows.map((r) => r.name).filter((name) => !known.has(name));
    },
    async readProgress() {
      if (!exists(PROGRESS_TABLE)) return null;
      return toProgress(client.prepare(`select * from ${PROGRESS_TABLE}`).all() as ProgressRow[]);
    },
    async migrateTo(id) {
      await migrator.up(id);
    },
    async clear() {
      client.transaction(() => {
        for (const s of [...specs].reverse()) if (exists(s.name)) client.exec(`delete from "${s.name}"`);
        if (exists('sqlite_sequence')) client.exec(`delete from sqlite_sequence`);
        client.exec(`drop table if exists ${PROGRESS_TABLE}`);
      })();
    },
    async startProgress(source, schema) {
      client.transaction(() => {
        client.exec(`drop table if exists ${PROGRESS_TABLE}`);
        client.exec(progressDdl('integer'));
        const insert = client.prepare(
          `insert into ${PROGRESS_TABLE} (table_name, source, schema_id, schema_tag) values (?, ?, ?, ?)`,
        );
        for (const s of specs) insert.run(s.name, source, schema.id, schema.tag);
      })();
    },
    async writeBatch(table, rows, last, copied) {
      const s = spec(table);
      const columns = Object.entries(s.columns);
      const upsert = upsertOf(s);
      const progress = client.prepare(
        `update ${PROGRESS_TABLE} set last_key = ?, copied = ? where table_name = ?`,
      );
      // One prepared statement run per row: SQLite has no round trips, and building drizzle's
      // VALUES list for a whole batch cost more than running it.
      client.transaction(() => {
        for (const row of rows) upsert.run(columns.map(([k, column]) => driverValue(column, row[k])));
        progress.run(JSON.stringify(last), copied, table);
      })();
    },
    async finishTable(table) {
      client.prepare(`update ${PROGRESS_TABLE} set done = 1 where table_name = ?`).run(table);
    },
    async setHighWater(table, highWater) {
      if (spec(table).sequence === null || highWater === null) return;
      const raised = client
        .prepare(`update sqlite_sequence set seq = max(seq, ?) where name = ?`)
        .run(highWater, table);
      if (raised.changes === 0) {
        client.prepare(`insert into sqlite_sequence (name, seq) values (?, ?)`).run(table, highWater);
      }
    },
    async endProgress() {
      client.exec(`drop table if exists ${PROGRESS_TABLE}`);
    },
  };
}

/** A value as SQLite stores it in the column (drizzle's own mapping: Date -> ms, JSON -> text). */
function driverValue(column: Column, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  const driver = column.mapToDriverValue(value) as unknown;
  return typeof driver === 'boolean' ? Number(driver) : driver;
}
