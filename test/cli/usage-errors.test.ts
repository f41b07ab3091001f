/**
 * What an operator sees when they get a command wrong, as CLI processes: oclif's whole parse
 * message (not its first line), a typo that only prints "Did you mean" and runs nothing (in a
 * real terminal too, where the old plugin asked Y/n with Yes as default), and a reader that
 * closes the pipe early (`| head -1`) ending the run quietly.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, parseEnvelope, runCli } from '../helpers/cli.js';
import { spawnInPty } from '../helpers/pty.js';

const PROCESS_TIMEOUT_MS = 120_000;

function dataDir(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-usage-')), 'data');
}

/** The error oclif prints (` ›   Error: …`, wrapped at the terminal's width), as one line. */
const unwrap = (text: string) => text.replaceAll(/\n › {3}(?!Code: |Try this: )/g, '');
const errorLine = (stderr: string) => /Error: (.*)/.exec(unwrap(stderr))?.[1];

describe('usage errors', { timeout: PROCESS_TIMEOUT_MS }, () => {
  const env = { BOTCTL_DATA_DIR: dataDir() };

  it.each([
    [['users', 'show'], 'Missing 1 required arg: user (Telegram user id, or @username)'],
    [['users', 'list', '--limit', 'abc'], 'Parsing --limit: Expected an integer but received: abc'],
    [
      ['users', 'list', '--limit', '0'],
      'Parsing --limit: Expected an integer greater than or equal to 1 but received: 0',
    ],
    [
      ['broadcast', '--text', 'hi', '--file', 'x.png'],
      'The following error occurred: --file=x.png cannot also be provided when using --text',
    ],
    [['stats', 'extra'], 'Unexpected argument: extra'],
  ])('botctl %j says why in full, on one line (exit 2, USAGE)', async (args, message) => {
    const human = await runCli(args, env);
    expect(human.exitCode, human.stderr).toBe(2);
    expect(errorLine(human.stderr)).toBe(message);
    expect(human.stderr).toContain('Code: USAGE');
    expect(human.stderr).not.toContain('See more help with --help');

    const json = await runCli([...args, '--json'], env);
    expect(json.exitCode).toBe(2);
    expect(parseEnvelope(json.stdout)).toMatchObject({ status: 'error', error: { code: 'USAGE', message } });
  });

  it('an unknown command only prints the closest commands (exit 2, USAGE), with or without --json', async () => {
    const typo = await runCli(['stat'], env);
    expect(typo.exitCode).toBe(2);
    expect(errorLine(typo.stderr)).toBe(
      '"stat" is not a botctl command. Did you mean "botctl start" or "botctl stats"?',
    );
    expect(typo.stderr).toContain('Code: USAGE');
    expect(typo.stdout).toBe('');

    const far = await runCli(['frobnicate'], env);
    expect(far.exitCode).toBe(2);
    expect(errorLine(far.stderr)).toBe('"frobnicate" is not a botctl command.');
    expect(far.stderr).toContain('botctl help');

    const json = await runCli(['migrate', 'dwn', '--json'], env);
    expect(json.exitCode).toBe(2);
    expect(parseEnvelope(json.stdout)).toMatchObject({
      status: 'error',
      error: {
        code: 'USAGE',
        message: '"migrate dwn" is not a botctl command. Did you mean "botctl migrate down"?',
      },
    });
  });

  it('a typo in a terminal, answered with Enter, runs nothing: `migrate dwn` rolls nothing back', async () => {
    const pty = { BOTCTL_DATA_DIR: dataDir() };
    const up = await runCli(['migrate', 'up', '--json'], pty);
    expect(up.exitCode, up.stderr).toBe(0);
    const applied = (parseEnvelope(up.stdout).result as { current: number }).current;

    const session = spawnInPty(['migrate', 'dwn'], pty);
    // The old plugin asked "Did you mean migrate down? (Y/n)" here and ran it on Enter.
    await session.expect('Did you mean');
    session.type('');
    session.type('y');
    expect(await session.exitCode).toBe(2);
    expect(unwrap(session.output)).toContain('Did you mean "botctl migrate down"?');

    const status = await runCli(['migrate', 'status', '--json'], pty);
    expect(parseEnvelope(status.stdout).result).toMatchObject({ current: applied, pending: 0 });
  });

  it("every exit code these end with is in the command's --help: an unknown command, Ctrl-C at a prompt", async () => {
    const documented = async (command: string, code: number) => {
      const help = await runCli([command, '--help'], env);
      const text = help.stdout.replaceAll(/\s+/g, ' ');
      expect(text, `botctl ${command} --help`).toMatch(new RegExp(`Exit codes: (.*; )?${code} `));
    };
    const unknown = await runCli(['frobnicate'], env);
    await documented('doctor', unknown.exitCode);

    const session = spawnInPty(['setup'], { BOTCTL_DATA_DIR: dataDir() });
    await session.expect('Telegram bot token');
    session.press('\x03');
    await documented('setup', await session.exitCode);
  });

  it("a reader that has closed the pipe (`| head -1`) ends the run quietly, with the command's exit code", async () => {
    for (const args of [
      ['broadcast', '--help'],
      ['config', 'list'],
      ['stats', 'extra'],
    ]) {
      const { code, stderr } = await intoClosedPipe(args, env);
      expect(stderr, `botctl ${args.join(' ')}`).not.toMatch(/unsettled top-level await|EPIPE/);
      expect(code, `botctl ${args.join(' ')}`).toBe(args[0] === 'stats' ? 2 : 0);
      if (code === 0) expect(stderr).toBe('');
    }
  });
});

/**
 * Runs botctl with its stdout piped into a reader that is already gone, as `head -1` is by the
 * time a long output reaches it: every write fails with EPIPE, whatever the timing.
 */
function intoClosedPipe(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}
