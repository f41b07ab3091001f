/**
 * Backups: manifests, the live database as a whole (snapshots, the guard against a restore under
 * a daemon), staging and the backup directory.
 */
import type { Dialect } from './repositories.js';

/** A point in the migration history: the last applied migration's id and tag. */
export interface SchemaVersion {
  id: number;
  tag: string;
}

export type BackupReason = 'manual' | 'pre-migrate' | 'pre-rollback' | 'pre-restore';

/** manifest.json beside the payload; everything `backup list` shows comes from here. */
export interface BackupManifest {
  /** Archive layout version (1: a directory holding manifest.json and one payload file). */
  format: 1;
  id: string;
  /** ISO 8601, UTC. */
  createdAt: string;
  botctlVersion: string;
  dialect: Dialect;
  /** Last applied migration in the copy (read from the copy's own ledger). */
  schema: SchemaVersion;
  reason: BackupReason;
  encrypted: boolean;
  /** gzip: a SQLite file gzipped; pg-custom: pg_dump --format=custom (compressed by pg_dump). */
  compression: 'gzip' | 'pg-custom';
  /** Size of the database copy before compression and encryption. */
  databaseBytes: number;
  /** The one payload file: its name in the backup directory, size and sha256 (hex) as stored. */
  payload: { file: string; bytes: number; sha256: string };
  durationMs: number;
}

export interface StoredBackup {
  /** The backup directory. */
  readonly path: string;
  readonly manifest: BackupManifest;
}

export interface DatabaseCopyInfo {
  schema: SchemaVersion;
  bytes: number;
}

/**
 * The configured live database as a whole: consistent copies out (while the daemon writes),
 * all-or-nothing replacement in. SQLite copies are database files, Postgres copies are
 * pg_dump custom-format archives.
 */
export interface DatabaseSnapshotter {
  readonly dialect: Dialect;
  /** Where the database lives, password redacted (for messages). */
  readonly target: string;
  /** exists: the database holds at least one table; schema: its last applied migration, if any. */
  inspect(): Promise<{ exists: boolean; schema: SchemaVersion | null }>;
  /** Writes a consistent copy to `file`; NOT_FOUND when the database has no botctl schema. */
  snapshot(file: string): Promise<DatabaseCopyInfo>;
  /** A temp file to unpack a copy into before replace() (beside a SQLite file, so the rename is atomic). */
  scratchFile(): Promise<{ file: string; cleanup(): Promise<void> }>;
  /** Replaces the live database with the checked copy at `file`, all or nothing. */
  replace(file: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Who is using the live database: every running daemon holds it shared for its whole life; a
 * restore holds it exclusively, so it cannot replace the database under a daemon (whose writes
 * would go on into the replaced file or the dropped tables) and no daemon starts mid-restore.
 * The hold dies with its process (an OS file lock, a Postgres session lock), so a crash never
 * leaves it behind.
 */
export interface DatabaseGuard {
  /** For a daemon; several may hold it at once. LOCKED (exit 75) while a restore holds it. */
  holdShared(): Promise<DatabaseHold>;
  /**
   * For a restore or a rollback. LOCKED (exit 75) while any daemon holds it; `danger` says what
   * going ahead under a running bot would do, for the refusal.
   */
  holdExclusive(danger: string): Promise<DatabaseHold>;
  /**
   * For a daemon, held for its life: says which instances may run together and keeps `owner`
   * (its inbox leases' owner id) alive for the others while held; a crash releases it. LOCKED
   * with the reason when this instance may not join: SQLite serves one daemon; without shared
   * limits (no Redis) a Postgres database serves one; one instance per bot polls Telegram.
   */
  holdInstance(claim: InstanceClaim): Promise<DatabaseHold>;
}

export interface InstanceClaim {
  owner: string;
  /** Takes Telegram's getUpdates, which allows one consumer per bot. */
  polling: boolean;
  /** Rate limits live in a store every instance shares (Redis), so others may run beside it. */
  sharedLimits: boolean;
}

export interface DatabaseHold {
  release(): Promise<void>;
  /**
   * An instance claim on a database several instances may share (Postgres): how many instances
   * hold one now, this one included. Absent where one instance is all there can be (SQLite).
   */
  instances?(): Promise<number>;
}

/** Opens a copy of either dialect and checks it (integrity, ledger present); throws BACKUP_CORRUPT. */
export interface SnapshotChecker {
  check(dialect: Dialect, file: string): Promise<DatabaseCopyInfo>;
}

/** A backup being written in a hidden staging directory: invisible until commit(). */
export interface BackupStaging {
  /** Where the snapshotter writes the raw copy. */
  readonly rawFile: string;
  /** Compresses and/or encrypts rawFile into the payload file, then deletes rawFile. */
  pack(options: { dialect: Dialect; passphrase?: string }): Promise<BackupManifest['payload']>;
  /** Writes the manifest and moves the directory into place atomically. */
  commit(manifest: BackupManifest): Promise<StoredBackup>;
  abort(): Promise<void>;
}

/** The backup directory. Failures to write it are BACKUP_FAILED, damage is BACKUP_CORRUPT. */
export interface BackupStore {
  readonly dir: string;
  /** Cron-safe: LOCKED (exit 75) while another live process holds it; a crashed holder's lock is taken over. */
  lock(what: string): Promise<{ release(): void }>;
  /** Backups, newest first; directories without a readable manifest are named in `unreadable`. */
  list(): Promise<{ backups: StoredBackup[]; unreadable: string[] }>;
  /** An id in the store, or a path to a backup directory or its manifest.json; NOT_FOUND otherwise. */
  resolve(ref: string): Promise<StoredBackup>;
  stage(id: string): Promise<BackupStaging>;
  /** Checks size and checksum, decrypts and decompresses the payload into `file`. */
  unpack(backup: StoredBackup, file: string, passphrase?: string): Promise<void>;
  /** A private temp file for verifying a copy. */
  scratchFile(): Promise<{ file: string; cleanup(): Promise<void> }>;
  remove(backup: StoredBackup): Promise<void>;
  /** Removes staging directories left by a crashed run (call while holding the lock). */
  sweep(): Promise<void>;
}
