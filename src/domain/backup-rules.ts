/**
 * Pure rules behind `botctl backup`: ids, retention (prune), schema compatibility and when
 * `migrate up` takes a backup first. No I/O.
 */
import { BotctlError } from './errors.js';
import type { MigrationStatus, SchemaVersion } from './ports/index.js';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/**
 * Ids sort by time (UTC, second resolution) and stay unique within a second through the
 * random suffix: `20260131-120000-a1b2`. Safe as a directory name everywhere.
 */
export function backupId(now: Date, suffix: string): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replaceAll('-', '')
    .replaceAll(':', '');
  return `${stamp.replace('T', '-')}-${suffix}`;
}

/** "30d", "12h", "2w", "90m" -> milliseconds; USAGE for anything else. */
export function parseAge(text: string): number {
  const match = /^(\d+)\s*([mhdw])$/.exec(text.trim());
  if (!match || Number(match[1]) <= 0) {
    throw new BotctlError('USAGE', `Invalid age "${text}"`, {
      hint: 'use a number and a unit: 90m, 12h, 30d or 2w',
    });
  }
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

export interface RetentionPolicy {
  /** Keep this many newest backups. */
  keep?: number;
  /** Only backups older than this many milliseconds may go. */
  olderThanMs?: number;
}

/**
 * Which backups a prune removes. With both rules, a backup goes only when it is outside the
 * newest `keep` AND older than the age, so a stalled cron never deletes the last good copies.
 */
export function selectForPrune<T>(
  backups: readonly T[],
  createdAt: (backup: T) => string,
  policy: RetentionPolicy,
  now: Date,
): T[] {
  if (policy.keep === undefined && policy.olderThanMs === undefined) {
    throw new BotctlError('USAGE', 'prune needs --keep or --older-than', {
      hint: 'e.g. --keep 7 or --older-than 30d',
    });
  }
  const time = (backup: T) => Date.parse(createdAt(backup));
  const newestFirst = [...backups].sort((a, b) => time(b) - time(a));
  const beyondKeep = newestFirst.slice(policy.keep ?? 0);
  if (policy.olderThanMs === undefined) return beyondKeep;
  const cutoff = now.getTime() - policy.olderThanMs;
  return beyondKeep.filter((backup) => time(backup) < cutoff);
}

/** A new backup's passphrase: short ones make scrypt's cost pointless. */
export function checkNewPassphrase(passphrase: string | undefined): void {
  if (passphrase !== undefined && passphrase.length < 8) {
    throw new BotctlError('USAGE', 'The backup passphrase is too short (at least 8 characters)', {
      hint: 'use a long random passphrase, e.g. `openssl rand -base64 24`, kept outside the data dir',
    });
  }
}

export type SchemaCompatibility = 'same' | 'older' | 'newer';

/** How a backup's schema relates to the newest migration this code knows. */
export function compareSchema(backup: SchemaVersion, code: SchemaVersion | null): SchemaCompatibility {
  const latest = code?.id ?? -1;
  if (backup.id > latest) return 'newer';
  return backup.id < latest ? 'older' : 'same';
}

export type PreMigrateDecision = 'backup' | 'empty-database' | 'nothing-pending';

/**
 * `migrate up` backs up first only when it would change a database that already holds data:
 * an empty one has nothing to lose, and an up-to-date one is not touched.
 */
export function preMigrateDecision(status: MigrationStatus, to?: number): PreMigrateDecision {
  const pending = status.migrations.filter((m) => !m.applied && (to === undefined || m.id <= to));
  if (pending.length === 0) return 'nothing-pending';
  return status.current < 0 ? 'empty-database' : 'backup';
}

/** 1536 -> "1.5 KiB"; for operator output. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}
