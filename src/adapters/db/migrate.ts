/**
 * Our own migrator over drizzle-kit's SQL. Unlike drizzle's, it applies every migration missing
 * from the ledger (not only "newer" ones), refuses to run when an applied migration was edited
 * (hash mismatch) or the database knows migrations this code does not, and runs down scripts.
 * The ledger is `botctl_migrations` in the main schema, so a plain dump carries it.
 * Dialect specifics (transactions, locking) live in sqlite/ledger.ts and pg/ledger.ts.
 */
import { BotctlError } from '../../domain/errors.js';
import type { Dialect, MigrationStatus, Migrator } from '../../domain/ports/index.js';
import { locateMigrations, loadMigrations, type MigrationFile } from './migration-files.js';
import { oneLine, translateDbError } from './shared/errors.js';

export const LEDGER_TABLE = 'botctl_migrations';

export interface LedgerRow {
  id: number;
  tag: string;
  hash: string;
  appliedAt: Date;
}

/** What a dialect offers while it holds the migration lock. */
export interface LedgerSession {
  read(): Promise<LedgerRow[]>;
  /** Runs the statements and inserts the ledger row in one transaction; false if already applied. */
  apply(migration: MigrationFile, statements: string[]): Promise<boolean>;
  /** Runs the statements and deletes the ledger row in one transaction. */
  revert(migration: Pick<MigrationFile, 'id' | 'tag'>, statements: string[]): Promise<void>;
}

export interface MigrationDriver {
  readonly dialect: Dialect;
  /** The ledger without locking or creating it ([] when it does not exist yet). */
  read(): Promise<LedgerRow[]>;
  /** Creates the ledger if needed and runs `work` while no other process can migrate. */
  exclusive<T>(work: (session: LedgerSession) => Promise<T>): Promise<T>;
}

export interface MigratorOptions {
  /** The migrations folder; default: migrations/<dialect> of this package. */
  dir?: string;
}

export function createMigrator(driver: MigrationDriver, options: MigratorOptions = {}): Migrator {
  const files = () => loadMigrations(options.dir ?? locateMigrations(driver.dialect));

  return {
    async status(): Promise<MigrationStatus> {
      const known = files();
      const ledger = await driver.read().catch(rethrow);
      const applied = new Map(ledger.map((row) => [row.id, row]));
      const migrations = known.map(({ id, tag }) => ({
        id,
        tag,
        applied: applied.has(id),
        appliedAt: applied.get(id)?.appliedAt ?? null,
      }));
      // Rows the code does not know (a newer version migrated this database) are listed too.
      for (const row of ledger) {
        if (!known.some((m) => m.id === row.id)) {
          migrations.push({ id: row.id, tag: row.tag, applied: true, appliedAt: row.appliedAt });
        }
      }
      migrations.sort((a, b) => a.id - b.id);
      return {
        dialect: driver.dialect,
        current: Math.max(-1, ...ledger.map((row) => row.id)),
        latest: Math.max(-1, ...known.map((m) => m.id)),
        pending: migrations.filter((m) => !m.applied).length,
        migrations,
      };
    },

    async up(to?: number): Promise<string[]> {
      const known = files();
      return driver
        .exclusive(async (session) => {
          const ledger = await session.read();
          verify(known, ledger);
          const done = new Set(ledger.map((row) => row.id));
          const applied: string[] = [];
          for (const migration of known) {
            if (done.has(migration.id) || (to !== undefined && migration.id > to)) continue;
            const ran = await session.apply(migration, migration.statements).catch(failed(migration.tag));
            if (ran) applied.push(migration.tag);
          }
          return applied;
        })
        .catch(rethrow);
    },

    async down(to?: number): Promise<string[]> {
      const known = files();
      return driver
        .exclusive(async (session) => {
          const ledger = await session.read();
          verify(known, ledger);
          const ids = ledger.map((row) => row.id).sort((a, b) => b - a);
          const target = to ?? ids[1] ?? -1;
          const reverted: string[] = [];
          for (const id of ids.filter((applied) => applied > target)) {
            const migration = known.find((m) => m.id === id) as MigrationFile;
            if (migration.down === null) {
              throw new BotctlError('MIGRATION_FAILED', `Migration ${migration.tag} has no down script`, {
                hint: `Write migrations/<dialect>/${migration.tag}.down.sql, or restore a backup instead.`,
              });
            }
            await session.revert(migration, migration.down).catch(failed(migration.tag, 'rolling back'));
            reverted.push(migration.tag);
          }
          return reverted;
        })
        .catch(rethrow);
    },
  };
}

function verify(known: MigrationFile[], ledger: LedgerRow[]): void {
  const byId = new Map(known.map((m) => [m.id, m]));
  const unknown = ledger.filter((row) => !byId.has(row.id));
  if (unknown.length > 0) {
    const tags = unknown.map((row) => row.tag).join(', ');
    throw new BotctlError('SCHEMA_NEWER', `The database has migrations this botctl does not know: ${tags}`, {
      hint: 'Upgrade botctl to the version that migrated this database (or restore an older backup).',
      params: { tags },
    });
  }
  for (const row of ledger) {
    const file = byId.get(row.id) as MigrationFile;
    if (file.hash !== row.hash) {
      throw new BotctlError(
        'MIGRATION_TAMPERED',
        `Migration ${file.tag} was edited after it was applied (hash ${row.hash.slice(0, 12)} in the database, ${file.hash.slice(0, 12)} on disk)`,
        {
          hint: 'Restore the original migration file; put schema changes in a new migration (npm run db:generate).',
          params: { tag: file.tag },
        },
      );
    }
  }
}

function failed(tag: string, doing = 'applying') {
  return (error: unknown): never => {
    const translated = translateDbError(error);
    if (translated.code === 'DATABASE_UNREACHABLE' || error instanceof BotctlError) throw translated;
    throw new BotctlError('MIGRATION_FAILED', `Failed ${doing} ${tag}: ${oneLine(translated.message)}`, {
      cause: error,
      hint: 'The migration was rolled back as a whole; fix the cause and run it again.',
      params: { tag },
    });
  };
}

function rethrow(error: unknown): never {
  throw translateDbError(error);
}
