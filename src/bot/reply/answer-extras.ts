/**
 * What goes around a text answer: the transcript of a voice question above it (showTranscript),
 * a speak button and follow-up suggestions under it, and a spoken copy after it when the
 * user's voiceReplies setting asks for one. A spoken copy that fails leaves the text answer as
 * it is: the failure is logged and counted (failed), never shown as an error.
 */
import { InputFile } from 'grammy';
import type { InlineKeyboardButton } from 'grammy/types';
import type { SpeechService } from '../../services/media/index.js';
import type { SuggestionService } from '../../services/chat/index.js';
import type { CallbackSigner } from '../callback-data.js';
import { threadOptions } from '../context.js';
import type { AnswerExtras } from '../features/answer.js';
import { linksHtml, sourcesHtml } from '../../domain/grounding.js';

/** Telegram shows about this much of a button label on a phone. */
const LABEL_CHARS = 60;

export function createAnswerExtras(deps: {
  speech: SpeechService;
  suggestions: SuggestionService;
  signer: CallbackSigner;
  /** A spoken copy that failed: logged and counted in the daily error counts. */
  failed: (error: unknown) => void;
}): AnswerExtras {
  return {
    render(ctx, outcome) {
      if (!outcome.transcript || !ctx.state.user?.settings.showTranscript) return outcome.text;
      const quoted = outcome.transcript
        .split('\n')
        .map((line, i) => `> ${i === 0 ? '🎤 ' : ''}${line}`)
        .join('\n');
      return `${quoted}\n\n${outcome.text}`;
    },

    footer(ctx, outcome) {
      const parts = [
        ...(outcome.linksUnread ? [`<i>${ctx.t('links-unread')}</i>`] : []),
        // URL context tried these and got an error, a paywall or an unsafe page: named, one line.
        ...(outcome.unreadUrls?.length
          ? [`<i>${ctx.t('links-failed', { urls: linksHtml(outcome.unreadUrls) })}</i>`]
          : []),
        ...(outcome.searchesUsedUp ? [`<i>${ctx.t('search-quota-used')}</i>`] : []),
        ...(outcome.sources.length > 0 ? [sourcesHtml(ctx.t('sources-heading'), outcome.sources)] : []),
      ];
      return parts.length > 0 ? parts.join('\n\n') : undefined;
    },

    async keyboard(ctx, outcome) {
      const rows: InlineKeyboardButton[][] = [];
      if (await deps.speech.available()) {
        rows.push([{ text: ctx.t('tts-button'), callback_data: `tts:${outcome.messageId}` }]);
      }
      const user = ctx.state.user;
      if (user?.settings.suggestions && outcome.suggestions.length > 0) {
        await deps.suggestions.remember(outcome.messageId, user.id, outcome.suggestions);
        outcome.suggestions.forEach((question, index) =>
          rows.push([
            { text: label(question), callback_data: deps.signer.sign(`sg:${outcome.messageId}:${index}`) },
          ]),
        );
      }
      return rows.length > 0 ? { inline_keyboard: rows } : undefined;
    },

    async after(ctx, outcome, options) {
      const user = ctx.state.user;
      const mode = user?.settings.voiceReplies ?? 'off';
      if (!user || mode === 'off' || (mode === 'voice' && !options.spokenQuestion)) return;
      try {
        const spoken = await deps.speech.speak(user, outcome.text);
        if (spoken.kind !== 'spoken') return;
        await ctx.replyWithVoice(new InputFile(spoken.ogg, 'answer.ogg'), {
          duration: spoken.seconds,
          ...threadOptions(ctx),
        });
      } catch (error) {
        deps.failed(error);
      }
    },
  };
}

function label(question: string): string {
  return question.length > LABEL_CHARS ? `${question.slice(0, LABEL_CHARS - 1)}…` : question;
}
