/**
 * The broadcast use case in-process, on real SQLite and PostgreSQL, sending through the real
 * Telegram messenger to the fake Bot API: audience filters, exactly the audience, 403 ->
 * blocked and skipped later, 429s honoured, the crash rule, cancel, interrupt and resume.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramMessenger } from '../../../src/adapters/telegram/messenger.js';
import type { BotctlError } from '../../../src/domain/errors.js';
import {
  UNKNOWN_AFTER_CRASH,
  createBroadcastService,
  type NewBroadcast,
} from '../../../src/services/broadcast/index.js';
import { startFakeTelegram, type FakeTelegram } from '../../fakes/telegram.js';
import { TEST_TOKEN } from '../../helpers/bot-harness.js';
import { MIXED_AUDIENCE, plainUsers, seedUsers, sendsPerChat } from '../../helpers/broadcast-users.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../helpers/db.js';

let telegram: FakeTelegram;
beforeAll(async () => {
  telegram = await startFakeTelegram({ token: TEST_TOKEN });
});
afterAll(async () => telegram?.close());

const message = (overrides: Partial<NewBroadcast> = {}): NewBroadcast => ({
  text: 'Hello **everyone**',
  parseMode: 'Markdown',
  photo: null,
  audience: {},
  ratePerSecond: 200,
  ...overrides,
});

describe.each(DIALECTS)('broadcast service on %s', (dialect) => {
  let db: TestDatabase;
  const service = () =>
    createBroadcastService({
      users: db.repos.users,
      broadcasts: db.repos.broadcasts,
      messenger: async () => createTelegramMessenger({ token: TEST_TOKEN, apiRoot: telegram.apiRoot }),
    });
  const chatsOf = () => [...sendsPerChat(telegram.messages()).keys()].map(Number).sort();

  beforeEach(async () => {
    telegram.reset();
    db = await openTestDatabase(dialect);
  });
  afterEach(async () => db?.cleanup());

  it('dry run counts each filter, never blocked or banned users, and writes nothing', async () => {
    await seedUsers(db.repos, MIXED_AUDIENCE);
    const count = async (audience: NewBroadcast['audience']) =>
      (await service().preview(message({ audience }))).recipients;
    expect(await count({})).toBe(5);
    expect(await count({ language: 'ru' })).toBe(2);
    expect(await count({ role: 'premium' })).toBe(1);
    expect(await count({ activeWithinDays: 7 })).toBe(3);
    expect(await count({ activeWithinDays: 30, language: 'en' })).toBe(2);
    expect(await db.repos.broadcasts.list()).toEqual([]);
    expect(telegram.calls).toEqual([]);
  });

  it('sends the converted message to exactly the audience, once each, and finishes', async () => {
    await seedUsers(db.repos, MIXED_AUDIENCE);
    const broadcasts = service();
    const { broadcast } = await broadcasts.create(message({ audience: { language: 'en' } }));
    const result = await broadcasts.run(broadcast.id);
    expect(chatsOf()).toEqual([9001, 9002, 9005]);
    expect(telegram.sentMessages(9001)).toEqual(['Hello everyone']);
    expect(telegram.callsOf('sendMessage')[0]?.params).toMatchObject({
      parse_mode: 'HTML',
      text: 'Hello <b>everyone</b>',
    });
    expect(result.broadcast.status).toBe('done');
    expect(result.counts).toMatchObject({ sent: 3, pending: 0, sending: 0, failed: 0, blocked: 0 });
    expect(result.run).toMatchObject({ sent: 3, stop: 'finished', rateLimited: 0 });
    // Running it again sends nothing more.
    await broadcasts.run(broadcast.id);
    expect(telegram.callsOf('sendMessage')).toHaveLength(3);
  });

  it('marks a user who blocked the bot (403) and leaves them out of the next broadcast', async () => {
    const [a, b, c] = await seedUsers(db.repos, plainUsers(3, 7100));
    telegram.blockUser(b!.telegramId);
    const first = await service().create(message());
    const result = await service().run(first.broadcast.id);
    expect(result.counts).toMatchObject({ sent: 2, blocked: 1 });
    expect((await db.repos.users.getById(b!.id))?.status).toBe('blocked');
    telegram.reset();
    const second = await service().create(message({ text: 'second' }));
    const again = await service().run(second.broadcast.id);
    expect(chatsOf()).toEqual([a!.telegramId, c!.telegramId]);
    expect(again.counts).toMatchObject({ sent: 2, blocked: 0 });
  });

  it('honours 429 retry_after for every send and still delivers to each recipient once', async () => {
    const users = await seedUsers(db.repos, plainUsers(40, 7200));
    telegram.setRateLimit({ perSecond: 30 });
    telegram.failNext('sendMessage', { errorCode: 429, retryAfter: 1, times: 2 });
    const { broadcast } = await service().create(message({ ratePerSecond: 25 }));
    const result = await service().run(broadcast.id);
    // The pacer at 25/s stays under the fake's 30/s: the only 429s are the two injected ones.
    expect(telegram.tooManyRequestsCount).toBe(2);
    expect(result.run.rateLimited).toBe(2);
    expect([...sendsPerChat(telegram.messages()).values()].every((n) => n === 1)).toBe(true);
    expect(chatsOf()).toEqual(users.map((u) => u.telegramId).sort());
  });

  it('sent too fast for the flood limit, it backs off on every 429 and misses no one', async () => {
    await seedUsers(db.repos, plainUsers(12, 7300));
    telegram.setRateLimit({ perSecond: 4 });
    const { broadcast } = await service().create(message({ ratePerSecond: 60 }));
    const result = await service().run(broadcast.id);
    expect(result.run.rateLimited).toBeGreaterThan(0);
    expect(result.run.rateLimited).toBe(telegram.tooManyRequestsCount);
    const perChat = sendsPerChat(telegram.messages());
    expect(perChat.size).toBe(12);
    expect([...perChat.values()].every((n) => n === 1)).toBe(true);
    expect(result.counts.sent).toBe(12);
  });

  it('does not resend a delivery a crash left in `sending`: it is failed as unknown', async () => {
    const [a, b, c] = await seedUsers(db.repos, plainUsers(3, 7400));
    const { broadcast } = await service().create(message());
    await db.repos.broadcasts.enqueueRecipients(broadcast.id, [a!.id, b!.id, c!.id]);
    await db.repos.broadcasts.setStatus(broadcast.id, 'running');
    await db.repos.broadcasts.markDelivery(broadcast.id, b!.id, 'sending');
    const result = await service().run(broadcast.id);
    expect(chatsOf()).toEqual([a!.telegramId, c!.telegramId]);
    expect(result.run.unknownAfterCrash).toBe(1);
    const rows = await db.raw(
      'select user_id, status, error from deliveries where broadcast_id = ? order by user_id',
      [broadcast.id],
    );
    expect(rows.map((r) => [Number(r.user_id), r.status, r.error])).toEqual([
      [a!.id, 'sent', null],
      [b!.id, 'failed', UNKNOWN_AFTER_CRASH],
      [c!.id, 'sent', null],
    ]);
  });

  it('stops at once when Telegram refuses the message itself, leaving everyone pending', async () => {
    await seedUsers(db.repos, plainUsers(5, 7500));
    const { broadcast } = await service().create(message({ text: '<b>unclosed', parseMode: 'HTML' }));
    const error = (await service()
      .run(broadcast.id)
      .catch((e: unknown) => e)) as BotctlError;
    expect(error.code).toBe('TELEGRAM_ERROR');
    expect(error.message).toContain("can't parse entities");
    expect(error.hint).toContain(`broadcast cancel ${broadcast.id}`);
    expect(telegram.sentMessages()).toEqual([]);
    expect(await db.repos.broadcasts.deliveryCounts(broadcast.id)).toMatchObject({ pending: 5, sending: 0 });
  });

  it('an interrupted run leaves the rest pending; resuming sends each remaining recipient once', async () => {
    await seedUsers(db.repos, plainUsers(30, 7600));
    const { broadcast } = await service().create(message({ ratePerSecond: 20 }));
    const controller = new AbortController();
    const first = service().run(broadcast.id, {
      signal: controller.signal,
      onProgress: (p) => (p.sent >= 5 ? controller.abort() : undefined),
    });
    const stopped = await first;
    expect(stopped.run.stop).toBe('interrupted');
    expect(stopped.counts.pending).toBeGreaterThan(0);
    expect(stopped.broadcast.status).toBe('running');
    const resumed = await service().run(broadcast.id, { ratePerSecond: 200 });
    expect(resumed.broadcast.status).toBe('done');
    expect(resumed.counts.sent).toBe(30);
    const perChat = sendsPerChat(telegram.messages());
    expect(perChat.size).toBe(30);
    expect([...perChat.values()].every((n) => n === 1)).toBe(true);
  });

  it('cancel stops a running broadcast within a second; it cannot be resumed', async () => {
    await seedUsers(db.repos, plainUsers(40, 7700));
    const broadcasts = service();
    const { broadcast } = await broadcasts.create(message({ ratePerSecond: 10 }));
    const running = broadcasts.run(broadcast.id);
    await telegram.waitForCall('sendMessage');
    await service().cancel(broadcast.id);
    const result = await running;
    expect(result.run.stop).toBe('cancelled');
    expect(result.broadcast.status).toBe('cancelled');
    expect(result.counts.pending).toBeGreaterThan(0);
    const error = (await service()
      .run(broadcast.id)
      .catch((e: unknown) => e)) as BotctlError;
    expect(error.code).toBe('USAGE');
    expect(await service().cancel(broadcast.id)).toMatchObject({ broadcast: { status: 'cancelled' } });
  });
});

describe('broadcast service: content, ids and photos (sqlite)', () => {
  let db: TestDatabase;
  const service = (clock?: { now: () => number; random: () => number }) =>
    createBroadcastService({
      users: db.repos.users,
      broadcasts: db.repos.broadcasts,
      messenger: async () => createTelegramMessenger({ token: TEST_TOKEN, apiRoot: telegram.apiRoot }),
      ...clock,
    });

  beforeEach(async () => {
    telegram.reset();
    db = await openTestDatabase('sqlite');
  });
  afterEach(async () => db?.cleanup());

  it('checks lengths before anything is recorded: 4096 for a message, 1024 for a caption', async () => {
    const tooLong = (await service()
      .create(message({ text: 'x'.repeat(4097), parseMode: null }))
      .catch((e: unknown) => e)) as BotctlError;
    expect(tooLong.code).toBe('INPUT_TOO_LARGE');
    const caption = message({ text: `<b>${'y'.repeat(1025)}</b>`, parseMode: 'HTML', photo: 'AgACfileid' });
    const error = (await service()
      .preview(caption)
      .catch((e: unknown) => e)) as BotctlError;
    expect(error.code).toBe('INPUT_TOO_LARGE');
    expect(error.message).toContain('photo caption is 1025 characters');
    await expect(
      service().create(message({ text: `<b>${'y'.repeat(1024)}</b>`, parseMode: 'HTML', photo: 'AgAC' })),
    ).resolves.toBeDefined();
    expect(
      (await service()
        .create(message({ text: '  ' }))
        .catch((e: unknown) => e)) as BotctlError,
    ).toMatchObject({ code: 'USAGE' });
    expect(await db.repos.broadcasts.list()).toHaveLength(1);
  });

  it('names broadcasts by time; the same id with the same message is the same broadcast, another message is refused', async () => {
    const { broadcast, existed } = await service({
      now: () => Date.parse('2025-03-04T05:06:07Z'),
      random: () => 0.5,
    }).create(message());
    expect(broadcast.id).toBe('b-20250304-050607-i000');
    expect(existed).toBe(false);
    expect((await service().create(message({ id: broadcast.id }))).existed).toBe(true);
    const error = (await service()
      .create(message({ id: broadcast.id, text: 'other' }))
      .catch((e: unknown) => e)) as BotctlError;
    expect(error.code).toBe('USAGE');
    expect(
      (await service()
        .status('nope')
        .catch((e: unknown) => e)) as BotctlError,
    ).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('uploads a photo file once and reuses its file_id for everyone else', async () => {
    await seedUsers(db.repos, plainUsers(4, 7800));
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-photo-')), 'banner.png');
    fs.writeFileSync(file, Buffer.from('89504e470d0a1a0a', 'hex'));
    const broadcasts = service();
    const { broadcast } = await broadcasts.create(message({ photo: file, text: 'New _features_' }));
    const result = await broadcasts.run(broadcast.id, { concurrency: 1 });
    expect(result.counts.sent).toBe(4);
    const photos = telegram.callsOf('sendPhoto').map((c) => c.params.photo);
    expect(typeof photos[0]).toBe('object');
    expect(new Set(photos.slice(1)).size).toBe(1);
    expect(typeof photos[1]).toBe('string');
    expect(telegram.sentMessages(7801)).toEqual(['New features']);
  });

  it('refuses to finish a done broadcast twice and to cancel it', async () => {
    await seedUsers(db.repos, plainUsers(1, 7900));
    const { broadcast } = await service().create(message());
    await service().run(broadcast.id);
    const again = await service().run(broadcast.id);
    expect(again.run).toMatchObject({ sent: 0, stop: 'finished' });
    expect(
      (await service()
        .cancel(broadcast.id)
        .catch((e: unknown) => e)) as BotctlError,
    ).toMatchObject({ code: 'USAGE' });
    expect((await service().list()).map((b) => b.id)).toEqual([broadcast.id]);
  });
});
