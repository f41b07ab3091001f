// Drives the fake Telegram through the real grammY client, so the fake is proven against the wire format
// the daemon will actually produce.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Bot, GrammyError, InputFile, webhookCallback } from 'grammy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_TOKEN,
  startFakeTelegram,
  TELEGRAM_RATE_LIMITS,
  type FakeTelegram,
} from '../fakes/telegram.js';

let tg: FakeTelegram;
let bot: Bot;

beforeEach(async () => {
  tg = await startFakeTelegram({ webhookRetryDelayMs: 10 });
  bot = new Bot(tg.token, { client: { apiRoot: tg.apiRoot } });
});

/** The webhook endpoints a test started (listenOn), closed after it whatever happened. */
const endpoints: Server[] = [];

afterEach(async () => {
  if (bot.isRunning()) await bot.stop();
  for (const server of endpoints.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await tg.close();
});

/** Swaps this test's fake for one that delivers webhooks one at a time, in update_id order. */
async function withOneAtATimeWebhooks(): Promise<void> {
  await tg.close();
  tg = await startFakeTelegram({ webhookRetryDelayMs: 10, webhookLikeTelegram: false });
  bot = new Bot(tg.token, { client: { apiRoot: tg.apiRoot } });
}

async function apiError(promise: Promise<unknown>): Promise<GrammyError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GrammyError);
  return error as GrammyError;
}

