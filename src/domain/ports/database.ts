/** The database beyond its rows: field encryption at rest and the schema migrator. */
import type { Dialect } from './repositories.js';

/**
 * Encrypts personal fields at rest. Implementations tag each value with the key id
 * that sealed it, so keys can rotate: the first key seals, every known key opens.
 */
export interface FieldCipher {
  readonly enabled: boolean;
  seal(plain: string): string;
  /** Throws DECRYPTION_FAILED when no known key opens the value. */
  open(stored: string): string;
  /**
   * A deterministic keyed fingerprint of `value` (HMAC-SHA256 under the sealing key), for lookup
   * keys that must find a value without revealing it; `value` itself when encryption is off.
   */
  tag(value: string): string;
}

export interface MigrationState {
  id: number;
  tag: string;
  applied: boolean;
  appliedAt: Date | null;
}

export interface MigrationStatus {
  dialect: Dialect;
  /** Highest applied migration id, -1 when none. */
  current: number;
  /** Highest migration id the code knows. */
  latest: number;
  pending: number;
  migrations: MigrationState[];
}

export interface Migrator {
  status(): Promise<MigrationStatus>;
  /** Applies pending migrations up to `to` (inclusive; default all). Returns the tags applied. */
  up(to?: number): Promise<string[]>;
  /** Rolls back to `to` (the id that stays applied; -1 for an empty schema; default one step). */
  down(to?: number): Promise<string[]>;
}
