/**
 * Past conversations: paged lists, continuing one (it becomes the open conversation of the
 * chat), renaming, deleting, and the title each conversation gets once from its first
 * exchange. Every lookup checks the conversation belongs to the user, so a forged id finds
 * nothing. "The next message is the new title" lives in the cache with a TTL, so it
 * survives a restart briefly and is shared by instances on Redis.
 */
import type { Conversation, User } from '../../domain/entities.js';
import type { Cache, ConversationKey, ConversationRepository } from '../../domain/ports/index.js';
import { languageName } from '../../domain/prompt.js';
import { buildTitlePrompt, cleanTitle, MAX_TITLE_CHARS } from '../../domain/settings-rules.js';
import type { Log } from '../../domain/telemetry.js';
import type { ModelCaller } from '../model/index.js';

export const HISTORY_PAGE_SIZE = 5;
const RENAME_WAIT_MS = 5 * 60_000;
// One attempt a day per conversation: a failing model is not asked again on every answer.
const TITLE_ATTEMPT_MS = 24 * 3_600_000;
// Conversations waiting for a title; past this, an answer asks for none (the next one will).
const MAX_TITLES_WAITING = 100;

export const historyCacheKeys = (telegramId: number) => [`rename:${telegramId}`];

export interface HistoryPage {
  items: Conversation[];
  page: number;
  hasMore: boolean;
  /** The open conversation of the chat the list is shown in, if any. */
  activeId: number | null;
}

export function createHistoryService(deps: {
  conversations: ConversationRepository;
  caller: Pick<ModelCaller, 'generate'>;
  cache: Cache;
  log: Log;
  defaultModel: string;
  now: () => Date;
}) {
  const { conversations, cache, log, now } = deps;
  /** Conversations queued for a title or being titled, and the queue: one title call at a time. */
  const titling = new Set<number>();
  let titles: Promise<void> = Promise.resolve();

  async function own(user: User, id: number): Promise<Conversation | null> {
    const conversation = await conversations.getById(id);
    return conversation?.userId === user.id ? conversation : null;
  }

  async function nameFirstExchange(user: User, conversationId: number): Promise<void> {
    const conversation = await conversations.getById(conversationId);
    if (!conversation || conversation.title !== null) return;
    const attemptKey = `title-attempt:${conversationId}`;
    if (await cache.get<boolean>(attemptKey)) return;
    const [question, answer] = await conversations.messagesAfter(conversationId, 0, 2);
    if (question?.role !== 'user' || answer?.role !== 'model') return;
    await cache.set(attemptKey, true, TITLE_ATTEMPT_MS);
    const result = await deps.caller.generate({
      model: user.settings.model ?? deps.defaultModel,
      turns: [
        {
          role: 'user',
          parts: [{ text: buildTitlePrompt(question.content, answer.content, languageName(user.language)) }],
        },
      ],
      maxOutputTokens: 1024,
    });
    const title = cleanTitle(result.text);
    // Re-read: the user may have renamed it while the model was thinking.
    if (title !== '' && (await conversations.getById(conversationId))?.title === null) {
      await conversations.setTitle(conversationId, title);
    }
  }

  return {
    async page(user: User, key: ConversationKey, page: number): Promise<HistoryPage> {
      const safe = Math.max(0, Math.floor(page));
      const rows = await conversations.listByUser(user.id, {
        limit: HISTORY_PAGE_SIZE + 1,
        offset: safe * HISTORY_PAGE_SIZE,
      });
      const active = await conversations.getActive(key);
      return {
        items: rows.slice(0, HISTORY_PAGE_SIZE),
        page: safe,
        hasMore: rows.length > HISTORY_PAGE_SIZE,
        activeId: active?.id ?? null,
      };
    },

    /** The conversation with its message count, if it is the user's. */
    async details(user: User, id: number): Promise<{ conversation: Conversation; messages: number } | null> {
      const conversation = await own(user, id);
      return conversation ? { conversation, messages: await conversations.countMessages(id) } : null;
    },

    continueIn: (user: User, key: ConversationKey, id: number) => conversations.activate(id, key, now()),

    async remove(user: User, id: number): Promise<boolean> {
      if (!(await own(user, id))) return false;
      await conversations.delete(id);
      return true;
    },

    /** Remembers that the user's next text message in this chat names conversation `id`. */
    async beginRename(user: User, chatId: number, id: number): Promise<boolean> {
      if (!(await own(user, id))) return false;
      await cache.set(historyCacheKeys(user.telegramId)[0]!, { id, chatId }, RENAME_WAIT_MS);
      return true;
    },

    /** The rename this chat waits for, if any; `cancel` drops it. */
    async pendingRename(user: User, chatId: number): Promise<number | null> {
      const pending = await cache.get<{ id: number; chatId: number }>(historyCacheKeys(user.telegramId)[0]!);
      return pending?.chatId === chatId ? pending.id : null;
    },
    cancelRename: (user: User) => cache.delete(historyCacheKeys(user.telegramId)[0]!),

    /** Sets the title typed by the user; null when it is empty or the conversation is gone. */
    async rename(user: User, id: number, text: string): Promise<string | null> {
      await cache.delete(historyCacheKeys(user.telegramId)[0]!);
      const title = cleanTitle(text).slice(0, MAX_TITLE_CHARS);
      if (title === '' || !(await own(user, id))) return null;
      await conversations.setTitle(id, title);
      return title;
    },

    /**
     * After an answer is delivered: names the conversation from its first exchange, in the
     * background and one conversation at a time, so a burst of new chats does not put a title
     * call beside each of their answers.
     */
    titleAfterAnswer(event: { user: User; conversationId: number; untitled: boolean }): void {
      const { user, conversationId } = event;
      if (!event.untitled || titling.has(conversationId) || titling.size >= MAX_TITLES_WAITING) return;
      titling.add(conversationId);
      titles = titles.then(() =>
        nameFirstExchange(user, conversationId)
          .catch((error: unknown) =>
            log.warn({ err: error, conversationId }, 'conversation title not generated'),
          )
          .finally(() => titling.delete(conversationId)),
      );
    },
  };
}

export type HistoryService = ReturnType<typeof createHistoryService>;