describe('fake Telegram: basic methods', () => {
  it('answers getMe with the configured bot and sendMessage with a realistic Message', async () => {
    await bot.init();
    expect(bot.botInfo).toMatchObject({ id: 123456, is_bot: true, username: 'botctl_test_bot' });

    const first = await bot.api.sendMessage(42, 'hello');
    const second = await bot.api.sendMessage(42, 'again', { message_thread_id: 7 });
    expect(first).toMatchObject({ message_id: 1, chat: { id: 42, type: 'private' }, from: { id: 123456 } });
    expect(first.text).toBe('hello');
    expect(second).toMatchObject({ message_id: 2, message_thread_id: 7 });
    expect(tg.sentMessages(42)).toEqual(['hello', 'again']);
    expect(tg.callsOf('sendMessage')[0]?.params).toMatchObject({ chat_id: 42, text: 'hello' });
  });

  it('rejects a wrong token with 401 and an unknown method with 404, in the Bot API envelope', async () => {
    const other = new Bot('999:wrong', { client: { apiRoot: tg.apiRoot } });
    const unauthorized = await apiError(other.api.getMe());
    expect(unauthorized.error_code).toBe(401);
    expect(unauthorized.description).toBe('Unauthorized');

    const res = await fetch(`${tg.apiRoot}/bot${DEFAULT_TOKEN}/noSuchMethod`, { method: 'POST' });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ ok: false, error_code: 404, description: 'Not Found' });
  });

  it('validates texts like Telegram: empty, too long, bad HTML, not modified', async () => {
    expect((await apiError(bot.api.sendMessage(1, ' '))).description).toBe(
      'Bad Request: message text is empty',
    );
    expect((await apiError(bot.api.sendMessage(1, 'x'.repeat(4097)))).description).toBe(
      'Bad Request: message is too long',
    );
    const html = await apiError(bot.api.sendMessage(1, '<b>bold <i>both</b></i>', { parse_mode: 'HTML' }));
    expect(html.description).toBe(
      'Bad Request: can\'t parse entities: Unmatched end tag at byte offset 15, expected "</i>", found "</b>"',
    );
    const unknownTag = await apiError(bot.api.sendMessage(1, 'a<br>b', { parse_mode: 'HTML' }));
    expect(unknownTag.description).toContain('Unsupported start tag "br"');
    const bareLt = await apiError(bot.api.sendMessage(1, '1 < 2', { parse_mode: 'HTML' }));
    expect(bareLt.description).toContain("can't parse entities");
    const md = await apiError(bot.api.sendMessage(1, 'Done.', { parse_mode: 'MarkdownV2' }));
    expect(md.description).toContain("Character '.' is reserved");

    const ok = await bot.api.sendMessage(1, '<b>Hi</b> &amp; <a href="https://x.dev">link</a>', {
      parse_mode: 'HTML',
    });
    expect(ok.text).toBe('Hi & link');
    expect(ok.entities).toEqual([
      { type: 'bold', offset: 0, length: 2 },
      { type: 'text_link', offset: 5, length: 4, url: 'https://x.dev' },
    ]);
    const notModified = await apiError(
      bot.api.editMessageText(1, ok.message_id, '<b>Hi</b> &amp; <a href="https://x.dev">link</a>', {
        parse_mode: 'HTML',
      }),
    );
    expect(notModified.description).toMatch(/^Bad Request: message is not modified/);
    await bot.api.editMessageText(1, ok.message_id, 'Edited');
    expect(tg.sentMessages(1)).toEqual(['Edited']);
    await bot.api.deleteMessage(1, ok.message_id);
    expect(tg.sentMessages(1)).toEqual([]);
  });

  it('records drafts and answers sendMessageDraft with true', async () => {
    await expect(bot.api.sendMessageDraft(5, 1, 'Thinking about it')).resolves.toBe(true);
    expect(tg.drafts(5)).toMatchObject([{ draftId: 1, text: 'Thinking about it' }]);
  });

  it('tells onCall listeners about each completed call once, until unsubscribed', async () => {
    const seen: string[] = [];
    const unsubscribe = tg.onCall((call) => seen.push(`${call.method} ${String(call.response?.ok)}`));
    await bot.api.sendMessage(7, 'one');
    await apiError(bot.api.sendMessage(7, ' '));
    unsubscribe();
    await bot.api.sendMessage(7, 'after');
    expect(seen).toEqual(['sendMessage true', 'sendMessage false']);
  });

  it('announces its keep-alive timeout: 1 s by default, keepAliveTimeoutMs when given', async () => {
    const long = await startFakeTelegram({ keepAliveTimeoutMs: 5000 });
    try {
      const short = await fetch(`${tg.apiRoot}/bot${tg.token}/getMe`);
      const longer = await fetch(`${long.apiRoot}/bot${long.token}/getMe`);
      expect(short.headers.get('keep-alive')).toBe('timeout=1');
      expect(longer.headers.get('keep-alive')).toBe('timeout=5');
      await Promise.all([short.text(), longer.text()]);
    } finally {
      await long.close();
    }
  });
});

