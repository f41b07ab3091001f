import { describe, expect, it } from 'vitest';
import { createCache } from '../../src/adapters/cache/index.js';
import { sweepExpired } from '../../src/adapters/cache/memory.js';
import { describeCacheContract } from './cache.contract.js';

describeCacheContract('memory', (namespace, onError) => createCache({ namespace, onError }), {
  kind: 'memory',
  persistent: false,
});

describe('memory cache', () => {
  it('sweeps expired entries that are never read again', () => {
    const now = 1_000_000;
    const map = new Map<string, { value: string; expires?: number }>([
      ['ns::old', { value: '"x"', expires: now - 1 }],
      ['ns::fresh', { value: '"y"', expires: now + 1 }],
      ['ns::forever', { value: '"z"' }],
    ]);
    expect(sweepExpired(map, now)).toBe(1);
    expect([...map.keys()]).toEqual(['ns::fresh', 'ns::forever']);
  });

  it('refuses an empty namespace and a URL that is not redis://', async () => {
    await expect(createCache({ namespace: ' ' })).rejects.toMatchObject({ code: 'INTERNAL' });
    const wrong = createCache({ namespace: 'n', url: 'http://user:s3cret@host:6379' });
    await expect(wrong).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await expect(wrong).rejects.not.toThrow(/s3cret/);
  });
});
