/**
 * Text chat. Private chats: every text message is a question. Groups: only when the bot is
 * mentioned, replied to, or asked with /ask; otherwise the bot stays quiet. Context is kept
 * per chat and per forum topic; replies go to the same topic.
 */
import { Composer, type MiddlewareFn } from 'grammy';
import { conversationKeyOf, type BotContext } from '../context.js';
import { runAnswer, type AnswerDeps } from './answer.js';
import { replyOf } from './reply-context.js';

export function chatFeature(deps: AnswerDeps & { admitted: MiddlewareFn<BotContext> }): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  const ask = (ctx: BotContext, text: string) =>
    runAnswer(ctx, deps, ({ signal, onText }) =>
      deps.chat.answer({
        user: ctx.state.user!,
        key: conversationKeyOf(ctx),
        text,
        telegramMessageId: ctx.msg?.message_id ?? null,
        replayed: ctx.state.replayed === true,
        reply: replyOf(ctx),
        signal,
        onText,
      }),
    );

  composer.command('ask', async (ctx) => {
    const question = ctx.match.trim();
    if (!question) {
      await ctx.reply(ctx.t('ask-usage'));
      return;
    }
    await deps.admitted(ctx, () => ask(ctx, question));
  });

  composer.chatType('private').on('message:text', async (ctx, next) => {
    if (ctx.msg.text.startsWith('/')) return next();
    await deps.admitted(ctx, () => ask(ctx, ctx.msg.text));
  });

  composer.chatType(['group', 'supergroup']).on('message:text', async (ctx, next) => {
    const question = addressedText(ctx);
    if (question === undefined) return next();
    await deps.admitted(ctx, () => ask(ctx, question));
  });

  return composer;
}

/** The question when the bot is addressed in a group (mention or reply), else undefined. */
export function addressedText(ctx: BotContext): string | undefined {
  const text = ctx.msg?.text;
  if (!text || text.startsWith('/')) return undefined;
  const username = ctx.me.username;
  const mention = `@${username}`;
  const mentioned = (ctx.msg?.entities ?? []).some(
    (e) =>
      e.type === 'mention' &&
      text.slice(e.offset, e.offset + e.length).toLowerCase() === mention.toLowerCase(),
  );
  const repliedToBot = ctx.msg?.reply_to_message?.from?.id === ctx.me.id;
  if (!mentioned && !repliedToBot) return undefined;
  const question = text.replace(new RegExp(`@${username}\\b`, 'gi'), '').trim();
  return question || undefined;
}
