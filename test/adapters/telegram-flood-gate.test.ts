/**
 * The shared flood gate through real grammY Apis against the fake Bot API, two senders (two
 * gates, two database connections: what two processes have) on one real SQLite database.
 */
import { Api, HttpError } from 'grammy';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { botIdOf, createFloodGate, type FloodGate } from '../../src/adapters/telegram/flood-gate.js';
import { createTelegramMessenger } from '../../src/adapters/telegram/messenger.js';
import { createPacer } from '../../src/adapters/telegram/pacer.js';
import type { FloodRepository } from '../../src/domain/ports/index.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram.js';
import { TEST_TOKEN } from '../helpers/bot-harness.js';
import { openTestDatabase, type TestDatabase } from '../helpers/db.js';
import { captureLogs } from '../helpers/logs.js';

const BOT = botIdOf(TEST_TOKEN);
const text = { text: 'hello', parseMode: null };
/** grammY types its signals with the abort-controller package; Node's own is what it gets at run time. */
type GrammySignal = Parameters<Api['getMe']>[0];

let telegram: FakeTelegram;
let db: TestDatabase;
const gates: FloodGate[] = [];
beforeAll(async () => {
  telegram = await startFakeTelegram({ token: TEST_TOKEN });
});
afterAll(async () => telegram?.close());
beforeEach(async () => {
  telegram.reset();
  db = await openTestDatabase('sqlite');
});
afterEach(async () => {
  while (gates.length > 0) gates.pop()?.close();
  await db.cleanup();
});

function gate(store: FloodRepository, refreshMs?: number) {
  const logs = captureLogs();
  const created = createFloodGate({ botId: BOT, store, log: logs.logger, refreshMs });
  gates.push(created);
  return { gate: created, logs };
}

function apiThrough(flood: FloodGate): Api {
  const api = new Api(TEST_TOKEN, { apiRoot: telegram.apiRoot });
  api.config.use(flood.inner);
  return api;
}

const callTo = (method: string, chatId: number) =>
  telegram.callsOf(method).find((call) => call.params.chat_id === chatId);

