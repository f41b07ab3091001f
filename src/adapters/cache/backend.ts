import type { BucketLimits } from '../../domain/rate-limit.js';

/** What the memory and Redis variants share; index.ts adds the deadlines and error reporting. */
export interface Backend {
  readonly kind: 'memory' | 'redis';
  /** The value under `key`, or undefined when there is none or it expired; may throw. */
  get(key: string): Promise<unknown>;
  /** Stores a copy of `value` under `key`, for `ttlMs` (whole ms) or, undefined, until deleted; may throw. */
  set(key: string, value: unknown, ttlMs: number | undefined): Promise<void>;
  /** Removes the value under `key`; may throw. */
  delete(key: string): Promise<void>;
  /** May throw; the caller turns a failure into `false`. */
  ping(): Promise<boolean>;
  /** One hit in the key's fixed window (see the Cache port); may throw. */
  hit(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }>;
  /** One token from the key's bucket (see the Cache port); may throw. */
  takeToken(
    key: string,
    limits: BucketLimits,
    ttlMs: number,
  ): Promise<{ allowed: boolean; retryAfterMs: number }>;
  /** Sends `message` to every subscriber of `channel` (every instance on one Redis); may throw. */
  publish(channel: string, message: string): Promise<void>;
  /** Calls `handler` with each message on `channel` until close(); may throw. */
  subscribe(channel: string, handler: (message: string) => void): Promise<void>;
  /** Forgets what the backend keeps beside the value under `key` (a bucket); the value is delete's. */
  forget(key: string): Promise<void>;
  close(): Promise<void>;
}
