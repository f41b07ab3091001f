/** Small services of the runtime: the cache, the time-zone lookup, the clock. */
import type { BucketLimits } from '../rate-limit.js';

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
  /**
   * Counts one hit on `key` in a fixed window of `windowMs` that starts with the first hit:
   * the count so far and the time left. Atomic in Redis, so every daemon shares one count (the
   * admin API's rate limits). When the store fails the hit is not counted: {count 0}.
   */
  hit(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }>;
  /**
   * Takes one token from the key's token bucket (domain/rate-limit.ts) in one atomic step: in
   * Redis one script on the server's clock, so every instance spends from the same bucket and two
   * can never both take its last token. The bucket is forgotten `ttlMs` after its last use, and by
   * delete(key). When the store fails the request is allowed: {allowed true}.
   */
  takeToken(
    key: string,
    limits: BucketLimits,
    ttlMs: number,
  ): Promise<{ allowed: boolean; retryAfterMs: number }>;
  /**
   * Sends `message` to every subscriber of `channel`: in Redis every instance's, in memory this
   * process's. At most once: a message sent while a subscriber is disconnected is lost to it. A
   * failure is reported, never thrown.
   */
  publish(channel: string, message: string): Promise<void>;
  /** Calls `handler` with each message published on `channel` until close(); a failure is reported. */
  subscribe(channel: string, handler: (message: string) => void): Promise<void>;
  readonly kind: 'memory' | 'redis';
  close(): Promise<void>;
}

/**
 * The IANA zones whose borders contain a point (degrees): usually one, several on a border,
 * Etc/GMT±N at sea. Throws on coordinates out of range.
 */
export type ZoneLookup = (latitude: number, longitude: number) => Promise<readonly string[]>;

/**
 * API keys' secrets: a new key and the form it is stored in. Keys are 256 random bits, so one
 * SHA-256 is enough to keep a stolen table useless (a slow hash only matters for guessable
 * secrets such as passwords) and lets a request find its key by an indexed lookup.
 */
export interface ApiKeySecrets {
  /** A new key, printable and URL-safe, with a recognisable prefix for secret scanners. */
  newKey(): string;
  /** The stored form of a key (hex SHA-256). */
  hash(key: string): string;
  /** Equality of two stored forms in constant time. */
  same(a: string, b: string): boolean;
}
