/**
 * Replies: a reply to an earlier answer of the bot continues that answer's conversation when it
 * still exists (it becomes the open one again), and the replied-to text goes into the turn as a
 * quote (domain/quote.ts). Only a reply pays for this: one indexed read of the answer by its
 * Telegram message id (recorded at delivery); a plain message reads nothing more.
 */
import type { Conversation, Message } from '../../domain/entities.js';
import type { ConversationKey, ConversationRepository, OutboxRows } from '../../domain/ports/index.js';
import { withQuote, type Quote } from '../../domain/quote.js';

export interface ReplyInput {
  /** The Telegram message replied to. */
  telegramMessageId: number;
  /** It is the bot's: it may be an answer of one of the user's conversations. */
  toBot: boolean;
  /** Its text (or the part quoted); undefined when it has none (a sticker, a photo without caption). */
  quote: Quote | undefined;
}

type Conversations = Pick<
  ConversationRepository,
  'findAnswerBySent' | 'getActive' | 'activate' | 'getOrStart'
>;

/** The conversation a reply goes to, and the answer it continues when there is one. */
export async function conversationForReply(
  conversations: Conversations,
  key: ConversationKey,
  reply: ReplyInput,
  now: Date,
  onStarted?: OutboxRows<Conversation>,
): Promise<{ conversation: Conversation; continued: Message | null }> {
  const answer = reply.toBot ? await conversations.findAnswerBySent(key, reply.telegramMessageId) : null;
  if (answer) {
    const active = await conversations.getActive(key);
    if (active?.id === answer.conversationId) return { conversation: active, continued: answer };
    const reopened = await conversations.activate(answer.conversationId, key, now);
    if (reopened) return { conversation: reopened, continued: answer };
  }
  return { conversation: await conversations.getOrStart(key, now, onStarted), continued: null };
}

/**
 * The question as stored and sent: with the quote above it, unless it replies to the newest answer
 * of the conversation it continues as a whole (the model has just said it: quoting it again would
 * only cost tokens). A part selected with Telegram's quote is always kept: it says what is meant.
 */
export function questionWithQuote(
  question: string,
  reply: ReplyInput,
  continued: Message | null,
  history: readonly Message[],
): string {
  const newest = history.at(-1);
  const justSaid = continued !== null && newest?.id === continued.id && reply.quote?.partial !== true;
  return justSaid ? question : withQuote(question, reply.quote);
}