describe('fake Telegram: updates', () => {
  it('delivers a pushed update through long polling and records the reply', async () => {
    bot.on('message:text', (ctx) => ctx.reply(`Echo: ${ctx.message.text}`));
    tg.pushUpdate(tg.updates.text({ chatId: 42, userId: 42, text: 'queued before start' }));
    void bot.start();
    await tg.waitForCall('sendMessage', (c) => c.params.text === 'Echo: queued before start');

    const update = tg.pushUpdate(tg.updates.text({ chatId: 42, userId: 42, text: 'live' }));
    const reply = await tg.waitForCall('sendMessage', (c) => c.params.text === 'Echo: live');
    expect(reply.response).toMatchObject({ ok: true, result: { chat: { id: 42 }, text: 'Echo: live' } });
    expect(update.update_id).toBe(2);
    await bot.stop();
    // stop() confirms the last update with a final offset: nothing is left to redeliver.
    expect(tg.pendingUpdates).toEqual([]);
  });

  it('builds topic and command updates with the fields Telegram sets', () => {
    const update = tg.updates.command({
      chatId: -1001,
      userId: 7,
      chatType: 'supergroup',
      threadId: 3,
      command: 'ask',
      args: 'why?',
      mention: true,
    });
    expect(update.message).toMatchObject({
      text: '/ask@botctl_test_bot why?',
      entities: [{ type: 'bot_command', offset: 0, length: 20 }],
      message_thread_id: 3,
      is_topic_message: true,
      chat: { id: -1001, type: 'supergroup', is_forum: true },
      from: { id: 7, is_bot: false },
    });
  });

  it('refuses getUpdates with 409 while a webhook is set', async () => {
    await bot.api.setWebhook('http://127.0.0.1:9/hook');
    const error = await apiError(bot.api.getUpdates());
    expect(error.error_code).toBe(409);
  });

  it('POSTs updates to the webhook with the secret header and retries failures', async () => {
    bot.on('message:text', (ctx) => ctx.reply(`Hook: ${ctx.message.text}`));
    const handle = webhookCallback(bot, 'http', { secretToken: 's3cret' });
    let failuresLeft = 1;
    const server = createServer((req, res) => {
      if (failuresLeft-- > 0) {
        res.writeHead(500).end();
        return;
      }
      void handle(req, res);
    });
    const url = await listenOn(server);
    await bot.api.setWebhook(url, { secret_token: 's3cret' });
    tg.pushUpdate(tg.updates.text({ chatId: 8, userId: 8, text: 'ping' }));
    await tg.waitForCall('sendMessage', (c) => c.params.text === 'Hook: ping');
    // The reply is sent while grammY still handles the POST; the delivery completes just after.
    await waitUntil(() => tg.webhookDeliveries.length >= 2);
    expect(tg.webhookDeliveries.map((d) => [d.attempt, d.status, d.secretToken])).toEqual([
      [1, 500, 's3cret'],
      [2, 200, 's3cret'],
    ]);
    const info = await bot.api.getWebhookInfo();
    expect(info).toMatchObject({ url, pending_update_count: 0 });
    expect(info.last_error_message).toContain('500');

    // A wrong secret is refused by grammY (401); the fake keeps retrying and reports it.
    await bot.api.setWebhook(url, { secret_token: 'other' });
    tg.pushUpdate(tg.updates.text({ chatId: 8, userId: 8, text: 'wrong secret' }));
    await waitUntil(() => tg.webhookDeliveries.filter((d) => d.status === 401).length >= 2);
    expect((await bot.api.getWebhookInfo()).last_error_message).toContain('401');
    await bot.api.deleteWebhook();
  });

  it('delivers like the Bot API server: chats in parallel up to max_connections, one update per chat at a time, kept-alive connections', async () => {
    // The endpoint holds every POST until the test releases it, and notes what arrived on which socket.
    const held: Array<{ text: string; release: () => void }> = [];
    const sockets = new Set<unknown>();
    const server = createServer((req, res) => {
      sockets.add(req.socket);
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const text = (JSON.parse(body) as { message: { text: string } }).message.text;
        held.push({ text, release: () => res.writeHead(200).end() });
      });
    });
    const url = await listenOn(server);
    const arrived = () => held.map((h) => h.text);
    await bot.api.setWebhook(url, { max_connections: 2 });
    for (const [chatId, text] of [
      [1, 'a1'],
      [1, 'a2'],
      [2, 'b1'],
      [3, 'c1'],
    ] as const) {
      tg.pushUpdate(tg.updates.text({ chatId, text }));
    }
    // Two connections: chat 1's first and chat 2's; a2 waits behind a1, c1 for a free connection.
    await waitUntil(() => held.length === 2);
    expect(arrived()).toEqual(['a1', 'b1']);
    held[1]!.release();
    await waitUntil(() => held.length === 3);
    expect(arrived()[2]).toBe('c1');
    held[0]!.release();
    await waitUntil(() => held.length === 4);
    expect(arrived()[3]).toBe('a2');
    held[2]!.release();
    held[3]!.release();
    await waitUntil(() => tg.webhookDeliveries.length === 4);
    expect(tg.webhookDeliveries.map((d) => d.status)).toEqual([200, 200, 200, 200]);
    // Four updates over the two connections Telegram opened, not one connection each.
    expect(sockets.size).toBe(2);
    await bot.api.deleteWebhook();
  });

  /**
   * Updates a (chat 1) and b (chat 2) to an endpoint that fails its first POST; once three deliveries
   * were made: their ids, and each delivery as [update, attempt, status] in the order they happened.
   */
  async function twoChatsFirstFailing(maxConnections: number) {
    await bot.api.setWebhook(await endpointFailingOnce(), { max_connections: maxConnections });
    const a = tg.pushUpdate(tg.updates.text({ chatId: 1, text: 'a' })).update_id;
    const b = tg.pushUpdate(tg.updates.text({ chatId: 2, text: 'b' })).update_id;
    await waitUntil(() => tg.webhookDeliveries.length === 3);
    const deliveries = tg.webhookDeliveries.map((d) => [d.updateId, d.attempt, d.status]);
    await bot.api.deleteWebhook();
    return { a, b, deliveries };
  }

  it('like Telegram: retries a failed update while its one connection serves other chats, then sends it', async () => {
    const { a, b, deliveries } = await twoChatsFirstFailing(1);
    // a fails, b goes out on the free connection meanwhile, then a again once its delay is over.
    expect(deliveries).toEqual([
      [a, 1, 500],
      [b, 1, 200],
      [a, 2, 200],
    ]);
  });

  it('one at a time (webhookLikeTelegram: false): a failing update holds up the next, whatever its chat', async () => {
    await withOneAtATimeWebhooks();
    const { a, b, deliveries } = await twoChatsFirstFailing(40);
    expect(deliveries).toEqual([
      [a, 1, 500],
      [a, 2, 200],
      [b, 1, 200],
    ]);
  });
});

