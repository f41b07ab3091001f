/**
 * The Repositories contract: every implementation (SQLite, PostgreSQL) runs this same suite
 * against a real, freshly migrated database. Long by nature: it covers every port method.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFieldCipher } from '../../src/adapters/system/cipher.js';
import { chatKey, senderKey } from '../../src/domain/chat-key.js';
import { DEFAULT_USER_SETTINGS, type FirstContact, type User } from '../../src/domain/entities.js';
import type { BotctlError } from '../../src/domain/errors.js';
import type { ConversationKey, Dialect, Repositories, UserFilter } from '../../src/domain/ports/index.js';
import { openTestDatabase, type TestDatabase } from '../helpers/db.js';
import { EXPECTED_DAYS, EXPECTED_SUMMARY, SINCE, UNTIL, seedStatsFixture } from '../helpers/stats-fixture.js';

const keyA = { id: 'a', key: randomBytes(32) };
const keyB = { id: 'b', key: randomBytes(32) };

let nextTelegramId = 6_000_000_000; // above 2^32: catches 32-bit columns on PostgreSQL
function profile(overrides: Partial<FirstContact> = {}): FirstContact {
  nextTelegramId += 1;
  return {
    telegramId: nextTelegramId,
    username: 'ann',
    firstName: 'Ann',
    lastName: null,
    languageCode: 'en',
    language: 'en',
    ...overrides,
  };
}

/** An inbox row; the sender is null unless given, as for a channel post. */
function inboxEntry(updateId: number, chatKey: string, fromId: number | null = null, payload = '{}') {
  return { updateId, chatKey, fromId, payload };
}

/** Another OS process writing to the same database: real concurrency, even for SQLite. */
async function runWriter(url: string, userId: number, processes: number, updates: number): Promise<string> {
  const open = fileURLToPath(new URL('../../src/adapters/db/open.ts', import.meta.url));
  const cipher = fileURLToPath(new URL('../../src/adapters/system/cipher.ts', import.meta.url));
  const script = `
    const { openDatabase } = await import(${JSON.stringify(open)});
    const { createFieldCipher } = await import(${JSON.stringify(cipher)});
    const db = await openDatabase({ url: ${JSON.stringify(url)}, cipher: createFieldCipher([]) });
    // A barrier in the database itself: start writing only once every process is up.
    await db.repos.usage.increment(${userId}, 'barrier', { messages: 1 });
    while ((await db.repos.usage.get(${userId}, 'barrier')).messages < ${processes}) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    let won = 0;
    for (let id = 1; id <= ${updates}; id += 1) {
      if (await db.repos.updates.record({ updateId: id, chatKey: 'k', fromId: null, payload: '{}' })) won += 1;
      await db.repos.usage.increment(${userId}, '2025-06-01', { messages: 1 });
    }
    await db.close();
    process.stdout.write(String(won));`;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script],
    { cwd: fileURLToPath(new URL('../..', import.meta.url)) },
  );
  return stdout;
}

async function rejection(promise: Promise<unknown>): Promise<BotctlError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'expected the call to fail').toBeDefined();
  return error as BotctlError;
}

