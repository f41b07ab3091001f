/**
 * The event outbox on each backend: rows written with the change they report (one transaction:
 * both or neither), claimed once even by several handles at once, in order per endpoint, retried
 * and given up on as the worker says.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewOutboxEvent, EventType } from '../../src/domain/events.js';
import type { Dialect, Repositories } from '../../src/domain/ports/index.js';
import { openTestDatabase, type TestDatabase } from '../helpers/db.js';

let nextTelegramId = 8_000_000_000;
const T0 = new Date('2026-01-01T00:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

function row(endpoint: string, n = 0, type: EventType = 'user.created'): NewOutboxEvent {
  const eventId = randomUUID();
  return { eventId, endpoint, type, occurredAt: T0, body: JSON.stringify({ id: eventId, n }) };
}

export function describeOutboxContract(dialect: Dialect): void {
  describe(`event outbox contract (${dialect})`, () => {
    let db: TestDatabase;
    let repos: Repositories;
    const outboxRows = async () => Number((await db.raw('select count(*) as n from event_outbox'))[0]?.n);
    const contact = () => {
      nextTelegramId += 1;
      return {
        telegramId: nextTelegramId,
        username: null,
        firstName: 'Ann',
        lastName: null,
        languageCode: 'en',
        language: 'en',
      };
    };

    beforeEach(async () => {
      db = await openTestDatabase(dialect);
      repos = db.repos;
    });
    afterEach(async () => {
      await db.cleanup();
    });

    it('delivers each endpoint in write order: the head is claimed once, the next only after it', async () => {
      const a = [row('a', 1), row('a', 2)];
      const b = [row('b', 1)];
      await repos.outbox.enqueue([a[0]!, b[0]!, a[1]!], T0);
      expect(await repos.outbox.counts()).toEqual({ pending: 3, delivered: 0, dead: 0 });

      const first = await repos.outbox.claimNext('a', T0, at(60_000));
      expect(first).toMatchObject({ eventId: a[0]!.eventId, endpoint: 'a', status: 'pending', attempts: 0 });
      expect(first!.body).toBe(a[0]!.body);
      expect(first!.occurredAt).toEqual(T0);
      // Claimed: neither it nor the row behind it is handed out again while the lease runs.
      expect(await repos.outbox.claimNext('a', at(1), at(60_000))).toBeNull();
      // Another endpoint has its own line.
      expect((await repos.outbox.claimNext('b', T0, at(60_000)))!.eventId).toBe(b[0]!.eventId);
      expect(await repos.outbox.claimNext('none', T0, at(60_000))).toBeNull();

      await repos.outbox.markDelivered(first!.id, at(5));
      const second = await repos.outbox.claimNext('a', at(6), at(60_000));
      expect(second!.eventId).toBe(a[1]!.eventId);
      expect(await repos.outbox.get(first!.id)).toMatchObject({ status: 'delivered', deliveredAt: at(5) });
      expect(await repos.outbox.counts()).toEqual({ pending: 2, delivered: 1, dead: 0 });
      // A claim whose worker died expires: the row is claimable again.
      expect((await repos.outbox.claimNext('a', at(60_000), at(120_000)))!.id).toBe(second!.id);
    });

    it('counts failures, waits until the retry time, goes dead, and is made pending again by retry', async () => {
      await repos.outbox.enqueue([row('a', 1), row('a', 2)], T0);
      const head = (await repos.outbox.claimNext('a', T0, at(60_000)))!;
      await repos.outbox.markFailed(head.id, { error: 'HTTP 500', retryAt: at(1_000) });
      expect(await repos.outbox.get(head.id)).toMatchObject({
        status: 'pending',
        attempts: 1,
        lastError: 'HTTP 500',
        nextAttemptAt: at(1_000),
      });
      // Not due yet, and the row behind it waits too (order).
      expect(await repos.outbox.claimNext('a', at(999), at(60_000))).toBeNull();
      const again = (await repos.outbox.claimNext('a', at(1_000), at(60_000)))!;
      expect(again.id).toBe(head.id);
      await repos.outbox.markFailed(head.id, { error: 'ECONNREFUSED', retryAt: null });
      expect(await repos.outbox.get(head.id)).toMatchObject({ status: 'dead', attempts: 2 });
      // A dead head no longer holds the line.
      const next = (await repos.outbox.claimNext('a', at(1_001), at(60_000)))!;
      expect(next.id).not.toBe(head.id);
      await repos.outbox.markFailed(next.id, { error: 'HTTP 404', retryAt: null });

      expect((await repos.outbox.list({ status: 'dead' })).map((e) => e.id)).toEqual([next.id, head.id]);
      expect(await repos.outbox.retry([head.id], at(2_000))).toBe(1);
      expect(await repos.outbox.get(head.id)).toMatchObject({
        status: 'pending',
        attempts: 0,
        nextAttemptAt: at(2_000),
      });
      // Only dead rows are retried; then every dead one.
      expect(await repos.outbox.retry([head.id])).toBe(0);
      expect(await repos.outbox.retry([])).toBe(0);
      expect(await repos.outbox.retry('dead', at(2_000))).toBe(1);
      expect(await repos.outbox.counts()).toEqual({ pending: 2, delivered: 0, dead: 0 });
      expect(await repos.outbox.get(999_999)).toBeNull();
    });

    it('prunes delivered rows older than the cutoff, never pending or dead ones', async () => {
      await repos.outbox.enqueue([row('a', 1), row('a', 2), row('b', 1), row('c', 1)], T0);
      const first = (await repos.outbox.claimNext('a', T0, at(60_000)))!;
      await repos.outbox.markDelivered(first.id, at(1_000));
      const second = (await repos.outbox.claimNext('a', at(1_000), at(60_000)))!;
      await repos.outbox.markDelivered(second.id, at(5_000));
      const dead = (await repos.outbox.claimNext('b', T0, at(60_000)))!;
      await repos.outbox.markFailed(dead.id, { error: 'HTTP 410', retryAt: null });
      expect(await repos.outbox.pruneDelivered(at(2_000))).toBe(1);
      expect(await repos.outbox.get(first.id)).toBeNull();
      expect(await repos.outbox.counts()).toEqual({ pending: 1, delivered: 1, dead: 1 });
    });

    it('lists newest first, by status, with paging', async () => {
      await repos.outbox.enqueue([row('a', 1), row('a', 2), row('a', 3)], T0);
      const all = await repos.outbox.list();
      expect(all).toHaveLength(3);
      expect(all[0]!.id).toBeGreaterThan(all[1]!.id);
      expect(await repos.outbox.list({ limit: 1, beforeId: all[0]!.id })).toEqual([all[1]]);
      expect(await repos.outbox.list({ status: 'delivered' })).toEqual([]);
    });

    it('claims each row once when several handles race for the same endpoint', async () => {
      const rows = Array.from({ length: 60 }, (_, n) => row('a', n));
      await repos.outbox.enqueue(rows, T0);
      const other = (await db.reopen()).repos;
      const seen: string[] = [];
      // Each worker claims, delivers and claims again until the line is empty.
      const worker = async (r: Repositories) => {
        for (let idle = 0; idle < 3;) {
          const claimed = await r.outbox.claimNext('a', new Date(), new Date(Date.now() + 60_000));
          if (claimed === null) {
            idle += 1;
            await new Promise((resolve) => setTimeout(resolve, 5));
            continue;
          }
          seen.push(claimed.eventId);
          await r.outbox.markDelivered(claimed.id);
        }
      };
      await Promise.all([worker(repos), worker(other), worker(repos), worker(other)]);
      // Exactly once each, and in write order.
      expect(seen).toEqual(rows.map((r) => r.eventId));
    });

    it("forgetting a user deletes the events about them, delivered or not, and no one else's", async () => {
      const gone = await repos.users.upsertFromTelegram(contact());
      const kept = await repos.users.upsertFromTelegram(contact());
      const about = (telegramId: number | null) => ({ ...row('a'), telegramId });
      await repos.outbox.enqueue(
        [about(gone.telegramId), about(gone.telegramId), about(kept.telegramId), about(null)],
        T0,
      );
      const first = (await repos.outbox.claimNext('a', T0, at(60_000)))!;
      await repos.outbox.markDelivered(first.id, at(1));
      await repos.users.deleteCascade(gone.id);
      expect(await outboxRows()).toBe(2);
      expect(
        await db.raw('select count(*) as n from event_outbox where telegram_id = ?', [kept.telegramId]),
      ).toEqual([{ n: dialect === 'postgres' ? '1' : 1 }]);
    });

    describe('written with the change, in one transaction', () => {
      it('user.created only when the user is created', async () => {
        const profile = contact();
        const user = await repos.users.upsertFromTelegram(profile, T0, (u) => [
          { ...row('a'), body: JSON.stringify({ userId: u.id }) },
        ]);
        const [stored] = await repos.outbox.list();
        expect(JSON.parse(stored!.body)).toEqual({ userId: user.id });
        const again = await repos.users.upsertFromTelegram({ ...profile, firstName: 'Anna' }, at(1), () => [
          row('a'),
        ]);
        expect(again).toMatchObject({ id: user.id, firstName: 'Anna', lastSeenAt: at(1), createdAt: T0 });
        expect(await outboxRows()).toBe(1);
      });

      it('conversation.started with a new conversation only, from getOrStart and start', async () => {
        const user = await repos.users.upsertFromTelegram(contact());
        const key = { userId: user.id, chatId: 7, threadId: null };
        const started = (c: { id: number }) => [
          { ...row('a', 0, 'conversation.started'), body: JSON.stringify({ conversationId: c.id }) },
        ];
        const first = await repos.conversations.getOrStart(key, T0, started);
        const same = await repos.conversations.getOrStart(key, at(1), started);
        expect(same.id).toBe(first.id);
        const next = await repos.conversations.start(key, at(2), started);
        expect(next.id).not.toBe(first.id);
        const bodies = (await repos.outbox.list()).map(
          (e) => JSON.parse(e.body) as { conversationId: number },
        );
        expect(bodies.map((b) => b.conversationId).sort()).toEqual([first.id, next.id].sort());

        // A row that cannot be written takes the new conversation with it.
        const broken = () => [{ ...row('a'), body: null as unknown as string }];
        const other = { userId: user.id, chatId: 8, threadId: null };
        await expect(repos.conversations.getOrStart(other, at(3), broken)).rejects.toThrow();
        expect(await repos.conversations.getActive(other)).toBeNull();
        await expect(repos.conversations.start(key, at(4), broken)).rejects.toThrow();
        expect((await repos.conversations.getActive(key))!.id).toBe(next.id);
      });

      it('neither the change nor the event when the event cannot be written', async () => {
        const broken = () => [{ ...row('a'), body: null as unknown as string }];
        const profile = contact();
        await expect(repos.users.upsertFromTelegram(profile, T0, broken)).rejects.toThrow();
        expect(await repos.users.getByTelegramId(profile.telegramId)).toBeNull();

        const user = await repos.users.upsertFromTelegram(contact());
        await expect(repos.users.setStatus(user.id, 'banned', broken)).rejects.toThrow();
        expect((await repos.users.getById(user.id))!.status).toBe('active');
        const banned = await repos.users.setStatus(user.id, 'banned', (u) => [
          { ...row('a', 0, 'user.banned'), body: JSON.stringify({ userId: u.id, status: u.status }) },
        ]);
        expect(banned.status).toBe('banned');
        expect(JSON.parse((await repos.outbox.list())[0]!.body)).toEqual({
          userId: user.id,
          status: 'banned',
        });
        await expect(repos.users.setStatus(999_999, 'banned', () => [row('a')])).rejects.toThrow();

        const conv = await repos.conversations.getOrStart({ userId: user.id, chatId: 1, threadId: null });
        const turn = [
          { conversationId: conv.id, role: 'user' as const, content: 'q' },
          { conversationId: conv.id, role: 'model' as const, content: 'a', tokensOut: 5 },
        ];
        const usage = { userId: user.id, day: '2026-01-01', delta: { messages: 1, tokensOut: 5 } };
        await expect(repos.conversations.appendCounted(turn, usage, broken)).rejects.toThrow();
        expect(await repos.conversations.countMessages(conv.id)).toBe(0);
        expect((await repos.usage.get(user.id, '2026-01-01')).messages).toBe(0);
        const stored = await repos.conversations.appendCounted(turn, usage, (messages) => [
          { ...row('a', 0, 'message.answered'), body: JSON.stringify({ messageId: messages[1]!.id }) },
        ]);
        expect(JSON.parse((await repos.outbox.list())[0]!.body)).toEqual({ messageId: stored[1]!.id });
        expect((await repos.usage.get(user.id, '2026-01-01')).messages).toBe(1);
        expect(await outboxRows()).toBe(2);
      });
    });
  });
}
