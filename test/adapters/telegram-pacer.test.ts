/**
 * The pacer through a real grammY Api against the fake Bot API enforcing Telegram's stated flood
 * limits: it keeps under them (no 429), and nothing but messages ever waits. Assertions compare
 * the fake's recorded arrival times with each other, never with a wall-clock budget.
 */
import { Api, HttpError } from 'grammy';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPacer } from '../../src/adapters/telegram/pacer.js';
import { startFakeTelegram, TELEGRAM_RATE_LIMITS, type FakeTelegram } from '../fakes/telegram.js';
import { TEST_TOKEN } from '../helpers/bot-harness.js';
import { waitFor } from '../helpers/ports.js';

/** grammY types its signals with the abort-controller package; Node's own is what it gets at run time. */
type GrammySignal = Parameters<Api['getMe']>[0];

let telegram: FakeTelegram;
beforeAll(async () => {
  telegram = await startFakeTelegram({ token: TEST_TOKEN });
});
afterAll(async () => telegram?.close());
beforeEach(() => {
  telegram.reset();
  telegram.setRateLimit(TELEGRAM_RATE_LIMITS);
});

function pacedApi(pacer = createPacer()): Api {
  const api = new Api(TEST_TOKEN, { apiRoot: telegram.apiRoot });
  api.config.use(pacer.transformer);
  return api;
}

const arrival = (method: string, chatId: number, text?: string) =>
  telegram
    .callsOf(method)
    .find((call) => call.params.chat_id === chatId && (text === undefined || call.params.text === text))!.at;

describe('Telegram pacer', () => {
  it('keeps a burst over many chats under 30/s; typing, drafts and reads pass the queued messages', async () => {
    const api = pacedApi();
    const chats = Array.from({ length: 34 }, (_, i) => 1000 + i);
    const messages = Promise.all(chats.map((chat) => api.sendMessage(chat, `m${chat}`)));
    // A quiet chat's signals of work, sent while four messages wait for the next second.
    await api.sendChatAction(2000, 'typing');
    await api.sendMessageDraft(2000, 7, 'thinking');
    await api.getMe();
    await messages;

    expect(telegram.tooManyRequestsCount).toBe(0);
    const sends = telegram.callsOf('sendMessage').map((call) => call.at);
    expect(sends).toHaveLength(34);
    // 30 left at once; the rest waited for the first of them to leave the rolling second.
    expect(sends[30]! - sends[0]!).toBeGreaterThanOrEqual(1000);
    expect(arrival('sendChatAction', 2000)).toBeLessThan(sends[30]!);
    expect(arrival('sendMessageDraft', 2000)).toBeLessThan(sends[30]!);
    expect(telegram.callsOf('getMe')[0]!.at).toBeLessThan(sends[30]!);
  });

  it('shares the per-bot second among instances: two daemons with one token stay under 30/s together', async () => {
    // Each instance paces alone: together they send 60 in the first second, and Telegram refuses.
    const alone = [pacedApi(), pacedApi()];
    await Promise.all(
      alone.flatMap((api, n) =>
        Array.from({ length: 30 }, (_, i) => api.sendMessage(3000 + n * 100 + i, 'a').catch(() => undefined)),
      ),
    );
    expect(telegram.tooManyRequestsCount).toBeGreaterThan(0);

    telegram.reset();
    telegram.setRateLimit(TELEGRAM_RATE_LIMITS);
    const pacers = [createPacer(), createPacer()];
    for (const pacer of pacers) pacer.shareWith(2);
    const shared = pacers.map((pacer) => pacedApi(pacer));
    await Promise.all(
      shared.flatMap((api, n) =>
        Array.from({ length: 30 }, (_, i) => api.sendMessage(4000 + n * 100 + i, 'b')),
      ),
    );
    expect(telegram.tooManyRequestsCount).toBe(0);
    const sends = telegram
      .callsOf('sendMessage')
      .map((call) => call.at)
      .sort((a, b) => a - b);
    expect(sends).toHaveLength(60);
    // 15 each left at once; the next ones a second after the first of them.
    expect(sends[30]! - sends[0]!).toBeGreaterThanOrEqual(1000);

    // One instance left: its share grows back to the whole second.
    telegram.reset();
    telegram.setRateLimit(TELEGRAM_RATE_LIMITS);
    pacers[0]!.shareWith(1);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await Promise.all(Array.from({ length: 30 }, (_, i) => shared[0]!.sendMessage(5000 + i, 'c')));
    const alone30 = telegram.callsOf('sendMessage').map((call) => call.at);
    expect(Math.max(...alone30) - Math.min(...alone30)).toBeLessThan(1000);
  });

  it('lets a short burst into a group at once, then 1/s, and its typing never waits behind it', async () => {
    const api = pacedApi();
    const group = -100_500;
    const texts = ['g1', 'g2', 'g3', 'g4', 'g5'];
    const messages = Promise.all(texts.map((text) => api.sendMessage(group, text)));
    await api.sendChatAction(group, 'typing');
    await messages;

    expect(telegram.tooManyRequestsCount).toBe(0);
    const at = texts.map((text) => arrival('sendMessage', group, text));
    expect(at).toEqual([...at].sort((a, b) => a - b)); // in the order asked
    expect(at[3]! - at[0]!).toBeGreaterThanOrEqual(1000);
    expect(at[4]! - at[3]!).toBeGreaterThanOrEqual(1000);
    expect(arrival('sendChatAction', group)).toBeLessThan(at[3]!);
  });

  it("holds a group's 21st message of the minute (edits do not count) and lets go of it when aborted", async () => {
    // Only the group's minute is under test here: no per-chat burst limit on either side.
    telegram.setRateLimit({ ...TELEGRAM_RATE_LIMITS, perChatBurst: 30 });
    const pacer = createPacer({ limits: { groupBurst: 30 } });
    const api = pacedApi(pacer);
    const group = -100_600;
    const sent = await Promise.all(Array.from({ length: 20 }, (_, i) => api.sendMessage(group, `g${i}`)));
    await api.editMessageText(group, sent[0]!.message_id, 'edited');
    const controller = new AbortController();
    const held = api
      .sendMessage(group, 'g20', undefined, controller.signal as GrammySignal)
      .catch((error: unknown) => error);
    await waitFor(() => expect(pacer.waiting()).toBe(1), 5000);
    // Another group is not held behind it.
    await api.sendMessage(-100_601, 'elsewhere');
    expect(telegram.sentMessages(group)).toHaveLength(20);
    controller.abort();
    expect(await held).toBeInstanceOf(HttpError);
    expect(pacer.waiting()).toBe(0);
    expect(telegram.callsOf('sendMessage').filter((call) => call.params.text === 'g20')).toHaveLength(0);
    expect(telegram.tooManyRequestsCount).toBe(0);
  });

  it('paces a private chat by the per-bot limit only: a few answers in a row never wait', async () => {
    telegram.setRateLimit({ perSecond: 30 });
    // A clock that never moves: any send the pacer meant to delay would wait forever.
    const api = pacedApi(createPacer({ now: () => 0 }));
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((text) => api.sendMessage(42, text)));
    expect(telegram.sentMessages(42)).toHaveLength(5);
    expect(telegram.tooManyRequestsCount).toBe(0);
  });
});
