/**
 * Runs the built CLI (bin/run.js -> dist/) as a separate process, exactly as an operator or
 * the Docker image does. test/global-setup.ts builds dist/ when it is missing or stale.
 */
import { execa, type ResultPromise } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
  /** Killed after options.timeoutMs: the command hung. */
  timedOut: boolean;
}

export interface RunCliOptions {
  /** Kill the process after this long (default 60 s); a hang then fails the test instead of stalling it. */
  timeoutMs?: number;
  /**
   * Run as an unprivileged user (nobody) when the tests run as root, so a read-only directory is
   * read-only to the command too (root writes anywhere). Ignored when not root.
   */
  unprivileged?: boolean;
  /** Working directory of the command (default: this process's). */
  cwd?: string;
}

const NOBODY = 65534;

/** A node binary nobody may execute: process.execPath may sit under /root (0700). */
function nodeForNobody(): string {
  const dir = path.join(os.tmpdir(), `botctl-test-node-${process.versions.node}`);
  const file = path.join(dir, 'node');
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  const temp = `${file}.${process.pid}`;
  try {
    fs.linkSync(process.execPath, temp); // same filesystem: instant, no copy
  } catch {
    fs.copyFileSync(process.execPath, temp);
  }
  fs.chmodSync(temp, 0o755);
  fs.renameSync(temp, file);
  return file;
}

export async function runCli(
  args: string[],
  env: Record<string, string | undefined> = {},
  options: RunCliOptions = {},
): Promise<CliResult> {
  const asNobody = options.unprivileged === true && process.getuid?.() === 0;
  const home = asNobody ? fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-home-')) : undefined;
  if (home) fs.chownSync(home, NOBODY, NOBODY);
  const result = await execa(asNobody ? nodeForNobody() : process.execPath, [BIN, ...args], {
    env: cleanEnv(home ? { HOME: home, ...env } : env),
    extendEnv: false,
    reject: false,
    timeout: options.timeoutMs ?? 60_000,
    stdin: 'ignore',
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(asNobody ? { uid: NOBODY, gid: NOBODY } : {}),
  });
  if (home) fs.rmSync(home, { recursive: true, force: true });
  return {
    exitCode: result.exitCode ?? -1,
    stdout: result.stdout,
    stderr: result.stderr,
    timedOut: result.timedOut,
  };
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
