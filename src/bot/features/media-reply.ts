/**
 * Shared by the media features: when a file is addressed to the bot, which photo size to
 * fetch, and the replies for files that are refused or fail. A media turn that fails is not
 * kept (unlike a text message), so its replies say "send it again", never "/retry".
 */
import type { PhotoSize } from 'grammy/types';
import { formatBytes } from '../../domain/backup-rules.js';
import type { BotctlError } from '../../domain/errors.js';
import { formatDuration } from '../../domain/media.js';
import { formatInZone } from '../../domain/quota.js';
import type { MediaCheck, MediaFile } from '../../services/media/index.js';
import { threadOptions, type BotContext } from '../context.js';
import { releaseQuestion } from '../middleware/access.js';
import type { FailureReply } from './answer.js';

/** Private chats: always. Groups: a reply to the bot, or a caption/text that mentions it. */
export function addressedMedia(ctx: BotContext): boolean {
  if (ctx.chat?.type === 'private') return true;
  const msg = ctx.msg;
  if (!msg) return false;
  if (msg.reply_to_message?.from?.id === ctx.me.id) return true;
  const text = msg.caption ?? msg.text ?? '';
  const mention = `@${ctx.me.username}`.toLowerCase();
  return (msg.caption_entities ?? msg.entities ?? []).some(
    (e) => e.type === 'mention' && text.slice(e.offset, e.offset + e.length).toLowerCase() === mention,
  );
}

/** The caption or text without the bot's @mention. */
export function withoutMention(ctx: BotContext, text: string | undefined): string | undefined {
  const cleaned = text?.replace(new RegExp(`@${ctx.me.username}\\b`, 'gi'), '').trim();
  return cleaned || undefined;
}

/** The largest size of a photo that may be downloaded; the smallest when none fits (so it is refused). */
export function pickPhoto(
  sizes: readonly PhotoSize[],
  fits: (size: number | undefined) => boolean,
): MediaFile {
  const chosen = [...sizes].reverse().find((s) => fits(s.file_size)) ?? sizes[0]!;
  return {
    fileId: chosen.file_id,
    fileUniqueId: chosen.file_unique_id,
    size: chosen.file_size,
    mimeType: 'image/jpeg',
  };
}

/** Refuses a file before it is asked about: its question is given back (nothing was asked). */
export async function rejectMedia(ctx: BotContext, check: Exclude<MediaCheck, { ok: true }>): Promise<void> {
  await releaseQuestion(ctx);
  const user = ctx.state.user;
  const text =
    check.reason === 'too-large'
      ? ctx.t('media-too-large', { size: formatBytes(check.size), limit: formatBytes(check.limit) })
      : check.reason === 'too-long'
        ? ctx.t('voice-too-long', {
            duration: formatDuration(check.seconds),
            limit: formatDuration(check.limit),
          })
        : ctx.t('error-quota-exceeded', {
            resetAt: formatInZone(check.resetsAt, user?.settings.timezone ?? 'UTC', user?.language ?? 'en'),
          });
  await ctx.reply(text, threadOptions(ctx));
}

/** Replies for a media turn that failed after it was accepted (nothing of it was stored). */
export function mediaFailure(error: BotctlError): FailureReply | undefined {
  const p = error.params;
  switch (error.code) {
    case 'INPUT_TOO_LARGE':
      return {
        key: 'media-too-large',
        params: { size: formatBytes(Number(p.size)), limit: formatBytes(Number(p.limit)) },
      };
    case 'TELEGRAM_ERROR':
      return { key: 'media-download-failed' };
    case 'USAGE':
      return { key: 'document-unsupported', params: { type: String(p.type ?? '?') } };
    case 'GEMINI_EMPTY':
      return { key: 'media-unreadable' };
    case 'GEMINI_BUSY':
      return { key: 'media-unavailable' };
    case 'GEMINI_UNAVAILABLE':
      return { key: p.status === 400 ? 'media-unreadable' : 'media-unavailable' };
    default:
      return undefined;
  }
}
