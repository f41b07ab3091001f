/**
 * Token-bucket arithmetic, pure: the caller keeps the state (a cache adapter, keyed per user
 * or chat) and passes the clock in. A bucket holds up to `burst` tokens and refills
 * continuously at `perMinute`, so short bursts pass and sustained floods are paced.
 */

export interface BucketState {
  /** Tokens left, fractional while refilling. */
  tokens: number;
  /** Epoch ms the tokens were counted at. */
  updatedAt: number;
}

export interface BucketLimits {
  /** Bucket size: requests allowed back to back. At least 1 is assumed. */
  burst: number;
  /** Refill rate; 0 or less means unlimited. */
  perMinute: number;
}

export interface TakeResult {
  allowed: boolean;
  /** Store this whether or not the request was allowed. */
  state: BucketState;
  /** 0 when allowed; otherwise how long until one token is back. */
  retryAfterMs: number;
}

/** Takes one token at `now` (epoch ms). A missing state is a full bucket. */
export function takeToken(state: BucketState | undefined, limits: BucketLimits, now: number): TakeResult {
  const burst = Math.max(1, limits.burst);
  if (limits.perMinute <= 0)
    return { allowed: true, state: { tokens: burst, updatedAt: now }, retryAfterMs: 0 };
  const perMs = limits.perMinute / 60_000;
  // A clock that steps backwards (NTP, another instance) must not mint or burn tokens.
  const elapsed = state === undefined ? 0 : Math.max(0, now - state.updatedAt);
  const tokens = state === undefined ? burst : Math.min(burst, state.tokens + elapsed * perMs);
  if (tokens >= 1) return { allowed: true, state: { tokens: tokens - 1, updatedAt: now }, retryAfterMs: 0 };
  return { allowed: false, state: { tokens, updatedAt: now }, retryAfterMs: Math.ceil((1 - tokens) / perMs) };
}