describe('fake Telegram: getUpdates semantics', () => {
  it('honours limit and offset, and answers a waiting long poll as soon as an update arrives', async () => {
    const ids = [1, 2, 3].map((n) => tg.pushUpdate(tg.updates.text({ chatId: 1, text: `m${n}` })).update_id);
    expect((await bot.api.getUpdates({ limit: 2 })).map((u) => u.update_id)).toEqual(ids.slice(0, 2));
    // Unconfirmed updates come again; an offset confirms everything before it.
    expect((await bot.api.getUpdates({ offset: (ids[1] ?? 0) + 1 })).map((u) => u.update_id)).toEqual([
      ids[2],
    ]);
    expect(await bot.api.getUpdates({ offset: (ids[2] ?? 0) + 1 })).toEqual([]);

    const started = Date.now();
    const poll = bot.api.getUpdates({ offset: (ids[2] ?? 0) + 1, timeout: 5 });
    await tg.waitForCall('getUpdates', (c) => c.params.timeout === 5);
    setTimeout(() => tg.pushUpdate(tg.updates.text({ chatId: 1, text: 'late' })), 50);
    const [late] = await poll;
    expect(late?.message?.text).toBe('late');
    expect(Date.now() - started).toBeLessThan(4500); // answered before the 5 s poll timeout
  });

  it('terminates an older poll with 409 when a newer one arrives', async () => {
    const older = bot.api.getUpdates({ timeout: 5 });
    await tg.waitForCall('getUpdates');
    const newer = bot.api.getUpdates({ timeout: 0 });
    expect((await apiError(older)).description).toContain('terminated by other getUpdates request');
    await expect(newer).resolves.toEqual([]);
  });

  it('drops update kinds excluded by allowed_updates and lets queries be answered once', async () => {
    await bot.api.getUpdates({ allowed_updates: ['callback_query'] });
    tg.pushUpdate(tg.updates.text({ chatId: 2, text: 'ignored' }));
    const sent = await bot.api.sendMessage(2, 'pick one', {
      reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] },
    });
    const callback = tg.pushUpdate(tg.updates.callback({ chatId: 2, messageId: sent.message_id, data: 'a' }));
    const updates = await bot.api.getUpdates();
    expect(updates.map((u) => u.callback_query?.data)).toEqual(['a']);
    expect(updates[0]?.callback_query?.message?.message_id).toBe(sent.message_id);
    expect(tg.droppedUpdates.map((u) => u.message?.text)).toEqual(['ignored']);

    const id = callback.callback_query?.id ?? '';
    await expect(bot.api.answerCallbackQuery(id, { text: 'ok' })).resolves.toBe(true);
    expect((await apiError(bot.api.answerCallbackQuery(id))).description).toContain('query ID is invalid');
  });

  it('runs a method returned in the webhook response body (grammY webhook reply)', async () => {
    const replying = new Bot(tg.token, { client: { apiRoot: tg.apiRoot, canUseWebhookReply: () => true } });
    replying.on('message:text', (ctx) => ctx.reply('in the response body'));
    const handle = webhookCallback(replying, 'http');
    const server = createServer((req, res) => void handle(req, res));
    const url = await listenOn(server);
    await replying.api.setWebhook(url);
    tg.pushUpdate(tg.updates.text({ chatId: 4, text: 'hi' }));
    const call = await tg.waitForCall('sendMessage');
    expect(call).toMatchObject({
      viaWebhookReply: true,
      params: { chat_id: 4, text: 'in the response body' },
    });
    expect(tg.sentMessages(4)).toEqual(['in the response body']);
  });

  it('accepts urlencoded bodies, query strings and any case of the method name', async () => {
    const form = await fetch(`${tg.apiRoot}/bot${tg.token}/SENDMESSAGE`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ chat_id: '12', text: '42' }),
    });
    expect(await form.json()).toMatchObject({ ok: true, result: { chat: { id: 12 }, text: '42' } });
    const query = await fetch(`${tg.apiRoot}/bot${tg.token}/getChat?chat_id=12`);
    expect(await query.json()).toMatchObject({ ok: true, result: { id: 12, type: 'private' } });
    expect(tg.callsOf('sendMessage')[0]?.params).toEqual({ chat_id: 12, text: '42' });
  });
});

