/**
 * The install operators get, not the development checkout: scripts/pack-install.sh (`npm pack`,
 * the tarball unpacked, `npm ci --omit=dev`; the Dockerfile runs the same script) into a temp dir,
 * then every command's --help and a first session (setup, migrate, doctor, stats, backup,
 * broadcast --dry-run, start until ready then SIGTERM) run from that install, once inside a real
 * pseudo-terminal (util-linux `script`) and once through pipes. A devDependency loaded at run time,
 * a file missing from package.json's "files" or a terminal-only code path shows up here.
 * BOTCTL_TEST_NODE runs the installed botctl under another Node binary: .ci/run passes the
 * engines floor.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitFor } from '../helpers/ports.js';
import { GEMINI_KEY, TOKEN, startFakes, type Fakes } from '../helpers/setup-env.js';
import { ENTRY, PACK_INSTALL, ROOT } from './layout.js';

const NODE = process.env.BOTCTL_TEST_NODE || process.execPath;
/** Where scripts/pack-install.sh puts the app, the same relative layout as /app in the image. */
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-install-'));
const APP = path.join(work, 'app');
const BIN = path.join(APP, ENTRY);

type Via = 'terminal' | 'pipe';
interface Run {
  exitCode: number;
  output: string;
}

/** What must never reach an operator: a crash, a stack trace, a missing module. */
const CRASH_TEXT = [
  /unable to determine transport target/i,
  /Code: INTERNAL/,
  /^\s+at .+:\d+:\d+\)?$/m,
  /ERR_MODULE_NOT_FOUND|Cannot find (module|package)/,
  /Detected unsettled top-level await/,
  /Unhandled|Uncaught/,
];
const crashes = (output: string) => CRASH_TEXT.filter((pattern) => pattern.test(output)).map(String);

// eslint-disable-next-line no-control-regex -- matching the ESC byte is the point
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;
const quote = (arg: string) => `'${arg.replaceAll("'", "'\\''")}'`;

function cleanEnv(env: Record<string, string>): Record<string, string> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => !entry[0].startsWith('BOTCTL_') && entry[1] !== undefined,
    ),
  );
  return { ...base, TERM: 'xterm-256color', ...env };
}

/**
 * Starts the installed botctl in a pseudo-terminal (stdin, stdout and stderr all the TTY, as in
 * an operator's shell) or with pipes. `stop` sends SIGTERM to botctl itself, not to `script`.
 */
function launch(via: Via, args: string[], env: Record<string, string>) {
  const pidFile = path.join(work, `pid-${Math.random().toString(36).slice(2)}`);
  const child =
    via === 'terminal'
      ? spawn(
          'script',
          [
            '-qfec',
            `echo $$ > ${quote(pidFile)}; exec ${[NODE, BIN, ...args].map(quote).join(' ')}`,
            '/dev/null',
          ],
          { cwd: work, env: cleanEnv(env), stdio: ['pipe', 'pipe', 'pipe'] },
        )
      : spawn(NODE, [BIN, ...args], { cwd: work, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let raw = '';
  child.stdout.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const done = new Promise<Run>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ exitCode: code ?? (signal ? 128 : -1), output: raw.replace(ANSI, '').replaceAll('\r', '') });
    });
  });
  return {
    done,
    output: () => raw,
    stop() {
      const pid = via === 'terminal' ? Number(fs.readFileSync(pidFile, 'utf8')) : child.pid!;
      process.kill(pid, 'SIGTERM');
    },
  };
}

const run = (via: Via, args: string[], env: Record<string, string> = {}) => launch(via, args, env).done;

/** Runs jobs a few at a time: enough to keep the test short without starving a 2-core machine. */
async function inBatches<T>(jobs: (() => Promise<T>)[], size = 3): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < jobs.length; i += size) {
    results.push(...(await Promise.all(jobs.slice(i, i + size).map((job) => job()))));
  }
  return results;
}

