/**
 * A bot under test as its own process, so its CPU and memory are measured apart from the
 * fakes (which keep every call they see): RSS from /proc/<pid>/status, CPU time (user +
 * system) from /proc/<pid>/stat. Linux only, like the machines this runs on.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Usage {
  /** Resident memory now (VmRSS). */
  rssMb: number;
  /** Highest resident memory so far (VmHWM). */
  peakRssMb: number;
  /** CPU time consumed so far, user + system. */
  cpuMs: number;
}

export interface BotProcess {
  readonly pid: number;
  usage(): Usage;
  /** Rejects if the process exits before `stop()`, with the tail of its output. */
  readonly exited: Promise<never>;
  /** SIGTERM, then waits for the exit (SIGKILL after 30 s). */
  stop(): Promise<void>;
}

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

export function usageOf(pid: number): Usage {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  // The command name in field 2 may hold spaces: count fields from the closing parenthesis.
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
  return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024, cpuMs: (ticks * 1000) / CLK_TCK };
}

/**
 * Starts `node <args>` with only PATH/HOME and `env` (no BOTCTL_* from the shell leaks in).
 * BENCH_NODE_OPTIONS is passed on as NODE_OPTIONS, e.g. `--cpu-prof --cpu-prof-dir=bench/out/prof`.
 */
export function startNode(
  label: string,
  args: string[],
  env: Record<string, string>,
  cwd: string,
): BotProcess {
  const child = spawn(process.execPath, args, {
    cwd,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NO_COLOR: '1',
      ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Keep only the tail of the output (warnings and errors), and always drain the pipes.
  let tail = '';
  const keep = (chunk: Buffer) => (tail = (tail + chunk.toString('utf8')).slice(-4000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let stopping = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const exited = exit.then(() => {
    if (!stopping) throw new Error(`${label} exited early (code ${child.exitCode}):\n${tail}`);
    return new Promise<never>(() => undefined);
  });
  exited.catch(() => undefined); // observed by callers that race it; never an unhandled rejection
  if (child.pid === undefined) throw new Error(`${label} did not start`);
  const pid = child.pid;
  return {
    pid,
    usage: () => usageOf(pid),
    exited,
    async stop() {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exit;
      clearTimeout(timer);
      if (process.env.BENCH_VERBOSE && tail.trim()) console.error(`--- ${label} output ---\n${tail}`);
    },
  };
}

/**
 * Builds dist/ when it is missing or older than src/, so the bench measures the current code,
 * then copies what `bin/run.js` needs into a temp dir: a rebuild in the work tree during a
 * long run (`npm run build` starts with `rm -rf dist`) must not pull files from under the daemon.
 * Returns the copy's root; node_modules is linked, not copied.
 */
export function buildSnapshot(root: string): string {
  const manifest = path.join(root, 'oclif.manifest.json');
  const builtAt =
    fs.existsSync(manifest) && fs.existsSync(path.join(root, 'dist', 'commands'))
      ? fs.statSync(manifest).mtimeMs
      : 0;
  if (builtAt <= newestMtime(path.join(root, 'src'))) {
    console.error('bench: building dist/ (npm run build)...');
    execFileSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-bench-build-'));
  for (const entry of ['bin', 'dist', 'migrations', 'templates', 'package.json', 'oclif.manifest.json']) {
    fs.cpSync(path.join(root, entry), path.join(copy, entry), { recursive: true });
  }
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
  return copy;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile())
      newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}
