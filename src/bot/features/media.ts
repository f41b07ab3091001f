/**
 * Media features in one place for create-bot: photos (before chat, so a text reply to a photo
 * is asked about that photo), voice, documents, /image, and the speak and suggestion buttons.
 * Inline mode is separate: its debounce tracker must sit before per-chat ordering.
 */
import { Composer, type MiddlewareFn } from 'grammy';
import type { ImageService, MediaService, SpeechService } from '../../services/media/index.js';
import type { InlineService, SuggestionService } from '../../services/chat/index.js';
import type { CallbackSigner } from '../callback-data.js';
import type { BotContext } from '../context.js';
import type { AnswerDeps } from './answer.js';
import { documentFeature } from './document.js';
import { imageFeature } from './image.js';
import { photoFeature } from './photo.js';
import { suggestionsFeature } from './suggestions.js';
import { ttsButtonFeature } from './tts-button.js';
import { voiceFeature } from './voice.js';

export interface MediaServices {
  media: MediaService;
  speech: SpeechService;
  images: ImageService;
  inline: InlineService;
  suggestions: SuggestionService;
}

export function mediaFeatures(
  deps: AnswerDeps & {
    admitted: MiddlewareFn<BotContext>;
    admittedAgain: MiddlewareFn<BotContext>;
    services: MediaServices;
    signer: CallbackSigner;
  },
): Composer<BotContext> {
  const { services } = deps;
  const composer = new Composer<BotContext>();
  const withMedia = { ...deps, media: services.media };
  composer.use(
    photoFeature(withMedia),
    voiceFeature(withMedia),
    documentFeature(withMedia),
    // A picture counts on the image quota (reserved by images.check), not as a question.
    imageFeature({ ...deps, admitted: deps.admittedAgain, images: services.images }),
    ttsButtonFeature({ speech: services.speech, onError: deps.onError, failed: deps.failed }),
    suggestionsFeature({ ...deps, suggestions: services.suggestions }),
  );
  return composer;
}
