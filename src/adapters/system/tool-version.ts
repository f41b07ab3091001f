/**
 * Whether a system tool is on PATH, and which version: the first line of `ffmpeg -version`
 * or `pg_dump --version`. A missing tool is null, not an error: callers decide how much it
 * matters (no ffmpeg only disables spoken answers).
 */
import { BotctlError } from '../../domain/errors.js';

export async function toolVersion(
  tool: string,
  versionFlag: string,
  signal?: AbortSignal,
): Promise<string | null> {
  const { execa } = await import('execa');
  const result = await execa(tool, [versionFlag], {
    reject: false,
    stdin: 'ignore',
    timeout: 10_000,
    ...(signal ? { cancelSignal: signal } : {}),
  });
  if (result.code === 'ENOENT') return null;
  if (result.failed) {
    throw new BotctlError('INTERNAL', `${tool} is on PATH but does not run: ${result.shortMessage}`, {
      hint: `reinstall ${tool}`,
    });
  }
  return String(result.stdout).split('\n')[0]?.trim() ?? '';
}
