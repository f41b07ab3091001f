import { describe, expect, it } from 'vitest';
import { asError, rateLimitedReporter, withDeadline } from '../../src/adapters/cache/guard.js';

describe('cache guard', () => {
  it('returns the work result when it is in time', async () => {
    const errors: Error[] = [];
    expect(
      await withDeadline(
        async () => 'hit',
        'fallback',
        100,
        'get',
        (e) => errors.push(e),
      ),
    ).toBe('hit');
    expect(errors).toEqual([]);
  });

  it('returns the fallback and reports when the work hangs past the deadline', async () => {
    const errors: Error[] = [];
    const started = Date.now();
    const result = await withDeadline(
      () => new Promise<string>(() => {}),
      'fallback',
      50,
      'get',
      (e) => errors.push(e),
    );
    expect(result).toBe('fallback');
    expect(Date.now() - started).toBeLessThan(5000); // fell back instead of waiting forever
    expect(errors.map((e) => e.message)).toEqual(['cache get timed out after 50 ms']);
  });

  it('returns the fallback and reports when the work throws', async () => {
    const errors: Error[] = [];
    const boom = new Error('ECONNRESET');
    const result = await withDeadline(
      () => Promise.reject(boom),
      undefined,
      50,
      'set',
      (e) => errors.push(e),
    );
    expect(result).toBeUndefined();
    expect(errors).toEqual([boom]);
  });

  it('reports at most once per interval and counts what it swallowed', () => {
    let now = 0;
    const seen: Error[] = [];
    const report = rateLimitedReporter(
      (e) => seen.push(e),
      1000,
      () => now,
    );
    report(new Error('down'));
    now = 10;
    report(new Error('down'));
    report('down as a string');
    expect(seen.map((e) => e.message)).toEqual(['down']);
    now = 1500;
    report(new Error('still down'));
    expect(seen.map((e) => e.message)).toEqual(['down', 'still down (2 more cache errors suppressed)']);
    expect(seen[1]?.cause).toBeInstanceOf(Error);
  });

  it('survives a missing or throwing onError', () => {
    expect(() => rateLimitedReporter(undefined)(new Error('x'))).not.toThrow();
    const throwing = rateLimitedReporter(() => {
      throw new Error('logger broke');
    });
    expect(() => throwing(new Error('x'))).not.toThrow();
  });

  it('turns keyv string errors into Errors', () => {
    expect(asError('symbol cannot be serialized', 'x').message).toBe('symbol cannot be serialized');
    expect(asError(undefined, 'fallback message').message).toBe('fallback message');
  });
});
