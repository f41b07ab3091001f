/**
 * The writes every answer is built on, on each backend: storing a turn together with its usage
 * (appendCounted: one atomic write), and recording its delivery together with its update done.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFieldCipher } from '../../src/adapters/system/cipher.js';
import type { BotctlError } from '../../src/domain/errors.js';
import type { Dialect, Repositories } from '../../src/domain/ports/index.js';
import { newPrivateChat } from '../helpers/chats.js';
import { openTestDatabase, type TestDatabase } from '../helpers/db.js';

let nextTelegramId = 7_000_000_000;

export function describeTurnContract(dialect: Dialect): void {
  describe(`turn storage contract (${dialect})`, () => {
    let db: TestDatabase;
    let repos: Repositories;
    const count = async (from: string, params: unknown[] = []) =>
      Number((await db.raw(`select count(*) as n from ${from}`, params))[0]?.n);
    const newChat = (r: Repositories = repos) => newPrivateChat(r, (nextTelegramId += 1));

    beforeEach(async () => {
      db = await openTestDatabase(dialect);
      repos = db.repos;
    });
    afterEach(async () => {
      await db.cleanup();
    });

    describe('appendCounted', () => {
      it('stores the message with every field, sealed at rest, and adds the usage delta', async () => {
        const sealed = (await db.reopen(createFieldCipher([{ id: 'k', key: randomBytes(32) }]))).repos;
        const { user, conv } = await newChat(sealed);
        const day = '2025-04-01';
        // A question and its answer in one write; the usage counts the turn once.
        const [question, answer] = await sealed.conversations.appendCounted(
          [
            {
              conversationId: conv.id,
              role: 'user',
              content: 'Привет 🌍',
              tokensIn: 3,
              telegramMessageId: 2_000_000_000,
              createdAt: new Date('2025-04-01T10:00:00.123Z'),
            },
            {
              conversationId: conv.id,
              role: 'model',
              content: 'Здравствуйте',
              tokensIn: 120,
              tokensOut: 45,
              model: 'gemini-test',
              latencyMs: 321,
              sources: [{ title: 'Weather', uri: 'https://example.com/weather' }],
            },
          ],
          { userId: user.id, day, delta: { messages: 1, tokensIn: 120, tokensOut: 45 } },
        );
        expect(question).toMatchObject({
          conversationId: conv.id,
          role: 'user',
          content: 'Привет 🌍',
          tokensIn: 3,
          tokensOut: 0,
          model: null,
          latencyMs: null,
          telegramMessageId: 2_000_000_000,
          deliveredAt: null,
          createdAt: new Date('2025-04-01T10:00:00.123Z'),
        });
        expect(answer).toMatchObject({ role: 'model', tokensIn: 120, tokensOut: 45, model: 'gemini-test' });
        expect(answer!.id).toBeGreaterThan(question!.id);
        // What the write returns is what a read returns (SQLite builds it without reading the row back).
        expect(await sealed.conversations.getContext(conv.id, 5)).toEqual([question, answer]);
        const alone = await sealed.conversations.appendMessage({
          conversationId: conv.id,
          role: 'user',
          content: 'again',
        });
        expect(await sealed.conversations.getMessage(alone.id)).toEqual(alone);
        const raw = await db.raw('select content from messages where conversation_id = ?', [conv.id]);
        for (const row of raw) expect(String(row.content)).toMatch(/^enc:v1:k:/);
        // The message's own token estimate (3) is not what the turn counts.
        expect(await sealed.usage.get(user.id, day)).toMatchObject({
          messages: 1,
          tokensIn: 120,
          tokensOut: 45,
        });
      });

      it('stores nothing and counts nothing when any part fails', async () => {
        const { user, conv } = await newChat();
        const day = '2025-04-02';
        const unknownUser = await rejection(
          repos.conversations.appendCounted([{ conversationId: conv.id, role: 'user', content: 'lost' }], {
            userId: 424_242,
            day,
            delta: { messages: 1 },
          }),
        );
        expect(unknownUser.code).toBe('DATABASE_ERROR');
        expect(await count('messages where conversation_id = ?', [conv.id])).toBe(0);
        // The question is valid, its answer is not: neither is kept, nothing is counted.
        const unknownConversation = await rejection(
          repos.conversations.appendCounted(
            [
              { conversationId: conv.id, role: 'user', content: 'lost' },
              { conversationId: 424_242, role: 'model', content: 'lost too' },
            ],
            { userId: user.id, day, delta: { messages: 1 } },
          ),
        );
        expect(unknownConversation.code).toBe('DATABASE_ERROR');
        expect(await count('messages where conversation_id = ?', [conv.id])).toBe(0);
        expect(await count('daily_usage where user_id = ?', [user.id])).toBe(0);
      });

      it('keeps every one of 50 parallel writes of one, two or three turns, in order, and their counts', async () => {
        const { user, conv } = await newChat();
        const writes = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            repos.conversations.appendCounted(
              Array.from({ length: (i % 3) + 1 }, (_, j) => ({
                conversationId: conv.id,
                role: j % 2 === 0 ? ('user' as const) : ('model' as const),
                content: `t${i}.${j}`,
              })),
              { userId: user.id, day: '2025-04-03', delta: { messages: 1, tokensIn: 2 } },
            ),
          ),
        );
        writes.forEach((stored, i) => {
          expect(stored.map((m) => m.content)).toEqual(
            Array.from({ length: (i % 3) + 1 }, (_, j) => `t${i}.${j}`),
          );
          expect(stored.map((m) => m.id)).toEqual([...stored.map((m) => m.id)].sort((a, b) => a - b));
        });
        const ids = writes.flat().map((m) => m.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(await repos.conversations.countMessages(conv.id)).toBe(ids.length);
        expect(await repos.usage.get(user.id, '2025-04-03')).toMatchObject({ messages: 50, tokensIn: 100 });
      });

      it('fails only the broken ones of 30 writes at once, and each kept one is committed when it resolves', async () => {
        // SQLite commits writes asked for together in one transaction (sqlite/group-commit.ts):
        // a broken write among them must neither take the others down nor be half kept.
        const chats = await Promise.all(Array.from({ length: 10 }, () => newChat()));
        const day = '2025-04-05';
        const unlimited = { messages: 0, images: 0, audioSeconds: 0, searches: 0, tokens: 0 };
        const seenByOthers: number[] = [];
        const outcomes = await Promise.allSettled(
          Array.from({ length: 30 }, (_, i) => {
            const { user, conv } = chats[i % chats.length]!;
            const broken = i % 7 === 3; // its answer names a conversation that does not exist
            const reserved = repos.usage.reserve(user.id, day, { messages: 1 }, unlimited);
            const stored = repos.conversations.appendCounted(
              [
                { conversationId: conv.id, role: 'user', content: `q${i}` },
                { conversationId: broken ? 424_242 : conv.id, role: 'model', content: `a${i}` },
              ],
              { userId: user.id, day, delta: { tokensIn: 1 } },
            );
            return Promise.all([reserved, stored]).then(async ([, turns]) => {
              // Another connection (the raw one) sees it the moment it resolves.
              const rows = await db.raw('select content from messages where id = ?', [turns[1]!.id]);
              if (rows[0]?.content !== undefined) seenByOthers.push(i);
              return turns;
            });
          }),
        );
        const broken = outcomes.flatMap((o, i) => (o.status === 'rejected' ? [i] : []));
        expect(broken).toEqual([3, 10, 17, 24]);
        for (const i of broken) {
          const error = (outcomes[i] as PromiseRejectedResult).reason as BotctlError;
          expect(error.code).toBe('DATABASE_ERROR');
        }
        expect(seenByOthers.sort((a, b) => a - b)).toEqual(
          outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [i] : [])),
        );
        const contents = (await db.raw('select content from messages order by id')).map((r) => r.content);
        expect(contents).toHaveLength(2 * 26);
        for (const i of broken) expect(contents).not.toContain(`q${i}`);
        // Every reservation counted (they were not broken), the broken answers' tokens not.
        let messages = 0;
        let tokensIn = 0;
        for (const { user } of chats) {
          const usage = await repos.usage.get(user.id, day);
          messages += usage.messages;
          tokensIn += usage.tokensIn;
        }
        expect({ messages, tokensIn }).toEqual({ messages: 30, tokensIn: 26 });
      });
    });

    describe('history kept in memory between answers', () => {
      it("checks a kept history from the conversation index alone, reading none of its turns' rows", async () => {
        // The check every answer makes (shared/history-cache.ts): count, newest id, delivered count.
        const check =
          'select count(*), max(id), count(delivered_at) from messages where conversation_id = 1 and id > 0';
        if (dialect === 'sqlite') {
          const plan = await db.raw(`explain query plan ${check}`);
          expect(plan.map((row) => row.detail)).toEqual([
            'SEARCH messages USING COVERING INDEX messages_conversation_id_idx (conversation_id=? AND id>?)',
          ]);
        } else {
          // With rows all visible (after VACUUM) and scans other than by index ruled out, Postgres
          // can answer it by an index-only scan only if the index holds every column it reads.
          await db.raw('vacuum analyze messages');
          // One simple-protocol round on one connection, the settings put back in it.
          const plan = await db.raw(
            `set enable_seqscan = off; set enable_bitmapscan = off; explain ${check}; reset enable_seqscan; reset enable_bitmapscan`,
          );
          expect(JSON.stringify(plan)).toContain('Index Only Scan using messages_conversation_id_idx');
        }
      });

      const turn = (conversationId: number, i: number) => ({
        conversationId,
        role: i % 2 === 0 ? ('user' as const) : ('model' as const),
        content: `turn ${i}`,
      });
      const day = { day: '2025-04-05', delta: { messages: 1 } };

      it('serves what the database holds after this and another connection change it', async () => {
        const other = (await db.reopen()).repos;
        const { user, conv } = await newChat();
        const truth = async (afterId = 0, limit = 200) =>
          (await db.reopen()).repos.conversations.messagesAfter(conv.id, afterId, limit);
        const read = (afterId = 0, limit = 200) => repos.conversations.messagesAfter(conv.id, afterId, limit);
        const usage = { userId: user.id, ...day };

        const [q0, a0] = await repos.conversations.appendCounted([turn(conv.id, 0), turn(conv.id, 1)], usage);
        expect(await read()).toEqual(await truth());
        // This connection appends and delivers: its kept copy follows.
        const [q1, a1] = await repos.conversations.appendCounted([turn(conv.id, 2), turn(conv.id, 3)], usage);
        await repos.conversations.markDelivered(a1!.id, new Date('2025-04-05T10:00:00.000Z'));
        expect(await read()).toEqual(await truth());
        expect((await read()).map((m) => m.content)).toEqual(['turn 0', 'turn 1', 'turn 2', 'turn 3']);
        // Another connection (another process, another instance) appends, delivers, deletes.
        await other.conversations.appendCounted([turn(conv.id, 4)], usage);
        expect(await read()).toEqual(await truth());
        await other.conversations.markDelivered(a0!.id, new Date('2025-04-05T11:00:00.000Z'));
        expect((await read()).find((m) => m.id === a0!.id)?.deliveredAt).toEqual(
          new Date('2025-04-05T11:00:00.000Z'),
        );
        await other.conversations.deleteMessage(q1!.id);
        expect(await read()).toEqual(await truth());
        expect((await read()).map((m) => m.id)).not.toContain(q1!.id);
        // A newer start (the summary moved on), a smaller limit: the same as a fresh read.
        expect(await read(q0!.id)).toEqual(await truth(q0!.id));
        expect(await read(0, 2)).toEqual(await truth(0, 2));
        // Deleted with its conversation elsewhere (`users forget`): nothing is served from memory.
        await other.conversations.delete(conv.id);
        expect(await read()).toEqual([]);
      });

      it('keeps nothing stale after this connection deletes a turn or the conversation', async () => {
        const { user, conv } = await newChat();
        const usage = { userId: user.id, ...day };
        const [, answer] = await repos.conversations.appendCounted(
          [turn(conv.id, 0), turn(conv.id, 1)],
          usage,
        );
        await repos.conversations.messagesAfter(conv.id, 0, 200);
        await repos.conversations.deleteMessage(answer!.id);
        expect((await repos.conversations.messagesAfter(conv.id, 0, 200)).map((m) => m.content)).toEqual([
          'turn 0',
        ]);
        await repos.conversations.delete(conv.id);
        expect(await repos.conversations.messagesAfter(conv.id, 0, 200)).toEqual([]);
      });

      it('hands out copies: changing a returned history changes nothing kept', async () => {
        const { user, conv } = await newChat();
        await repos.conversations.appendCounted([turn(conv.id, 0)], { userId: user.id, ...day });
        const first = await repos.conversations.messagesAfter(conv.id, 0, 200);
        first.push({ ...first[0]!, id: 999_999, content: 'injected' });
        const again = await repos.conversations.messagesAfter(conv.id, 0, 200);
        expect(again.map((m) => m.content)).toEqual(['turn 0']);
        expect(() => {
          (again[0] as { content: string }).content = 'changed';
        }).toThrow(TypeError);
      });
    });

    describe('markDelivered with its update', () => {
      it('records the delivery and marks that update done in the same call, no other', async () => {
        const { conv } = await newChat();
        const answer = await repos.conversations.appendMessage({
          conversationId: conv.id,
          role: 'model',
          content: 'a',
        });
        for (const id of [501, 502])
          await repos.updates.record({ updateId: id, chatKey: 'k', fromId: null, payload: '{}' });
        const at = new Date('2025-04-04T08:00:00.321Z');
        await repos.conversations.markDelivered(answer.id, at, 501, [88, 89]);
        expect((await repos.conversations.getMessage(answer.id))?.deliveredAt).toEqual(at);
        expect((await repos.conversations.getMessage(answer.id))?.sentMessageIds).toEqual([88, 89]);
        expect((await repos.updates.pending(10)).map((u) => u.updateId)).toEqual([502]);
        // Done at the delivery's instant: pruned like any update done then.
        expect(await repos.updates.pruneDone(new Date(at.getTime() + 1))).toBe(1);
        expect(await repos.updates.pruneDone(new Date(at.getTime() + 1))).toBe(0);
      });
    });
  });
}

async function rejection(promise: Promise<unknown>): Promise<BotctlError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'expected the call to fail').toBeDefined();
  return error as BotctlError;
}