describe('fake Telegram: faults', () => {
  it('surfaces flood control as a 429 GrammyError with retry_after', async () => {
    tg.setRateLimit({ perChatPerSecond: 1 });
    await bot.api.sendMessage(9, 'one');
    const error = await apiError(bot.api.sendMessage(9, 'two'));
    expect(error.error_code).toBe(429);
    expect(error.description).toBe('Too Many Requests: retry after 1');
    expect(error.parameters.retry_after).toBe(1);
    await bot.api.sendMessage(10, 'another chat is fine');

    tg.failNext('sendMessage', { errorCode: 429, retryAfter: 7 });
    tg.setRateLimit(null);
    expect((await apiError(bot.api.sendMessage(9, 'three'))).parameters.retry_after).toBe(7);
    expect(tg.tooManyRequestsCount).toBe(2);
    expect(tg.sentMessages(9)).toEqual(['one']);
  });

  it("enforces Telegram's stated limits: a short burst per chat, then 1/s; 20 new messages a minute per group", async () => {
    tg.setRateLimit(TELEGRAM_RATE_LIMITS);
    for (const text of ['one', 'two', 'three']) await bot.api.sendMessage(11, text);
    const fourth = await apiError(bot.api.sendMessage(11, 'four'));
    expect(fourth.error_code).toBe(429);
    expect(fourth.parameters.retry_after).toBe(1);
    // Typing and drafts are not flood-controlled.
    await bot.api.sendChatAction(11, 'typing');
    await bot.api.sendMessageDraft(11, 1, 'draft');

    const group = -1001;
    // Only the group's minute is under test here: a per-chat bucket this large never refuses, even
    // when loopback sends come faster than one a millisecond (a bucket of 3 at 1000/s did, at random).
    tg.setRateLimit({ ...TELEGRAM_RATE_LIMITS, perChatPerSecond: 1000, perChatBurst: 1000 });
    const sent = [];
    for (let i = 0; i < 20; i++) sent.push(await bot.api.sendMessage(group, `g${i}`));
    // Edits are not new messages: they do not count toward the group's minute.
    await bot.api.editMessageText(group, sent[0]!.message_id, 'edited');
    const minute = await apiError(bot.api.sendMessage(group, 'g20'));
    expect(minute.error_code).toBe(429);
    expect(minute.parameters.retry_after).toBeGreaterThan(50);
    tg.setRateLimit(null);
    expect(tg.tooManyRequestsCount).toBe(2);
  });

  it('starts a flood wait with a flood failure: every call to a chat then gets the seconds left, until it ends', async () => {
    tg.failNext('sendMessage', { errorCode: 429, retryAfter: 150, flood: true });
    await bot.api.sendChatAction(12, 'typing'); // not started yet
    const first = await apiError(bot.api.sendMessage(12, 'one'));
    expect(first).toMatchObject({ error_code: 429, description: 'Too Many Requests: retry after 150' });
    expect(first.parameters.retry_after).toBe(150);
    for (const call of [bot.api.sendMessage(13, 'another chat'), bot.api.sendChatAction(12, 'typing')]) {
      const error = await apiError(call);
      expect(error.parameters.retry_after).toBeGreaterThan(148);
      expect(error.parameters.retry_after).toBeLessThanOrEqual(150);
    }
    await bot.api.getMe(); // not a call to a chat
    tg.endFlood();
    await bot.api.sendMessage(12, 'two');
    expect(tg.sentMessages(12)).toEqual(['two']);
    expect(tg.tooManyRequestsCount).toBe(3);
  });

  it('answers 403 for a user who blocked the bot', async () => {
    tg.blockUser(77);
    const error = await apiError(bot.api.sendMessage(77, 'hi'));
    expect(error).toMatchObject({ error_code: 403, description: 'Forbidden: bot was blocked by the user' });
  });

  it('explains a waitForCall timeout with the recent calls', async () => {
    await bot.api.sendMessage(1, 'something else');
    await expect(tg.waitForCall('sendVoice', undefined, 50)).rejects.toThrow(/sendVoice[\s\S]*sendMessage/);
  });
});

