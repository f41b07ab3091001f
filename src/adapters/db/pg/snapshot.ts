/**
 * PostgreSQL copies: pg_dump --format=custom (one repeatable-read snapshot, so consistent
 * while the daemon writes) and pg_restore --clean --if-exists --single-transaction (all or
 * nothing). The tools themselves are injected by the composition root (adapters/system/pg-tools.ts).
 * The ledger, botctl_migrations, lives in `public`, so the dump carries it.
 *
 * --clean drops only what the dump holds: tables a newer migration added would survive a
 * restore of an older backup and break the next `migrate up` ("already exists"). They are
 * dropped right after the restore, in their own transaction.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sql } from 'postgres';
import { BotctlError } from '../../../domain/errors.js';
import type { DatabaseCopyInfo, DatabaseSnapshotter, SchemaVersion } from '../../../domain/ports/index.js';
import { LEDGER_TABLE } from '../migrate.js';
import { unreachable } from '../shared/errors.js';

/** What pg_dump/pg_restore offer (implemented by adapters/system/pg-tools.ts). */
export interface PgDumpTools {
  dump(url: string, file: string): Promise<void>;
  restore(url: string, file: string): Promise<void>;
  inspectDump(
    file: string,
    options: { full: boolean },
  ): Promise<{ objects: string[]; ledger: SchemaVersion[] }>;
}

/** Checks a dump end to end: every block readable, the ledger's table and rows present. */
export async function checkPgDump(
  tools: PgDumpTools,
  file: string,
  full: boolean,
): Promise<DatabaseCopyInfo> {
  const { ledger } = await tools.inspectDump(file, { full });
  const schema = ledger.at(-1);
  if (schema === undefined) {
    throw new BotctlError('BACKUP_CORRUPT', `The dump has no ${LEDGER_TABLE} rows (not a botctl database?)`, {
      hint: 'restore from another backup',
    });
  }
  return { schema, bytes: (await stat(file)).size };
}

export function createPgSnapshotter(url: string, target: string, tools: PgDumpTools): DatabaseSnapshotter {
  let client: Sql | undefined;

  async function sql() {
    if (!client) {
      const { default: postgres } = await import('postgres');
      client = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => undefined });
    }
    return client;
  }

  async function inspect() {
    try {
      const db = await sql();
      const [tables] = await db.unsafe<Array<{ n: number }>>(
        `select count(*)::int as n from pg_tables where schemaname = 'public'`,
      );
      const [found] = await db.unsafe<Array<{ present: boolean }>>(
        `select to_regclass('public.${LEDGER_TABLE}') is not null as present`,
      );
      const [last] = found?.present
        ? await db.unsafe<SchemaVersion[]>(
            `select id, tag from public.${LEDGER_TABLE} order by id desc limit 1`,
          )
        : [];
      return { exists: (tables?.n ?? 0) > 0, schema: last ? { id: last.id, tag: last.tag } : null };
    } catch (error) {
      throw unreachable(error, target);
    }
  }

  return {
    dialect: 'postgres',
    target,
    inspect,

    async snapshot(file) {
      if ((await inspect()).schema === null) {
        throw new BotctlError('NOT_FOUND', `${target} has no botctl schema to back up`, {
          hint: 'run `botctl migrate up` first',
        });
      }
      await tools.dump(url, file);
      return checkPgDump(tools, file, false);
    },

    async scratchFile() {
      const dir = await mkdtemp(join(tmpdir(), 'botctl-restore-'));
      return { file: join(dir, 'db.pgdump'), cleanup: () => rm(dir, { recursive: true, force: true }) };
    },

    async replace(file) {
      const { objects } = await tools.inspectDump(file, { full: false });
      await tools.restore(url, file);
      await dropLeftovers(await sql(), new Set(objects)).catch((error: unknown) => {
        throw new BotctlError(
          'BACKUP_FAILED',
          `Restored, but could not drop tables the backup does not have: ${(error as Error).message}`,
          {
            cause: error,
            hint: 'drop them by hand before `botctl migrate up`',
          },
        );
      });
    },

    async close() {
      await client?.end({ timeout: 1 });
      client = undefined;
    },
  };
}

const DROP_ORDER: Array<[kinds: string, what: string]> = [
  ['r,p', 'table'],
  ['m', 'materialized view'],
  ['v', 'view'],
  ['S', 'sequence'],
];

/** Drops relations and enum/domain types in `public` that the restored dump does not hold. */
async function dropLeftovers(db: Sql, keep: Set<string>): Promise<void> {
  const relations = await db.unsafe<Array<{ name: string; kind: string }>>(
    `select c.relname as name, c.relkind::text as kind from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p', 'm', 'v', 'S')`,
  );
  const types = await db.unsafe<Array<{ name: string; kind: string }>>(
    `select t.typname as name, case t.typtype when 'd' then 'domain' else 'type' end as kind
       from pg_type t join pg_namespace n on n.oid = t.typnamespace
      where n.nspname = 'public' and t.typtype in ('e', 'd')`,
  );
  const quote = (name: string) => `public."${name.replaceAll('"', '""')}"`;
  const statements = [
    ...DROP_ORDER.flatMap(([kinds, what]) =>
      relations
        .filter((r) => kinds.split(',').includes(r.kind) && !keep.has(r.name))
        .map((r) => `drop ${what} if exists ${quote(r.name)} cascade`),
    ),
    ...types.filter((t) => !keep.has(t.name)).map((t) => `drop ${t.kind} if exists ${quote(t.name)} cascade`),
  ];
  if (statements.length === 0) return;
  await db.begin(async (tx) => {
    for (const statement of statements) await tx.unsafe(statement);
  });
}
