/** Small services of the runtime: the cache, the time-zone lookup, the clock. */

/**
 * A key-value cache (memory, or Redis shared by several instances). A cache outage
 * degrades to "no cache": reads return undefined and writes are dropped, never thrown.
 */
export interface Cache {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** True when the backing store answers (readiness). */
  ping(): Promise<boolean>;
  readonly kind: 'memory' | 'redis';
  close(): Promise<void>;
}

/**
 * The IANA zones whose borders contain a point (degrees): usually one, several on a border,
 * Etc/GMT±N at sea. Throws on coordinates out of range.
 */
export type ZoneLookup = (latitude: number, longitude: number) => Promise<readonly string[]>;