describe('shared flood gate', () => {
  it('a 429 one sender gets holds the other sender, through the database, until its end', async () => {
    const broadcaster = createTelegramMessenger({
      token: TEST_TOKEN,
      apiRoot: telegram.apiRoot,
      floodGate: gate(db.repos.flood).gate,
    });
    const daemon = gate((await db.reopen()).repos.flood).gate;
    const daemonApi = apiThrough(daemon);
    telegram.failNext('sendMessage', { errorCode: 429, retryAfter: 2 });
    const before = Date.now();
    expect(await broadcaster.sendText(1, text)).toEqual({ kind: 'rate-limited', retryAfterSeconds: 2 });
    const until = (await db.repos.flood.until(BOT))!.getTime();
    expect(until).toBeGreaterThanOrEqual(before + 2000);

    const asked = Date.now();
    expect(asked, 'the wait must still be on for this test to mean anything').toBeLessThan(until);
    const held = daemonApi.sendMessage(2, 'held');
    // Reads and answers are not held: intake goes on during a flood wait.
    await daemonApi.getMe();
    expect(callTo('sendMessage', 2), 'getMe went first').toBeUndefined();
    expect(await daemon.waitMs()).toBeGreaterThan(0);
    await held;
    expect(callTo('sendMessage', 2)!.at).toBeGreaterThanOrEqual(until);
    expect(await daemon.waitMs()).toBe(0);
    expect(await broadcaster.floodWaitMs()).toBe(0);
    expect(await broadcaster.sendText(1, text)).toMatchObject({ kind: 'sent' });
  });

  it('reads the database at most once per refresh interval, and never again for its own 429', async () => {
    let reads = 0;
    const counting: FloodRepository = {
      until: (botId) => ((reads += 1), db.repos.flood.until(botId)),
      extend: (botId, until) => db.repos.flood.extend(botId, until),
    };
    const api = apiThrough(gate(counting, 60_000).gate);
    for (let i = 0; i < 10; i += 1) await api.sendMessage(10 + i, 'quick');
    expect(reads).toBe(1);
    expect(telegram.callsOf('sendMessage')).toHaveLength(10);
    telegram.failNext('sendMessage', { errorCode: 429, retryAfter: 1 });
    await expect(api.sendMessage(30, 'flooded')).rejects.toMatchObject({ error_code: 429 });
    const until = (await db.repos.flood.until(BOT))!.getTime();
    await api.sendMessage(31, 'after');
    expect(callTo('sendMessage', 31)!.at, 'its own 429 holds it from memory').toBeGreaterThanOrEqual(until);
    expect(reads).toBe(1);
  });

  it('holds before the pacer too, so sends held through a wait are paced after it, not sent at once', async () => {
    const { gate: flood } = gate(db.repos.flood);
    const api = new Api(TEST_TOKEN, { apiRoot: telegram.apiRoot });
    // The daemon's order: inner, (auto-retry,) the pacer, outer last.
    api.config.use(flood.inner, createPacer().transformer, flood.outer);
    const until = Date.now() + 1200;
    await db.repos.flood.extend(BOT, new Date(until));
    // A group: three sends may leave at once, the fourth a second after them.
    const group = -60;
    await Promise.all(['one', 'two', 'three', 'four'].map((text) => api.sendMessage(group, text)));
    const sends = telegram.callsOf('sendMessage');
    expect(sends.map((call) => call.params.text)).toEqual(['one', 'two', 'three', 'four']);
    expect(sends[0]!.at).toBeGreaterThanOrEqual(until);
    // Had all four passed the pacer during the wait, the fourth would have had its turn during it
    // too, and all four would have left the gate together (ms apart) at its end.
    expect(sends[3]!.at - sends[0]!.at).toBeGreaterThanOrEqual(900);
  });

  it('lets a held send go when its signal aborts, without calling Telegram; close() releases all', async () => {
    await db.repos.flood.extend(BOT, new Date(Date.now() + 60_000));
    const flood = gate(db.repos.flood).gate;
    const api = apiThrough(flood);
    const controller = new AbortController();
    const aborted = api
      .sendMessage(40, 'never', undefined, controller.signal as GrammySignal)
      .catch((e: unknown) => e);
    setTimeout(() => controller.abort(), 50);
    expect(await aborted).toBeInstanceOf(HttpError);
    const released = api.sendMessage(41, 'at shutdown');
    setTimeout(() => flood.close(), 50);
    await released;
    expect(callTo('sendMessage', 40)).toBeUndefined();
    expect(callTo('sendMessage', 41)).toBeDefined();
  });

  it('bounded: holds a wait up to its limit, and refuses a longer one at once with the seconds left, without calling Telegram', async () => {
    const bounded = (flood: FloodGate) => {
      const api = new Api(TEST_TOKEN, { apiRoot: telegram.apiRoot });
      const { inner, outer } = flood.bounded(2000);
      api.config.use(inner, outer);
      return api;
    };
    const api = bounded(gate(db.repos.flood).gate);
    telegram.failNext('sendMessage', { errorCode: 429, retryAfter: 1 });
    await expect(api.sendMessage(60, 'first')).rejects.toMatchObject({ error_code: 429 });
    const until = (await db.repos.flood.until(BOT))!.getTime();
    await api.sendMessage(61, 'held');
    expect(callTo('sendMessage', 61)!.at, 'a 1 s wait is held').toBeGreaterThanOrEqual(until);

    await db.repos.flood.extend(BOT, new Date(Date.now() + 150_000));
    const other = bounded(gate(db.repos.flood).gate);
    const refused = await other.sendMessage(62, 'refused').catch((e: unknown) => e);
    expect(refused).toMatchObject({ error_code: 429, parameters: { retry_after: 150 } });
    expect(callTo('sendMessage', 62)).toBeUndefined();
    await other.getMe(); // reads and answers are never held nor refused
  });

  it('never fails a send when the database fails: it warns and goes on with what it knows', async () => {
    const broken = await db.reopen();
    await broken.close();
    const { gate: flood, logs } = gate(broken.repos.flood);
    const messenger = createTelegramMessenger({
      token: TEST_TOKEN,
      apiRoot: telegram.apiRoot,
      floodGate: flood,
    });
    expect(await messenger.sendText(50, text)).toMatchObject({ kind: 'sent' });
    expect(await messenger.floodWaitMs()).toBe(0);
    telegram.failNext('sendMessage', { errorCode: 429, retryAfter: 1 });
    const before = Date.now();
    expect(await messenger.sendText(51, text)).toEqual({ kind: 'rate-limited', retryAfterSeconds: 1 });
    expect(await messenger.sendText(52, text)).toMatchObject({ kind: 'sent' });
    expect(callTo('sendMessage', 52)!.at, 'held from memory').toBeGreaterThanOrEqual(before + 1000);
    const warnings = logs.lines().filter((line) => line.level === 40);
    expect(warnings.map((line) => line.msg)).toEqual([
      'reading the shared Telegram flood wait failed; sending on',
    ]);
    expect(warnings[0]).toMatchObject({ botId: BOT, err: { code: 'DATABASE_UNREACHABLE' } });
    expect(logs.text()).not.toContain(TEST_TOKEN.split(':')[1]);
  });

  it('takes the bot id from the token without keeping the secret part', () => {
    expect(botIdOf('7012345678:AAabcdefghijklmnopqrstuvwxyz')).toBe(7_012_345_678);
    expect(() => botIdOf('not-a-token')).toThrow(/bot id/);
  });
});