describe('fake Telegram: files', () => {
  it('keeps the bytes of a multipart sendVoice and serves them back through getFile', async () => {
    const ogg = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(64, 7)]);
    const message = await bot.api.sendVoice(42, new InputFile(ogg, 'answer.ogg'), { caption: 'listen' });
    expect(message.voice).toMatchObject({ mime_type: 'audio/ogg', file_size: ogg.length });
    expect(message.caption).toBe('listen');
    const voice = tg.callsOf('sendVoice')[0]?.params.voice as { bytes: Buffer; filename: string };
    expect(voice.filename).toBe('answer.ogg');
    expect(voice.bytes.equals(ogg)).toBe(true);

    const file = await bot.api.getFile(message.voice.file_id);
    const res = await fetch(`${tg.apiRoot}/file/bot${tg.token}/${file.file_path}`);
    expect(Buffer.from(await res.arrayBuffer()).equals(ogg)).toBe(true);
  });

  it('serves files of incoming updates and refuses files over 20 MB', async () => {
    const update = tg.updates.voice({ chatId: 3, bytes: Buffer.from('OggS-voice') });
    const voice = update.message && 'voice' in update.message ? update.message.voice : undefined;
    const file = await bot.api.getFile(voice?.file_id ?? '');
    expect(file.file_path).toMatch(/^voice\/file_\d+\.oga$/);
    const res = await fetch(`${tg.apiRoot}/file/bot${tg.token}/${file.file_path}`);
    expect(await res.text()).toBe('OggS-voice');

    tg.addFile({ fileId: 'big', bytes: 'x', size: 21 * 1024 * 1024 });
    expect((await apiError(bot.api.getFile('big'))).description).toBe('Bad Request: file is too big');
  });
});

