/**
 * The recent history of active conversations, kept in memory between answers. Every answer reads
 * its conversation's unsummarised turns (up to 200): about 2.6 µs of CPU a row on SQLite, and a
 * round trip plus 7 µs a row on PostgreSQL, for rows this process wrote or read a moment before.
 *
 * Before serving a kept history, one cheap question goes to the database: how many turns lie
 * after the history's start, the newest id, and how many are delivered (an index-only count, no
 * row read). Whatever another process or instance did meanwhile (a turn added, a turn or the whole
 * conversation deleted, `users forget`, an answer delivered) changes that answer, since ids never
 * come back after a delete (AUTOINCREMENT on SQLite, a sequence on PostgreSQL), and the turns are
 * read again. What the question cannot see is a turn's content changed in place: nothing does
 * that (a turn is appended, delivered, or deleted; re-encryption keeps the text), and whatever
 * comes to need it must delete and append instead, or drop this cache.
 *
 * What this process appends or delivers is applied to its own copy. Bounded by conversations and
 * by characters held, least recently used first out.
 */
import type { Message } from '../../../domain/entities.js';
import type { ConversationRepository } from '../../../domain/ports/index.js';

/** What the database says about a conversation's turns after an id. */
export interface HistoryMark {
  count: number;
  /** The newest id, or null when there is none. */
  lastId: number | null;
  delivered: number;
}

export interface HistoryCacheLimits {
  conversations: number;
  /** Characters of content held in all. */
  chars: number;
}

const DEFAULT_LIMITS: HistoryCacheLimits = { conversations: 2_000, chars: 4_000_000 };

interface Entry {
  /** The read started after this id (the summary's end). */
  afterId: number;
  /** Every turn after afterId, oldest first (the read was complete). */
  messages: Message[];
  chars: number;
  /** How many of them are delivered, compared with the database's count before each use. */
  delivered: number;
}

type Cached = Pick<
  ConversationRepository,
  'messagesAfter' | 'appendCounted' | 'appendMessage' | 'markDelivered' | 'deleteMessage' | 'delete'
>;

export function withHistoryCache<R extends Cached>(
  repo: R,
  mark: (conversationId: number, afterId: number) => Promise<HistoryMark>,
  limits: HistoryCacheLimits = DEFAULT_LIMITS,
): R {
  const entries = new Map<number, Entry>();
  /** Recent answers not delivered yet, to mark the kept copy: message id -> conversation id. */
  const undelivered = new Map<number, number>();
  let chars = 0;

  const drop = (conversationId: number) => {
    const entry = entries.get(conversationId);
    if (!entry) return;
    chars -= entry.chars;
    entries.delete(conversationId);
  };
  const keep = (conversationId: number, entry: Entry) => {
    drop(conversationId);
    entries.set(conversationId, entry);
    chars += entry.chars;
    for (const [oldest] of entries) {
      if (entries.size <= limits.conversations && chars <= limits.chars) break;
      drop(oldest);
    }
  };
  const freeze = (message: Message): Message => Object.freeze({ ...message });
  const sizeOf = (messages: readonly Message[]) => messages.reduce((n, m) => n + m.content.length, 0);
  const deliveredIn = (messages: readonly Message[]) =>
    messages.reduce((n, m) => (m.deliveredAt === null ? n : n + 1), 0);

  /** The kept turns, if the database still has exactly them. */
  async function valid(conversationId: number, afterId: number): Promise<Entry | undefined> {
    const entry = entries.get(conversationId);
    if (!entry || entry.afterId > afterId) return undefined;
    const now = await mark(conversationId, entry.afterId);
    const kept = entry.messages;
    const same =
      entries.get(conversationId) === entry &&
      now.count === kept.length &&
      now.lastId === (kept.at(-1)?.id ?? null) &&
      now.delivered === entry.delivered;
    if (!same) {
      if (entries.get(conversationId) === entry) drop(conversationId);
      return undefined;
    }
    // Most recently used last: the first entries are the first out.
    entries.delete(conversationId);
    entries.set(conversationId, entry);
    return entry;
  }

  /** This process stored these turns: its copy gains them, in id order, or is dropped. */
  function appended(stored: readonly Message[]) {
    for (const message of stored) {
      const entry = entries.get(message.conversationId);
      if (!entry) continue;
      const lastId = entry.messages.at(-1)?.id ?? entry.afterId;
      if (message.id <= lastId) {
        drop(message.conversationId);
        continue;
      }
      entry.messages.push(freeze(message));
      entry.chars += message.content.length;
      chars += message.content.length;
      if (message.deliveredAt !== null) entry.delivered += 1;
      if (message.role === 'model' && message.deliveredAt === null) {
        if (undelivered.size >= limits.conversations) undelivered.clear();
        undelivered.set(message.id, message.conversationId);
      }
    }
  }

  const cached: Cached = {
    async messagesAfter(conversationId, afterId, limit) {
      const entry = await valid(conversationId, afterId);
      if (entry) {
        const after =
          afterId === entry.afterId ? entry.messages : entry.messages.filter((m) => m.id > afterId);
        return after.slice(0, limit);
      }
      // Frozen whether kept or not, so a caller cannot come to rely on changing them.
      const messages = (await repo.messagesAfter(conversationId, afterId, limit)).map(freeze);
      // Only a complete read is kept: with `limit` rows there may be more after them.
      if (messages.length < limit)
        keep(conversationId, {
          afterId,
          messages,
          chars: sizeOf(messages),
          delivered: deliveredIn(messages),
        });
      else drop(conversationId);
      return messages.slice();
    },
    async appendCounted(turns, usage, events) {
      const stored = await repo.appendCounted(turns, usage, events);
      appended(stored);
      return stored;
    },
    async appendMessage(message) {
      const stored = await repo.appendMessage(message);
      appended([stored]);
      return stored;
    },
    async markDelivered(id, at, doneUpdateId, sent) {
      await repo.markDelivered(id, at, doneUpdateId, sent);
      const conversationId = undelivered.get(id);
      if (conversationId === undefined) return;
      undelivered.delete(id);
      const entry = entries.get(conversationId);
      const index = entry?.messages.findLastIndex((m) => m.id === id) ?? -1;
      if (!entry || index < 0) return;
      if (entry.messages[index]!.deliveredAt === null) entry.delivered += 1;
      entry.messages[index] = freeze({
        ...entry.messages[index]!,
        deliveredAt: at,
        ...(sent && sent.length > 0 ? { telegramMessageId: sent[0]!, sentMessageIds: [...sent] } : {}),
      });
    },
    async deleteMessage(id) {
      await repo.deleteMessage(id);
      for (const [conversationId, entry] of entries)
        if (entry.messages.some((m) => m.id === id)) drop(conversationId);
    },
    async delete(id) {
      await repo.delete(id);
      drop(id);
    },
  };
  return { ...repo, ...cached };
}
