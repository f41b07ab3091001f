/**
 * `botctl config get|set|validate|list` as processes: the same schema as setup and the
 * environment, secrets masked unless --reveal, atomic 0600 writes, and a refused `set`
 * leaving the file exactly as it was.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { beforeEach, describe, expect, it } from 'vitest';
import { BIN, parseEnvelope, runCli } from '../helpers/cli.js';
import { PROCESS_TIMEOUT_MS, TOKEN, mode, readConfig, snapshot, tempDataDir } from '../helpers/setup-env.js';
import { OPTIONS } from '../../src/config/schema.js';

let dataDir: string;
const cli = (args: string[], env: Record<string, string> = {}) =>
  runCli(args, { BOTCTL_DATA_DIR: dataDir, ...env });

beforeEach(() => {
  dataDir = tempDataDir();
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = {
    telegramToken: TOKEN,
    geminiApiKey: 'config-test-gemini-key',
    databaseUrl: 'postgres://botctl:db-password-1@db.internal:5432/botctl',
    admins: [1, 2],
  };
  fs.writeFileSync(path.join(dataDir, 'config.json'), JSON.stringify(file), { mode: 0o600 });
});

describe('botctl config', { timeout: PROCESS_TIMEOUT_MS }, () => {
  it('set validates like the variable, writes atomically with a 0600 .bak, and get reads it back', async () => {
    const set = await cli(['config', 'set', 'BOTCTL_CONTEXT_TOKENS', '4000', '--json']);
    expect(set.exitCode, set.stderr).toBe(0);
    expect(parseEnvelope(set.stdout).result).toMatchObject({
      key: 'contextTokens',
      value: '4000',
      previous: null,
    });
    expect(readConfig(dataDir)).toMatchObject({ contextTokens: 4000, admins: [1, 2] });
    expect(mode(path.join(dataDir, 'config.json'))).toBe(0o600);
    expect(mode(path.join(dataDir, 'config.json.bak'))).toBe(0o600);
    expect(fs.readdirSync(dataDir).sort()).toEqual(['config.json', 'config.json.bak']);

    const list = await cli(['config', 'set', 'allowlist', '10,20']);
    expect(list.exitCode, list.stderr).toBe(0);
    const get = await cli(['config', 'get', 'allowlist']);
    expect(get.stdout.trim()).toBe('10,20');
    const json = await cli(['config', 'get', 'context-tokens', '--json']);
    expect(parseEnvelope(json.stdout).result).toEqual({
      key: 'contextTokens',
      env: 'BOTCTL_CONTEXT_TOKENS',
      value: 4000,
      source: 'file',
      problem: null,
    });
  });

  it('refuses an invalid value or a change that breaks another rule with one line, exit 2, file untouched', async () => {
    const before = snapshot(dataDir);
    const cases: [string[], RegExp][] = [
      [['httpPort', 'eighty'], /httpPort \(--http-port, BOTCTL_HTTP_PORT\): /],
      [['quotas', '{"user":'], /quotas .*is not valid JSON/],
      [['mode', 'webhook'], /Not saved: mode is webhook but webhookUrl/],
      [['colour', 'blue'], /unknown config key "colour"/],
    ];
    for (const [args, message] of cases) {
      const result = await cli(['config', 'set', ...args]);
      expect(result.exitCode, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    expect(snapshot(dataDir)).toEqual(before);
  });

  it('masks secrets (only the password of a URL) unless --reveal', async () => {
    const masked = await cli(['config', 'get', 'telegramToken']);
    expect(masked.stdout.trim()).toBe('********');
    const url = await cli(['config', 'get', 'databaseUrl']);
    expect(url.stdout.trim()).toBe('postgres://botctl:****@db.internal:5432/botctl');
    const revealed = await cli(['config', 'get', 'telegramToken', '--reveal']);
    expect(revealed.stdout.trim()).toBe(TOKEN);
  });

  it('list shows every option with its source and masked secrets', async () => {
    const result = await cli(['config', 'list', '--json'], { BOTCTL_MODEL: 'gemini-2.5-pro' });
    expect(result.exitCode, result.stderr).toBe(0);
    const { options } = parseEnvelope(result.stdout).result as {
      options: { key: string; source: string; value: unknown }[];
    };
    expect(options.map((o) => o.key)).toEqual(Object.keys(OPTIONS));
    const byKey = Object.fromEntries(options.map((o) => [o.key, o]));
    expect(byKey.model).toMatchObject({ source: 'env', value: 'gemini-2.5-pro' });
    expect(byKey.admins).toMatchObject({ source: 'file', value: [1, 2] });
    expect(byKey.httpPort).toMatchObject({ source: 'default', value: 8080 });
    expect(byKey.telegramToken).toMatchObject({ source: 'file', value: '********' });
    expect(result.stdout).not.toContain(TOKEN);
    expect(result.stdout).not.toContain('db-password-1');
    const human = await cli(['config', 'list']);
    expect(human.stdout).toMatch(/^telegramToken\s+file\s+\*{8}$/m);
    expect(human.stdout).not.toContain('config-test-gemini-key');
    const revealed = await cli(['config', 'list', '--reveal']);
    expect(revealed.stdout).toContain('db-password-1');
  });

  it('validate says OK, or lists every problem from the file and the environment (exit 2)', async () => {
    const ok = await cli(['config', 'validate']);
    expect(ok.exitCode, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^OK: the configuration is valid/);

    const file: Record<string, unknown> = { ...readConfig(dataDir), httpPort: 'x', colour: 'blue' };
    delete file.geminiApiKey;
    fs.writeFileSync(path.join(dataDir, 'config.json'), JSON.stringify(file), { mode: 0o600 });
    const bad = await cli(['config', 'validate', '--json'], { BOTCTL_ADMINS: '1,abc' });
    expect(bad.exitCode).toBe(2);
    const { problems } = parseEnvelope(bad.stdout).result as { problems: string[] };
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/colour \(unknown key: remove it\)/);
    expect(problems.join('\n')).toMatch(/httpPort \(BOTCTL_HTTP_PORT, from file\): /);
    expect(problems.join('\n')).toMatch(/admins \(BOTCTL_ADMINS, from env\): /);
    expect(problems.join('\n')).toMatch(/geminiApiKey \(BOTCTL_GEMINI_API_KEY\): not set/);
  });

  it('set - reads the value from stdin, so a secret stays out of `ps` and shell history', async () => {
    const token = '777:STDINtokenSTDINtokenSTDIN_1';
    const result = await execa(process.execPath, [BIN, 'config', 'set', 'telegramToken', '-'], {
      env: { BOTCTL_DATA_DIR: dataDir, NO_COLOR: '1' },
      input: `${token}\n`,
      reject: false,
    });
    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(String(result.stdout)).toBe('telegramToken = ******** (was ********)');
    expect(readConfig(dataDir).telegramToken).toBe(token);
  });

  it('warns when the environment overrides the value just set', async () => {
    const result = await cli(['config', 'set', 'model', 'gemini-2.5-flash', '--json'], {
      BOTCTL_MODEL: 'gemini-2.5-pro',
    });
    expect(result.exitCode).toBe(0);
    expect(parseEnvelope(result.stdout).warnings).toEqual([
      'BOTCTL_MODEL is set in the environment and overrides this value',
    ]);
  });
});

describe('booleans are strict', { timeout: PROCESS_TIMEOUT_MS }, () => {
  it('config set takes true/false/yes/no/on/off/1/0 in any case and refuses anything else, naming the key', async () => {
    for (const [word, stored] of [
      ['OFF', false],
      ['yes', true],
      ['0', false],
      ['True', true],
    ] as const) {
      const ok = await cli(['config', 'set', 'telegramThrottle', word]);
      expect(ok.exitCode, `${word}: ${ok.stderr}`).toBe(0);
      expect(readConfig(dataDir).telegramThrottle, word).toBe(stored);
    }
    const before = snapshot(dataDir);
    for (const word of ['maybe', 'ture', '2', '']) {
      const refused = await cli(['config', 'set', 'telegramThrottle', word, '--json']);
      expect(refused.exitCode, word).toBe(2);
      const { error } = parseEnvelope(refused.stdout);
      expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
      expect(error!.message).toMatch(/^telegramThrottle \(--telegram-throttle, BOTCTL_TELEGRAM_THROTTLE\): /);
    }
    expect(snapshot(dataDir)).toEqual(before);
  });

  it('a BOTCTL_* boolean that is not one of those words is refused in one line naming the variable', async () => {
    const validate = await cli(['config', 'validate', '--json'], { BOTCTL_KEEP_AUDIO: 'maybe' });
    expect(validate.exitCode).toBe(2);
    const { problems } = parseEnvelope(validate.stdout).result as { problems: string[] };
    expect(problems).toEqual([
      expect.stringMatching(/^keepAudio \(BOTCTL_KEEP_AUDIO, from env\): must be true or false/),
    ]);
    const command = await cli(['migrate', 'status', '--json'], { BOTCTL_TELEGRAM_THROTTLE: 'maybe' });
    expect(command.exitCode).toBe(2);
    expect(parseEnvelope(command.stdout).error!.message).toMatch(
      /telegramThrottle \(BOTCTL_TELEGRAM_THROTTLE\): must be true or false/,
    );
    const get = await cli(['config', 'get', 'keepAudio', '--json'], { BOTCTL_KEEP_AUDIO: 'On' });
    expect(parseEnvelope(get.stdout).result).toMatchObject({ value: true, source: 'env', problem: null });
  });
});

describe('botctl config unset', { timeout: PROCESS_TIMEOUT_MS }, () => {
  it('removes the key so the default applies, atomically with a 0600 .bak', async () => {
    expect((await cli(['config', 'set', 'contextTokens', '4000'])).exitCode).toBe(0);
    const unset = await cli(['config', 'unset', 'BOTCTL_CONTEXT_TOKENS', '--json']);
    expect(unset.exitCode, unset.stderr).toBe(0);
    expect(parseEnvelope(unset.stdout).result).toMatchObject({
      key: 'contextTokens',
      removed: true,
      previous: '4000',
    });
    expect(readConfig(dataDir)).not.toHaveProperty('contextTokens');
    expect(readConfig(dataDir)).toMatchObject({ admins: [1, 2] });
    expect(mode(path.join(dataDir, 'config.json'))).toBe(0o600);
    expect(mode(path.join(dataDir, 'config.json.bak'))).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'config.json.bak'), 'utf8'))).toMatchObject({
      contextTokens: 4000,
    });
    expect(fs.readdirSync(dataDir).sort()).toEqual(['config.json', 'config.json.bak']);
    const get = await cli(['config', 'get', 'contextTokens', '--json']);
    expect(parseEnvelope(get.stdout).result).toMatchObject({ source: 'default' });
    // A secret's old value is masked in the answer.
    const secret = await cli(['config', 'unset', 'databaseUrl']);
    expect(secret.exitCode).toBe(0);
    expect(secret.stdout).toContain('postgres://botctl:****@db.internal:5432/botctl');
    expect(secret.stdout).not.toContain('db-password-1');
  });

  it('changes nothing for a key that is not set, refuses an unknown key (usage) or a removal that breaks a rule', async () => {
    const before = snapshot(dataDir);
    const notSet = await cli(['config', 'unset', 'model', '--json']);
    expect(notSet.exitCode, notSet.stderr).toBe(0);
    expect(parseEnvelope(notSet.stdout).result).toMatchObject({
      key: 'model',
      removed: false,
      previous: null,
    });
    const unknown = await cli(['config', 'unset', 'colour', '--json']);
    expect(unknown.exitCode).toBe(2);
    expect(parseEnvelope(unknown.stdout).error).toMatchObject({ code: 'USAGE' });
    expect(snapshot(dataDir)).toEqual(before);

    const file = {
      ...readConfig(dataDir),
      mode: 'webhook',
      webhookUrl: 'https://bot.example.com/hook',
      webhookSecret: 'w'.repeat(32),
    };
    fs.writeFileSync(path.join(dataDir, 'config.json'), JSON.stringify(file), { mode: 0o600 });
    const kept = snapshot(dataDir);
    const breaking = await cli(['config', 'unset', 'webhookUrl', '--json']);
    expect(breaking.exitCode).toBe(2);
    expect(parseEnvelope(breaking.stdout).error!.message).toMatch(
      /^Not removed: mode is webhook but webhookUrl/,
    );
    expect(snapshot(dataDir)).toEqual(kept);
  });

  it('without a config file creates neither the file nor the data dir', async () => {
    const empty = tempDataDir();
    const result = await runCli(['config', 'unset', 'model'], { BOTCTL_DATA_DIR: empty });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(fs.existsSync(empty)).toBe(false);
  });
});
