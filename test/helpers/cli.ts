/**
 * Runs the built CLI (bin/run.js -> dist/) as a separate process, exactly as an operator or
 * the Docker image does. test/global-setup.ts builds dist/ when it is missing or stale.
 */
import { execa, type ResultPromise } from 'execa';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url));

/** Only what the CLI needs: no BOTCTL_* from the developer's shell leaks into a test. */
function cleanEnv(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('BOTCTL_')));
  return { ...base, NO_COLOR: '1', ...env };
}

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function runCli(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<CliResult> {
  const result = await execa(process.execPath, [BIN, ...args], {
    env: cleanEnv(env),
    extendEnv: false,
    reject: false,
    timeout: 60_000,
    stdin: 'ignore',
  });
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export function spawnCli(args: string[], env: Record<string, string | undefined> = {}): ResultPromise {
  return execa(process.execPath, [BIN, ...args], {
    env: cleanEnv(env),
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    buffer: true,
    // Graceful shutdown may take seconds; execa would otherwise SIGKILL 5 s after kill().
    forceKillAfterDelay: false,
  });
}

/** Parses the single --json envelope a command prints on stdout. */
export function parseEnvelope(stdout: string): {
  status: string;
  result?: unknown;
  error?: { code: string; message: string };
  warnings: string[];
} {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as ReturnType<typeof parseEnvelope>;
}
