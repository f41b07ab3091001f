/**
 * The backup service, opening no database until an operation needs one: `backup restore` must
 * work when the database file is damaged or missing, `list` and `verify` need no database at
 * all. Adapters load on first use (better-sqlite3, execa). Part of the composition root: the
 * root (root.ts) builds it once per app.
 */
import { createDatabaseGuard } from '../adapters/db/guard.js';
import { defaultBackupDir, type Config } from '../config/config.js';
import type { BackupService } from '../services/backup/index.js';
import { botctlVersion } from './version.js';

export async function createBackups(config: Readonly<Config>): Promise<BackupService> {
  const [{ randomBytes }, archive, snapshot, pgTools, migrations, { createBackupService }] =
    await Promise.all([
      import('node:crypto'),
      import('../adapters/system/archive.js'),
      import('../adapters/db/snapshot.js'),
      import('../adapters/system/pg-tools.js'),
      import('../adapters/db/migration-files.js'),
      import('../services/backup/index.js'),
    ]);
  const tools = pgTools.createPgTools();
  return createBackupService({
    store: archive.createBackupStore(config.backupDir ?? defaultBackupDir(config.dataDir)),
    snapshotter: () => snapshot.createSnapshotter(config.databaseUrl, tools),
    checker: snapshot.createSnapshotChecker(tools),
    guard: () => createDatabaseGuard(config.databaseUrl),
    codeSchema: (dialect) => {
      const last = migrations.loadMigrations(migrations.locateMigrations(dialect)).at(-1);
      return last ? { id: last.id, tag: last.tag } : null;
    },
    botctlVersion: botctlVersion(),
    now: () => new Date(),
    randomSuffix: () => randomBytes(2).toString('hex'),
  });
}
