/**
 * What a message replies to, as the chat service takes it (services/chat/replies.ts): the replied
 * message's text or caption, or only the part the user selected (Telegram's `quote`), whose it
 * was, and whether it is the bot's (then it may continue that answer's conversation). In a forum
 * every topic message "replies" to the topic's creation message: that is no reply.
 */
import type { Message } from 'grammy/types';
import type { QuoteAuthor } from '../../domain/quote.js';
import type { ReplyInput } from '../../services/chat/index.js';
import type { BotContext } from '../context.js';

export function replyOf(ctx: BotContext): ReplyInput | undefined {
  const message = ctx.msg;
  const replied = message?.reply_to_message;
  if (!message || !replied || replied.forum_topic_created) return undefined;
  const toBot = replied.from?.id === ctx.me.id;
  const text = message.quote?.text ?? textOf(replied);
  return {
    telegramMessageId: replied.message_id,
    toBot,
    quote: text
      ? { text, author: authorOf(ctx, replied, toBot), partial: message.quote !== undefined }
      : undefined,
  };
}

function textOf(message: Message): string | undefined {
  return message.text ?? message.caption;
}

function authorOf(ctx: BotContext, replied: Message, toBot: boolean): QuoteAuthor {
  if (toBot) return { kind: 'assistant' };
  if (replied.from && replied.from.id === ctx.from?.id) return { kind: 'user' };
  const name = replied.from?.first_name ?? replied.sender_chat?.title ?? replied.author_signature ?? '';
  return { kind: 'other', name };
}
