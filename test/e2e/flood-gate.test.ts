/**
 * Telegram's flood wait is per bot token: a 429 one sender gets holds every sender of the token.
 * The real daemon (in-process) and a broadcast (the built CLI as a process, or the broadcast
 * service with its own messenger and database connection) share one database and the fake Bot
 * API; the fake's recorded call times show nobody sent before the recorded end of the wait.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botIdOf, createFloodGate } from '../../src/adapters/telegram/flood-gate.js';
import { createTelegramMessenger } from '../../src/adapters/telegram/messenger.js';
import { createBroadcastService } from '../../src/services/broadcast/index.js';
import type { TelegramCall } from '../fakes/telegram.js';
import { startHarness, TEST_TOKEN, type Harness } from '../helpers/bot-harness.js';
import { plainUsers, seedUsers } from '../helpers/broadcast-users.js';
import { spawnCli } from '../helpers/cli.js';
import { DIALECTS } from '../helpers/db.js';
import { captureLogs } from '../helpers/logs.js';
import { waitFor } from '../helpers/ports.js';

const BOT = botIdOf(TEST_TOKEN);
/** A CLI process starts in about a second on an idle machine; CI runners can be far slower. */
const PROCESS_TEST_MS = 120_000;

describe.each(DIALECTS)('shared Telegram flood wait on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ dialect });
    h.gemini.respond = () => ({ text: 'pong' });
  });
  afterAll(async () => h?.close());

  /** The stored end of the wait once it is at least `after` (a 429 recorded since). */
  const recordedEnd = (after: number, timeoutMs: number) =>
    waitFor(async () => {
      const end = (await h.db.repos.flood.until(BOT))?.getTime() ?? 0;
      if (end < after) throw new Error(`no flood wait recorded after ${new Date(after).toISOString()}`);
      return end;
    }, timeoutMs);
  const sendsTo = (chatId: number): TelegramCall[] =>
    h.telegram.calls.filter((call) => call.params.chat_id === chatId && /^(send|edit)/.test(call.method));

  it(
    'a broadcast process gets "429 retry after 2": the daemon answering a chat meanwhile sends nothing before its end',
    async () => {
      const users = await seedUsers(h.db.repos, plainUsers(3, 910_000));
      const chat = 4201;
      h.telegram.failNext('sendMessage', { errorCode: 429, retryAfter: 2 });
      const started = Date.now();
      const broadcast = spawnCli(['broadcast', '--id', 'flood', '--text', 'news', '--rate', '20'], {
        BOTCTL_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-flood-')),
        BOTCTL_DATABASE_URL: h.db.url,
        BOTCTL_TELEGRAM_TOKEN: TEST_TOKEN,
        BOTCTL_TELEGRAM_API_ROOT: h.telegram.apiRoot,
        BOTCTL_LOG_LEVEL: 'warn',
      });
      const until = await recordedEnd(started + 2000, 60_000);
      // The broadcast knew of the wait by now (it recorded it): what it sends later must wait.
      const knownAt = Date.now();
      expect(knownAt, 'the wait must still be on for this test to mean anything').toBeLessThan(until);
      h.telegram.pushUpdate(h.telegram.updates.text({ chatId: chat, text: 'ping' }));
      await waitFor(() => expect(h.telegram.sentMessages(chat)).toEqual(['pong']), 30_000);
      const daemonSends = sendsTo(chat);
      expect(daemonSends.map((call) => call.method)).toContain('sendMessage');
      for (const call of daemonSends) expect(call.at, call.method).toBeGreaterThanOrEqual(until);

      const result = await broadcast;
      expect(result.exitCode, String(result.stderr)).toBe(0);
      expect(JSON.parse(String(result.stdout))).toMatchObject({
        sent: 3,
        thisRun: { rateLimited: 1 },
      });
      const broadcastSends = users.flatMap((user) => sendsTo(user.telegramId));
      const refused = broadcastSends.filter((call) => call.response?.ok === false);
      expect(refused).toHaveLength(1);
      expect(refused[0]!.at).toBeLessThan(until);
      // A send already on its way when the 429 came back (the broadcast sends to several chats at
      // once; on a loaded machine the answer takes a while to be read) cannot be called back: only
      // those that left after the wait was known must wait for its end.
      for (const call of broadcastSends.filter((c) => c.response?.ok === true && c.at > knownAt))
        expect(call.at).toBeGreaterThanOrEqual(until);
      expect(broadcastSends.filter((c) => c.response?.ok === true && c.at >= until).length).toBeGreaterThan(
        0,
      );
    },
    PROCESS_TEST_MS,
  );

  it('the daemon gets "429 retry after 2" (auto-retry re-sends it): a broadcast started meanwhile waits for its end', async () => {
    const chat = 4202;
    h.telegram.failNext('sendMessage', { errorCode: 429, retryAfter: 2 });
    const pushed = Date.now();
    h.telegram.pushUpdate(h.telegram.updates.text({ chatId: chat, text: 'ping' }));
    // The daemon's gate sits inside auto-retry, so it records the raw 429 its caller never sees.
    const until = await recordedEnd(pushed + 2000, 10_000);

    // Another sender: its own gate, its own database connection, as a second process has.
    const other = await h.db.reopen();
    const messenger = createTelegramMessenger({
      token: TEST_TOKEN,
      apiRoot: h.telegram.apiRoot,
      floodGate: createFloodGate({ botId: BOT, store: other.repos.flood, log: captureLogs().logger }),
    });
    const service = createBroadcastService({
      users: other.repos.users,
      broadcasts: other.repos.broadcasts,
      messenger: async () => messenger,
    });
    const { broadcast } = await service.create({
      text: 'more news',
      parseMode: null,
      photo: null,
      audience: {},
      ratePerSecond: 20,
    });
    expect(Date.now(), 'the wait must still be on for this test to mean anything').toBeLessThan(until);
    const result = await service.run(broadcast.id);
    await other.close();
    expect(result.run).toMatchObject({ rateLimited: 0 });
    expect(result.run.pausedMs).toBeGreaterThan(0);
    const broadcastSends = h.telegram.callsOf('sendMessage').filter((c) => c.params.text === 'more news');
    expect(broadcastSends.length).toBe(result.run.sent);
    expect(result.run.sent).toBeGreaterThanOrEqual(3);
    for (const call of broadcastSends) expect(call.at).toBeGreaterThanOrEqual(until);

    // The chatter is in the broadcast's audience too; the daemon's answer is the other message.
    await waitFor(() => expect(h.telegram.sentMessages(chat)).toContain('pong'), 10_000);
    const answers = sendsTo(chat).filter(
      (call) => call.method === 'sendMessage' && call.params.text === 'pong',
    );
    expect(answers.map((call) => call.response?.ok)).toEqual([false, true]);
    expect(answers[1]!.at, 'auto-retry re-sent after the recorded end').toBeGreaterThanOrEqual(until);
  });
});
