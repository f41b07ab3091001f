/**
 * Access and limits through the real daemon: rate limit (burst, then refill), daily quota
 * with its reset time, bans (one notice, then silence), allow-list mode; and the handler
 * error path (logged with update id and user id, counted, apology without a stack trace).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { waitFor } from '../helpers/ports.js';

let h: Harness;
let nextChat = 30_000;

// Refill of one message per 5 s: slow enough that a burst is caught however busy the machine.
beforeAll(async () => {
  h = await startHarness({
    env: {
      BOTCTL_RATE_LIMIT: '{"burst":3,"perMinute":12}',
      BOTCTL_QUOTAS: '{"user":{"messagesPerDay":3},"premium":{"messagesPerDay":0}}',
    },
  });
});
afterAll(async () => h?.close());
beforeEach(() => {
  h.gemini.respond = undefined;
});

const say = (chatId: number, text: string) =>
  h.telegram.pushUpdate(h.telegram.updates.text({ chatId, text }));
const texts = (chatId: number) => h.telegram.sentMessages(chatId);

describe('limits', () => {
  it('rate-limits a burst, says how long to wait, and lets the user in again after the refill', async () => {
    const chat = nextChat++;
    // Premium: no daily quota in this harness, so only the rate limit speaks.
    const user = await h.db.repos.users.upsertFromTelegram({
      telegramId: chat,
      username: null,
      firstName: 'Rita',
      lastName: null,
      languageCode: 'en',
      language: 'en',
    });
    await h.db.repos.users.setRole(user.id, 'premium');
    h.gemini.respond = (req) => ({ text: `ok ${req.lastUserText}`, firstTokenDelayMs: 300 });
    say(chat, 'a');
    say(chat, 'b');
    say(chat, 'c');
    say(chat, 'x');
    await waitFor(() => expect(texts(chat)).toHaveLength(4));
    expect(texts(chat)).toEqual([
      'ok a',
      'ok b',
      'ok c',
      expect.stringMatching(/too fast\. Please wait \d+ s/),
    ]);
    const wait = Number(/wait (\d+) s/.exec(texts(chat)[3]!)![1]);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(5);
    await new Promise((resolve) => setTimeout(resolve, wait * 1000 + 100));
    say(chat, 'd');
    await waitFor(() => expect(texts(chat)[4]).toBe('ok d'));
  });

  it('enforces the daily message quota and names the reset time; premium users are unlimited', async () => {
    const chat = nextChat++;
    for (const text of ['1', '2', '3']) {
      say(chat, text);
      await waitFor(() => expect(texts(chat).at(-1)).toBe(`Echo: ${text}`));
    }
    await new Promise((resolve) => setTimeout(resolve, 5100)); // one rate-limit token back
    say(chat, '4');
    await waitFor(() => expect(texts(chat)).toHaveLength(4));
    expect(texts(chat)[3]).toMatch(/today's limit\. It resets at .*12:00\sAM/);
    // Premium is not sold in this harness: no word of it.
    expect(texts(chat)[3]).not.toContain('/premium');
    const user = await h.db.repos.users.getByTelegramId(chat);
    const usage = await h.db.repos.usage.get(user!.id, new Date().toISOString().slice(0, 10));
    expect(usage.messages).toBe(3);

    await h.db.repos.users.setRole(user!.id, 'premium');
    await h.restart(); // the daemon caches users for minutes; a restart drops the copy
    say(chat, '5');
    await waitFor(() => expect(texts(chat).at(-1)).toBe('Echo: 5'), 10_000);
  });

  it("holds a user to limits of their own over the role's quota", async () => {
    const chat = nextChat++;
    const user = await h.db.repos.users.upsertFromTelegram({
      telegramId: chat,
      username: null,
      firstName: 'Olga',
      lastName: null,
      languageCode: 'en',
      language: 'en',
    });
    await h.db.repos.users.setQuotaOverrides(user.id, { messagesPerDay: 1 });
    say(chat, 'one');
    await waitFor(() => expect(texts(chat)).toEqual(['Echo: one']));
    await new Promise((resolve) => setTimeout(resolve, 5100)); // one rate-limit token back
    say(chat, 'two');
    await waitFor(() => expect(texts(chat)).toHaveLength(2));
    expect(texts(chat)[1]).toMatch(/today's limit/);
  });

  it('gives a banned user one notice, then silence, and never calls the model', async () => {
    const chat = nextChat++;
    say(chat, 'hello');
    await waitFor(() => expect(texts(chat)).toEqual(['Echo: hello']));
    const user = await h.db.repos.users.getByTelegramId(chat);
    await h.db.repos.users.setStatus(user!.id, 'banned');
    await h.restart();
    say(chat, 'still there?');
    await waitFor(() => expect(texts(chat)).toHaveLength(2));
    expect(texts(chat)[1]).toMatch(/can no longer use this bot/);
    say(chat, 'hello??');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(texts(chat)).toHaveLength(2);
    expect(
      h.gemini.requests.some((r) => r.lastUserText.startsWith('still there') || r.lastUserText === 'hello??'),
    ).toBe(false);
  });
});

describe('handler errors', () => {
  it('logs a failed update with update id and user id, counts it, and apologises without internals', async () => {
    const chat = nextChat++;
    h.telegram.failNext('sendMessage', {
      errorCode: 400,
      description: 'Bad Request: chat is deactivated',
      times: 1,
    });
    const update = say(chat, 'will fail to send');
    await waitFor(() =>
      expect(
        h.logs.lines().some((l) => l.msg === 'update handler failed' && l.updateId === update.update_id),
      ).toBe(true),
    );
    const line = h.logs
      .lines()
      .find((l) => l.msg === 'update handler failed' && l.updateId === update.update_id)!;
    expect(line.userId).toBe(chat);
    await waitFor(() => expect(texts(chat).at(-1)).toMatch(/something went wrong on my side/));
    expect(texts(chat).at(-1)).not.toMatch(/at |Error|400/);
    const metrics = await (await fetch(`http://127.0.0.1:${h.daemon.port}/metrics`)).text();
    expect(metrics).toMatch(/botctl_errors_total\{code="(TELEGRAM_ERROR|INTERNAL)"\} [1-9]/);
    // And durably, per day and code, for the stats' error series (`botctl stats`, the panel).
    const counted = await waitFor(async () => {
      const rows = await h.db.raw('select day, code, count from daily_errors');
      expect(rows).toHaveLength(1);
      return rows[0]!;
    });
    expect(counted).toMatchObject({ day: new Date().toISOString().slice(0, 10), count: 1 });
    expect(metrics).toContain(`botctl_errors_total{code="${String(counted.code)}"} 1`);
    expect(h.logs.text()).not.toContain(h.config.telegramToken!);
  });
});
