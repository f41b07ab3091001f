// geo-tz parses a 1 MB index on import (~70 ms, ~10 MB): loading the lookup module (as the
// daemon does at start) must not import it, the first lookup must.
import { describe, expect, it } from 'vitest';
import { runWatchingImports } from '../helpers/lazy-import.js';

describe('time zone lookup start-up cost', () => {
  it('does not load geo-tz until the first lookup', async () => {
    const entry = new URL('../../src/adapters/geo/zone-lookup.ts', import.meta.url).href;
    const lines = await runWatchingImports(
      'geo-tz',
      `const { zonesAt } = await import(${JSON.stringify(entry)});
      console.log('after import:', loaded.length);
      console.log('lookup:', (await zonesAt(48.708, 44.5133)).join(','));
      console.log('after lookup:', loaded.length > 0 ? 'loaded' : 'not loaded');`,
    );
    expect(lines).toEqual(['after import: 0', 'lookup: Europe/Volgograd', 'after lookup: loaded']);
  });
});
