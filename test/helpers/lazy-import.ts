/**
 * Runs `body` (ES module code) in a fresh Node process that records every import whose specifier
 * starts with `prefix` in `loaded` (an array in scope for `body`); returns the lines it printed.
 * Proves a heavy package is loaded on first use, not at start-up.
 */
import { execFile } from 'node:child_process';

export async function runWatchingImports(prefix: string, body: string): Promise<string[]> {
  const script = `
    import { registerHooks } from 'node:module';
    const loaded = [];
    registerHooks({ resolve(specifier, context, next) {
      if (specifier.startsWith(${JSON.stringify(prefix)})) loaded.push(specifier);
      return next(specifier, context);
    } });
    ${body}`;
  const out = await new Promise<string>((resolve, reject) =>
    execFile(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { timeout: 20_000 },
      (error, stdout) => (error ? reject(error) : resolve(stdout)),
    ),
  );
  return out.trim().split('\n');
}
