/**
 * Migration ledger on PostgreSQL, in `public` so a dump of the schema carries it. Up and down
 * hold a session-level advisory lock on one reserved connection, so two processes (two
 * replicas starting at once) migrate one after the other; each migration and its ledger row
 * commit in one transaction (DDL is transactional here).
 */
import type { ReservedSql, Sql } from 'postgres';
import { BotctlError } from '../../../domain/errors.js';
import type { LedgerRow, LedgerSession, MigrationDriver } from '../migrate.js';
import { LEDGER_TABLE } from '../migrate.js';

const TABLE = `public.${LEDGER_TABLE}`;
/** Arbitrary but fixed: every botctl process agrees on it ("botctl" in ASCII). */
const LOCK_KEY = 0x626f74636c;

export interface PgMigrationOptions {
  /** How long to wait for another process's migration to finish; default 60 s. */
  lockTimeoutMs?: number;
}

interface RawLedgerRow {
  id: number;
  tag: string;
  hash: string;
  applied_ms: number;
}

async function readLedger(sql: Sql | ReservedSql): Promise<LedgerRow[]> {
  const [found] = await sql.unsafe<Array<{ exists: boolean }>>(
    `select to_regclass('${TABLE}') is not null as exists`,
  );
  if (found?.exists !== true) return [];
  // Epoch milliseconds, because drizzle replaces the client's timestamp parsers with pass-throughs.
  const rows = await sql.unsafe<RawLedgerRow[]>(
    `select id, tag, hash, (extract(epoch from applied_at) * 1000)::float8 as applied_ms from ${TABLE} order by id`,
  );
  return rows.map((row) => ({
    id: row.id,
    tag: row.tag,
    hash: row.hash,
    appliedAt: new Date(row.applied_ms),
  }));
}

async function inTransaction(conn: ReservedSql, work: () => Promise<boolean>): Promise<boolean> {
  await conn.unsafe('begin');
  try {
    const done = await work();
    await conn.unsafe('commit');
    return done;
  } catch (error) {
    await conn.unsafe('rollback').catch(() => undefined);
    throw error;
  }
}

export function pgMigrationDriver(sql: Sql, options: PgMigrationOptions = {}): MigrationDriver {
  const lockTimeoutMs = options.lockTimeoutMs ?? 60_000;

  async function lock(conn: ReservedSql): Promise<void> {
    const deadline = Date.now() + lockTimeoutMs;
    for (;;) {
      const [row] = await conn.unsafe<Array<{ locked: boolean }>>(
        `select pg_try_advisory_lock(${LOCK_KEY}) as locked`,
      );
      if (row?.locked === true) return;
      if (Date.now() >= deadline) {
        throw new BotctlError('LOCKED', 'Another process is migrating this database', {
          hint: 'Wait for it to finish (or stop it), then run the migration again.',
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  function session(conn: ReservedSql): LedgerSession {
    const isApplied = async (id: number) =>
      (await conn.unsafe(`select 1 from ${TABLE} where id = $1`, [id])).length > 0;
    return {
      read: () => readLedger(conn),
      apply: (migration, statements) =>
        inTransaction(conn, async () => {
          if (await isApplied(migration.id)) return false;
          for (const statement of statements) await conn.unsafe(statement);
          await conn.unsafe(`insert into ${TABLE} (id, tag, hash, applied_at) values ($1, $2, $3, now())`, [
            migration.id,
            migration.tag,
            migration.hash,
          ]);
          return true;
        }),
      revert: async (migration, statements) => {
        await inTransaction(conn, async () => {
          for (const statement of statements) await conn.unsafe(statement);
          await conn.unsafe(`delete from ${TABLE} where id = $1`, [migration.id]);
          return true;
        });
      },
    };
  }

  return {
    dialect: 'postgres',
    read: () => readLedger(sql),
    async exclusive(work) {
      const conn = await sql.reserve();
      try {
        await lock(conn);
        try {
          await conn.unsafe(
            `create table if not exists ${TABLE} (
              id integer primary key,
              tag text not null,
              hash text not null,
              applied_at timestamptz not null default now()
            )`,
          );
          return await work(session(conn));
        } finally {
          await conn.unsafe(`select pg_advisory_unlock(${LOCK_KEY})`).catch(() => undefined);
        }
      } finally {
        conn.release();
      }
    },
  };
}
