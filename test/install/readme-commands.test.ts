/**
 * README's two commands on a fresh clone whose `node` is too old (Node 20, as on a fresh Debian):
 * scripts/install-and-start must bring a supported Node into the clone's .node/ (never
 * system-wide), install, build, set up and start the bot; scripts/run-tests must then run tests.
 * The clone is a copy of this checkout's files in a temp dir, so nothing here touches the
 * developer's node_modules. The old Node comes from the npm registry (node-<os>-<arch>@20).
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitFor } from '../helpers/ports.js';
import { GEMINI_KEY, TOKEN, startFakes, type Fakes } from '../helpers/setup-env.js';
import { ROOT } from './layout.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-readme-'));
const clone = path.join(work, 'clone');
const nodePackage = `node-${process.platform}-${process.arch}`;
let oldNodeBin: string;
let fakes: Fakes;

/** A shell without what this test run adds: no BOTCTL_*, npm_* (npm run), VITEST* or NODE_OPTIONS. */
function freshShellEnv(extra: Record<string, string>): Record<string, string> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined && !/^(BOTCTL_|npm_|VITEST|NODE_OPTIONS$)/i.test(entry[0]),
    ),
  );
  // The old Node is the first `node` on PATH, exactly what a fresh machine's shell finds.
  return { ...base, PATH: `${oldNodeBin}${path.delimiter}${process.env.PATH ?? ''}`, ...extra };
}

beforeAll(async () => {
  fakes = await startFakes();
  const oldPrefix = path.join(work, 'old-node');
  await execa(
    'npm',
    ['install', '--prefix', oldPrefix, '--no-save', '--no-audit', '--no-fund', '--prefer-offline'].concat([
      '--engine-strict=false',
      `${nodePackage}@20`,
    ]),
    { cwd: work, timeout: 240_000 },
  );
  oldNodeBin = path.join(oldPrefix, 'node_modules', nodePackage, 'bin');
  // The checkout's files as a clone has them: tracked plus new, never node_modules, dist or .node.
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\0')
    .filter((file) => file && fs.existsSync(path.join(ROOT, file)));
  for (const file of files) fs.cpSync(path.join(ROOT, file), path.join(clone, file), { recursive: true });
}, 300_000);
afterAll(async () => {
  await fakes?.close();
  fs.rmSync(work, { recursive: true, force: true });
}, 300_000);

describe("README's commands with a too-old system Node", { timeout: 900_000 }, () => {
  it('install-and-start brings Node into .node/, sets up and starts; run-tests runs tests', async () => {
    expect(execFileSync(path.join(oldNodeBin, 'node'), ['-v'], { encoding: 'utf8' })).toMatch(/^v20\./);
    const port = String(await freePort());
    const env = freshShellEnv(
      fakes.env(path.join(work, 'data'), {
        BOTCTL_TELEGRAM_TOKEN: TOKEN,
        BOTCTL_GEMINI_API_KEY: GEMINI_KEY,
        BOTCTL_HTTP_PORT: port,
      }),
    );
    const child = spawn(path.join(clone, 'scripts', 'install-and-start'), ['--no-input'], {
      cwd: clone,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = new Promise<number>((resolve) =>
      child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : -1))),
    );

    const ready = await waitFor(
      async () => {
        const response = await fetch(`http://127.0.0.1:${port}/readyz`);
        if (!response.ok) throw new Error(`readyz ${response.status}`);
        return true;
      },
      800_000,
      500,
    ).catch((error: unknown) => error as Error);
    // `exec node bin/run.js start`: the script's pid is botctl's by now.
    child.kill('SIGTERM');
    const exitCode = await exited;
    expect(ready, output.slice(-3000)).toBe(true);
    expect(exitCode, output.slice(-3000)).toBe(0);
    expect(output).toContain('bringing Node 24');
    expect(output).not.toContain('EBADENGINE');
    const brought = fs
      .readdirSync(path.join(clone, '.node', 'node_modules'))
      .find((name) => name === nodePackage);
    expect(brought).toBe(nodePackage);

    const tests = await execa(
      path.join(clone, 'scripts', 'run-tests'),
      ['test/domain/split-message.test.ts', '--coverage.enabled=false'],
      { cwd: clone, env: freshShellEnv({}), extendEnv: false, reject: false, timeout: 300_000, all: true },
    );
    expect(tests.exitCode, tests.all.slice(-3000)).toBe(0);
    // eslint-disable-next-line no-control-regex -- vitest colours its summary; the ESC byte is the point
    expect(tests.all.replace(/\x1b\[[0-9;]*m/g, '')).toMatch(/Tests\s+\d+ passed/);
    // The Node from .node/ ran them, not the old one first on PATH.
    expect(tests.all).not.toContain('bringing Node');
  });
});
