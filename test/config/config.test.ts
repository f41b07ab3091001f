import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, redactConfig, resolveDataDir, secretValues } from '../../src/config/config.js';
import { readConfigFile, writeConfigFile } from '../../src/config/file.js';
import { displayOption, isSecretValue } from '../../src/config/option-values.js';
import { BotctlError } from '../../src/domain/errors.js';
import { DEFAULT_QUOTAS } from '../../src/domain/quota.js';
import { maskUrlPassword } from '../../src/domain/url-password.js';

const TOKEN = '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ_abc';
const load = (env: Record<string, string>, file?: Record<string, unknown>) =>
  loadConfig({ dataDir: '/srv/botctl', env, file, readFile: (p) => fs.readFileSync(p, 'utf8') });

function expectConfigError(fn: () => unknown, pattern: RegExp) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(BotctlError);
    expect((error as BotctlError).code).toBe('CONFIG_INVALID');
    expect((error as BotctlError).message).toMatch(pattern);
    expect((error as BotctlError).message).not.toContain('\n');
    return;
  }
  throw new Error('expected a CONFIG_INVALID error');
}

describe('loadConfig', () => {
  it('applies documented defaults and puts the SQLite database in the data dir', () => {
    const config = load({});
    expect(config).toMatchObject({
      model: 'gemini-flash-latest',
      mode: 'polling',
      httpPort: 8080,
      telegramApiRoot: 'https://api.telegram.org',
      databaseUrl: path.join('/srv/botctl', 'botctl.sqlite'),
      quotas: { user: { messagesPerDay: 100 }, admin: { messagesPerDay: 0 } },
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.quotas.user)).toBe(true);
  });

  it('ships the domain quota table as the default quotas, and fills a role given in part from it', () => {
    expect(load({}).quotas).toEqual(DEFAULT_QUOTAS);
    expect(DEFAULT_QUOTAS.user.audioSecondsPerDay).toBe(1800);
    const partial = load({ BOTCTL_QUOTAS: '{"user":{"messagesPerDay":5}}' }).quotas;
    expect(partial.user).toEqual({ ...DEFAULT_QUOTAS.user, messagesPerDay: 5 });
    expect(partial.premium).toEqual(DEFAULT_QUOTAS.premium);
  });

  it('layers defaults < file < environment, converting env strings by kind', () => {
    const config = load(
      { BOTCTL_HTTP_PORT: '9090', BOTCTL_ADMINS: '1, 2', BOTCTL_RATE_LIMIT: '{"burst":2,"perMinute":3}' },
      { httpPort: 7070, model: 'gemini-pro-latest', admins: [5] },
    );
    expect(config.httpPort).toBe(9090);
    expect(config.model).toBe('gemini-pro-latest');
    expect(config.admins).toEqual([1, 2]);
    expect(config.rateLimit).toEqual({ burst: 2, perMinute: 3 });
  });

  it('reads *_FILE secrets, trimming the trailing newline', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-cfg-'));
    fs.writeFileSync(path.join(dir, 'token'), `${TOKEN}\n`);
    expect(load({ BOTCTL_TELEGRAM_TOKEN_FILE: path.join(dir, 'token') }).telegramToken).toBe(TOKEN);
    expectConfigError(
      () => load({ BOTCTL_TELEGRAM_TOKEN_FILE: path.join(dir, 'missing') }),
      /BOTCTL_TELEGRAM_TOKEN_FILE/,
    );
  });

  it('fails with one line naming the key, its variable and the problem, without echoing secrets', () => {
    expectConfigError(() => load({ BOTCTL_HTTP_PORT: 'eighty' }), /httpPort \(BOTCTL_HTTP_PORT\)/);
    expectConfigError(
      () => load({ BOTCTL_TELEGRAM_TOKEN: 'not-a-token-secret' }),
      /telegramToken \(BOTCTL_TELEGRAM_TOKEN\)/,
    );
    try {
      load({ BOTCTL_TELEGRAM_TOKEN: 'not-a-token-secret' });
    } catch (error) {
      expect((error as Error).message).not.toContain('not-a-token-secret');
    }
    expectConfigError(() => load({}, { colour: 'blue' }), /colour \(unknown key/);
    expectConfigError(() => load({ BOTCTL_QUOTAS: '{oops' }), /BOTCTL_QUOTAS is not valid JSON/);
    expectConfigError(() => load({ BOTCTL_MODE: 'webhook' }), /webhookUrl/);
  });

  it('accepts a complete webhook setup', () => {
    const config = load({
      BOTCTL_MODE: 'webhook',
      BOTCTL_WEBHOOK_URL: 'https://bot.example.com/tg/hook',
      BOTCTL_WEBHOOK_SECRET: 'abcdefghijklmnop_1234',
    });
    expect(config.mode).toBe('webhook');
  });

  it('masks secrets and URL passwords for output, and lists secret values for scrubbing', () => {
    const config = load({
      BOTCTL_TELEGRAM_TOKEN: TOKEN,
      BOTCTL_DATABASE_URL: 'postgres://bot:s3cretpw@db:5432/bot',
    });
    const shown = redactConfig(config);
    expect(shown.telegramToken).toBe('********');
    expect(shown.databaseUrl).toBe('postgres://bot:****@db:5432/bot');
    expect(JSON.stringify(shown)).not.toContain(TOKEN);
    expect(secretValues(config)).toEqual(expect.arrayContaining([TOKEN, 's3cretpw']));
    expect(maskUrlPassword('/var/lib/botctl.sqlite')).toBe('/var/lib/botctl.sqlite');
  });

  it('reads the alert targets; the Slack webhook URL is a secret, masked whole and scrubbed', () => {
    const hook = 'https://hooks.slack.com/services/T000/B000/XXXXsecretXXXX';
    const config = load({ BOTCTL_ALERT_CHAT_ID: '-1001234567890', BOTCTL_SLACK_WEBHOOK_URL: hook });
    expect(config.alertChatId).toBe(-1001234567890);
    expect(config.alertLanguage).toBe('en');
    expect(redactConfig(config).slackWebhookUrl).toBe('********');
    expect(secretValues(config)).toContain(hook);
    expectConfigError(() => load({ BOTCTL_ALERT_CHAT_ID: 'admins' }), /BOTCTL_ALERT_CHAT_ID/);
    expectConfigError(
      () => load({ BOTCTL_SLACK_WEBHOOK_URL: 'hooks.slack.com' }),
      /BOTCTL_SLACK_WEBHOOK_URL/,
    );
  });

  it('reads event webhook endpoints: secrets masked and scrubbed, URLs shown, bad endpoints refused in one line', () => {
    const secret = 'whsec-0123456789abcdef';
    const endpoints = [
      { url: 'https://crm.example.com/hook', secret },
      {
        name: 'mod',
        url: 'https://user:pw1234@mod.example.com/in',
        secret: 'other-secret-0123456789',
        events: ['user.banned'],
      },
    ];
    const config = load({ BOTCTL_EVENT_WEBHOOKS: JSON.stringify(endpoints) });
    expect(config.eventWebhooks).toEqual(endpoints);
    expect([config.eventMaxAttempts, config.eventRetryBaseMs]).toEqual([10, 5000]);
    expect(load({}).eventWebhooks).toEqual([]);
    const shown = JSON.stringify(redactConfig(config));
    expect(shown).toContain('https://crm.example.com/hook');
    expect(shown).toContain('https://user:****@mod.example.com/in');
    for (const hidden of [secret, 'other-secret-0123456789', 'pw1234']) expect(shown).not.toContain(hidden);
    expect(secretValues(config)).toEqual(
      expect.arrayContaining([secret, 'other-secret-0123456789', 'pw1234']),
    );
    expect(displayOption('eventWebhooks', config.eventWebhooks)).toBe(
      JSON.stringify([
        { url: 'https://crm.example.com/hook', secret: '********' },
        { ...endpoints[1], url: 'https://user:****@mod.example.com/in', secret: '********' },
      ]),
    );
    expect(isSecretValue('eventWebhooks', config.eventWebhooks)).toBe(true);
    expect(isSecretValue('eventWebhooks', [])).toBe(false);

    const env = (value: unknown) => ({ BOTCTL_EVENT_WEBHOOKS: JSON.stringify(value) });
    expectConfigError(
      () => load(env([{ url: 'https://a.example', secret: 'short' }])),
      /at least 16 characters/,
    );
    expectConfigError(
      () => load(env([{ url: 'https://a.example', secret, events: ['user.deleted'] }])),
      /BOTCTL_EVENT_WEBHOOKS/,
    );
    expectConfigError(
      () =>
        load(
          env([
            { url: 'https://a.example/1', secret },
            { url: 'https://a.example/2', secret },
          ]),
        ),
      /two endpoints are named a\.example/,
    );
    expectConfigError(() => load({ BOTCTL_EVENT_WEBHOOKS: '[{' }), /not valid JSON/);
    try {
      load(env([{ url: 'ftp://a.example', secret }]));
    } catch (error) {
      expect((error as Error).message).not.toContain(secret);
    }
  });

  it('resolves the data dir from the flag, then BOTCTL_DATA_DIR, then ./data', () => {
    expect(resolveDataDir('/a', { BOTCTL_DATA_DIR: '/b' })).toBe('/a');
    expect(resolveDataDir(undefined, { BOTCTL_DATA_DIR: '/b' })).toBe('/b');
    expect(resolveDataDir(undefined, {})).toBe(path.resolve('data'));
  });
});

describe('config file', () => {
  it('is written atomically with mode 0600 in a 0700 dir, keeping the previous version', () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-cfg-')), 'data');
    writeConfigFile(dir, { model: 'a' });
    writeConfigFile(dir, { model: 'b' });
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(dir, 'config.json')).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(dir, 'config.json.bak')).mode & 0o777).toBe(0o600);
    expect(readConfigFile(dir)).toEqual({ model: 'b' });
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'config.json.bak'), 'utf8'))).toEqual({ model: 'a' });
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('returns undefined when absent and fails clearly on a broken file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-cfg-'));
    expect(readConfigFile(dir)).toBeUndefined();
    fs.writeFileSync(path.join(dir, 'config.json'), '{"model": ');
    expect(() => readConfigFile(dir)).toThrow(/is not a valid JSON object/);
  });
});
