/**
 * Backups of the whole database: create, list, verify, restore, prune, and the backup
 * `migrate up` takes first. Orchestration only: copies, archives and locks come through ports
 * (DatabaseSnapshotter, SnapshotChecker, BackupStore). Every writing operation holds the
 * store's lock, so cron and a manual run never interleave (LOCKED, exit 75).
 */
import { BotctlError } from '../../domain/errors.js';
import {
  backupId,
  checkNewPassphrase,
  preMigrateDecision,
  selectForPrune,
} from '../../domain/backup-rules.js';
import type {
  BackupManifest,
  BackupStore,
  DatabaseGuard,
  DatabaseSnapshotter,
  SchemaVersion,
  SnapshotChecker,
  StoredBackup,
} from '../../domain/ports/backup.js';
import type { Dialect } from '../../domain/ports/repositories.js';
import { restoreBackup, verifyBackup } from './restore.js';
import { summarize, type BackupService, type CreateOptions, type CreateResult } from './types.js';

export type * from './types.js';

export interface BackupServiceDeps {
  store: BackupStore;
  /** Builds the live database's snapshotter; called on first need only (list and verify never open the database). */
  snapshotter: () => DatabaseSnapshotter;
  checker: SnapshotChecker;
  /** Who uses the live database: a restore holds it exclusively, refused while a daemon runs. */
  guard: () => DatabaseGuard;
  /** The newest migration this code knows for a dialect (null: none). */
  codeSchema: (dialect: Dialect) => SchemaVersion | null;
  botctlVersion: string;
  now: () => Date;
  /** A few random hex characters that keep ids unique within a second. */
  randomSuffix: () => string;
}

export function createBackupService(deps: BackupServiceDeps): BackupService {
  const { store, now } = deps;
  let db: DatabaseSnapshotter | undefined;
  const live = () => (db ??= deps.snapshotter());

  async function locked<T>(work: () => Promise<T>): Promise<T> {
    const lock = await store.lock('botctl backup');
    try {
      await store.sweep();
      return await work();
    } finally {
      lock.release();
    }
  }

  async function createLocked(options: CreateOptions): Promise<CreateResult> {
    const step = options.onStep ?? (() => undefined);
    checkNewPassphrase(options.passphrase);
    const started = now();
    const database = live();
    const id = backupId(started, deps.randomSuffix());
    const staging = await store.stage(id);
    let stored: StoredBackup;
    try {
      step(`Copying the ${database.dialect} database`);
      const copy = await database.snapshot(staging.rawFile);
      step(options.passphrase === undefined ? 'Compressing' : 'Compressing and encrypting');
      const payload = await staging.pack({ dialect: database.dialect, passphrase: options.passphrase });
      const manifest: BackupManifest = {
        format: 1,
        id,
        createdAt: started.toISOString(),
        botctlVersion: deps.botctlVersion,
        dialect: database.dialect,
        schema: copy.schema,
        reason: options.reason ?? 'manual',
        encrypted: options.passphrase !== undefined,
        compression: database.dialect === 'sqlite' ? 'gzip' : 'pg-custom',
        databaseBytes: copy.bytes,
        payload,
        durationMs: now().getTime() - started.getTime(),
      };
      stored = await staging.commit(manifest);
    } catch (error) {
      await staging.abort();
      throw error;
    }
    if (options.verify !== false) {
      step('Verifying the backup');
      // A backup that cannot be read back is worse than none: it would be trusted and pruned against.
      await verifyBackup(deps, stored, options.passphrase).catch(async (error: unknown) => {
        await store.remove(stored);
        throw error;
      });
    }
    return {
      ...summarize(stored),
      durationMs: now().getTime() - started.getTime(),
      verified: options.verify !== false,
    };
  }

  return {
    dir: store.dir,
    async create(options = {}) {
      // Before the lock, which creates the backup dir: with no database nothing should appear on disk.
      const database = live();
      if (!(await database.inspect()).exists) {
        throw new BotctlError(
          'DATABASE_MISSING',
          `There is no database to back up (${database.target} is missing or has no tables): run \`botctl setup\` (first time) or \`botctl migrate up\``,
          { hint: 'check --data-dir (BOTCTL_DATA_DIR) and databaseUrl if one should be there' },
        );
      }
      return locked(() => createLocked(options));
    },

    async list() {
      const { backups, unreadable } = await store.list();
      return { backups: backups.map(summarize), unreadable };
    },

    async verify(ref, options = {}) {
      options.onStep?.('Checking and opening the backup');
      return verifyBackup(deps, await store.resolve(ref), options.passphrase);
    },

    // The safety copy is not verified: the database being replaced may be the damaged one, and a
    // failing check must not block the restore that repairs it.
    restore: (ref, options = {}) =>
      locked(() =>
        restoreBackup(
          {
            ...deps,
            db: live(),
            guard: deps.guard(),
            safetyBackup: (o) => createLocked({ ...o, verify: false }),
          },
          ref,
          options,
        ),
      ),

    prune: (options) =>
      locked(async () => {
        const { backups } = await store.list();
        const doomed = selectForPrune(backups, (b) => b.manifest.createdAt, options, now());
        // Asked under the lock, so exactly the backups shown are the ones deleted.
        const go =
          options.dryRun === true ||
          doomed.length === 0 ||
          (await (options.confirm?.(doomed.map(summarize), backups.length - doomed.length) ?? true));
        if (!go) return { dryRun: false, removed: [], kept: backups.length, declined: true };
        if (!options.dryRun) for (const backup of doomed) await store.remove(backup);
        return {
          dryRun: options.dryRun === true,
          removed: doomed.map(summarize),
          kept: backups.length - doomed.length,
        };
      }),

    async beforeMigrate(status, options) {
      if (options.skip) return { decision: 'skipped', backup: null };
      const decision = preMigrateDecision(status, options.to);
      if (decision !== 'backup') return { decision, backup: null };
      const backup = await locked(() =>
        createLocked({ reason: 'pre-migrate', passphrase: options.passphrase }),
      );
      return { decision, backup };
    },

    async close() {
      await db?.close();
    },
  };
}
