import type { Keyv } from 'keyv';
import type { BucketLimits } from '../../domain/rate-limit.js';

/** What the memory and Redis variants share; index.ts adds the deadlines and error reporting. */
export interface Backend {
  readonly kind: 'memory' | 'redis';
  readonly keyv: Keyv;
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
  /** Forgets what the backend keeps beside keyv under `key` (a bucket); keyv's own entry is index.ts's. */
  forget(key: string): Promise<void>;
  close(): Promise<void>;
}
