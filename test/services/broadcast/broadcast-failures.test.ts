/**
 * How a broadcast run reacts to Telegram trouble, with a scripted Messenger on a virtual clock
 * (so minutes of backoff take no time) and a real SQLite database: transient failures are
 * retried with a pause, a bad token or a long outage stops the run with everything resumable,
 * a run of per-recipient failures stops it, and a banned user is skipped.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BotctlError } from '../../../src/domain/errors.js';
import type { Messenger, SendOutcome } from '../../../src/domain/ports/index.js';
import { createBroadcastService } from '../../../src/services/broadcast/index.js';
import { plainUsers, seedUsers } from '../../helpers/broadcast-users.js';
import { openTestDatabase, type TestDatabase } from '../../helpers/db.js';

let db: TestDatabase;
beforeEach(async () => {
  db = await openTestDatabase('sqlite');
});
afterEach(async () => db?.cleanup());

/** A Messenger that answers from a script (then `sent`), recording who it was asked to send to. */
function scripted(script: (call: number) => SendOutcome | undefined) {
  const chats: number[] = [];
  const messenger: Messenger = {
    floodWaitMs: async () => 0,
    async sendText(chatId) {
      chats.push(chatId);
      return script(chats.length) ?? { kind: 'sent', messageId: chats.length };
    },
    async sendPhoto(chatId) {
      chats.push(chatId);
      return script(chats.length) ?? { kind: 'sent', messageId: chats.length };
    },
  };
  return { messenger, chats };
}

function serviceWith(messenger: Messenger) {
  let now = 1_700_000_000_000;
  const service = createBroadcastService({
    users: db.repos.users,
    broadcasts: db.repos.broadcasts,
    messenger: async () => messenger,
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
  });
  return { service, elapsed: () => now - 1_700_000_000_000, now: () => now };
}

const input = { text: 'hi', parseMode: null, photo: null, audience: {}, ratePerSecond: 10 };
const refused = (retryable = true): SendOutcome => ({
  kind: 'failed',
  delivered: 'no',
  error: new BotctlError('TELEGRAM_ERROR', 'Telegram is not reachable (network error)', { retryable }),
});

