/**
 * Documents: PDF, plain text, Markdown, CSV, JSON and source code are read by the model (PDF
 * as inline data, text as text); image files go the photo way. Anything else gets a reply
 * that lists what is supported. Size is checked before the download.
 */
import { Composer } from 'grammy';
import { conversationKeyOf, threadOptions, type BotContext } from '../context.js';
import { releaseQuestion } from '../middleware/access.js';
import { runAnswer } from './answer.js';
import { addressedMedia, mediaFailure, rejectMedia, withoutMention } from './media-reply.js';
import type { MediaFeatureDeps } from './voice.js';

export function documentFeature(deps: MediaFeatureDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.on('message:document', async (ctx, next) => {
    if (!addressedMedia(ctx)) return next();
    const doc = ctx.msg.document;
    const file = {
      fileId: doc.file_id,
      fileUniqueId: doc.file_unique_id,
      size: doc.file_size,
      mimeType: doc.mime_type,
      fileName: doc.file_name,
    };
    await deps.admitted(ctx, async () => {
      const kind = deps.media.documentKind(file);
      if (kind === null) {
        await releaseQuestion(ctx);
        const type = doc.file_name?.includes('.')
          ? `.${doc.file_name.split('.').pop()}`
          : (doc.mime_type ?? '?');
        await ctx.reply(ctx.t('document-unsupported', { type }), threadOptions(ctx));
        return;
      }
      const check = deps.media.checkSize(file.size);
      if (!check.ok) return rejectMedia(ctx, check);
      const ask = {
        user: ctx.state.user!,
        key: conversationKeyOf(ctx),
        telegramMessageId: ctx.msg?.message_id ?? null,
        replayed: ctx.state.replayed === true,
        caption: withoutMention(ctx, ctx.msg?.caption),
        file,
      };
      await runAnswer(
        ctx,
        deps,
        ({ signal, onText }) =>
          kind === 'image'
            ? deps.media.answerImage({ ...ask, signal, onText })
            : deps.media.answerDocument({ ...ask, kind, signal, onText }),
        { failure: mediaFailure },
      );
    });
  });

  return composer;
}
