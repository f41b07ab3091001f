/**
 * The setup wizard in a real pseudo-terminal (util-linux `script`): prompts answered like an
 * operator would, hidden secrets, a wrong answer asked again, Enter keeping the previous
 * values on a rerun, and Ctrl-C leaving everything as it was.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnInPty, type PtySession } from '../helpers/pty.js';
import {
  GEMINI_KEY,
  PROCESS_TIMEOUT_MS,
  TOKEN,
  mode,
  readConfig,
  setupUnattended,
  snapshot,
  startFakes,
  tempDataDir,
  type Fakes,
} from '../helpers/setup-env.js';

let fakes: Fakes;
beforeAll(async () => {
  fakes = await startFakes();
});
afterAll(() => fakes?.close());

async function answer(session: PtySession, prompt: string, reply: string): Promise<void> {
  await session.expect(prompt);
  session.type(reply);
}

describe('botctl setup in a terminal', { timeout: PROCESS_TIMEOUT_MS }, () => {
  it('asks, checks each answer against the service, hides secrets, and writes once at the end', async () => {
    const dataDir = tempDataDir();
    const session = spawnInPty(['setup'], fakes.env(dataDir));
    await answer(session, 'Telegram bot token', '999:WRONGwrongWRONGwrongWRONG');
    await session.expect('✗ Telegram rejected the bot token');
    await answer(session, 'Telegram bot token', TOKEN);
    await session.expect('✓ @botctl_test_bot');
    await answer(session, 'Gemini API key', GEMINI_KEY);
    await session.expect(/\d+\) gemini-2\.5-pro/);
    await answer(session, 'Model (number or id) [gemini-flash-latest]', 'gemini-2.5-pro');
    await answer(session, 'Database', '');
    await session.expect('✓ SQLite file');
    await answer(session, 'Redis URL', '');
    await answer(session, 'How updates arrive: polling or webhook [polling]', 'carrier-pigeon');
    await session.expect('✗ Invalid option');
    // Nothing is on disk while questions remain.
    expect(fs.existsSync(dataDir)).toBe(false);
    await answer(session, 'How updates arrive', 'polling');
    await answer(session, 'Admin Telegram user ids', '1001, 1002');
    await answer(session, 'Messages a day per user (0 = unlimited) [100]', '25');
    await answer(session, 'Render deployment files?', 'systemd');
    await session.expect('Done: @botctl_test_bot is ready');
    expect(await session.exitCode).toBe(0);

    expect(session.output).not.toContain(TOKEN);
    expect(session.output).not.toContain(GEMINI_KEY);
    const config = readConfig(dataDir);
    expect(config).toMatchObject({
      telegramToken: TOKEN,
      geminiApiKey: GEMINI_KEY,
      model: 'gemini-2.5-pro',
      admins: [1001, 1002],
    });
    expect(config.quotas).toMatchObject({ user: { messagesPerDay: 25 } });
    expect(mode(path.join(dataDir, 'config.json'))).toBe(0o600);
    expect(fs.readFileSync(path.join(dataDir, 'deploy/systemd/botctl.service'), 'utf8')).toContain(
      `ReadWritePaths=${dataDir}`,
    );
    expect(fakes.telegram.sentMessages(1001).join('\n')).toContain('is set up');
  });

  it('offers the current values on a rerun (secrets masked): Enter everywhere keeps them', async () => {
    const dataDir = tempDataDir();
    const first = await setupUnattended(fakes, dataDir, [
      '--admins',
      '7',
      '--model',
      'gemini-2.5-flash',
      '--render',
      'none',
    ]);
    expect(first.exitCode, first.stderr).toBe(0);
    const before = readConfig(dataDir);
    const session = spawnInPty(['setup'], fakes.env(dataDir));
    await answer(session, 'Telegram bot token (from @BotFather) [Enter keeps ********]', '');
    await answer(session, 'Gemini API key (https://aistudio.google.com/apikey) [Enter keeps ********]', '');
    await answer(session, 'Model (number or id) [gemini-2.5-flash]', '');
    await answer(session, 'Database', '');
    await answer(session, 'Redis URL', '');
    await answer(session, 'How updates arrive', '');
    await answer(session, 'Admin Telegram user ids, comma-separated (the first gets a test message) [7]', '');
    await answer(session, 'Messages a day per user', '');
    await answer(session, 'Render deployment files?', '');
    expect(await session.exitCode).toBe(0);
    expect(readConfig(dataDir)).toEqual(before);
    expect(session.output).not.toContain(TOKEN);
  });

  it('Ctrl-C at a prompt exits 130 and leaves the existing files untouched', async () => {
    const dataDir = tempDataDir();
    expect((await setupUnattended(fakes, dataDir, ['--skip-checks'])).exitCode).toBe(0);
    const before = snapshot(dataDir);
    const session = spawnInPty(['setup', '--skip-checks'], fakes.env(dataDir));
    await answer(session, 'Telegram bot token', '');
    await answer(session, 'Gemini API key', '');
    await session.expect('Model');
    session.press('gemini-typed-but-not-entered');
    session.press('\x03');
    await session.expect('Setup cancelled: nothing was written.');
    expect(await session.exitCode).toBe(130);
    expect(snapshot(dataDir)).toEqual(before);
  });

  it('uses values given as flags without asking for them', async () => {
    const dataDir = tempDataDir();
    const session = spawnInPty(
      [
        'setup',
        '--telegram-token',
        TOKEN,
        '--gemini-api-key',
        GEMINI_KEY,
        '--admins',
        '55',
        '--render',
        'none',
      ],
      fakes.env(dataDir),
    );
    await answer(session, 'Model', '');
    await answer(session, 'Database', '');
    await answer(session, 'Redis URL', '');
    await answer(session, 'How updates arrive', 'webhook');
    await answer(session, 'Public https:// URL', 'https://bot.example.com/hook');
    await session.expect('✓ generated a webhook secret');
    await answer(session, 'Messages a day per user', '');
    expect(await session.exitCode).toBe(0);
    expect(session.output).not.toContain('Telegram bot token');
    expect(session.output).not.toContain('Admin Telegram user ids');
    expect(readConfig(dataDir)).toMatchObject({
      admins: [55],
      mode: 'webhook',
      webhookUrl: 'https://bot.example.com/hook',
    });
    expect(readConfig(dataDir).webhookSecret).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });
});
