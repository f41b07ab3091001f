/**
 * The speak button under an answer (callback "tts:<message id>"): the answer as a voice note.
 * The button is checked (the answer exists, in this chat) and acknowledged at once; the voice
 * follows when it is ready, since TTS can take longer than a button spinner should.
 */
import { Composer, InputFile } from 'grammy';
import type { SpeechService } from '../../services/media/index.js';
import { threadOptions, type BotContext } from '../context.js';
import { notice } from './button-answers.js';

export function ttsButtonFeature(deps: {
  speech: SpeechService;
  onError: (error: unknown) => void;
  /** Speech failed and the user was told: counted in the daily error counts. */
  failed: (error: unknown) => void;
}): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.callbackQuery(/^tts:/, async (ctx) => {
    const user = ctx.state.user;
    const messageId = Number(/^tts:(\d{1,15})$/.exec(ctx.callbackQuery.data)?.[1] ?? NaN);
    if (!user || !ctx.chat || !Number.isSafeInteger(messageId)) return notice(ctx, 'callback-invalid');
    if (!(await deps.speech.available())) return notice(ctx, 'tts-unavailable');
    const answer = await deps.speech.findAnswer(messageId, ctx.chat.id);
    if (answer === null) return notice(ctx, 'tts-not-found');
    await ctx.answerCallbackQuery().catch(deps.onError);
    await ctx.replyWithChatAction('record_voice', threadOptions(ctx)).catch(deps.onError);
    try {
      const spoken = await deps.speech.speak(user, answer);
      if (spoken.kind === 'spoken') {
        await ctx.replyWithVoice(new InputFile(spoken.ogg, 'answer.ogg'), {
          duration: spoken.seconds,
          ...threadOptions(ctx),
        });
      } else {
        await ctx.reply(ctx.t(spoken.kind === 'quota' ? 'tts-quota' : 'tts-unavailable'), threadOptions(ctx));
      }
    } catch (error) {
      deps.failed(error);
      await ctx.reply(ctx.t('tts-failed'), threadOptions(ctx));
    }
  });

  return composer;
}
