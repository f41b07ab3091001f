/**
 * `/image <prompt>` draws a picture; as a reply to a photo it edits that photo ("/image make
 * it blue"). One picture per request, counted against the daily image quota only when made.
 * /stop cancels a picture still being drawn, as it does an answer.
 */
import { Composer, InputFile, type MiddlewareFn } from 'grammy';
import { isBotctlError } from '../../domain/errors.js';
import type { ImageService, MediaFile } from '../../services/media/index.js';
import type { InFlight } from '../cancellation.js';
import { chatKeyOf, threadOptions, type BotContext } from '../context.js';
import { pickPhoto, rejectMedia } from './media-reply.js';

const CAPTION_LIMIT = 1024;
const MODEL_FAILURES = new Set([
  'GEMINI_UNAVAILABLE',
  'GEMINI_BUSY',
  'GEMINI_BLOCKED',
  'GEMINI_UNAUTHORIZED',
]);

export function imageFeature(deps: {
  admitted: MiddlewareFn<BotContext>;
  images: ImageService;
  inFlight: InFlight;
  onError: (error: unknown) => void;
  failed: (error: unknown) => void;
}): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command('image', async (ctx) => {
    const prompt = ctx.match.trim();
    if (!prompt) {
      await ctx.reply(ctx.t('image-usage'), threadOptions(ctx));
      return;
    }
    await deps.admitted(ctx, async () => {
      const user = ctx.state.user!;
      const source = sourceOf(ctx, deps.images.fits);
      const check = await deps.images.check(user, source?.size);
      if (!check.ok) return rejectMedia(ctx, check);
      await ctx.replyWithChatAction('upload_photo', threadOptions(ctx)).catch(deps.onError);
      const chatKey = chatKeyOf(ctx)!;
      const controller = deps.inFlight.begin(chatKey);
      try {
        const { signal } = controller;
        const picture = await deps.images.create({
          user,
          prompt,
          signal,
          hold: check.hold,
          ...(source ? { source } : {}),
        });
        const extension = picture.mimeType.split('/')[1] ?? 'png';
        await ctx.replyWithPhoto(new InputFile(picture.image, `image.${extension}`), {
          ...threadOptions(ctx),
          ...(picture.caption ? { caption: picture.caption.slice(0, CAPTION_LIMIT) } : {}),
        });
      } catch (error) {
        if (controller.signal.aborted) return; // /stop already answered
        if (!isBotctlError(error)) throw error;
        if (error.code === 'GEMINI_EMPTY') {
          const why = String(error.params.text ?? '');
          await ctx.reply(ctx.t('image-none', { reason: why || '—' }), threadOptions(ctx));
        } else if (MODEL_FAILURES.has(error.code)) {
          await ctx.reply(
            ctx.t(
              error.code === 'GEMINI_UNAVAILABLE' || error.code === 'GEMINI_BUSY'
                ? 'image-unavailable'
                : error.localeKey,
            ),
            threadOptions(ctx),
          );
        } else throw error;
        deps.failed(error);
      } finally {
        deps.inFlight.end(chatKey, controller);
      }
    });
  });

  return composer;
}

/** The photo (or image document) the command replies to, if any. */
function sourceOf(ctx: BotContext, fits: (size: number | undefined) => boolean): MediaFile | undefined {
  const replied = ctx.msg?.reply_to_message;
  if (replied?.photo) return pickPhoto(replied.photo, fits);
  const doc = replied?.document;
  if (doc?.mime_type?.startsWith('image/')) {
    return {
      fileId: doc.file_id,
      fileUniqueId: doc.file_unique_id,
      size: doc.file_size,
      mimeType: doc.mime_type,
    };
  }
  return undefined;
}
