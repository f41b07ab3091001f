/**
 * Changing the schema, with its safety rules in one place: check (a database newer than this
 * botctl is refused), back up (a verified backup before anything changes a database that holds
 * applied migrations), then migrate. `migrate up`, `setup` and `start --auto-migrate` go up
 * through here; `migrate down` goes down through here, always backing up first.
 */
import { BotctlError } from '../../domain/errors.js';
import type {
  DatabaseGuard,
  Dialect,
  MigrationState,
  MigrationStatus,
  Migrator,
} from '../../domain/ports/index.js';
import type { BackupService, CreateResult, PreMigrateResult } from '../backup/index.js';

export interface MigrationsDeps {
  dialect: Dialect;
  migrator: Migrator;
  backups(): Promise<BackupService>;
  /** A rollback holds it exclusively, so it is refused while a daemon runs on the database. */
  guard: DatabaseGuard;
}

export interface MigrateOptions {
  /** up: the last id to apply; down: the id that stays applied. */
  to?: number;
  /** False skips the backup (--no-backup). */
  backup?: boolean;
  /** Encrypts the backup (BOTCTL_BACKUP_PASSPHRASE[_FILE]). */
  passphrase?: string;
  /** How to go on without the backup when it fails (default: pass --no-backup). */
  withoutBackup?: string;
  /** Told about the backup once it is taken, before the schema changes. */
  onBackup?: (backup: CreateResult) => void;
}

export interface UpResult {
  applied: string[];
  current: number;
  backup: CreateResult | null;
  backupDecision: PreMigrateResult['decision'];
}

export interface DownResult {
  reverted: string[];
  current: number;
  backup: CreateResult | null;
}

/** Refuses a database migrated by a newer botctl: its schema is unknown to this code. */
function assertNotNewer(status: MigrationStatus): void {
  if (status.current > status.latest) {
    throw new BotctlError(
      'SCHEMA_NEWER',
      `The database is at migration ${status.current}, newer than this botctl knows (${status.latest})`,
      { hint: 'upgrade botctl, or restore a backup taken before the upgrade' },
    );
  }
}

export function createMigrationsService(deps: MigrationsDeps) {
  return {
    /** The database's dialect (sqlite or postgres), for what setup and start say. */
    dialect: deps.dialect,
    status: (): Promise<MigrationStatus> => deps.migrator.status(),
    up: (options?: MigrateOptions) => migrateUp(deps, options),
    down: (options?: MigrateOptions) => migrateDown(deps, options),
    beforeStart: (options: StartOptions) => beforeStart(deps, options),
  };
}

export type MigrationsService = ReturnType<typeof createMigrationsService>;

export interface StartOptions extends Omit<MigrateOptions, 'passphrase'> {
  /** `start --auto-migrate`: apply pending migrations (backing up first) instead of refusing to start. */
  autoMigrate: boolean;
  /** Read only when there is something to migrate (the passphrase file need not exist otherwise). */
  passphrase?: () => string | undefined;
}

/**
 * `start`: a newer database is refused, and pending migrations stop the start unless told to
 * migrate, which backs up first like `migrate up`. Null when nothing was pending.
 */
async function beforeStart(deps: MigrationsDeps, options: StartOptions): Promise<UpResult | null> {
  const status = await deps.migrator.status();
  assertNotNewer(status);
  if (status.pending === 0) return null;
  if (!options.autoMigrate) {
    throw new BotctlError('MIGRATIONS_PENDING', `${status.pending} database migration(s) pending`, {
      hint: 'run `botctl migrate up` (it backs up first), or start with --auto-migrate',
    });
  }
  return migrateUp(deps, { ...options, passphrase: options.passphrase?.() });
}

async function migrateUp(deps: MigrationsDeps, options: MigrateOptions = {}): Promise<UpResult> {
  const status = await deps.migrator.status();
  assertNotNewer(status);
  const pre = await backupFirst('No migration was applied', options.withoutBackup, async () =>
    (await deps.backups()).beforeMigrate(status, {
      to: options.to,
      skip: options.backup === false,
      passphrase: options.passphrase,
    }),
  );
  if (pre.backup) options.onBackup?.(pre.backup);
  const applied = await deps.migrator.up(options.to);
  const after = await deps.migrator.status();
  return { applied, current: after.current, backup: pre.backup, backupDecision: pre.decision };
}

/**
 * What `migrate down` would roll back, newest first, and the id it would stop at: `to` stays
 * applied; without it, the newest applied migration goes. Migration 0 always stays: going below
 * it drops every table, which is not a rollback but a wipe (`--to -1` used to do that on a typo).
 */
export function planDown(status: MigrationStatus, to?: number): { to: number; reverted: MigrationState[] } {
  checkDownTarget(to);
  const applied = status.migrations.filter((m) => m.applied).sort((a, b) => b.id - a.id);
  const target = to ?? applied[1]?.id ?? applied[0]?.id ?? 0;
  return { to: target, reverted: applied.filter((m) => m.id > target) };
}

/** USAGE for a target below 0 (see planDown). */
export function checkDownTarget(to: number | undefined): void {
  if (to !== undefined && (!Number.isInteger(to) || to < 0)) {
    throw new BotctlError(
      'USAGE',
      `--to ${to} is not a migration id: \`migrate down\` keeps at least migration 0`,
      {
        hint: 'pass the id that stays applied (`botctl migrate status` lists them); to start over, restore a backup or create a new database',
      },
    );
  }
}

async function migrateDown(deps: MigrationsDeps, options: MigrateOptions = {}): Promise<DownResult> {
  const status = await deps.migrator.status();
  assertNotNewer(status);
  const plan = planDown(status, options.to);
  if (plan.reverted.length === 0) return { reverted: [], current: status.current, backup: null };
  // The running bot's code expects the tables a rollback drops; and none may start during one.
  const hold = await deps.guard.holdExclusive('a rollback now would drop tables the running bot uses');
  try {
    return await downHeld(deps, plan, options);
  } finally {
    await hold.release();
  }
}

async function downHeld(
  deps: MigrationsDeps,
  plan: ReturnType<typeof planDown>,
  options: MigrateOptions,
): Promise<DownResult> {
  const backup =
    options.backup === false
      ? null
      : await backupFirst('Nothing was rolled back', options.withoutBackup, async () =>
          (await deps.backups()).create({ reason: 'pre-rollback', passphrase: options.passphrase }),
        );
  if (backup) options.onBackup?.(backup);
  // The planned target, so exactly what was shown (and confirmed) goes, even if the ledger moved since.
  const reverted = await deps.migrator.down(plan.to);
  const after = await deps.migrator.status();
  return { reverted, current: after.current, backup };
}

/** A failed backup stops the migration, and says so; LOCKED (another backup runs) stays as it is. */
async function backupFirst<T>(
  nothing: string,
  without = 'pass --no-backup',
  take: () => Promise<T>,
): Promise<T> {
  try {
    return await take();
  } catch (error) {
    if (!(error instanceof BotctlError) || error.code === 'LOCKED') throw error;
    throw new BotctlError(error.code, `${nothing}: the backup before it failed: ${error.message}`, {
      cause: error,
      hint: `${error.hint ? `${error.hint}; ` : ''}to go on without a backup, ${without}`,
    });
  }
}
