/**
 * `botctl setup` as a process, unattended (flags, BOTCTL_*, *_FILE), against the fake
 * Telegram and Gemini servers, on SQLite and Postgres. The wizard in a real terminal is in
 * setup-tty.test.ts. A refused setup must leave every file as it was.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnvelope, runCli } from '../helpers/cli.js';
import { openTestDatabase } from '../helpers/db.js';
import { shapeMismatches } from '../helpers/json-shape.js';
import {
  GEMINI_KEY,
  TOKEN,
  mode,
  readConfig,
  setupUnattended,
  snapshot,
  startFakes,
  tempDataDir,
  type Fakes,
  PROCESS_TIMEOUT_MS,
} from '../helpers/setup-env.js';

let fakes: Fakes;
beforeAll(async () => {
  fakes = await startFakes();
});
afterAll(() => fakes?.close());

interface SetupJson {
  configFile: string;
  bot: string | null;
  model: string;
  dialect: string;
  migrationsApplied: string[];
  testMessage: string;
  rendered: string[];
}

describe('botctl setup --no-input', { timeout: PROCESS_TIMEOUT_MS }, () => {
  it('checks the token and key, writes a 0600 config in a 0700 dir, migrates and messages the first admin', async () => {
    const dataDir = tempDataDir();
    const result = await setupUnattended(fakes, dataDir, ['--admins', '4242,77', '--json']);
    expect(result.exitCode, result.stderr).toBe(0);
    const envelope = parseEnvelope(result.stdout);
    const out = envelope.result as SetupJson;
    expect(out).toMatchObject({
      bot: 'botctl_test_bot',
      model: 'gemini-flash-latest',
      dialect: 'sqlite',
      testMessage: 'sent',
    });
    expect(out.migrationsApplied.length).toBeGreaterThan(0);
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(path.join(dataDir, 'config.json'))).toBe(0o600);
    // The default model and the default SQLite path stay implicit, so they follow later defaults and the data dir.
    expect(readConfig(dataDir)).toMatchObject({
      telegramToken: TOKEN,
      geminiApiKey: GEMINI_KEY,
      admins: [4242, 77],
    });
    expect(readConfig(dataDir)).not.toHaveProperty('databaseUrl');
    expect(fakes.telegram.callsOf('getMe').length).toBeGreaterThan(0);
    expect(fakes.gemini.requests.some((r) => r.method === 'models.list')).toBe(true);
    expect(fakes.telegram.sentMessages(4242).join('\n')).toContain('@botctl_test_bot is set up');
    expect(fakes.telegram.sentMessages(77)).toEqual([]);
    const status = await runCli(['migrate', 'status', '--json'], { BOTCTL_DATA_DIR: dataDir });
    expect(parseEnvelope(status.stdout).result).toMatchObject({ pending: 0 });
    expect(shapeMismatches('migrate status', parseEnvelope(status.stdout).result)).toEqual([]);
    expect(result.stdout).not.toContain(TOKEN);
  });

  it('sets up on Postgres: connects, applies the migrations there, keeps the URL', async () => {
    const db = await openTestDatabase('postgres', { migrate: false });
    try {
      const dataDir = tempDataDir();
      const result = await setupUnattended(fakes, dataDir, ['--database-url', db.url, '--json']);
      expect(result.exitCode, result.stderr).toBe(0);
      expect((parseEnvelope(result.stdout).result as SetupJson).dialect).toBe('postgres');
      expect(readConfig(dataDir).databaseUrl).toBe(db.url);
      const ledger = await db.raw('select count(*)::int as n from botctl_migrations');
      expect(Number(ledger[0]?.n)).toBeGreaterThan(0);
    } finally {
      await db.cleanup();
    }
  });

  it('lists every missing value at once, one line each, exit 2, writing nothing (also without a TTY and no --no-input)', async () => {
    const dataDir = tempDataDir();
    for (const args of [['--no-input'], []]) {
      const result = await runCli(['setup', ...args, '--mode', 'webhook'], fakes.env(dataDir));
      expect(result.exitCode).toBe(2);
      const lines = result.stderr.split('\n').filter((l) => /\((--[a-z-]+), BOTCTL_/.test(l));
      expect(lines).toHaveLength(3);
      expect(result.stderr).toMatch(/telegramToken \(--telegram-token, BOTCTL_TELEGRAM_TOKEN\): required/);
      expect(result.stderr).toMatch(/geminiApiKey \(--gemini-api-key, BOTCTL_GEMINI_API_KEY\): required/);
      expect(result.stderr).toMatch(
        /webhookUrl \(--webhook-url, BOTCTL_WEBHOOK_URL\): required in webhook mode/,
      );
    }
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it('reports invalid values with the same words as the schema (--json error envelope)', async () => {
    const dataDir = tempDataDir();
    const result = await runCli(
      [
        'setup',
        '--no-input',
        '--json',
        '--telegram-token',
        'nope',
        '--admins',
        '12,abc',
        '--http-port',
        '99999',
      ],
      fakes.env(dataDir, { BOTCTL_GEMINI_API_KEY: GEMINI_KEY }),
    );
    expect(result.exitCode).toBe(2);
    const { error } = parseEnvelope(result.stdout);
    expect(error?.code).toBe('CONFIG_INVALID');
    expect(error?.message).toContain(
      'telegramToken (--telegram-token, BOTCTL_TELEGRAM_TOKEN): must look like 123456789:AA',
    );
    expect(error?.message).toMatch(/admins \(--admins, BOTCTL_ADMINS\): 1: /);
    expect(error?.message).toMatch(/httpPort \(--http-port, BOTCTL_HTTP_PORT\): /);
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  describe('refuses bad input with one clear line and leaves the existing config as it was', () => {
    let dataDir: string;
    let before: Record<string, string>;
    beforeAll(async () => {
      dataDir = tempDataDir();
      expect((await setupUnattended(fakes, dataDir, ['--skip-checks'])).exitCode).toBe(0);
      before = snapshot(dataDir);
    });

    it.each([
      [
        'a token Telegram rejects (401)',
        ['--telegram-token', '999:WRONGwrongWRONGwrongWRONG'],
        1,
        /Telegram rejected the bot token \(401/,
      ],
      ['a Gemini key Google rejects', ['--gemini-api-key', 'wrong-key-0123456789'], 1, /Gemini|API key/i],
      [
        'an unreachable database',
        ['--database-url', 'postgres://botctl:hunter22@127.0.0.1:1/x'],
        1,
        /PostgreSQL at postgres:\/\/botctl:\*\*\*\*@127\.0\.0\.1:1\/x/,
      ],
      [
        'a model the key cannot use',
        ['--model', 'gemini-0.1-ancient'],
        2,
        /model gemini-0\.1-ancient is not available/,
      ],
    ])('%s', async (_name, args, exit, message) => {
      const result = await runCli(['setup', '--no-input', ...args], fakes.env(dataDir));
      expect(result.exitCode, result.stderr).toBe(exit);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(result.stderr + result.stdout).not.toContain('hunter22');
      expect(snapshot(dataDir)).toEqual(before);
    });

    it('a data dir that cannot be created', async () => {
      const file = path.join(path.dirname(dataDir), 'a-file');
      fs.writeFileSync(file, 'x');
      const result = await setupUnattended(fakes, path.join(file, 'sub'));
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toMatch(/The data dir .*a-file\/sub is not writable/);
      expect(fs.readFileSync(file, 'utf8')).toBe('x');
    });
  });

  it('keeps previous values on a rerun, with the previous file as a 0600 .bak and the data dir back at 0700', async () => {
    const dataDir = tempDataDir();
    const first = await setupUnattended(fakes, dataDir, [
      '--admins',
      '5',
      '--model',
      'gemini-2.5-pro',
      '--context-tokens',
      '4000',
    ]);
    expect(first.exitCode, first.stderr).toBe(0);
    const previous = fs.readFileSync(path.join(dataDir, 'config.json'), 'utf8');
    fs.chmodSync(dataDir, 0o755);
    const again = await runCli(
      ['setup', '--no-input', '--json', '--broadcast-rate', '10'],
      fakes.env(dataDir),
    );
    expect(again.exitCode, again.stderr).toBe(0);
    expect(readConfig(dataDir)).toMatchObject({
      telegramToken: TOKEN,
      geminiApiKey: GEMINI_KEY,
      admins: [5],
      model: 'gemini-2.5-pro',
      contextTokens: 4000,
      broadcastRate: 10,
    });
    expect(fs.readFileSync(path.join(dataDir, 'config.json.bak'), 'utf8')).toBe(previous);
    expect(mode(path.join(dataDir, 'config.json.bak'))).toBe(0o600);
    expect(mode(dataDir)).toBe(0o700);
    expect(fs.readdirSync(dataDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('takes values from BOTCTL_* and *_FILE; a secret read from a file stays out of config.json', async () => {
    const dataDir = tempDataDir();
    const secretFile = path.join(path.dirname(dataDir), 'token');
    fs.writeFileSync(secretFile, `${TOKEN}\n`);
    const env = {
      BOTCTL_TELEGRAM_TOKEN_FILE: secretFile,
      BOTCTL_GEMINI_API_KEY: GEMINI_KEY,
      BOTCTL_ADMINS: '31',
    };
    const result = await runCli(['setup', '--no-input', '--json'], fakes.env(dataDir, env));
    expect(result.exitCode, result.stderr).toBe(0);
    expect((parseEnvelope(result.stdout).result as SetupJson).testMessage).toBe('sent');
    const config = readConfig(dataDir);
    expect(config).not.toHaveProperty('telegramToken');
    expect(config).toMatchObject({ geminiApiKey: GEMINI_KEY, admins: [31] });
  });

  it('generates a webhook secret for webhook mode', async () => {
    const dataDir = tempDataDir();
    const result = await setupUnattended(fakes, dataDir, [
      '--mode',
      'webhook',
      '--webhook-url',
      'https://bot.example.com/tg',
    ]);
    expect(result.exitCode, result.stderr).toBe(0);
    const config = readConfig(dataDir);
    expect(config).toMatchObject({ mode: 'webhook', webhookUrl: 'https://bot.example.com/tg' });
    expect(config.webhookSecret).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(result.stdout).not.toContain(String(config.webhookSecret));
  });

  it('warns, and still succeeds, when the test message cannot be delivered', async () => {
    const dataDir = tempDataDir();
    fakes.telegram.blockUser(666);
    const result = await setupUnattended(fakes, dataDir, ['--admins', '666', '--json']);
    expect(result.exitCode, result.stderr).toBe(0);
    const envelope = parseEnvelope(result.stdout);
    expect((envelope.result as SetupJson).testMessage).toBe('failed');
    expect(envelope.warnings.join('\n')).toMatch(/test message to admin 666 was not delivered/);
  });

  it('works offline with --skip-checks: nothing is contacted, nothing is sent', async () => {
    const dataDir = tempDataDir();
    const calls = fakes.telegram.calls.length;
    const result = await runCli(
      [
        'setup',
        '--no-input',
        '--skip-checks',
        '--json',
        '--telegram-token',
        TOKEN,
        '--gemini-api-key',
        GEMINI_KEY,
        '--admins',
        '8',
      ],
      { BOTCTL_DATA_DIR: dataDir, BOTCTL_TELEGRAM_API_ROOT: 'http://127.0.0.1:1' },
    );
    expect(result.exitCode, result.stderr).toBe(0);
    expect(parseEnvelope(result.stdout).result).toMatchObject({ bot: null, testMessage: 'skipped' });
    expect(fakes.telegram.calls.length).toBe(calls);
  });
});

describe('botctl setup --render', { timeout: PROCESS_TIMEOUT_MS }, () => {
  it('renders systemd, compose, env and k8s files that name the data dir and hold no secret', async () => {
    const dataDir = tempDataDir();
    const renderDir = path.join(path.dirname(dataDir), 'deploy');
    // The test server trusts every local login, so a password in the URL is accepted and ignored.
    const db = await openTestDatabase('postgres', { migrate: false });
    const dbUrl = db.url.replace('postgres://postgres@', 'postgres://postgres:pg-secret-pw@');
    const result = await setupUnattended(fakes, dataDir, [
      '--render',
      'systemd,compose,env,k8s',
      '--render-dir',
      renderDir,
      '--database-url',
      dbUrl,
      '--model',
      'gemini-2.5-flash',
    ]).finally(() => db.cleanup());
    expect(result.exitCode, result.stderr).toBe(0);
    const files = snapshot(renderDir);
    expect(Object.keys(files).sort()).toEqual(
      [
        'botctl.env',
        'compose.yaml',
        'k8s/backup-cronjob.yaml',
        'k8s/configmap.yaml',
        'k8s/deployment.yaml',
        'k8s/secret.yaml',
        'k8s/service.yaml',
        'systemd/botctl-backup.service',
        'systemd/botctl-backup.timer',
        'systemd/botctl-prune.service',
        'systemd/botctl-prune.timer',
        'systemd/botctl.service',
      ].sort(),
    );
    const text = (file: string) => fs.readFileSync(path.join(renderDir, file), 'utf8');
    for (const file of Object.keys(files)) {
      for (const secret of [TOKEN, GEMINI_KEY, 'pg-secret-pw'])
        expect(text(file), file).not.toContain(secret);
      expect(text(file), file).not.toMatch(/\{\{/);
    }
    const unit = text('systemd/botctl.service');
    for (const line of [
      'NoNewPrivileges=yes',
      'ProtectSystem=strict',
      `ReadWritePaths=${dataDir}`,
      'PrivateTmp=yes',
    ]) {
      expect(unit).toContain(line);
    }
    expect(unit).toContain(`Environment=BOTCTL_DATA_DIR=${dataDir}`);
    expect(text('systemd/botctl-backup.service')).toMatch(/ExecStart=.* backup create$/m);
    expect(text('systemd/botctl-prune.service')).toMatch(/ExecStart=.* backup prune --keep 14 --yes$/m);
    expect(text('botctl.env')).toContain(`BOTCTL_DATA_DIR=${dataDir}`);
    expect(text('botctl.env')).toContain('BOTCTL_MODEL=gemini-2.5-flash');
    expect(text('botctl.env')).toMatch(/^# BOTCTL_TELEGRAM_TOKEN_FILE=/m);
    expect(text('botctl.env')).toMatch(/^# BOTCTL_DATABASE_URL_FILE=/m);
    expect(text('compose.yaml')).toContain(`${dataDir}:/data`);
    expect(text('compose.yaml')).toMatch(/profiles: \[postgres\]/);
    expect(text('k8s/deployment.yaml')).toMatch(/path: \/healthz/);
    expect(text('k8s/deployment.yaml')).toMatch(/path: \/readyz/);
    expect(text('k8s/secret.yaml')).toContain('BOTCTL_TELEGRAM_TOKEN: "REPLACE_ME"');
    expect(mode(path.join(renderDir, 'botctl.env'))).toBe(0o600);
  });

  it('writes secret values only with --include-secrets', async () => {
    const dataDir = tempDataDir();
    const result = await setupUnattended(fakes, dataDir, ['--render', 'env,k8s', '--include-secrets']);
    expect(result.exitCode, result.stderr).toBe(0);
    const deploy = path.join(dataDir, 'deploy');
    expect(fs.readFileSync(path.join(deploy, 'botctl.env'), 'utf8')).toContain(
      `BOTCTL_TELEGRAM_TOKEN=${TOKEN}`,
    );
    expect(fs.readFileSync(path.join(deploy, 'k8s/secret.yaml'), 'utf8')).toContain(
      `BOTCTL_GEMINI_API_KEY: "${GEMINI_KEY}"`,
    );
    expect(mode(path.join(deploy, 'k8s/secret.yaml'))).toBe(0o600);
  });

  it('renders the Grafana dashboard and the Prometheus alert rules as they ship', async () => {
    const dataDir = tempDataDir();
    const result = await setupUnattended(fakes, dataDir, ['--render', 'grafana,prometheus']);
    expect(result.exitCode, result.stderr).toBe(0);
    const deploy = path.join(dataDir, 'deploy');
    for (const file of ['grafana/botctl.json', 'prometheus/alerts.yml']) {
      expect(fs.readFileSync(path.join(deploy, file), 'utf8'), file).toBe(
        fs.readFileSync(new URL(`../../templates/${file}`, import.meta.url), 'utf8'),
      );
    }
  });

  it('refuses an unknown render target before asking or writing anything', async () => {
    const dataDir = tempDataDir();
    const result = await setupUnattended(fakes, dataDir, ['--render', 'systemd,helm']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/unknown render target helm/);
    expect(fs.existsSync(dataDir)).toBe(false);
  });
});
