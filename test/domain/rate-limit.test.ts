import { describe, expect, it } from 'vitest';
import { takeToken, type BucketState } from '../../src/domain/rate-limit.js';

const limits = { burst: 3, perMinute: 6 }; // one token every 10 s

describe('takeToken', () => {
  it('starts full and allows a burst, then refuses with the wait for the next token', () => {
    let state: BucketState | undefined;
    const results = [0, 1, 2, 3].map(() => {
      const result = takeToken(state, limits, 1000);
      state = result.state;
      return [result.allowed, result.retryAfterMs];
    });
    expect(results).toEqual([
      [true, 0],
      [true, 0],
      [true, 0],
      [false, 10_000],
    ]);
  });

  it('refills continuously and never beyond the burst', () => {
    const empty = { tokens: 0, updatedAt: 0 };
    expect(takeToken(empty, limits, 5_000)).toEqual({
      allowed: false,
      state: { tokens: 0.5, updatedAt: 5_000 },
      retryAfterMs: 5_000,
    });
    expect(takeToken(empty, limits, 10_000)).toMatchObject({
      allowed: true,
      state: { tokens: 0, updatedAt: 10_000 },
    });
    expect(takeToken(empty, limits, 3_600_000).state).toEqual({ tokens: 2, updatedAt: 3_600_000 });
  });

  it('neither mints nor burns tokens when the clock steps backwards', () => {
    expect(takeToken({ tokens: 1.5, updatedAt: 50_000 }, limits, 40_000)).toEqual({
      allowed: true,
      state: { tokens: 0.5, updatedAt: 40_000 },
      retryAfterMs: 0,
    });
  });

  it('treats perMinute 0 as unlimited and a burst below 1 as 1', () => {
    expect(takeToken({ tokens: 0, updatedAt: 0 }, { burst: 5, perMinute: 0 }, 1).allowed).toBe(true);
    const first = takeToken(undefined, { burst: 0, perMinute: 60 }, 0);
    expect(first.allowed).toBe(true);
    expect(takeToken(first.state, { burst: 0, perMinute: 60 }, 0)).toMatchObject({
      allowed: false,
      retryAfterMs: 1000,
    });
  });
});
