/** The backup service's public shapes: what commands print and return as --json. */
import type { PreMigrateDecision, SchemaCompatibility } from '../../domain/backup-rules.js';
import type {
  BackupReason,
  Dialect,
  MigrationStatus,
  SchemaVersion,
  StoredBackup,
} from '../../domain/ports/index.js';

export type Step = (message: string) => void;

export interface CreateOptions {
  passphrase?: string;
  reason?: BackupReason;
  /** Read the written backup back and open it (default true). */
  verify?: boolean;
  onStep?: Step;
}

export interface BackupSummary {
  id: string;
  path: string;
  createdAt: string;
  dialect: Dialect;
  schema: SchemaVersion;
  reason: BackupReason;
  encrypted: boolean;
  /** Payload size on disk. */
  bytes: number;
  databaseBytes: number;
  sha256: string;
}

export interface CreateResult extends BackupSummary {
  durationMs: number;
  verified: boolean;
}

export interface PruneResult {
  dryRun: boolean;
  removed: BackupSummary[];
  kept: number;
  /** The operator said no at the prompt: nothing was deleted. */
  declined?: true;
}

interface PruneOptions {
  keep?: number;
  olderThanMs?: number;
  dryRun?: boolean;
  /** Asked before deleting anything (not on a dry run or when nothing would go); false keeps every backup. */
  confirm?: (doomed: BackupSummary[], kept: number) => Promise<boolean>;
}

export interface PreMigrateResult {
  decision: PreMigrateDecision | 'skipped';
  backup: CreateResult | null;
}

export interface BackupService {
  readonly dir: string;
  create(options?: CreateOptions): Promise<CreateResult>;
  list(): Promise<{ backups: BackupSummary[]; unreadable: string[] }>;
  verify(ref: string, options?: { passphrase?: string; onStep?: Step }): Promise<VerifyResult>;
  restore(ref: string, options?: RestoreOptions): Promise<RestoreResult>;
  prune(options: PruneOptions): Promise<PruneResult>;
  /** Takes a backup when migrating would change a database that holds applied migrations. */
  beforeMigrate(
    status: MigrationStatus,
    options: { to?: number; skip?: boolean; passphrase?: string },
  ): Promise<PreMigrateResult>;
  close(): Promise<void>;
}

export interface VerifyResult {
  id: string;
  path: string;
  dialect: Dialect;
  schema: SchemaVersion;
  encrypted: boolean;
  bytes: number;
  databaseBytes: number;
  sha256: string;
  /** What was checked, in order. */
  checks: string[];
}

export interface RestoreOptions {
  force?: boolean;
  passphrase?: string;
  onStep?: (message: string) => void;
}

export interface RestoreResult {
  id: string;
  target: string;
  schema: SchemaVersion;
  /** older: the database needs `botctl migrate up` before the bot starts. */
  compatibility: SchemaCompatibility;
  /** The database held tables before (replaced under --force). */
  replacedExisting: boolean;
  /** Taken when the replaced database had a botctl schema; null otherwise. */
  safetyBackup: { id: string; path: string } | null;
  /** What the operator must do next, if anything. */
  next: string | null;
}

export function summarize({ path, manifest: m }: StoredBackup): BackupSummary {
  const { id, createdAt, dialect, schema, reason, encrypted, databaseBytes } = m;
  return {
    id,
    path,
    createdAt,
    dialect,
    schema,
    reason,
    encrypted,
    bytes: m.payload.bytes,
    databaseBytes,
    sha256: m.payload.sha256,
  };
}
