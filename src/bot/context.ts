/** The grammY context the bot's features see: i18n, plus the sender resolved by the access middleware. */
import type { Context } from 'grammy';
import type { I18nFlavor } from '@grammyjs/i18n';
import { chatKey, senderKey } from '../domain/chat-key.js';
import type { User } from '../domain/entities.js';
import type { ConversationKey } from '../domain/ports/index.js';

interface BotState {
  /** The botctl user behind ctx.from, set by middleware/access.ts. */
  user?: User;
  /** The update is replayed after a crash (intake.ts): admitted before, possibly half answered. */
  replayed?: boolean;
  /** Its answer's delivery marked the update done (services/chat/delivery.ts): intake need not. */
  settled?: boolean;
  /**
   * Gives back the question reserved when the update was admitted (middleware/access.ts), for a
   * handler that ends without asking it (a media file refused or failed); unset once used.
   */
  releaseQuestion?: () => Promise<void>;
}

export type BotContext = Context & I18nFlavor & { state: BotState };

/** Chat and forum topic: the unit of ordering and of conversation context. */
export function chatKeyOf(ctx: Context): string | undefined {
  const chatId = ctx.chat?.id;
  if (chatId === undefined) return ctx.from ? senderKey(ctx.from.id) : undefined;
  return chatKey(chatId, ctx.msg?.is_topic_message ? ctx.msg.message_thread_id : undefined);
}

export function conversationKeyOf(ctx: BotContext): ConversationKey {
  const user = ctx.state.user;
  if (!user || !ctx.chat) throw new Error('conversationKeyOf needs a chat and an identified user');
  const threadId = ctx.msg?.is_topic_message ? (ctx.msg.message_thread_id ?? null) : null;
  return { userId: user.id, chatId: ctx.chat.id, threadId };
}

/** Reply options that keep the answer in the same forum topic (LESSONS: wrong-topic answers). */
export function threadOptions(ctx: Context): { message_thread_id?: number } {
  return ctx.msg?.is_topic_message && ctx.msg.message_thread_id !== undefined
    ? { message_thread_id: ctx.msg.message_thread_id }
    : {};
}
