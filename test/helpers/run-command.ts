/**
 * Runs a command class in this process, as oclif's run(argv, config) does, capturing stdout
 * and stderr: coverage sees the command, and a test can pretend stdout is a terminal.
 */
import path from 'node:path';
import { Config } from '@oclif/core';
import { vi } from 'vitest';

export interface InProcessResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  error: (Error & { oclif?: { exit?: number } }) | undefined;
}

export interface Runnable {
  run(argv: string[], config: Config): Promise<unknown>;
}

let config: Config | undefined;

export async function runInProcess(
  command: Runnable,
  argv: string[],
  options: { tty?: boolean; columns?: number } = {},
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
    forceColor: process.env.FORCE_COLOR,
  };
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
    // base-command sets FORCE_COLOR=0 for --no-color / NO_COLOR; later runs in this process start clean.
    if (saved.forceColor === undefined) delete process.env.FORCE_COLOR;
    else process.env.FORCE_COLOR = saved.forceColor;
    vi.mocked(process.stdout.write).mockRestore();
    vi.mocked(process.stderr.write).mockRestore();
  }
  const exitCode = Number(process.exitCode ?? error?.oclif?.exit ?? 0);
  process.exitCode = undefined;
  return { stdout: out.join(''), stderr: err.join(''), exitCode, error };
}