let fakes: Fakes;
beforeAll(async () => {
  fakes = await startFakes();
  await execa(path.join(ROOT, PACK_INSTALL), [APP], { cwd: ROOT, timeout: 240_000 });
}, 300_000);
afterAll(async () => {
  await fakes?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('production install (npm pack, --omit=dev)', { timeout: 240_000 }, () => {
  it('has no devDependency and runs under the Node being tested', async () => {
    // The lockfile marks every package only devDependencies need (vitest, typescript, ...).
    const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean }>;
    };
    const devOnly = Object.entries(lock.packages)
      .filter(([where, entry]) => entry.dev && where.startsWith('node_modules/'))
      .map(([where]) => where);
    expect(devOnly.length).toBeGreaterThan(50);
    expect(devOnly.filter((where) => fs.existsSync(path.join(APP, where)))).toEqual([]);
    expect(fs.existsSync(path.join(APP, 'node_modules', 'pino'))).toBe(true);
    // The admin panel ships built (Vite and Preact are devDependencies: bundled, not installed).
    expect(fs.existsSync(path.join(APP, 'dist', 'panel', 'index.html'))).toBe(true);
    expect(fs.readdirSync(path.join(APP, 'dist', 'panel', 'assets')).some((f) => f.endsWith('.js'))).toBe(
      true,
    );
    const version = await run('pipe', ['--version']);
    expect(version.exitCode).toBe(0);
    expect(version.output).toContain(`node-${execFileSync(NODE, ['-v'], { encoding: 'utf8' }).trim()}`);
  });

  it.each<Via>(['terminal', 'pipe'])('every command prints its help (%s)', async (via) => {
    const manifest = JSON.parse(fs.readFileSync(path.join(APP, 'oclif.manifest.json'), 'utf8')) as {
      commands: Record<string, unknown>;
    };
    const ids = Object.keys(manifest.commands);
    expect(ids.length).toBeGreaterThan(20);
    const runs = await inBatches(
      [[], ...ids.map((id) => id.split(':'))].map((words) => async () => ({
        command: words.join(' ') || '(root)',
        ...(await run(via, [...words, '--help'])),
      })),
    );
    const failed = runs.filter(
      (r) => r.exitCode !== 0 || crashes(r.output).length > 0 || !r.output.includes('USAGE'),
    );
    expect(failed.map((r) => `${r.command}: exit ${r.exitCode}\n${r.output.slice(0, 600)}`)).toEqual([]);
  });

  it.each<Via>(['terminal', 'pipe'])(
    'a first session: setup, migrate, doctor, stats, backup, broadcast --dry-run, start (%s)',
    async (via) => {
      const dataDir = path.join(fs.mkdtempSync(path.join(work, `session-${via}-`)), 'data');
      const env = fakes.env(dataDir, {
        BOTCTL_TELEGRAM_TOKEN: TOKEN,
        BOTCTL_GEMINI_API_KEY: GEMINI_KEY,
        BOTCTL_HTTP_PORT: String(await freePort()),
      });
      const steps: [string, string[]][] = [
        ['setup', ['setup', '--no-input']],
        ['migrate up', ['migrate', 'up']],
        ['doctor', ['doctor']],
        ['stats', ['stats']],
        ['backup create', ['backup', 'create']],
        ['broadcast --dry-run', ['broadcast', '--text', 'hello', '--dry-run']],
      ];
      for (const [name, args] of steps) {
        const result = await run(via, args, env);
        expect(
          { step: name, exitCode: result.exitCode, crashes: crashes(result.output) },
          result.output,
        ).toEqual({
          step: name,
          exitCode: 0,
          crashes: [],
        });
      }

      // With the admin API on, the daemon also serves the built panel from the install.
      const daemon = launch(via, ['start'], { ...env, BOTCTL_ADMIN: 'on' });
      const ready = await waitFor(
        async () => {
          const response = await fetch(`http://127.0.0.1:${env.BOTCTL_HTTP_PORT}/readyz`);
          if (!response.ok) throw new Error(`readyz ${response.status}`);
          return true;
        },
        60_000,
        200,
      ).catch((error: unknown) => error as Error);
      if (ready !== true) daemon.stop();
      expect(ready, daemon.output()).toBe(true);
      const panel = await fetch(`http://127.0.0.1:${env.BOTCTL_HTTP_PORT}/admin/`);
      const html = await panel.text();
      expect(panel.status, html).toBe(200);
      const script = /src="(\/admin\/assets\/[^"]+\.js)"/.exec(html)?.[1];
      expect(script, html).toBeDefined();
      expect((await fetch(`http://127.0.0.1:${env.BOTCTL_HTTP_PORT}${script!}`)).status).toBe(200);
      daemon.stop();
      const stopped = await daemon.done;
      expect(stopped.exitCode, stopped.output).toBe(0);
      expect(crashes(stopped.output), stopped.output).toEqual([]);
      // An operator in a terminal reads pino-pretty lines; a pipe gets JSON lines for log shippers.
      if (via === 'terminal') {
        expect(stopped.output).toMatch(/INFO.*botctl stopped/);
        expect(stopped.output).not.toContain('"msg":"botctl stopped"');
      } else {
        expect(stopped.output).toContain('"msg":"botctl stopped"');
      }
      expect(stopped.output).not.toContain(TOKEN);
    },
  );
});
