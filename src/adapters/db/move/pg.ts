/** `db move` over PostgreSQL: the rows through drizzle (so they map like the repositories'). */
import { sql, type Column } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { drizzle } from 'drizzle-orm/postgres-js';
import type { Sql } from 'postgres';
import type { DatabaseGuard, MoveKey, MoveRow, MoveTarget } from '../../../domain/ports/index.js';
import { createMigrator, LEDGER_TABLE } from '../migrate.js';
import { pgMigrationDriver } from '../pg/ledger.js';
import { createDigester } from './digest.js';
import { keyOf, PROGRESS_TABLE, progressDdl, toProgress, type ProgressRow } from './progress.js';
import { pgMoveTables, type MoveTableSpec } from './tables.js';

export function pgMoveDatabase(
  client: Sql,
  where: string,
  identity: string,
  guard: DatabaseGuard,
  migrationsDir?: string,
): MoveTarget {
  const db = drizzle({ client });
  const specs = pgMoveTables();
  const byName = new Map(specs.map((s) => [s.name, s]));
  const spec = (table: string) => byName.get(table) as MoveTableSpec<PgTable>;
  const migrator = createMigrator(pgMigrationDriver(client), { dir: migrationsDir });
  const existing = async (): Promise<Set<string>> => {
    const rows = await client.unsafe<Array<{ name: string }>>(
      `select tablename as name from pg_tables where schemaname = 'public'`,
    );
    return new Set(rows.map((r) => r.name));
  };
  const keyColumns = (s: MoveTableSpec<PgTable>) => s.key.map((k) => s.columns[k] as Column);
  const idColumn = (s: MoveTableSpec<PgTable>) => (s.columns[s.sequence as string] as Column).name;

  const readBatch = async (table: string, after: MoveKey | null) => {
    const s = spec(table);
    const keys = keyColumns(s);
    const condition =
      after === null
        ? undefined
        : sql`(${sql.join(keys, sql`, `)}) > (${sql.join(
            after.map((v) => sql`${v}`),
            sql`, `,
          )})`;
    const rows = (await db
      .select()
      .from(s.table)
      .where(condition)
      .orderBy(...(keys as never[]))
      .limit(s.batchRows)) as MoveRow[];
    const lastRow = rows.at(-1);
    return { rows, last: lastRow === undefined ? null : keyOf(lastRow, s.key) };
  };

  const upserts = new Map<string, string>();
  const upsertOf = (s: MoveTableSpec<PgTable>) => {
    const known = upserts.get(s.name);
    if (known !== undefined) return known;
    const columns = Object.entries(s.columns);
    const names = columns.map(([, c]) => `"${c.name}"`);
    const arrays = columns.map(([, c], i) => `$${i + 1}::text[]::${(c as PgColumn).getSQLType()}[]`);
    const key = s.key.map((k) => `"${(s.columns[k] as Column).name}"`);
    const rest = columns
      .filter(([k]) => !s.key.includes(k))
      .map(([, c]) => `"${c.name}" = excluded."${c.name}"`);
    const statement =
      `insert into "${s.name}" (${names.join(', ')}) select * from unnest(${arrays.join(', ')}) ` +
      `on conflict (${key.join(', ')}) do ${rest.length === 0 ? 'nothing' : `update set ${rest.join(', ')}`}`;
    upserts.set(s.name, statement);
    return statement;
  };

  return {
    dialect: 'postgres',
    where,
    identity,
    tables: specs.map((s) => s.name),
    holdExclusive: (danger) => guard.holdExclusive(danger),
    status: () => migrator.status(),
    async counts() {
      const present = await existing();
      const counts: Record<string, number> = {};
      for (const s of specs) {
        counts[s.name] = present.has(s.name)
          ? Number(
              (await client.unsafe<Array<{ n: string }>>(`select count(*) as n from "${s.name}"`))[0]?.n ?? 0,
            )
          : 0;
      }
      return counts;
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
      const id = idColumn(s);
      const [row] = await client.unsafe<Array<{ seq: string | null; m: string | null }>>(
        `select (select max("${id}") from "${s.name}") as m, q.last_value as seq
           from pg_sequences q
          where q.schemaname || '.' || q.sequencename = pg_get_serial_sequence('"${s.name}"', '${id}')`,
      );
      const fromSequence = row?.seq === null || row === undefined ? null : Number(row.seq);
      const values = [fromSequence, row?.m === null || row === undefined ? null : Number(row.m)].filter(
        (v): v is number => v !== null,
      );
      return values.length === 0 ? null : Math.max(...values);
    },
    async close() {
      await client.end({ timeout: 5 });
    },

    async foreignTables() {
      const known = new Set([...specs.map((s) => s.name), LEDGER_TABLE, PROGRESS_TABLE]);
      return [...(await existing())].filter((name) => !known.has(name)).sort();
    },
    async readProgress() {
      if (!(await existing()).has(PROGRESS_TABLE)) return null;
      return toProgress(await client.unsafe<ProgressRow[]>(`select * from ${PROGRESS_TABLE}`));
    },
    async migrateTo(id) {
      await migrator.up(id);
    },
    async clear() {
      const present = await existing();
      const ours = specs.map((s) => s.name).filter((name) => present.has(name));
      await client.begin(async (tx) => {
        if (ours.length > 0)
          await tx.unsafe(`truncate ${ours.map((n) => `"${n}"`).join(', ')} restart identity`);
        await tx.unsafe(`drop table if exists ${PROGRESS_TABLE}`);
      });
    },
    async startProgress(source, schema) {
      await client.begin(async (tx) => {
        await tx.unsafe(`drop table if exists ${PROGRESS_TABLE}`);
        await tx.unsafe(progressDdl('bigint'));
        for (const s of specs) {
          await tx.unsafe(
            `insert into ${PROGRESS_TABLE} (table_name, source, schema_id, schema_tag) values ($1, $2, $3, $4)`,
            [s.name, source, schema.id, schema.tag],
          );
        }
      });
    },
    async writeBatch(table, rows, last, copied) {
      const s = spec(table);
      const columns = Object.entries(s.columns);
      // One array per column, unnested on the server: a statement of a dozen parameters whatever the
      // batch size (drizzle's VALUES list of 20,000 parameters cost more to build than to run).
      const arrays = columns.map(([k, column]) => rows.map((row) => driverText(column, row[k])));
      await client.begin(async (tx) => {
        await tx.unsafe(upsertOf(s), arrays as never[]);
        await tx.unsafe(`update ${PROGRESS_TABLE} set last_key = $1, copied = $2 where table_name = $3`, [
          JSON.stringify(last),
          copied,
          table,
        ]);
      });
    },
    async finishTable(table) {
      await client.unsafe(`update ${PROGRESS_TABLE} set done = 1 where table_name = $1`, [table]);
    },
    async setHighWater(table, highWater) {
      const s = spec(table);
      if (s.sequence === null) return;
      const id = idColumn(s);
      // Next id: above every copied id and every id the source ever handed out.
      await client.unsafe(
        `select setval(pg_get_serial_sequence('"${s.name}"', '${id}'), greatest(v, 1), v > 0)
           from (select greatest(coalesce(max("${id}"), 0), $1::bigint) as v from "${s.name}") t`,
        [highWater ?? 0],
      );
    },
    async endProgress() {
      await client.unsafe(`drop table if exists ${PROGRESS_TABLE}`);
    },
  };
}

/** A value as the text Postgres parses into the column's type (drizzle's own mapping first). */
function driverText(column: Column, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const driver = column.mapToDriverValue(value) as unknown;
  if (driver instanceof Date) return driver.toISOString();
  return typeof driver === 'string' ? driver : String(driver);
}
