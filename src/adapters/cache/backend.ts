import type { Keyv } from 'keyv';

/** What the memory and Redis variants share; index.ts adds the deadlines and error reporting. */
export interface Backend {
  readonly kind: 'memory' | 'redis';
  readonly keyv: Keyv;
  /** May throw; the caller turns a failure into `false`. */
  ping(): Promise<boolean>;
  /** One hit in the key's fixed window (see the Cache port); may throw. */
  hit(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }>;
  close(): Promise<void>;
}
