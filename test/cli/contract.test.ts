/**
 * The CLI contract: the commands, args, flags and --json result shapes of the built CLI must
 * match the checked-in test/snapshots/cli-contract.json. A deliberate change is accepted with
 *
 *   npm run build && npm run contract:update
 *
 * and the updated snapshot is committed with the change (reviewers then see the interface diff).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SNAPSHOT = path.join(ROOT, 'test', 'snapshots', 'cli-contract.json');

async function contractScript(...args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['scripts/cli-contract.mjs', ...args], {
      cwd: ROOT,
    });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

describe('CLI contract (test/snapshots/cli-contract.json)', () => {
  it('matches the built CLI; if not, the message shows each difference and how to accept it', async () => {
    const check = await contractScript();
    expect(
      check.code,
      `\n${check.stdout}\nThe CLI's commands, flags or --json shapes changed. If that is intended, run\n` +
        '  npm run build && npm run contract:update\nand commit test/snapshots/cli-contract.json.\n',
    ).toBe(0);
    expect(check.stdout).toMatch(/^cli-contract: ok \(\d+ commands match /);
  }, 60_000);

  it('reports removed, added and changed entries, one line each, and exits 1', async () => {
    const snapshot = JSON.parse(fs.readFileSync(SNAPSHOT, 'utf8'));
    snapshot.commands.stats.flags.since.default = '7d';
    delete snapshot.commands['users list'].flags.search;
    snapshot.commands['users gone'] = { args: {}, flags: {}, json: true, jsonShape: null };
    const tampered = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-contract-')), 'contract.json');
    fs.writeFileSync(tampered, JSON.stringify(snapshot));
    const check = await contractScript('--snapshot', tampered);
    expect(check.code).toBe(1);
    const lines = check.stdout.trim().split('\n');
    expect(lines).toContain('  ~ $.commands.stats.flags.since.default: "7d" -> "30d"');
    expect(lines).toContain(
      '  - $.commands["users gone"]: {"args":{},"flags":{},"json":true,"jsonShape":null}',
    );
    expect(lines).toContain('  + $.commands["users list"].flags.search: {"type":"option"}');
    expect(lines.at(-1)).toMatch(/npm run build && npm run contract:update/);
  }, 60_000);

  it('writes the snapshot with --update, so the next check passes', async () => {
    const target = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-contract-')), 'contract.json');
    expect((await contractScript('--update', '--snapshot', target)).code).toBe(0);
    const written = JSON.parse(fs.readFileSync(target, 'utf8'));
    expect(written.commands.stats.flags.since).toEqual({ default: '30d', type: 'option' });
    expect(written.commands['users role'].args.role).toEqual({
      options: ['user', 'premium', 'admin'],
      required: true,
    });
    expect(written.exitCodes).toEqual({ failure: 1, interrupted: 130, ok: 0, tempFail: 75, usage: 2 });
    expect((await contractScript('--snapshot', target)).code).toBe(0);
  }, 60_000);
});