/** A webhook endpoint that answers its first POST with 500 and every later one with 200. */
async function endpointFailingOnce(): Promise<string> {
  let failuresLeft = 1;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(failuresLeft-- > 0 ? 500 : 200).end());
  });
  return listenOn(server);
}

async function listenOn(server: Server): Promise<string> {
  endpoints.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
}

async function waitUntil(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('fake Telegram: payments in Telegram Stars', () => {
  it('sends an XTR invoice only without a provider and with one price', async () => {
    const sent = await bot.api.sendInvoice(42, 'Premium', 'Higher limits', 'p:1', 'XTR', [
      { label: 'Premium', amount: 50 },
    ]);
    expect(sent.invoice).toMatchObject({ title: 'Premium', currency: 'XTR', total_amount: 50 });
    expect(tg.invoices(42)).toEqual([
      { chatId: 42, messageId: sent.message_id, payload: 'p:1', currency: 'XTR', totalAmount: 50 },
    ]);
    const provider = await apiError(
      bot.api.sendInvoice(42, 'Premium', 'd', 'p:2', 'XTR', [{ label: 'x', amount: 50 }], {
        provider_token: '284685063:TEST:abc',
      }),
    );
    expect(provider.description).toBe('Bad Request: PAYMENT_PROVIDER_INVALID');
    const two = await apiError(
      bot.api.sendInvoice(42, 'Premium', 'd', 'p:3', 'XTR', [
        { label: 'a', amount: 1 },
        { label: 'b', amount: 2 },
      ]),
    );
    expect(two.description).toBe('Bad Request: STARS_INVOICE_INVALID');
    const long = await apiError(
      bot.api.sendInvoice(42, 'T', 'd', 'x'.repeat(129), 'XTR', [{ label: 'a', amount: 1 }]),
    );
    expect(long.description).toBe('Bad Request: PAYLOAD_INVALID');
  });

  it('answers a pushed pre-checkout query once (a refusal needs its message) and refunds a charge once', async () => {
    const query = tg.pushUpdate(tg.updates.preCheckout({ userId: 42, payload: 'p:1', totalAmount: 50 }));
    const id = query.pre_checkout_query!.id;
    expect((await apiError(bot.api.answerPreCheckoutQuery(id, false))).description).toBe(
      'Bad Request: ERROR_MESSAGE_EMPTY',
    );
    expect(await bot.api.answerPreCheckoutQuery(id, false, { error_message: 'no' })).toBe(true);
    expect(tg.checkoutAnswer(id)).toEqual({ ok: false, errorMessage: 'no' });
    await apiError(bot.api.answerPreCheckoutQuery(id, true));
    await apiError(bot.api.answerPreCheckoutQuery('never-pushed', true));

    const paid = tg.pushUpdate(
      tg.updates.payment({ chatId: 42, payload: 'p:1', totalAmount: 50, chargeId: 'ch1' }),
    );
    expect(paid.message?.successful_payment).toMatchObject({
      currency: 'XTR',
      total_amount: 50,
      invoice_payload: 'p:1',
      telegram_payment_charge_id: 'ch1',
    });
    expect((await apiError(bot.api.refundStarPayment(43, 'ch1'))).description).toBe(
      'Bad Request: USER_ID_INVALID',
    );
    expect(await bot.api.refundStarPayment(42, 'ch1')).toBe(true);
    expect(tg.charge('ch1')).toEqual({ userId: 42, amount: 50, refunded: true });
    expect((await apiError(bot.api.refundStarPayment(42, 'ch1'))).description).toBe(
      'Bad Request: CHARGE_ALREADY_REFUNDED',
    );
    expect((await apiError(bot.api.refundStarPayment(42, 'nope'))).description).toBe(
      'Bad Request: CHARGE_NOT_FOUND',
    );
  });
});
