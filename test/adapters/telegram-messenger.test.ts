/** The Telegram messenger against the fake Bot API: every kind of answer becomes the right SendOutcome. */
import net from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramMessenger, outcomeOf } from '../../src/adapters/telegram/messenger.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram.js';
import { TEST_TOKEN } from '../helpers/bot-harness.js';

let telegram: FakeTelegram;
beforeAll(async () => {
  telegram = await startFakeTelegram({ token: TEST_TOKEN });
});
afterAll(async () => telegram?.close());
beforeEach(() => telegram.reset());

const text = { text: 'hi <b>there</b>', parseMode: 'HTML' as const };
const messenger = () => createTelegramMessenger({ token: TEST_TOKEN, apiRoot: telegram.apiRoot });

describe('telegram messenger', () => {
  it('sends text with its parse mode and returns the message id', async () => {
    expect(await messenger().sendText(42, text)).toEqual({ kind: 'sent', messageId: expect.any(Number) });
    expect(await messenger().sendText(42, { text: 'a <b> plain', parseMode: null })).toMatchObject({
      kind: 'sent',
    });
    expect(telegram.sentMessages(42)).toEqual(['hi there', 'a <b> plain']);
  });

  it('maps 403 to blocked, 429 to rate-limited with retry_after, a bad message to rejected', async () => {
    telegram.blockUser(7);
    expect(await messenger().sendText(7, text)).toEqual({
      kind: 'blocked',
      description: 'Forbidden: bot was blocked by the user',
    });
    telegram.failNext('sendMessage', { errorCode: 429, retryAfter: 3 });
    expect(await messenger().sendText(8, text)).toEqual({ kind: 'rate-limited', retryAfterSeconds: 3 });
    const rejected = await messenger().sendText(8, { text: '<b>open', parseMode: 'HTML' });
    expect(rejected).toMatchObject({ kind: 'rejected', error: { code: 'TELEGRAM_ERROR' } });
  });

  it('tells "certainly not delivered" from "unknown"', async () => {
    telegram.setStrictChats(true);
    expect(await messenger().sendText(999, text)).toMatchObject({
      kind: 'failed',
      delivered: 'no',
      error: { code: 'TELEGRAM_ERROR', retryable: false },
    });
    telegram.setStrictChats(false);
    telegram.failNext('sendMessage', { errorCode: 502 });
    expect(await messenger().sendText(1, text)).toMatchObject({ kind: 'failed', delivered: 'unknown' });
    const wrongToken = createTelegramMessenger({
      token: '999:WRONGtokenWRONGtokenWRONG',
      apiRoot: telegram.apiRoot,
    });
    expect(await wrongToken.sendText(1, text)).toMatchObject({
      kind: 'failed',
      delivered: 'no',
      error: { code: 'TELEGRAM_UNAUTHORIZED' },
    });
    const closed = await closedPort();
    const refused = createTelegramMessenger({ token: TEST_TOKEN, apiRoot: `http://127.0.0.1:${closed}` });
    expect(await refused.sendText(1, text)).toMatchObject({
      kind: 'failed',
      delivered: 'no',
      error: { retryable: true },
    });
    expect(outcomeOf(new Error('socket hang up'))).toMatchObject({ kind: 'failed', delivered: 'unknown' });
  });

  it('refuses a photo path that does not exist before calling Telegram; file_ids and URLs pass through', async () => {
    const missing = await messenger().sendPhoto(1, '/nonexistent/banner.png', text);
    expect(missing).toMatchObject({ kind: 'rejected', error: { code: 'NOT_FOUND' } });
    expect(telegram.calls).toEqual([]);
    expect(await messenger().sendPhoto(1, 'https://example.com/a.png', text)).toMatchObject({ kind: 'sent' });
    expect(telegram.sentMessages(1)).toEqual(['hi there']);
  });
});

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