describe('broadcast run under Telegram failures', () => {
  it('retries a refused connection after a pause and delivers to everyone once', async () => {
    await seedUsers(db.repos, plainUsers(5, 100));
    const { messenger, chats } = scripted((n) => (n <= 3 ? refused() : undefined));
    const { service, elapsed } = serviceWith(messenger);
    const { broadcast } = await service.create(input);
    const result = await service.run(broadcast.id, { concurrency: 1 });
    expect(result.counts).toMatchObject({ sent: 5, pending: 0, failed: 0 });
    expect(result.run.pausedMs).toBeGreaterThanOrEqual(1000 + 2000 + 4000);
    expect(elapsed()).toBeGreaterThanOrEqual(result.run.pausedMs);
    expect(chats.slice(3).sort()).toEqual([101, 102, 103, 104, 105]);
  });

  it('gives up after a minute of outage, leaving the rest pending for resume', async () => {
    await seedUsers(db.repos, plainUsers(5, 200));
    const { messenger } = scripted(() => refused());
    const { service } = serviceWith(messenger);
    const { broadcast } = await service.create(input);
    const error = (await service
      .run(broadcast.id, { concurrency: 1 })
      .catch((e: unknown) => e)) as BotctlError;
    expect(error.code).toBe('TELEGRAM_ERROR');
    expect(error.hint).toContain(`botctl broadcast resume ${broadcast.id}`);
    expect(await db.repos.broadcasts.deliveryCounts(broadcast.id)).toMatchObject({ pending: 5, sending: 0 });
  });

  it('stops at once on a rejected token, with nobody marked', async () => {
    await seedUsers(db.repos, plainUsers(3, 300));
    const unauthorized: SendOutcome = {
      kind: 'failed',
      delivered: 'no',
      error: new BotctlError('TELEGRAM_UNAUTHORIZED', 'Telegram rejected the bot token (401 Unauthorized)', {
        hint: 'check BOTCTL_TELEGRAM_TOKEN',
      }),
    };
    const { messenger, chats } = scripted(() => unauthorized);
    const { service } = serviceWith(messenger);
    const { broadcast } = await service.create(input);
    const error = (await service
      .run(broadcast.id, { concurrency: 1 })
      .catch((e: unknown) => e)) as BotctlError;
    expect(error.code).toBe('TELEGRAM_UNAUTHORIZED');
    expect(error.hint).toBe(`check BOTCTL_TELEGRAM_TOKEN; then botctl broadcast resume ${broadcast.id}`);
    expect(chats).toHaveLength(1);
    expect(await db.repos.broadcasts.deliveryCounts(broadcast.id)).toMatchObject({ pending: 3 });
  });

  it('marks per-recipient failures (never resent), and stops after 25 in a row', async () => {
    await seedUsers(db.repos, plainUsers(30, 400));
    const unknown: SendOutcome = {
      kind: 'failed',
      delivered: 'unknown',
      error: new BotctlError('TELEGRAM_ERROR', 'Telegram refused sendMessage: 502 Bad Gateway'),
    };
    const { messenger, chats } = scripted((n) => (n === 1 ? refused(false) : unknown));
    const { service } = serviceWith(messenger);
    const { broadcast } = await service.create(input);
    const error = (await service
      .run(broadcast.id, { concurrency: 1 })
      .catch((e: unknown) => e)) as BotctlError;
    expect(error.message).toContain('25 sends failed in a row');
    expect(chats).toHaveLength(25);
    const rows = await db.raw(
      "select error from deliveries where status = 'failed' order by user_id limit 2",
    );
    expect(rows.map((r) => r.error)).toEqual([
      'Telegram is not reachable (network error)',
      'delivery unknown: Telegram refused sendMessage: 502 Bad Gateway',
    ]);
    expect(await db.repos.broadcasts.deliveryCounts(broadcast.id)).toMatchObject({ failed: 25, pending: 5 });
  });

  it('a Messenger that throws stops the run; its delivery is left to the crash rule, not resent', async () => {
    await seedUsers(db.repos, plainUsers(2, 600));
    const { messenger } = scripted(() => {
      throw new Error('socket exploded');
    });
    const { service } = serviceWith(messenger);
    const { broadcast } = await service.create(input);
    const error = (await service
      .run(broadcast.id, { concurrency: 1 })
      .catch((e: unknown) => e)) as BotctlError;
    expect(error).toMatchObject({ code: 'INTERNAL', message: 'socket exploded' });
    expect(await db.repos.broadcasts.deliveryCounts(broadcast.id)).toMatchObject({ sending: 1, pending: 1 });
    const resumed = await serviceWith(scripted(() => undefined).messenger).service.run(broadcast.id);
    expect(resumed.run).toMatchObject({ unknownAfterCrash: 1, sent: 1 });
  });

  it('pauses for a flood wait another sender of the token recorded, then sends spaced at the rate', async () => {
    await seedUsers(db.repos, plainUsers(6, 700));
    const sentAt: number[] = [];
    let clock = () => 0;
    let floodEnd = 0;
    const messenger: Messenger = {
      floodWaitMs: async () => Math.max(0, floodEnd - clock()),
      async sendText() {
        sentAt.push(clock());
        return { kind: 'sent', messageId: sentAt.length };
      },
      sendPhoto: () => Promise.reject(new Error('no photo in this broadcast')),
    };
    const { service, now } = serviceWith(messenger);
    clock = now;
    floodEnd = now() + 5000; // the daemon got "429 retry after 5" just now
    const { broadcast } = await service.create(input);
    const result = await service.run(broadcast.id, { concurrency: 4 });
    expect(result.counts).toMatchObject({ sent: 6, pending: 0 });
    expect(result.run).toMatchObject({ rateLimited: 0, pausedMs: 5000 });
    expect(Math.min(...sentAt)).toBeGreaterThanOrEqual(floodEnd);
    // 10/s: the calls pacer spaces calls at least 1 / (1.1 × 10) s apart, also right after the wait.
    const gaps = sentAt.slice(1).map((at, i) => at - sentAt[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1000 / 11);
  });

  it('skips users banned or blocked after the audience was taken', async () => {
    const [a, b, c] = await seedUsers(db.repos, plainUsers(3, 500));
    const { messenger, chats } = scripted(() => undefined);
    const { service } = serviceWith(messenger);
    const { broadcast } = await service.create(input);
    await db.repos.broadcasts.enqueueRecipients(broadcast.id, [a!.id, b!.id, c!.id]);
    await db.repos.broadcasts.setStatus(broadcast.id, 'running');
    await db.repos.users.setStatus(a!.id, 'banned');
    await db.repos.users.setStatus(b!.id, 'blocked');
    const result = await service.run(broadcast.id);
    expect(chats).toEqual([c!.telegramId]);
    expect(result.run.skipped).toBe(2);
    expect(result.counts).toMatchObject({ sent: 1, failed: 1, blocked: 1 });
  });
});
