/**
 * A user's conversations as the admin API shows them. Message content (and the titles and
 * summaries made from it) only for callers allowed to read content: the others see the
 * shape of a conversation (when, how long, which models, how many tokens), not what was said.
 */
import type { Conversation, Message } from '../../domain/entities.js';
import { BotctlError } from '../../domain/errors.js';
import type { ConversationRepository, UserRepository } from '../../domain/ports/index.js';

export interface ConversationSummary {
  id: number;
  telegramId: number;
  chatId: number;
  threadId: number | null;
  startedAt: string;
  endedAt: string | null;
  /** Null unless the caller may read content. */
  title: string | null;
  messages: number;
}

export interface ConversationMessage {
  id: number;
  role: Message['role'];
  createdAt: string;
  model: string | null;
  tokensIn: number;
  tokensOut: number;
  latencyMs: number | null;
  /** Null unless the caller may read content. */
  content: string | null;
}

export interface ConversationDetails extends ConversationSummary {
  summary: string | null;
  contentIncluded: boolean;
  items: ConversationMessage[];
}

/** Enough for any conversation the context window keeps; longer ones are cut to their newest messages. */
const MAX_MESSAGES = 1000;

export function createConversationsService(deps: {
  users: UserRepository;
  conversations: ConversationRepository;
}) {
  const { users, conversations } = deps;

  async function summary(
    c: Conversation,
    telegramId: number,
    content: boolean,
  ): Promise<ConversationSummary> {
    return {
      id: c.id,
      telegramId,
      chatId: c.chatId,
      threadId: c.threadId,
      startedAt: c.startedAt.toISOString(),
      endedAt: c.endedAt?.toISOString() ?? null,
      title: content ? c.title : null,
      messages: await conversations.countMessages(c.id),
    };
  }

  const missingUser = (telegramId: number) =>
    new BotctlError('NOT_FOUND', `No user with Telegram id ${telegramId}`);

  return {
    /** Newest first. */
    async ofUser(
      telegramId: number,
      page: { limit: number; offset: number; content: boolean },
    ): Promise<{ conversations: ConversationSummary[] }> {
      const user = await users.getByTelegramId(telegramId);
      if (!user) throw missingUser(telegramId);
      const rows = await conversations.listByUser(user.id, { limit: page.limit, offset: page.offset });
      return { conversations: await Promise.all(rows.map((c) => summary(c, telegramId, page.content))) };
    },

    async get(id: number, options: { content: boolean }): Promise<ConversationDetails> {
      const conversation = await conversations.getById(id);
      const user = conversation ? await users.getById(conversation.userId) : null;
      if (!conversation || !user) throw new BotctlError('NOT_FOUND', `No conversation ${id}`);
      const messages = await conversations.getContext(id, MAX_MESSAGES);
      return {
        ...(await summary(conversation, user.telegramId, options.content)),
        summary: options.content ? conversation.summary : null,
        contentIncluded: options.content,
        items: messages.map((m) => ({
          id: m.id,
          role: m.role,
          createdAt: m.createdAt.toISOString(),
          model: m.model,
          tokensIn: m.tokensIn,
          tokensOut: m.tokensOut,
          latencyMs: m.latencyMs,
          content: options.content ? m.content : null,
        })),
      };
    },
  };
}

export type ConversationsService = ReturnType<typeof createConversationsService>;
