/**
 * The history cache's bounds and its own bookkeeping, over a real SQLite database (the contract
 * suites check that what it serves equals the database on both dialects).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withHistoryCache, type HistoryMark } from '../../src/adapters/db/shared/history-cache.js';
import type { ConversationRepository } from '../../src/domain/ports/index.js';
import { openTestDatabase, type TestDatabase } from '../helpers/db.js';

let db: TestDatabase;
beforeEach(async () => {
  db = await openTestDatabase('sqlite');
});
afterEach(async () => db.cleanup());

/** The database's repository with its reads counted, under a cache with the given bounds. */
async function setup(limits: { conversations: number; chars: number }) {
  const inner = db.repos.conversations;
  let reads = 0;
  const counted: ConversationRepository = {
    ...inner,
    messagesAfter: (...args) => {
      reads += 1;
      return inner.messagesAfter(...args);
    },
  };
  const mark = async (conversationId: number, afterId: number): Promise<HistoryMark> => {
    const [row] = await db.raw(
      'select count(*) as count, max(id) as lastId, count(delivered_at) as delivered from messages where conversation_id = ? and id > ?',
      [conversationId, afterId],
    );
    return {
      count: Number(row!.count),
      lastId: row!.lastId === null ? null : Number(row!.lastId),
      delivered: Number(row!.delivered),
    };
  };
  const cache = withHistoryCache(counted, mark, limits);
  const user = await db.repos.users.upsertFromTelegram({
    telegramId: 42,
    username: null,
    firstName: 'Ann',
    lastName: null,
    languageCode: 'en',
    language: 'en',
  });
  const chat = async (chatId: number, content: string) => {
    const conv = await db.repos.conversations.getOrStart({ userId: user.id, chatId, threadId: null });
    await cache.appendCounted([{ conversationId: conv.id, role: 'user', content }], {
      userId: user.id,
      day: '2025-05-01',
      delta: { messages: 1 },
    });
    return conv.id;
  };
  return { cache, chat, reads: () => reads };
}

describe('history cache', () => {
  it('keeps the most recently used conversations within its count bound', async () => {
    const { cache, chat, reads } = await setup({ conversations: 2, chars: 1_000_000 });
    const [a, b, c] = [await chat(1, 'a'), await chat(2, 'b'), await chat(3, 'c')];
    for (const id of [a, b, a]) await cache.messagesAfter(id, 0, 200);
    expect(reads()).toBe(2); // a, b read once; a again from memory
    await cache.messagesAfter(c, 0, 200); // c in: b (least recently used) out
    await cache.messagesAfter(a, 0, 200);
    expect(reads()).toBe(3);
    await cache.messagesAfter(b, 0, 200);
    expect(reads()).toBe(4);
  });

  it('keeps within its character bound, and never keeps an incomplete read', async () => {
    const { cache, chat, reads } = await setup({ conversations: 100, chars: 5 });
    const small = await chat(1, 'abc');
    const big = await chat(2, 'abcdefgh');
    await cache.messagesAfter(small, 0, 200);
    await cache.messagesAfter(small, 0, 200);
    expect(reads()).toBe(1);
    await cache.messagesAfter(big, 0, 200); // over the bound: out at once, and small with it
    await cache.messagesAfter(big, 0, 200);
    expect(reads()).toBe(3);
    await chat(1, 'd');
    await cache.messagesAfter(small, 0, 1); // one of two: more may follow, so not kept
    await cache.messagesAfter(small, 0, 1);
    expect(reads()).toBe(5);
  });

  it('follows its own appends and deliveries without reading again', async () => {
    const { cache, chat, reads } = await setup({ conversations: 10, chars: 1_000_000 });
    const id = await chat(1, 'q1');
    await cache.messagesAfter(id, 0, 200);
    const [answer] = await cache.appendCounted([{ conversationId: id, role: 'model', content: 'a1' }], {
      userId: (await db.repos.users.getByTelegramId(42))!.id,
      day: '2025-05-01',
      delta: {},
    });
    const at = new Date('2025-05-01T12:00:00.000Z');
    await cache.markDelivered(answer!.id, at);
    const history = await cache.messagesAfter(id, 0, 200);
    expect(history.map((m) => [m.content, m.deliveredAt])).toEqual([
      ['q1', null],
      ['a1', at],
    ]);
    expect(reads()).toBe(1);
  });
});
