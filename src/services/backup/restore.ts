/**
 * Verify and restore. Verify reads a backup the way a restore would (size, checksum, decrypt,
 * decompress) and opens the copy. Restore checks everything before touching the database:
 * dialect, schema compatibility, that no daemon runs on the database, --force, then verifies the unpacked copy, takes a safety
 * backup of what is there, and only then replaces the database in one atomic step.
 */
import { compareSchema } from '../../domain/backup-rules.js';
import { BotctlError } from '../../domain/errors.js';
import type * as ports from '../../domain/ports/backup.js';
import type { Dialect } from '../../domain/ports/repositories.js';
import type { RestoreOptions, RestoreResult, VerifyResult } from './types.js';

interface VerifyDeps {
  store: ports.BackupStore;
  checker: ports.SnapshotChecker;
}

interface RestoreDeps extends VerifyDeps {
  db: ports.DatabaseSnapshotter;
  guard: ports.DatabaseGuard;
  codeSchema: (dialect: Dialect) => ports.SchemaVersion | null;
  safetyBackup: (options: {
    reason: 'pre-restore';
    passphrase?: string;
  }) => Promise<{ id: string; path: string }>;
}

const label = (schema: ports.SchemaVersion) => `${schema.id} (${schema.tag})`;

/** Unpacks into `file` and opens it; the copy's own ledger must match the manifest. */
async function unpackAndCheck(
  deps: VerifyDeps,
  backup: ports.StoredBackup,
  file: string,
  passphrase?: string,
) {
  const { manifest } = backup;
  await deps.store.unpack(backup, file, passphrase);
  const copy = await deps.checker.check(manifest.dialect, file);
  if (copy.schema.id !== manifest.schema.id || copy.schema.tag !== manifest.schema.tag) {
    throw new BotctlError(
      'BACKUP_CORRUPT',
      `Backup ${manifest.id} holds schema ${label(copy.schema)} but its manifest says ${label(manifest.schema)}`,
      { hint: 'restore from another backup' },
    );
  }
  return copy;
}

export async function verifyBackup(
  deps: VerifyDeps,
  backup: ports.StoredBackup,
  passphrase?: string,
): Promise<VerifyResult> {
  const { manifest: m } = backup;
  const scratch = await deps.store.scratchFile();
  try {
    await unpackAndCheck(deps, backup, scratch.file, passphrase);
  } finally {
    await scratch.cleanup();
  }
  const opened = m.dialect === 'sqlite' ? 'sqlite integrity_check' : 'pg_restore reads every block';
  return {
    id: m.id,
    path: backup.path,
    dialect: m.dialect,
    schema: m.schema,
    encrypted: m.encrypted,
    bytes: m.payload.bytes,
    databaseBytes: m.databaseBytes,
    sha256: m.payload.sha256,
    checks: ['size', 'sha256', ...(m.encrypted ? ['decrypt'] : []), opened, 'migration ledger'],
  };
}

export async function restoreBackup(
  deps: RestoreDeps,
  ref: string,
  options: RestoreOptions,
): Promise<RestoreResult> {
  const backup = await deps.store.resolve(ref);
  const { manifest: m } = backup;
  const { db } = deps;
  if (m.dialect !== db.dialect) {
    throw new BotctlError(
      'USAGE',
      `Backup ${m.id} is a ${m.dialect} backup, but the configured database is ${db.dialect}`,
      {
        hint: 'point databaseUrl (BOTCTL_DATABASE_URL) at a database of the same kind',
      },
    );
  }
  const code = deps.codeSchema(m.dialect);
  const compatibility = compareSchema(m.schema, code);
  if (compatibility === 'newer') {
    throw new BotctlError(
      'SCHEMA_NEWER',
      `Backup ${m.id} has schema ${label(m.schema)}, newer than this botctl knows (${code ? label(code) : 'none'})`,
      {
        hint: `upgrade botctl to ${m.botctlVersion} or newer, then restore`,
      },
    );
  }
  // Held to the end: a running daemon would go on writing into the replaced file (SQLite) or
  // over the restored rows (Postgres), and no daemon may start mid-restore.
  const hold = await deps.guard.holdExclusive('a restore now would lose everything it writes');
  try {
    return await replaceHeld(deps, backup, compatibility, options);
  } finally {
    await hold.release();
  }
}

async function replaceHeld(
  deps: RestoreDeps,
  backup: ports.StoredBackup,
  compatibility: ReturnType<typeof compareSchema>,
  options: RestoreOptions,
): Promise<RestoreResult> {
  const step = options.onStep ?? (() => undefined);
  const { manifest: m } = backup;
  const { db } = deps;
  const current = await db.inspect();
  if (current.exists && !options.force) {
    throw new BotctlError(
      'USAGE',
      `Refusing to replace the existing database (${db.target}) without --force`,
      {
        hint: 'pass --force to replace it; a safety backup of it is taken first. Stop the bot before restoring.',
      },
    );
  }
  const scratch = await db.scratchFile();
  try {
    step(`Verifying backup ${m.id}`);
    await unpackAndCheck(deps, backup, scratch.file, options.passphrase);
    let safety: { id: string; path: string } | null = null;
    if (current.schema !== null) {
      step('Taking a safety backup of the current database');
      const taken = await deps.safetyBackup({ reason: 'pre-restore', passphrase: options.passphrase });
      safety = { id: taken.id, path: taken.path };
    }
    step(`Replacing ${db.target}`);
    await db.replace(scratch.file);
    return {
      id: m.id,
      target: db.target,
      schema: m.schema,
      compatibility,
      replacedExisting: current.exists,
      safetyBackup: safety,
      next: compatibility === 'older' ? 'run `botctl migrate up` before starting the bot' : null,
    };
  } finally {
    await scratch.cleanup();
  }
}
