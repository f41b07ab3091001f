/**
 * Photos with or without a caption, and text replies to an earlier photo ("what breed is
 * it?"): the picture goes to the model with the conversation context. Telegram offers each
 * photo in several sizes; the largest one under the download limit is used.
 */
import { Composer } from 'grammy';
import type { PhotoSize } from 'grammy/types';
import { conversationKeyOf, type BotContext } from '../context.js';
import { runAnswer } from './answer.js';
import { addressedMedia, mediaFailure, pickPhoto, rejectMedia, withoutMention } from './media-reply.js';
import type { MediaFeatureDeps } from './voice.js';

export function photoFeature(deps: MediaFeatureDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  const ask = (ctx: BotContext, sizes: readonly PhotoSize[], text: string | undefined) =>
    deps.admitted(ctx, async () => {
      const file = pickPhoto(sizes, (size) => deps.media.checkSize(size).ok);
      const check = deps.media.checkSize(file.size);
      if (!check.ok) return rejectMedia(ctx, check);
      await runAnswer(
        ctx,
        deps,
        ({ signal, onText }) =>
          deps.media.answerImage({
            user: ctx.state.user!,
            key: conversationKeyOf(ctx),
            telegramMessageId: ctx.msg?.message_id ?? null,
            replayed: ctx.state.replayed === true,
            caption: withoutMention(ctx, text),
            file,
            signal,
            onText,
          }),
        { failure: mediaFailure },
      );
    });

  composer.on('message:photo', async (ctx, next) => {
    if (!addressedMedia(ctx)) return next();
    await ask(ctx, ctx.msg.photo, ctx.msg.caption);
  });

  // A reply to a photo asks about that photo again (its bytes were never stored).
  composer.on('message:text', async (ctx, next) => {
    const photo = ctx.msg.reply_to_message?.photo;
    if (!photo || ctx.msg.text.startsWith('/') || !addressedMedia(ctx)) return next();
    await ask(ctx, photo, ctx.msg.text);
  });

  return composer;
}