export function describeRepositoryContract(dialect: Dialect): void {
  describe(`Repositories contract (${dialect})`, () => {
    let db: TestDatabase;
    let repos: Repositories;
    const count = async (sql: string, params: unknown[] = []) =>
      Number((await db.raw(`select count(*) as n from ${sql}`, params))[0]?.n);
    const newUser = (overrides: Partial<FirstContact> = {}) =>
      repos.users.upsertFromTelegram(profile(overrides));
    const keyOf = (user: User, threadId: number | null = null): ConversationKey => ({
      userId: user.id,
      chatId: user.telegramId,
      threadId,
    });

    beforeEach(async () => {
      db = await openTestDatabase(dialect);
      repos = db.repos;
    });
    afterEach(async () => {
      await db.cleanup();
    });

    describe('users', () => {
      it('creates on first contact with the language given, and refreshes names and last-seen later', async () => {
        const first = await repos.users.upsertFromTelegram(
          profile({ firstName: 'Анна 🌸', languageCode: 'ru-RU', language: 'ru' }),
          new Date('2025-01-01T00:00:00Z'),
        );
        expect(first).toMatchObject({ firstName: 'Анна 🌸', language: 'ru', role: 'user', status: 'active' });
        expect(first.settings).toEqual(DEFAULT_USER_SETTINGS);
        await repos.users.setLanguage(first.id, 'en');
        const again = await repos.users.upsertFromTelegram(
          { ...first, username: 'anna_new', firstName: 'Anna' },
          new Date('2025-02-01T00:00:00Z'),
        );
        expect(again).toMatchObject({
          id: first.id,
          username: 'anna_new',
          firstName: 'Anna',
          language: 'en',
        });
        expect(again.createdAt).toEqual(new Date('2025-01-01T00:00:00Z'));
        expect(again.lastSeenAt).toEqual(new Date('2025-02-01T00:00:00Z'));
        expect(await repos.users.getByTelegramId(first.telegramId)).toEqual(again);
        expect(await repos.users.getById(first.id)).toEqual(again);
        expect(await repos.users.getById(999_999)).toBeNull();
        expect(await repos.users.getByTelegramId(1)).toBeNull();
      });

      it('round-trips settings over the defaults, merging patches', async () => {
        const user = await newUser();
        const patched = await repos.users.updateSettings(user.id, {
          customPrompt: 'Говори как пират 🏴‍☠️',
          detailLevel: 'brief',
          showTranscript: true,
        });
        expect(patched.settings).toEqual({
          ...DEFAULT_USER_SETTINGS,
          customPrompt: 'Говори как пират 🏴‍☠️',
          detailLevel: 'brief',
          showTranscript: true,
        });
        const again = await repos.users.updateSettings(user.id, {
          model: 'gemini-x',
          detailLevel: undefined,
        });
        expect(again.settings).toMatchObject({
          detailLevel: 'brief',
          model: 'gemini-x',
          showTranscript: true,
        });
        const cleared = await repos.users.updateSettings(user.id, { customPrompt: null });
        expect(cleared.settings.customPrompt).toBeNull();
        expect((await repos.users.getById(user.id))?.settings).toEqual(cleared.settings);
        expect((await rejection(repos.users.updateSettings(424_242, { persona: 'x' }))).code).toBe(
          'NOT_FOUND',
        );
      });

      it('falls back to defaults for unreadable or mistyped stored settings', async () => {
        const user = await newUser();
        await db.raw(`update users set settings = ? where id = ?`, [
          '{"detailLevel":"huge","timezone":7}',
          user.id,
        ]);
        expect((await repos.users.getById(user.id))?.settings).toEqual(DEFAULT_USER_SETTINGS);
        await db.raw(`update users set settings = ? where id = ?`, ['not json', user.id]);
        expect((await repos.users.getById(user.id))?.settings).toEqual(DEFAULT_USER_SETTINGS);
      });

      it('sets language, role and status, and lists and counts with filters', async () => {
        const a = await newUser({ languageCode: 'ru', language: 'ru' });
        const b = await newUser();
        const c = await newUser();
        expect((await repos.users.setRole(b.id, 'admin')).role).toBe('admin');
        expect((await repos.users.setStatus(c.id, 'banned')).status).toBe('banned');
        expect((await repos.users.setLanguage(c.id, 'ru')).language).toBe('ru');
        expect(a.quotaOverrides).toBeNull();
        const own = await repos.users.setQuotaOverrides(a.id, { messagesPerDay: 500, imagesPerDay: 0 });
        expect(own.quotaOverrides).toEqual({ messagesPerDay: 500, imagesPerDay: 0 });
        expect((await repos.users.getById(a.id))?.quotaOverrides).toEqual({
          messagesPerDay: 500,
          imagesPerDay: 0,
        });
        expect((await repos.users.setQuotaOverrides(a.id, null)).quotaOverrides).toBeNull();
        expect((await rejection(repos.users.setRole(999_999, 'admin'))).code).toBe('NOT_FOUND');
        expect((await repos.users.list()).map((u) => u.id)).toEqual([a.id, b.id, c.id]);
        expect((await repos.users.list({ language: 'ru' })).map((u) => u.id)).toEqual([a.id, c.id]);
        expect((await repos.users.list({ role: 'admin' })).map((u) => u.id)).toEqual([b.id]);
        expect((await repos.users.list({ limit: 1, offset: 1 })).map((u) => u.id)).toEqual([b.id]);
        expect((await repos.users.list({ afterId: a.id, limit: 1 })).map((u) => u.id)).toEqual([b.id]);
        expect((await repos.users.list({ language: 'ru', afterId: a.id })).map((u) => u.id)).toEqual([c.id]);
        expect(await repos.users.count({ status: 'active' })).toBe(2);
        expect(await repos.users.count()).toBe(3);
        await repos.users.upsertFromTelegram(a, new Date('2030-01-01T00:00:00Z'));
        expect(await repos.users.count({ activeSince: new Date('2029-12-31T00:00:00Z') })).toBe(1);
      });
    });

    describe('conversations', () => {
      it('starts, finds and ends conversations per chat and topic', async () => {
        const user = await newUser();
        expect(await repos.conversations.getActive(keyOf(user))).toBeNull();
        const first = await repos.conversations.getOrStart(keyOf(user), new Date('2025-01-01T00:00:00Z'));
        expect(first).toMatchObject({
          userId: user.id,
          chatId: user.telegramId,
          threadId: null,
          endedAt: null,
        });
        expect(await repos.conversations.getOrStart(keyOf(user))).toEqual(first);
        const topic = await repos.conversations.getOrStart(keyOf(user, 7));
        expect(topic.id).not.toBe(first.id);
        expect(topic.threadId).toBe(7);

        const second = await repos.conversations.start(keyOf(user), new Date('2025-01-02T00:00:00Z'));
        expect(second.id).not.toBe(first.id);
        expect(await repos.conversations.getActive(keyOf(user))).toEqual(second);
        const ended = await repos.conversations.getById(first.id);
        expect(ended?.endedAt).toEqual(new Date('2025-01-02T00:00:00Z'));
        expect((await repos.conversations.getActive(keyOf(user, 7)))?.id).toBe(topic.id);
        const listed = await repos.conversations.listByUser(user.id);
        expect(listed.map((c) => c.id).sort()).toEqual([first.id, topic.id, second.id].sort());
        expect(await repos.conversations.listByUser(user.id, { limit: 1, offset: 0 })).toHaveLength(1);
      });

      it('activates an ended conversation of the user in a chat, ending the open one there', async () => {
        const user = await newUser();
        const other = await newUser();
        const old = await repos.conversations.getOrStart(keyOf(user, 3), new Date('2025-01-01T00:00:00Z'));
        await repos.conversations.start(keyOf(user, 3), new Date('2025-01-02T00:00:00Z'));
        const open = await repos.conversations.getOrStart(keyOf(user));
        const at = new Date('2025-01-03T00:00:00Z');

        const active = await repos.conversations.activate(old.id, keyOf(user), at);
        expect(active).toMatchObject({ id: old.id, chatId: user.telegramId, threadId: null, endedAt: null });
        expect((await repos.conversations.getActive(keyOf(user)))?.id).toBe(old.id);
        expect((await repos.conversations.getById(open.id))?.endedAt).toEqual(at);
        // Activating the open one again changes nothing else; another user's id is refused.
        expect((await repos.conversations.activate(old.id, keyOf(user), at))?.endedAt).toBeNull();
        expect(await repos.conversations.activate(old.id, keyOf(other))).toBeNull();
        expect(await repos.conversations.activate(999_999, keyOf(user))).toBeNull();
        expect((await repos.conversations.getActive(keyOf(user)))?.id).toBe(old.id);
      });

      it('stores title and summary, and delete removes the messages', async () => {
        const user = await newUser();
        const conv = await repos.conversations.getOrStart(keyOf(user));
        const message = await repos.conversations.appendMessage({
          conversationId: conv.id,
          role: 'user',
          content: 'hi',
        });
        await repos.conversations.setTitle(conv.id, 'Рецепты 🍲');
        await repos.conversations.setSummary(conv.id, 'User asked about soup.', message.id);
        expect(await repos.conversations.getById(conv.id)).toMatchObject({
          title: 'Рецепты 🍲',
          summary: 'User asked about soup.',
          summaryUpToMessageId: message.id,
        });
        await repos.conversations.delete(conv.id);
        expect(await repos.conversations.getById(conv.id)).toBeNull();
        expect(await count('messages where conversation_id = ?', [conv.id])).toBe(0);
      });

      it('round-trips unicode, emoji, 4096-char and empty content with every field', async () => {
        const user = await newUser();
        const conv = await repos.conversations.getOrStart(keyOf(user));
        const contents = ['Привет, мир! 你好 🌍👩‍👩‍👧‍👦', 'я'.repeat(4096), '', 'line\n\ttab "q" \'s\' \\ %_'];
        for (const content of contents) {
          const saved = await repos.conversations.appendMessage({
            conversationId: conv.id,
            role: 'model',
            content,
            tokensIn: 12,
            tokensOut: 345,
            model: 'gemini-test',
            latencyMs: 987,
            telegramMessageId: 2_000_000_000,
            createdAt: new Date('2025-03-01T12:00:00.123Z'),
          });
          expect(saved).toMatchObject({
            content,
            tokensIn: 12,
            tokensOut: 345,
            model: 'gemini-test',
            latencyMs: 987,
          });
          expect(saved.createdAt).toEqual(new Date('2025-03-01T12:00:00.123Z'));
        }
        const context = await repos.conversations.getContext(conv.id, 10);
        expect(context.map((m) => m.content)).toEqual(contents);
        expect(context[1]?.content).toHaveLength(4096);
        const bare = await repos.conversations.appendMessage({
          conversationId: conv.id,
          role: 'user',
          content: 'q',
        });
        expect(bare).toMatchObject({
          tokensIn: 0,
          tokensOut: 0,
          model: null,
          latencyMs: null,
          telegramMessageId: null,
        });
      });

      it('returns the last N messages oldest first, messages after an id, and counts', async () => {
        const user = await newUser();
        const conv = await repos.conversations.getOrStart(keyOf(user));
        const other = await repos.conversations.getOrStart(keyOf(user, 3));
        const ids: number[] = [];
        for (let i = 0; i < 30; i += 1) {
          const m = await repos.conversations.appendMessage({
            conversationId: conv.id,
            role: i % 2 === 0 ? 'user' : 'model',
            content: `m${i}`,
          });
          ids.push(m.id);
          await repos.conversations.appendMessage({
            conversationId: other.id,
            role: 'user',
            content: `o${i}`,
          });
        }
        const context = await repos.conversations.getContext(conv.id, 20);
        expect(context.map((m) => m.content)).toEqual(Array.from({ length: 20 }, (_, i) => `m${i + 10}`));
        expect((await repos.conversations.getContext(conv.id, 100)).length).toBe(30);
        expect(await repos.conversations.getContext(999_999, 20)).toEqual([]);
        const after = await repos.conversations.messagesAfter(conv.id, ids[24] as number, 3);
        expect(after.map((m) => m.content)).toEqual(['m25', 'm26', 'm27']);
        expect(await repos.conversations.countMessages(conv.id)).toBe(30);
        await repos.conversations.deleteMessage(ids[29] as number);
        expect(await repos.conversations.countMessages(conv.id)).toBe(29);
        const next = await repos.conversations.appendMessage({
          conversationId: conv.id,
          role: 'user',
          content: 'n',
        });
        expect(next.id, 'ids are never reused').toBeGreaterThan(Math.max(...ids));
      });

      it('rejects a message for a missing conversation with a coded database error', async () => {
        const error = await rejection(
          repos.conversations.appendMessage({
            conversationId: 424_242,
            role: 'user',
            content: 'secret text',
          }),
        );
        expect(error.code).toBe('DATABASE_ERROR');
        expect(error.message).toMatch(dialect === 'postgres' ? /23503/ : /SQLITE_CONSTRAINT_FOREIGNKEY/);
        expect(error.message, 'drizzle params must not leak').not.toContain('secret text');
      });
    });

    describe('concurrent writers', () => {
      it('keeps every one of 50 parallel appends, increments and getOrStarts', async () => {
        const user = await newUser();
        const conversations = await Promise.all(
          Array.from({ length: 20 }, () => repos.conversations.getOrStart(keyOf(user, 9))),
        );
        expect(new Set(conversations.map((c) => c.id)).size).toBe(1);
        const conv = conversations[0] as { id: number };
        const appended = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            repos.conversations.appendMessage({ conversationId: conv.id, role: 'user', content: `c${i}` }),
          ),
        );
        expect(new Set(appended.map((m) => m.id)).size).toBe(50);
        expect(await repos.conversations.countMessages(conv.id)).toBe(50);
        await Promise.all(
          Array.from({ length: 50 }, () =>
            repos.usage.increment(user.id, '2025-05-05', { messages: 1, tokensIn: 10 }),
          ),
        );
        expect(await repos.usage.get(user.id, '2025-05-05')).toMatchObject({ messages: 50, tokensIn: 500 });
      });

      it('records one update id exactly once across 50 parallel writers on two connections', async () => {
        const second = await db.reopen();
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            (i % 2 === 0 ? repos : second.repos).updates.record(inboxEntry(777, 'chat', null, `{"n":${i}}`)),
          ),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await count('update_inbox')).toBe(1);
      });
      it('records each update once and adds every increment across three processes', async () => {
        const user = await newUser();
        const outputs = await Promise.all([1, 2, 3].map(() => runWriter(db.url, user.id, 3, 100)));
        const won = outputs.map(Number);
        expect(
          won.reduce((a, b) => a + b, 0),
          `won per process: ${won.join(', ')}`,
        ).toBe(100);
        expect(await count('update_inbox')).toBe(100);
        expect((await repos.usage.get(user.id, '2025-06-01')).messages).toBe(300);
      }, 120_000);
    });

    describe('single messages and audio files', () => {
      it('gets one message by id, decrypted, and null once it is gone', async () => {
        const sealed = (await db.reopen(createFieldCipher([keyA]))).repos;
        const user = await sealed.users.upsertFromTelegram(profile());
        const conv = await sealed.conversations.getOrStart(keyOf(user));
        const saved = await sealed.conversations.appendMessage({
          conversationId: conv.id,
          role: 'model',
          content: 'Ответ 🎧',
          telegramMessageId: 42,
        });
        expect(await sealed.conversations.getMessage(saved.id)).toEqual(saved);
        await sealed.conversations.deleteMessage(saved.id);
        expect(await sealed.conversations.getMessage(saved.id)).toBeNull();
      });

      it("stores a grounded answer's sources with it, sealed like its content, and none on other turns", async () => {
        const sealed = (await db.reopen(createFieldCipher([keyA]))).repos;
        const user = await sealed.users.upsertFromTelegram(profile());
        const conv = await sealed.conversations.getOrStart(keyOf(user));
        const sources = [{ title: 'Пример <&>', uri: 'https://example.org/a?b=1&c=2' }];
        const [question, answer] = await sealed.conversations.appendCounted(
          [
            { conversationId: conv.id, role: 'user', content: 'q' },
            { conversationId: conv.id, role: 'model', content: 'a', sources },
          ],
          { userId: user.id, day: '2025-05-05', delta: { messages: 1 } },
        );
        expect([question!.sources, answer!.sources]).toEqual([null, sources]);
        expect((await sealed.conversations.getMessage(answer!.id))?.sources).toEqual(sources);
        const [raw] = await db.raw('select sources from messages where id = ?', [answer!.id]);
        expect(String(raw?.sources)).not.toContain('example.org');
      });

      it('stores an answer undelivered and records when Telegram accepted it', async () => {
        const user = await newUser();
        const conv = await repos.conversations.getOrStart(keyOf(user));
        const question = await repos.conversations.appendMessage({
          conversationId: conv.id,
          role: 'user',
          content: 'q',
          telegramMessageId: 7,
        });
        const answer = await repos.conversations.appendMessage({
          conversationId: conv.id,
          role: 'model',
          content: 'a',
        });
        expect([question.deliveredAt, answer.deliveredAt]).toEqual([null, null]);
        const at = new Date('2025-03-01T12:00:00.123Z');
        await repos.conversations.markDelivered(answer.id, at);
        expect((await repos.conversations.getMessage(answer.id))?.deliveredAt).toEqual(at);
        expect((await repos.conversations.getContext(conv.id, 2)).map((m) => m.deliveredAt)).toEqual([
          null,
          at,
        ]);
      });

      it("records an answer's Telegram messages at delivery and finds it by any of them, in the user's chats only", async () => {
        const user = await newUser();
        const other = await newUser({ telegramId: 777_001 });
        const answerIn = async (owner: User, sent: number[] | undefined) => {
          const conv = await repos.conversations.start(keyOf(owner));
          const answer = await repos.conversations.appendMessage({
            conversationId: conv.id,
            role: 'model',
            content: 'a',
          });
          await repos.conversations.markDelivered(
            answer.id,
            new Date('2025-03-01T12:00:00Z'),
            undefined,
            sent,
          );
          return answer;
        };
        const old = await answerIn(user, [10, 11, 12]);
        const newer = await answerIn(user, [20]);
        await answerIn(user, undefined);
        // Another user's answer in another chat under the same Telegram ids: not theirs to continue.
        await answerIn(other, [15]);
        const stored = await repos.conversations.getMessage(old.id);
        expect([stored?.telegramMessageId, stored?.sentMessageIds]).toEqual([10, [10, 11, 12]]);
        const find = async (id: number, owner = user) =>
          (await repos.conversations.findAnswerBySent(keyOf(owner), id))?.id ?? null;
        expect(await find(10)).toBe(old.id);
        expect(await find(12)).toBe(old.id);
        expect(await find(20)).toBe(newer.id);
        // 15 lies between the user's answers but is none of theirs; 9 is before any.
        expect([await find(15), await find(9), await find(21)]).toEqual([null, null, null]);
        expect(await find(15, other)).not.toBeNull();
        expect(await repos.conversations.findAnswerBySent({ userId: user.id, chatId: 1 }, 10)).toBeNull();
      });

      it('adds audio rows to a message, lists them oldest first, and drops them with the message', async () => {
        const user = await newUser();
        const conv = await repos.conversations.getOrStart(keyOf(user));
        const message = await repos.conversations.appendMessage({
          conversationId: conv.id,
          role: 'user',
          content: '',
        });
        const first = await repos.audioFiles.add({
          messageId: message.id,
          fileId: 'AwACAgIAAxkBAAIB',
          fileUniqueId: 'AgADx',
          durationSec: 17,
          mime: 'audio/ogg',
          size: 123_456,
          storedPath: null,
          createdAt: new Date('2025-04-01T10:00:00Z'),
        });
        expect(first).toMatchObject({
          messageId: message.id,
          durationSec: 17,
          mime: 'audio/ogg',
          size: 123_456,
        });
        expect(first.createdAt).toEqual(new Date('2025-04-01T10:00:00Z'));
        const second = await repos.audioFiles.add({
          messageId: message.id,
          fileId: 'f2',
          fileUniqueId: 'u2',
          durationSec: 3,
          mime: null,
          size: null,
          storedPath: 'audio/2025/u2.ogg',
        });
        expect(await repos.audioFiles.listByMessage(message.id)).toEqual([first, second]);
        expect(await repos.audioFiles.listByMessage(999_999)).toEqual([]);
        await repos.conversations.deleteMessage(message.id);
        expect(await count('audio_files where message_id = ?', [message.id])).toBe(0);
      });

      it("lists one user's audio rows across conversations, oldest first, and no one else's", async () => {
        // Sealed message content must not get in the way of the join.
        const sealed = (await db.reopen(createFieldCipher([keyA]))).repos;
        const [ann, bob] = [
          await sealed.users.upsertFromTelegram(profile()),
          await sealed.users.upsertFromTelegram(profile()),
        ];
        const voiceIn = async (user: User, threadId: number | null) => {
          const conv = await sealed.conversations.getOrStart(keyOf(user, threadId));
          return sealed.conversations.appendMessage({
            conversationId: conv.id,
            role: 'user',
            content: '[voice 0:07] привет 🎙',
          });
        };
        const [annFirst, bobOnly, annSecond] = [
          await voiceIn(ann, null),
          await voiceIn(bob, null),
          await voiceIn(ann, 7),
        ];
        const audio = (messageId: number, n: number, storedPath: string | null) =>
          sealed.audioFiles.add({
            messageId,
            fileId: `file-${n}`,
            fileUniqueId: `unique-${n}`,
            durationSec: n,
            mime: n === 3 ? null : 'audio/ogg',
            size: n === 3 ? null : n * 1000,
            storedPath,
            createdAt: new Date(`2025-05-0${n}T08:00:00Z`),
          });
        const first = await audio(annFirst.id, 1, null);
        await audio(bobOnly.id, 2, null);
        const second = await audio(annSecond.id, 3, 'audio/unique-3.ogg');
        const third = await audio(annFirst.id, 4, null);

        expect(await sealed.audioFiles.listByUser(ann.id)).toEqual([first, second, third]);
        expect(second).toEqual({
          id: second.id,
          messageId: annSecond.id,
          fileId: 'file-3',
          fileUniqueId: 'unique-3',
          durationSec: 3,
          mime: null,
          size: null,
          storedPath: 'audio/unique-3.ogg',
          createdAt: new Date('2025-05-03T08:00:00Z'),
        });
        expect((await sealed.audioFiles.listByUser(bob.id)).map((a) => a.fileId)).toEqual(['file-2']);
        expect(await sealed.audioFiles.listByUser(999_999)).toEqual([]);
      });
    });

    describe('usage', () => {
      it('adds deltas per user and day, returns zeros for an empty day and lists by day', async () => {
        const user = await newUser();
        expect(await repos.usage.get(user.id, '2025-01-01')).toEqual({
          userId: user.id,
          day: '2025-01-01',
          messages: 0,
          tokensIn: 0,
          tokensOut: 0,
          audioSeconds: 0,
          images: 0,
          searches: 0,
        });
        await repos.usage.increment(user.id, '2025-01-02', { messages: 1, tokensIn: 100, tokensOut: 200 });
        const totals = await repos.usage.increment(user.id, '2025-01-02', {
          messages: 1,
          audioSeconds: 30,
          images: 2,
          searches: 1,
        });
        expect(totals).toEqual({
          userId: user.id,
          day: '2025-01-02',
          messages: 2,
          tokensIn: 100,
          tokensOut: 200,
          audioSeconds: 30,
          images: 2,
          searches: 1,
        });
        await repos.usage.increment(user.id, '2025-01-01', { messages: 1 });
        expect((await repos.usage.listByUser(user.id)).map((u) => u.day)).toEqual([
          '2025-01-01',
          '2025-01-02',
        ]);
      });

      const caps = { messages: 10, images: 0, audioSeconds: 0, searches: 0, tokens: 0 };

      it('reserves exactly up to the limit: 40 concurrent reservations of 10 from two connections', async () => {
        const user = await newUser();
        const second = await db.reopen(); // another pool: its own connections (closed by cleanup)
        const results = await Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            (i % 2 === 0 ? repos : second.repos).usage.reserve(user.id, '2025-03-01', { messages: 1 }, caps),
          ),
        );
        const taken = results.filter((r) => r !== null);
        expect(taken).toHaveLength(10);
        // Each success saw its own total: 1..10, once each.
        expect(taken.map((r) => r!.messages).sort((a, b) => a - b)).toEqual(
          Array.from({ length: 10 }, (_, i) => i + 1),
        );
        expect((await repos.usage.get(user.id, '2025-03-01')).messages).toBe(10);
      });

      it('reserves only what fits: per counter, against used tokens, and nothing over on an empty day', async () => {
        const user = await newUser();
        const day = '2025-03-02';
        const audio = { messages: 0, images: 0, audioSeconds: 60, searches: 0, tokens: 0 };
        expect(await repos.usage.reserve(user.id, day, { audioSeconds: 61 }, audio)).toBeNull();
        expect(await count('daily_usage where user_id = ?', [user.id])).toBe(0);
        expect(await repos.usage.reserve(user.id, day, { audioSeconds: 40 }, audio)).toMatchObject({
          audioSeconds: 40,
        });
        expect(await repos.usage.reserve(user.id, day, { audioSeconds: 21 }, audio)).toBeNull();
        expect(await repos.usage.reserve(user.id, day, { audioSeconds: 20 }, audio)).toMatchObject({
          audioSeconds: 60,
        });
        // A counter the request does not add to never refuses it: out of audio, still a question.
        expect(await repos.usage.reserve(user.id, day, { messages: 1 }, caps)).toMatchObject({
          messages: 1,
          audioSeconds: 60,
        });
        await repos.usage.increment(user.id, day, { tokensIn: 60, tokensOut: 40 });
        const tokens = { ...caps, tokens: 100 };
        expect(await repos.usage.reserve(user.id, day, { messages: 1 }, tokens)).toBeNull();
        expect(
          await repos.usage.reserve(user.id, day, { messages: 1 }, { ...tokens, tokens: 101 }),
        ).toMatchObject({ messages: 2 });
      });

      it('reserves grounded answers on their own cap', async () => {
        const user = await newUser();
        const searches = { messages: 0, images: 0, audioSeconds: 0, searches: 1, tokens: 0 };
        expect(await repos.usage.reserve(user.id, '2025-03-05', { searches: 1 }, searches)).toMatchObject({
          searches: 1,
        });
        expect(await repos.usage.reserve(user.id, '2025-03-05', { searches: 1 }, searches)).toBeNull();
        await repos.usage.release(user.id, '2025-03-05', { searches: 1 });
        expect((await repos.usage.get(user.id, '2025-03-05')).searches).toBe(0);
      });

      it('releases what a reservation added, never below zero, and writes nothing for a day without a row', async () => {
        const user = await newUser();
        await repos.usage.reserve(user.id, '2025-03-03', { messages: 1, images: 1 }, caps);
        await repos.usage.release(user.id, '2025-03-03', { messages: 1 });
        expect(await repos.usage.get(user.id, '2025-03-03')).toMatchObject({ messages: 0, images: 1 });
        await repos.usage.release(user.id, '2025-03-03', { messages: 1, images: 5 });
        expect(await repos.usage.get(user.id, '2025-03-03')).toMatchObject({ messages: 0, images: 0 });
        await repos.usage.release(user.id, '2025-03-04', { messages: 1 });
        expect(await count('daily_usage where user_id = ? and day = ?', [user.id, '2025-03-04'])).toBe(0);
      });
    });

    describe('deleteCascade', () => {
      it('leaves no row of the user in any table, group chats included, and keeps other users intact', async () => {
        const group = -1001234567890;
        const seed = async () => {
          const user = await newUser();
          const conv = await repos.conversations.getOrStart(keyOf(user));
          const message = await repos.conversations.appendMessage({
            conversationId: conv.id,
            role: 'user',
            content: 'x',
          });
          await db.raw(
            `insert into audio_files (message_id, file_id, file_unique_id, duration_sec, created_at) values (?, ?, ?, ?, ?)`,
            [message.id, `f${user.id}`, `u${user.id}`, 3, dialect === 'sqlite' ? Date.now() : new Date()],
          );
          await repos.usage.increment(user.id, '2025-01-01', { messages: 1 });
          // Private-chat rows without a sender (as recorded before the sender column existed)...
          await repos.updates.record(inboxEntry(user.id * 10, chatKey(user.telegramId)));
          await repos.updates.record(inboxEntry(user.id * 10 + 1, chatKey(user.telegramId, 5)));
          await repos.updates.record(inboxEntry(user.id * 10 + 2, senderKey(user.telegramId)));
          // ...and what they wrote in a group they share with the other user, a topic included.
          await repos.updates.record(inboxEntry(user.id * 10 + 3, chatKey(group), user.telegramId));
          await repos.updates.record(inboxEntry(user.id * 10 + 4, chatKey(group, 7), user.telegramId));
          return { user, conv, message };
        };
        const gone = await seed();
        const kept = await seed();
        await repos.broadcasts.create({
          id: 'b1',
          text: 'hi',
          parseMode: null,
          photo: null,
          audience: {},
          ratePerSecond: 10,
        });
        await repos.broadcasts.enqueueRecipients('b1', [gone.user.id, kept.user.id]);

        await repos.users.deleteCascade(gone.user.id);

        const remaining = async (user: User, conv: { id: number }, message: { id: number }) => ({
          users: await count('users where id = ?', [user.id]),
          conversations: await count('conversations where user_id = ?', [user.id]),
          messages: await count('messages where conversation_id = ?', [conv.id]),
          audio: await count('audio_files where message_id = ?', [message.id]),
          usage: await count('daily_usage where user_id = ?', [user.id]),
          deliveries: await count('deliveries where user_id = ?', [user.id]),
          inbox: await count(`update_inbox where chat_key = ? or chat_key like ? or chat_key = ?`, [
            String(user.telegramId),
            `${user.telegramId}:%`,
            `user:${user.telegramId}`,
          ]),
          groupInbox: await count('update_inbox where from_id = ?', [user.telegramId]),
        });
        expect(await remaining(gone.user, gone.conv, gone.message)).toEqual({
          users: 0,
          conversations: 0,
          messages: 0,
          audio: 0,
          usage: 0,
          deliveries: 0,
          inbox: 0,
          groupInbox: 0,
        });
        expect(await remaining(kept.user, kept.conv, kept.message)).toEqual({
          users: 1,
          conversations: 1,
          messages: 1,
          audio: 1,
          usage: 1,
          deliveries: 1,
          inbox: 3,
          groupInbox: 2,
        });
        const groupRows = await db.raw(
          'select update_id, from_id from update_inbox where chat_key = ? or chat_key = ? order by update_id',
          [chatKey(group), chatKey(group, 7)],
        );
        expect(groupRows.map((r) => [Number(r.update_id), Number(r.from_id)])).toEqual([
          [kept.user.id * 10 + 3, kept.user.telegramId],
          [kept.user.id * 10 + 4, kept.user.telegramId],
        ]);
        await repos.users.deleteCascade(gone.user.id); // already gone: a no-op, not an error
      });
    });

    describe('encryption at rest', () => {
      const secrets = {
        content: 'моя тайна 🔐',
        summary: 'summary: secret plans',
        prompt: 'be secret',
        payload: '{"text":"top secret"}',
        title: 'Секретный план',
      };

      async function writeSecrets(r: Repositories) {
        const user = await r.users.upsertFromTelegram(profile());
        await r.users.updateSettings(user.id, { customPrompt: secrets.prompt });
        const conv = await r.conversations.getOrStart(keyOf(user));
        const message = await r.conversations.appendMessage({
          conversationId: conv.id,
          role: 'user',
          content: secrets.content,
        });
        await r.conversations.setSummary(conv.id, secrets.summary, message.id);
        await r.conversations.setTitle(conv.id, secrets.title);
        await r.updates.record(inboxEntry(user.telegramId, 'k', user.telegramId, secrets.payload));
        return { user, conv, message };
      }
      async function expectReadable(r: Repositories, w: Awaited<ReturnType<typeof writeSecrets>>) {
        expect((await r.users.getById(w.user.id))?.settings.customPrompt).toBe(secrets.prompt);
        expect((await r.conversations.getContext(w.conv.id, 5))[0]?.content).toBe(secrets.content);
        expect((await r.conversations.getById(w.conv.id))?.summary).toBe(secrets.summary);
        expect((await r.conversations.getById(w.conv.id))?.title).toBe(secrets.title);
        expect((await r.updates.pending(10)).find((u) => u.updateId === w.user.telegramId)?.payload).toBe(
          secrets.payload,
        );
      }
      async function rawValues(w: Awaited<ReturnType<typeof writeSecrets>>) {
        return [
          (await db.raw('select content from messages where id = ?', [w.message.id]))[0]?.content,
          (await db.raw('select summary from conversations where id = ?', [w.conv.id]))[0]?.summary,
          (await db.raw('select title from conversations where id = ?', [w.conv.id]))[0]?.title,
          (await db.raw('select settings from users where id = ?', [w.user.id]))[0]?.settings,
          (await db.raw('select payload from update_inbox where update_id = ?', [w.user.telegramId]))[0]
            ?.payload,
        ].map(String);
      }

      it('stores sealed values and returns plaintext', async () => {
        const sealed = await db.reopen(createFieldCipher([keyA]));
        const written = await writeSecrets(sealed.repos);
        const raw = await rawValues(written);
        for (const value of raw) {
          for (const secret of Object.values(secrets)) expect(value).not.toContain(secret);
          expect(value).toContain('enc:v1:a:');
        }
        await expectReadable(sealed.repos, written);
      });

      it('fails with DECRYPTION_FAILED under a wrong key', async () => {
        const written = await writeSecrets((await db.reopen(createFieldCipher([keyA]))).repos);
        const wrong = await db.reopen(createFieldCipher([{ id: 'a', key: randomBytes(32) }]));
        const error = await rejection(wrong.repos.conversations.getContext(written.conv.id, 5));
        expect(error.code).toBe('DECRYPTION_FAILED');
        expect(error.message).toContain('"a"');
        const missing = await db.reopen(createFieldCipher([keyB]));
        expect((await rejection(missing.repos.conversations.getById(written.conv.id))).code).toBe(
          'DECRYPTION_FAILED',
        );
      });

      it('reads values sealed with an older key after rotation, and plaintext from before encryption', async () => {
        const plain = await writeSecrets(repos);
        const old = await writeSecrets((await db.reopen(createFieldCipher([keyA]))).repos);
        const rotated = (await db.reopen(createFieldCipher([keyB, keyA]))).repos;
        await expectReadable(rotated, plain);
        await expectReadable(rotated, old);
        const fresh = await writeSecrets(rotated);
        for (const value of await rawValues(fresh)) expect(value).toContain('enc:v1:b:');
      });
    });

    describe('broadcasts', () => {
      it('creates, lists and moves through statuses', async () => {
        const created = await repos.broadcasts.create({
          id: 'bc-1',
          text: '<b>Новости</b> 📰',
          parseMode: 'HTML',
          photo: 'file-id',
          audience: { activeWithinDays: 30, language: 'ru', role: 'premium' },
          ratePerSecond: 25,
          now: new Date('2025-01-01T00:00:00Z'),
        });
        expect(created).toMatchObject({
          status: 'pending',
          startedAt: null,
          finishedAt: null,
          ratePerSecond: 25,
        });
        expect(await repos.broadcasts.get('bc-1')).toEqual(created);
        expect(await repos.broadcasts.get('nope')).toBeNull();
        await repos.broadcasts.setStatus('bc-1', 'running', new Date('2025-01-02T00:00:00Z'));
        await repos.broadcasts.setStatus('bc-1', 'running', new Date('2025-01-03T00:00:00Z'));
        await repos.broadcasts.setStatus('bc-1', 'done', new Date('2025-01-04T00:00:00Z'));
        expect(await repos.broadcasts.get('bc-1')).toMatchObject({
          status: 'done',
          audience: { activeWithinDays: 30, language: 'ru', role: 'premium' },
          startedAt: new Date('2025-01-02T00:00:00Z'),
          finishedAt: new Date('2025-01-04T00:00:00Z'),
        });
        await repos.broadcasts.create({
          id: 'bc-2',
          text: 't',
          parseMode: null,
          photo: null,
          audience: {},
          ratePerSecond: 1,
        });
        expect((await repos.broadcasts.list()).map((b) => b.id)).toEqual(['bc-2', 'bc-1']);
      });

      it('enqueues idempotently and tracks deliveries', async () => {
        const [a, b, c] = [await newUser(), await newUser(), await newUser()];
        if (!a || !b || !c) throw new Error('unreachable');
        await repos.broadcasts.create({
          id: 'bc',
          text: 't',
          parseMode: null,
          photo: null,
          audience: {},
          ratePerSecond: 5,
        });
        expect(await repos.broadcasts.enqueueRecipients('bc', [a.id, b.id])).toBe(2);
        expect(await repos.broadcasts.enqueueRecipients('bc', [a.id, b.id, c.id, c.id, 999_999])).toBe(1);
        expect(await repos.broadcasts.enqueueRecipients('bc', [])).toBe(0);
        const pending = await repos.broadcasts.pendingDeliveries('bc', 10);
        expect(pending.map((d) => [d.userId, d.telegramId])).toEqual(
          [a, b, c].map((u) => [u.id, u.telegramId]),
        );
        expect(pending[0]).toMatchObject({
          broadcastId: 'bc',
          status: 'pending',
          attempts: 0,
          error: null,
          sentAt: null,
        });

        await repos.broadcasts.markDelivery('bc', a.id, 'sending');
        await repos.broadcasts.markDelivery('bc', a.id, 'sent', { now: new Date('2025-01-05T00:00:00Z') });
        await repos.broadcasts.markDelivery('bc', b.id, 'sending');
        await repos.broadcasts.markDelivery('bc', c.id, 'blocked', {
          error: 'Forbidden: bot was blocked by the user',
        });
        const left = await repos.broadcasts.pendingDeliveries('bc', 10);
        expect(left.map((d) => [d.userId, d.status, d.attempts])).toEqual([[b.id, 'sending', 1]]);
        expect(await repos.broadcasts.deliveryCounts('bc')).toEqual({
          pending: 0,
          sending: 1,
          sent: 1,
          failed: 0,
          blocked: 1,
        });
        const rows = await db.raw(
          'select user_id, attempts, error, sent_at from deliveries where broadcast_id = ? order by user_id',
          ['bc'],
        );
        expect(rows.map((r) => [Number(r.user_id), Number(r.attempts), r.error])).toEqual([
          [a.id, 1, null],
          [b.id, 1, null],
          [c.id, 1, 'Forbidden: bot was blocked by the user'],
        ]);
        expect(rows[0]?.sent_at).not.toBeNull();
        expect(await repos.broadcasts.pendingDeliveries('bc', 0)).toEqual([]);
        expect(await repos.broadcasts.deliveryCounts('none')).toEqual({
          pending: 0,
          sending: 0,
          sent: 0,
          failed: 0,
          blocked: 0,
        });
      });

      it("lists one user's deliveries across broadcasts, oldest broadcast first, and no one else's", async () => {
        const [ann, bob] = [await newUser(), await newUser()];
        if (!ann || !bob) throw new Error('unreachable');
        // Created out of id order: the order is the broadcasts' creation time.
        for (const [id, day] of [
          ['bc-late', '2025-03-02'],
          ['bc-early', '2025-03-01'],
          ['bc-bob', '2025-03-03'],
        ] as const) {
          await repos.broadcasts.create({
            id,
            text: 't',
            parseMode: null,
            photo: null,
            audience: {},
            ratePerSecond: 5,
            now: new Date(`${day}T00:00:00Z`),
          });
        }
        await repos.broadcasts.enqueueRecipients('bc-late', [ann.id, bob.id]);
        await repos.broadcasts.enqueueRecipients('bc-early', [ann.id]);
        await repos.broadcasts.enqueueRecipients('bc-bob', [bob.id]);
        await repos.broadcasts.markDelivery('bc-early', ann.id, 'sending');
        await repos.broadcasts.markDelivery('bc-early', ann.id, 'sent', {
          now: new Date('2025-03-01T00:00:05Z'),
        });
        await repos.broadcasts.markDelivery('bc-late', ann.id, 'failed', {
          error: 'Bad Request: chat not found',
        });
        await repos.broadcasts.markDelivery('bc-late', bob.id, 'sent', {
          now: new Date('2025-03-02T00:00:01Z'),
        });

        expect(await repos.broadcasts.deliveriesToUser(ann.id)).toEqual([
          {
            broadcastId: 'bc-early',
            userId: ann.id,
            telegramId: ann.telegramId,
            status: 'sent',
            attempts: 1,
            error: null,
            sentAt: new Date('2025-03-01T00:00:05Z'),
          },
          {
            broadcastId: 'bc-late',
            userId: ann.id,
            telegramId: ann.telegramId,
            status: 'failed',
            attempts: 1,
            error: 'Bad Request: chat not found',
            sentAt: null,
          },
        ]);
        expect(
          (await repos.broadcasts.deliveriesToUser(bob.id)).map((d) => [d.broadcastId, d.status, d.userId]),
        ).toEqual([
          ['bc-late', 'sent', bob.id],
          ['bc-bob', 'pending', bob.id],
        ]);
        expect(await repos.broadcasts.deliveriesToUser(999_999)).toEqual([]);
      });
    });

    describe('admin sessions', () => {
      const t0 = new Date('2025-05-01T10:00:00.000Z');
      const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
      const link = (hash: string, expiresInMinutes = 10) =>
        repos.adminSessions.createLink({
          role: 'operator',
          linkHash: hash,
          linkExpiresAt: at(expiresInMinutes),
          createdBy: 'cli',
          now: t0,
        });

      it('spends a link once: the first redeem opens a session, a second or a late one gets null', async () => {
        const row = await link('link-1');
        expect(row).toEqual({
          id: row.id,
          role: 'operator',
          createdBy: 'cli',
          createdAt: t0,
          linkExpiresAt: at(10),
          signedInAt: null,
          expiresAt: null,
          revokedAt: null,
          address: null,
        });
        const redeem = (linkHash: string, sessionHash: string, minute: number) =>
          repos.adminSessions.redeem({
            linkHash,
            sessionHash,
            expiresAt: at(minute + 30),
            address: '203.0.113.9',
            now: at(minute),
          });
        const [first, second] = await Promise.all([redeem('link-1', 's-1', 1), redeem('link-1', 's-2', 1)]);
        const opened = first ?? second;
        expect([first, second].filter((r) => r !== null)).toHaveLength(1);
        expect(opened).toMatchObject({
          id: row.id,
          signedInAt: at(1),
          expiresAt: at(31),
          address: '203.0.113.9',
        });
        expect(await redeem('link-1', 's-3', 2)).toBeNull();
        await link('link-late');
        expect(await redeem('link-late', 's-4', 10)).toBeNull(); // at its expiry: too late
        expect(await redeem('unknown', 's-5', 1)).toBeNull();
        const session = await repos.adminSessions.findBySession(first === null ? 's-2' : 's-1');
        expect(session?.id).toBe(row.id);
        expect(await repos.adminSessions.findBySession('s-3')).toBeNull();
        expect(await repos.adminSessions.find(row.id)).toEqual(session);
      });

      it('extends live sessions, revokes one (keeping the first time) or all, lists newest first', async () => {
        const a = await link('l-a');
        const b = await link('l-b');
        await repos.adminSessions.redeem({
          linkHash: 'l-a',
          sessionHash: 's-a',
          expiresAt: at(30),
          address: null,
          now: t0,
        });
        await repos.adminSessions.extend(a.id, at(60));
        expect((await repos.adminSessions.find(a.id))?.expiresAt).toEqual(at(60));
        expect((await repos.adminSessions.revoke(a.id, at(61)))?.revokedAt).toEqual(at(61));
        expect((await repos.adminSessions.revoke(a.id, at(62)))?.revokedAt).toEqual(at(61));
        await repos.adminSessions.extend(a.id, at(90)); // a revoked session stays ended
        expect((await repos.adminSessions.find(a.id))?.expiresAt).toEqual(at(60));
        expect(await repos.adminSessions.revoke(a.id + 1000)).toBeNull();
        expect(await repos.adminSessions.find(a.id + 1000)).toBeNull();
        // A revoked link cannot be redeemed.
        expect(await repos.adminSessions.revokeAll(at(63))).toBe(1);
        expect(
          await repos.adminSessions.redeem({
            linkHash: 'l-b',
            sessionHash: 's-b',
            expiresAt: at(90),
            address: null,
            now: at(64),
          }),
        ).toBeNull();
        expect(await repos.adminSessions.revokeAll(at(65))).toBe(0);
        expect((await repos.adminSessions.list()).map((r) => r.id)).toEqual([b.id, a.id]);
        expect(await repos.adminSessions.list(1)).toHaveLength(1);
        expect((await rejection(link('l-a'))).code).toBe('DATABASE_ERROR');
      });
    });

    describe('api keys and audit', () => {
      it('creates, finds, lists, touches and revokes api keys', async () => {
        const key = await repos.apiKeys.create({
          name: 'grafana',
          hash: 'h1',
          scopes: ['stats:read', 'users:read'],
          now: new Date('2025-01-01T00:00:00Z'),
        });
        expect(key).toMatchObject({
          name: 'grafana',
          scopes: ['stats:read', 'users:read'],
          lastUsedAt: null,
          revokedAt: null,
        });
        await repos.apiKeys.touch(key.id, new Date('2025-01-02T00:00:00Z'));
        await repos.apiKeys.revoke(key.id, new Date('2025-01-03T00:00:00Z'));
        expect(await repos.apiKeys.findByHash('h1')).toMatchObject({
          id: key.id,
          lastUsedAt: new Date('2025-01-02T00:00:00Z'),
          revokedAt: new Date('2025-01-03T00:00:00Z'),
        });
        expect(await repos.apiKeys.findByHash('nope')).toBeNull();
        await repos.apiKeys.create({ name: 'ci', hash: 'h2', scopes: [] });
        expect((await repos.apiKeys.list()).map((k) => k.name)).toEqual(['grafana', 'ci']);
        expect((await rejection(repos.apiKeys.create({ name: 'dup', hash: 'h1', scopes: [] }))).code).toBe(
          'DATABASE_ERROR',
        );
      });

      it('stores an expiry, revokes once (keeping the first time) and says when there is no such key', async () => {
        const expiresAt = new Date('2025-04-01T00:00:00.123Z');
        const key = await repos.apiKeys.create({ name: 'ops', hash: 'h3', scopes: ['write'], expiresAt });
        expect(key.expiresAt).toEqual(expiresAt);
        expect(
          (await repos.apiKeys.create({ name: 'x', hash: 'h4', scopes: ['read'] })).expiresAt,
        ).toBeNull();
        const first = await repos.apiKeys.revoke(key.id, new Date('2025-02-01T00:00:00Z'));
        expect(first).toMatchObject({ id: key.id, revokedAt: new Date('2025-02-01T00:00:00Z') });
        const again = await repos.apiKeys.revoke(key.id, new Date('2025-03-01T00:00:00Z'));
        expect(again?.revokedAt).toEqual(new Date('2025-02-01T00:00:00Z'));
        expect(await repos.apiKeys.revoke(key.id + 1000)).toBeNull();
      });

      it('records audit entries and lists the newest first', async () => {
        const first = await repos.audit.record({
          actor: 'cli',
          action: 'user.ban',
          target: 'user:1',
          details: { reason: 'spam ✋', n: 2 },
          at: new Date('2025-01-01T00:00:00Z'),
        });
        expect(first).toMatchObject({ actor: 'cli', details: { reason: 'spam ✋', n: 2 } });
        await repos.audit.record({
          actor: 'api:3',
          action: 'broadcast.create',
          target: null,
          details: null,
          at: new Date('2025-01-02T00:00:00Z'),
        });
        await repos.audit.record({ actor: 'cli', action: 'backup.create', target: null, details: null });
        const listed = await repos.audit.list({ limit: 2 });
        expect(listed.map((e) => e.action)).toEqual(['backup.create', 'broadcast.create']);
        expect((await repos.audit.list()).at(-1)).toEqual({ ...first, address: null });
        expect(await repos.audit.list({ beforeId: listed[1]!.id })).toEqual([first]);
      });

      it('keeps the remote address of an API write', async () => {
        const entry = await repos.audit.record({
          actor: 'api:7',
          action: 'user.status',
          target: 'user:42',
          address: '203.0.113.9',
          details: { from: 'active', to: 'banned' },
        });
        expect((await repos.audit.list({ limit: 1 }))[0]).toEqual(entry);
        expect(entry.address).toBe('203.0.113.9');
      });
    });

    describe('update inbox', () => {
      it('records once, lists pending oldest first, marks done and prunes', async () => {
        const sender = 6_500_000_000; // above 2^32, like today's user ids
        expect(
          await repos.updates.record(
            inboxEntry(12, 'chat:1', sender, '{"a":1}'),
            new Date('2025-01-01T00:00:00Z'),
          ),
        ).toBe(true);
        expect(await repos.updates.record(inboxEntry(12, 'chat:1', null, '{"a":2}'))).toBe(false);
        expect(
          await repos.updates.record(
            inboxEntry(10, 'chat:2', null, '{"b":1}'),
            new Date('2025-01-01T00:00:01Z'),
          ),
        ).toBe(true);
        expect(await repos.updates.record(inboxEntry(9_000_000_000, 'chat:2'))).toBe(true);
        expect(await repos.updates.pending(10)).toEqual([
          {
            updateId: 10,
            chatKey: 'chat:2',
            fromId: null,
            payload: '{"b":1}',
            receivedAt: new Date('2025-01-01T00:00:01Z'),
          },
          {
            updateId: 12,
            chatKey: 'chat:1',
            fromId: sender,
            payload: '{"a":1}',
            receivedAt: new Date('2025-01-01T00:00:00Z'),
          },
          expect.objectContaining({ updateId: 9_000_000_000 }),
        ]);
        expect(await repos.updates.countPending()).toBe(3);
        await repos.updates.markDone(10, new Date('2025-01-02T00:00:00Z'));
        await repos.updates.markDone(12, new Date('2025-01-04T00:00:00Z'));
        expect((await repos.updates.pending(10)).map((u) => u.updateId)).toEqual([9_000_000_000]);
        expect(await repos.updates.countPending()).toBe(1);
        expect(await repos.updates.pruneDone(new Date('2025-01-03T00:00:00Z'))).toBe(1);
        expect(await count('update_inbox')).toBe(2);
        expect(await repos.updates.pruneDone(new Date('2025-01-05T00:00:00Z'))).toBe(1);
        expect((await repos.updates.pending(10)).map((u) => u.updateId)).toEqual([9_000_000_000]);
      });

      it('stores a rejected update settled, with its reason: never pending, a duplicate after, pruned', async () => {
        const at = new Date('2025-02-01T00:00:00Z');
        const rejected = {
          ...inboxEntry(31, 'none', null, '{"message":{"chat":null}}'),
          rejected: 'malformed',
        };
        expect(await repos.updates.record(rejected, at)).toBe(true);
        expect(await repos.updates.record(inboxEntry(31, 'none'))).toBe(false);
        expect(await repos.updates.pending(10)).toEqual([]);
        expect(await repos.updates.countPending()).toBe(0);
        const [row] = await db.raw('select status, reason from update_inbox where update_id = ?', [31]);
        expect([row?.status, row?.reason]).toEqual(['rejected', 'malformed']);
        expect(await repos.updates.pruneDone(new Date('2025-01-31T00:00:00Z'))).toBe(0);
        expect(await repos.updates.pruneDone(new Date('2025-02-02T00:00:00Z'))).toBe(1);
      });

      it("remembers a group answer's preview message per update", async () => {
        await repos.updates.record(inboxEntry(31, 'chat:-100'));
        await repos.updates.record(inboxEntry(32, 'chat:-100'));
        expect(await repos.updates.replyMessage(31)).toBeNull();
        await repos.updates.setReplyMessage(31, 2_000_000_001);
        expect(await repos.updates.replyMessage(31)).toBe(2_000_000_001);
        expect(await repos.updates.replyMessage(32)).toBeNull();
        expect(await repos.updates.replyMessage(404)).toBeNull();
      });
    });

    describe('telegram flood wait', () => {
      const bot = 7_000_000_001; // above 2^32, like today's bot ids
      const at = (s: number) => new Date(Date.UTC(2025, 5, 1, 12, 0, s, 250));

      it('keeps one end per bot, and only ever the later one', async () => {
        expect(await repos.flood.until(bot)).toBeNull();
        await repos.flood.extend(bot, at(10));
        expect(await repos.flood.until(bot)).toEqual(at(10));
        await repos.flood.extend(bot, at(5));
        expect(await repos.flood.until(bot), 'an earlier end does not shorten the wait').toEqual(at(10));
        await repos.flood.extend(bot, at(30));
        expect(await repos.flood.until(bot)).toEqual(at(30));
        await repos.flood.extend(42, at(1));
        expect(await repos.flood.until(42)).toEqual(at(1));
        expect(await repos.flood.until(bot), 'bots do not share a wait').toEqual(at(30));
        expect(await count('telegram_flood')).toBe(2);
      });

      it('keeps the latest end when several connections record at once', async () => {
        const other = await db.reopen();
        const ends = Array.from({ length: 20 }, (_, i) => at((i * 7) % 20));
        await Promise.all(ends.map((end, i) => (i % 2 === 0 ? repos : other.repos).flood.extend(bot, end)));
        expect(await other.repos.flood.until(bot)).toEqual(at(19));
        expect(await count('telegram_flood')).toBe(1);
      });
    });

    describe('stats', () => {
      it('summarises a period with exact counts, sums, per-model tokens and latency percentiles', async () => {
        await seedStatsFixture(repos);
        expect(await repos.stats.summary(SINCE, UNTIL)).toEqual(EXPECTED_SUMMARY);
        expect(await repos.stats.daily(SINCE, UNTIL)).toEqual(EXPECTED_DAYS);
      });

      it('reports an empty period as zeros and null percentiles', async () => {
        await seedStatsFixture(repos);
        const since = new Date('2030-01-01T00:00:00Z');
        const until = new Date('2030-01-02T00:00:00Z');
        expect(await repos.stats.summary(since, until)).toEqual({
          users: { total: 6, new: 0, banned: 1, blocked: 1 },
          active: { day1: 0, day7: 0, day30: 0 },
          messages: { user: 0, model: 0 },
          usage: { messages: 0, tokensIn: 0, tokensOut: 0, audioSeconds: 0, images: 0, searches: 0 },
          models: [],
          latency: { samples: 0, p50Ms: null, p95Ms: null },
          errors: { total: 0, byCode: [] },
        });
        expect(await repos.stats.daily(since, until)).toEqual([]);
      });

      it('counts errors per day and code, every one when several connections count at once', async () => {
        const other = await db.reopen();
        const day = '2025-06-02';
        await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            (i % 2 === 0 ? repos : other.repos).stats.recordError(
              day,
              i % 4 === 0 ? 'INTERNAL' : 'GEMINI_UNAVAILABLE',
            ),
          ),
        );
        expect(await count('daily_errors'), 'one row per day and code').toBe(2);
        expect((await repos.stats.summary(SINCE, UNTIL)).errors).toEqual({
          total: 20,
          byCode: [
            { code: 'GEMINI_UNAVAILABLE', count: 15 },
            { code: 'INTERNAL', count: 5 },
          ],
        });
        expect(await repos.stats.daily(SINCE, UNTIL)).toEqual([
          { day, activeUsers: 0, userMessages: 0, modelMessages: 0, tokensIn: 0, tokensOut: 0, errors: 20 },
        ]);
      });

      it('interpolates percentiles like percentile_cont for one and for many samples', async () => {
        const user = await newUser();
        const conversation = await repos.conversations.start(keyOf(user), SINCE);
        const answer = (latencyMs: number) =>
          repos.conversations.appendMessage({
            conversationId: conversation.id,
            role: 'model',
            content: 'a',
            model: 'm',
            latencyMs,
            createdAt: SINCE,
          });
        await answer(42);
        expect((await repos.stats.summary(SINCE, UNTIL)).latency).toEqual({
          samples: 1,
          p50Ms: 42,
          p95Ms: 42,
        });
        for (let ms = 1; ms <= 100; ms += 1) await answer(ms * 10);
        // 101 samples: 10..1000 and 42; positions 50 and 95 of the sorted list.
        expect((await repos.stats.summary(SINCE, UNTIL)).latency).toEqual({
          samples: 101,
          p50Ms: 500,
          p95Ms: 950,
        });
      });

      it("counts one user's conversations and messages", async () => {
        const people = await seedStatsFixture(repos);
        expect(await repos.stats.userActivity(people.ann.id)).toEqual({
          conversations: 2,
          messages: 5,
          lastMessageAt: new Date('2025-06-07T12:00:00.000Z'),
        });
        const quiet = await newUser();
        expect(await repos.stats.userActivity(quiet.id)).toEqual({
          conversations: 0,
          messages: 0,
          lastMessageAt: null,
        });
      });
    });

    describe('user search', () => {
      it('finds users by exact username and by a name substring, ignoring case and wildcards', async () => {
        await seedStatsFixture(repos);
        const ids = async (filter: UserFilter) => (await repos.users.list(filter)).map((u) => u.telegramId);
        expect(await ids({ username: 'bobby' })).toEqual([7002]);
        expect(await ids({ username: 'bob' })).toEqual([]);
        expect(await ids({ search: 'BOB' })).toEqual([7002]);
        expect(await ids({ search: 'a' })).toEqual([7001, 7003, 7004, 7006]);
        expect(await ids({ search: '100%' })).toEqual([7003]);
        expect(await ids({ search: '%' })).toEqual([7003]);
        expect(await ids({ search: '_' })).toEqual([7001]);
        expect(await ids({ search: 'a', role: 'premium' })).toEqual([]);
        expect(await repos.users.count({ search: 'a', status: 'active' })).toBe(3);
      });
    });

    describe('connection', () => {
      it('pings, and reports DATABASE_UNREACHABLE once closed', async () => {
        await expect(repos.ping()).resolves.toBeUndefined();
        const other = await db.reopen();
        await other.close();
        await other.close();
        expect((await rejection(other.repos.ping())).code).toBe('DATABASE_UNREACHABLE');
        expect((await rejection(other.repos.users.getById(1))).code).toBe('DATABASE_UNREACHABLE');
      });
    });
  });
}
