// geo-tz parses a 1 MB index on import (~70 ms, ~10 MB): loading the lookup module (as the
// daemon does at start) must not import it, the first lookup must.
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('time zone lookup start-up cost', () => {
  it('does not load geo-tz until the first lookup', async () => {
    const entry = new URL('../../src/adapters/geo/zone-lookup.ts', import.meta.url).href;
    const script = `
      import { registerHooks } from 'node:module';
      const loaded = [];
      registerHooks({ resolve(specifier, context, next) {
        if (specifier.startsWith('geo-tz')) loaded.push(specifier);
        return next(specifier, context);
      } });
      const { zonesAt } = await import(${JSON.stringify(entry)});
      console.log('after import:', loaded.length);
      console.log('lookup:', (await zonesAt(48.708, 44.5133)).join(','));
      console.log('after lookup:', loaded.length > 0 ? 'loaded' : 'not loaded');`;
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', script],
        { timeout: 20_000 },
        (error, stdout) => (error ? reject(error) : resolve(stdout)),
      ),
    );
    expect(out.trim().split('\n')).toEqual([
      'after import: 0',
      'lookup: Europe/Volgograd',
      'after lookup: loaded',
    ]);
  });
});
