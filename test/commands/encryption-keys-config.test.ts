/**
 * `encryptionKeys` is read one way everywhere: `config set`, `config validate` and `start` accept
 * and refuse the same values (a short key, a repeated id), naming the key and never echoing the
 * key material.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseEnvelope, runCli } from '../helpers/cli.js';
import { PROCESS_TIMEOUT_MS, TOKEN, snapshot, tempDataDir } from '../helpers/setup-env.js';

let dataDir: string;
const cli = (args: string[], env: Record<string, string> = {}) =>
  runCli(args, { BOTCTL_DATA_DIR: dataDir, ...env });
const key = () => randomBytes(32).toString('base64');
/** oclif wraps errors to the terminal width: read them as one line. */
const oneLine = (text: string) => text.replace(/\s*\n\s*›?\s*/g, ' ');

beforeEach(() => {
  dataDir = tempDataDir();
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = { telegramToken: TOKEN, geminiApiKey: 'keys-test-gemini-key' };
  fs.writeFileSync(path.join(dataDir, 'config.json'), JSON.stringify(file), { mode: 0o600 });
});

describe('encryptionKeys validation', { timeout: PROCESS_TIMEOUT_MS }, () => {
  const short = randomBytes(16).toString('base64');
  const bad: [string, RegExp][] = [
    [`k1:${short}`, /must decode to exactly 32 bytes, got 16/],
    [`k1:${key()},k1:${key()}`, /key id "k1" is listed twice/],
    ['k1', /must look like id:base64key/],
  ];

  it('config set refuses a malformed value with one line, exit 2, file untouched', async () => {
    const before = snapshot(dataDir);
    for (const [value, reason] of bad) {
      const result = await cli(['config', 'set', 'encryptionKeys', value]);
      expect(result.exitCode, value).toBe(2);
      expect(oneLine(result.stderr)).toMatch(/encryptionKeys/);
      expect(oneLine(result.stderr)).toMatch(reason);
      expect(result.stderr).not.toContain(short);
    }
    expect(snapshot(dataDir)).toEqual(before);
    const good = await cli(['config', 'set', 'encryptionKeys', `k1:${key()},k0:${key()}`]);
    expect(good.exitCode, good.stderr).toBe(0);
  });

  it('config validate and start refuse what the other refuses, with the same reason', async () => {
    for (const [value, reason] of bad) {
      const env = { BOTCTL_ENCRYPTION_KEYS: value };
      const validate = await cli(['config', 'validate', '--json'], env);
      expect(validate.exitCode, value).toBe(2);
      const { problems } = parseEnvelope(validate.stdout).result as { problems: string[] };
      expect(problems.join('\n')).toMatch(/encryptionKeys \(BOTCTL_ENCRYPTION_KEYS, from env\): /);
      expect(problems.join('\n')).toMatch(reason);

      const start = await cli(['start'], env);
      expect(start.exitCode, value).toBe(2);
      expect(oneLine(start.stderr)).toMatch(/CONFIG_INVALID/);
      expect(oneLine(start.stderr)).toMatch(reason);
      expect(start.stdout + start.stderr).not.toContain(short);
    }
  });
});
