/**
 * `botctl alerts test` and the alerts commands send themselves, as processes against the fake
 * Telegram and a loopback Slack receiver: one alert to each configured target, exit 1 when a
 * target refuses it, exit 2 when none is configured; a failed `backup create` and a finished
 * broadcast report themselves.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram.js';
import { TEST_TOKEN } from '../helpers/bot-harness.js';
import { parseEnvelope, runCli } from '../helpers/cli.js';
import { startSlackReceiver, type SlackReceiver } from '../helpers/slack-receiver.js';
import { plainUsers, seedUsers } from '../helpers/broadcast-users.js';
import { openTestDatabase } from '../helpers/db.js';

const ADMIN_CHAT = 4242;

let telegram: FakeTelegram;
let slack: SlackReceiver;
let dataDir: string;
beforeAll(async () => {
  telegram = await startFakeTelegram({ token: TEST_TOKEN });
  slack = await startSlackReceiver();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-alerts-'));
});
afterAll(async () => {
  await telegram?.close();
  await slack?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const env = (more: Record<string, string> = {}) => ({
  BOTCTL_DATA_DIR: dataDir,
  BOTCTL_TELEGRAM_TOKEN: TEST_TOKEN,
  BOTCTL_TELEGRAM_API_ROOT: telegram.apiRoot,
  ...more,
});
const bothTargets = () =>
  env({ BOTCTL_ALERT_CHAT_ID: String(ADMIN_CHAT), BOTCTL_SLACK_WEBHOOK_URL: slack.url });

describe('operator alerts from commands', { timeout: 60_000 }, () => {
  it('sends one test alert to the admin chat and to Slack', async () => {
    const result = await runCli(['alerts', 'test', '--json'], bothTargets());
    expect(result.exitCode, result.stderr).toBe(0);
    expect(parseEnvelope(result.stdout)).toMatchObject({
      status: 'ok',
      result: {
        targets: [
          { target: 'telegram', ok: true, error: null },
          { target: 'slack', ok: true, error: null },
        ],
      },
    });
    expect(telegram.sentMessages(ADMIN_CHAT)).toEqual([
      expect.stringMatching(/^🟢 botctl on .+\nTest alert from `botctl alerts test`: this target works\.$/),
    ]);
    expect(slack.posts.at(-1)?.text).toMatch(/Test alert from `botctl alerts test`/);
  });

  it('speaks Russian with alertLanguage ru', async () => {
    const result = await runCli(
      ['alerts', 'test'],
      env({ BOTCTL_SLACK_WEBHOOK_URL: slack.url, BOTCTL_ALERT_LANGUAGE: 'ru' }),
    );
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^sent +slack$/m);
    expect(slack.posts.at(-1)?.text).toMatch(/botctl на .+: Проверочное оповещение/);
  });

  it('exits 1 naming the target that refused, without printing the webhook URL', async () => {
    slack.status = 500;
    try {
      const result = await runCli(['alerts', 'test'], bothTargets());
      expect(result.exitCode).toBe(1);
      expect(result.stdout).toMatch(/^sent +telegram$/m);
      expect(result.stdout).toMatch(/^FAILED +slack: Slack webhook answered HTTP 500$/m);
      expect(result.stdout + result.stderr).not.toContain('secretHookToken123');
    } finally {
      slack.status = 200;
    }
  });

  it('exits 2 when no target is configured', async () => {
    const result = await runCli(['alerts', 'test'], env());
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/No alert target is configured/);
  });

  it('a failed backup create reports itself, and still fails with its own code', async () => {
    const before = slack.posts.length;
    const missing = path.join(dataDir, 'nowhere', 'botctl.db');
    const result = await runCli(['backup', 'create', '--json'], {
      ...env({ BOTCTL_SLACK_WEBHOOK_URL: slack.url }),
      BOTCTL_DATABASE_URL: `sqlite:${missing}`,
    });
    const envelope = parseEnvelope(result.stdout);
    expect(result.exitCode).not.toBe(0);
    expect(envelope.status).toBe('error');
    expect(slack.posts.slice(before)).toEqual([
      expect.objectContaining({
        text: expect.stringMatching(new RegExp(`A backup failed \\(${envelope.error!.code}\\)`)),
      }),
    ]);
  });

  it('a broadcast that finishes says so in the admin chat, with its counts and without its text', async () => {
    const db = await openTestDatabase('sqlite');
    try {
      await seedUsers(db.repos, plainUsers(3, 700_000));
      const text = 'Our secret launch is tomorrow';
      const result = await runCli(['broadcast', '--text', text, '--id', 'launch', '--json'], {
        ...bothTargets(),
        BOTCTL_DATABASE_URL: db.url,
      });
      expect(result.exitCode, result.stderr).toBe(0);
      const alert = `Broadcast launch finished: 3 sent, 0 blocked, 0 failed.`;
      expect(telegram.sentMessages(ADMIN_CHAT).at(-1)).toMatch(new RegExp(`^🟢 botctl on .+\\n${alert}$`));
      expect(slack.posts.at(-1)?.text).toContain(alert);
      expect(JSON.stringify([telegram.sentMessages(ADMIN_CHAT), slack.posts])).not.toContain(text);
    } finally {
      await db.cleanup();
    }
  });
});
