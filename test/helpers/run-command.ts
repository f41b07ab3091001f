/**
 * Runs a command class in this process, as oclif's run(argv, config) does, capturing stdout
 * and stderr: coverage sees the command, and a test can pretend stdout is a terminal. The one
 * runner for every test/commands/*-inprocess test.
 */
import path from 'node:path';
import { Config } from '@oclif/core';
import { vi } from 'vitest';

export interface InProcessResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  error: (Error & { oclif?: { exit?: number }; code?: string }) | undefined;
  /** The --json envelope: the last line of stdout, parsed. */
  json(): JsonEnvelope;
}

export interface JsonEnvelope {
  status: string;
  result: Record<string, unknown>;
  error?: { code: string; message: string };
  warnings?: string[];
}

export interface Runnable {
  run(argv: string[], config: Config): Promise<unknown>;
}

export interface InProcessOptions {
  /** Pretend stdout is a terminal. */
  tty?: boolean;
  /** The terminal's width (default 80). */
  columns?: number;
  /** Environment for this run only: set before, put back after (undefined unsets). */
  env?: Record<string, string | undefined>;
}

let config: Config | undefined;

export async function runInProcess(
  command: Runnable,
  argv: string[],
  options: InProcessOptions = {},
): Promise<InProcessResult> {
  config ??= await Config.load(path.resolve(import.meta.dirname, '../..'));
  const out: string[] = [];
  const err: string[] = [];
  const capture = (sink: string[]) => (chunk: string | Uint8Array) => (sink.push(String(chunk)), true);
  vi.spyOn(process.stdout, 'write').mockImplementation(capture(out));
  vi.spyOn(process.stderr, 'write').mockImplementation(capture(err));
  const saved = {
    isTTY: process.stdout.isTTY,
    columns: process.stdout.columns,
    // base-command sets FORCE_COLOR=0 for --no-color / NO_COLOR; later runs in this process start clean.
    env: Object.fromEntries(
      ['FORCE_COLOR', ...Object.keys(options.env ?? {})].map((key) => [key, process.env[key]]),
    ),
  };
  for (const [key, value] of Object.entries(options.env ?? {})) setEnv(key, value);
  process.stdout.isTTY = options.tty === true;
  process.stdout.columns = options.columns ?? 80;
  process.exitCode = undefined;
  let error: InProcessResult['error'];
  try {
    await command.run(argv, config);
  } catch (thrown) {
    error = thrown as InProcessResult['error'];
  } finally {
    process.stdout.isTTY = saved.isTTY;
    process.stdout.columns = saved.columns;
    for (const [key, value] of Object.entries(saved.env)) setEnv(key, value);
    vi.mocked(process.stdout.write).mockRestore();
    vi.mocked(process.stderr.write).mockRestore();
  }
  // A thrown error without an exit code is what oclif reports with exit 1.
  const exitCode = Number(process.exitCode ?? (error ? (error.oclif?.exit ?? 1) : 0));
  process.exitCode = undefined;
  const stdout = out.join('');
  return {
    stdout,
    stderr: err.join(''),
    exitCode,
    error,
    json: () => JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as JsonEnvelope,
  };
}

function setEnv(key: string, value: string | undefined): void {
  if (value === undefined) delete process.env[key];
  else process.env[key] = value;
}
