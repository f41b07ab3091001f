/**
 * Voice notes, audio files and video notes: heard by the model and answered in the
 * conversation (services/media/). Over-long or over-size files are refused before any
 * download; a spoken question may get a spoken answer (voiceReplies 'voice' or 'always').
 */
import { Composer, type MiddlewareFn } from 'grammy';
import type { Message } from 'grammy/types';
import type { AudioKind } from '../../domain/media.js';
import type { MediaFile, MediaService } from '../../services/media/index.js';
import { conversationKeyOf, type BotContext } from '../context.js';
import { runAnswer, type AnswerDeps } from './answer.js';
import { addressedMedia, mediaFailure, rejectMedia, withoutMention } from './media-reply.js';

export interface MediaFeatureDeps extends AnswerDeps {
  admitted: MiddlewareFn<BotContext>;
  media: MediaService;
}

export function voiceFeature(deps: MediaFeatureDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.on(['message:voice', 'message:audio', 'message:video_note'], async (ctx, next) => {
    const audio = audioOf(ctx.msg);
    if (!audio || !addressedMedia(ctx)) return next();
    await deps.admitted(ctx, async () => {
      const user = ctx.state.user!;
      const replayed = ctx.state.replayed === true;
      const check = await deps.media.checkAudio(user, audio.seconds, audio.file.size, replayed);
      if (!check.ok) return rejectMedia(ctx, check);
      await runAnswer(
        ctx,
        deps,
        ({ signal, onText }) =>
          deps.media.answerAudio({
            user,
            key: conversationKeyOf(ctx),
            telegramMessageId: ctx.msg?.message_id ?? null,
            replayed,
            caption: withoutMention(ctx, ctx.msg?.caption),
            signal,
            onText,
            hold: check.hold,
            ...audio,
          }),
        { spokenQuestion: true, failure: mediaFailure },
      );
    });
  });

  return composer;
}

function audioOf(msg: Message): { kind: AudioKind; seconds: number; file: MediaFile } | undefined {
  const file = (f: { file_id: string; file_unique_id: string; file_size?: number }, mimeType?: string) => ({
    fileId: f.file_id,
    fileUniqueId: f.file_unique_id,
    size: f.file_size,
    mimeType,
  });
  if (msg.voice)
    return { kind: 'voice', seconds: msg.voice.duration, file: file(msg.voice, msg.voice.mime_type) };
  if (msg.audio) {
    return {
      kind: 'audio',
      seconds: msg.audio.duration,
      file: { ...file(msg.audio, msg.audio.mime_type), fileName: msg.audio.file_name },
    };
  }
  if (msg.video_note)
    return { kind: 'video_note', seconds: msg.video_note.duration, file: file(msg.video_note, 'video/mp4') };
  return undefined;
}
