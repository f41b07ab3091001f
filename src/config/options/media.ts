/** Spoken answers and pictures: the speech and image models, the voice, ffmpeg. */
import { z } from 'zod';
import { type OptionSpec } from '../option-spec.js';

export const MEDIA_OPTIONS = {
  ttsModel: {
    env: 'BOTCTL_TTS_MODEL',
    kind: 'string',
    schema: z.string().min(1).default('gemini-2.5-flash-preview-tts'),
    description: 'Gemini model for spoken answers',
  },
  ttsVoice: {
    env: 'BOTCTL_TTS_VOICE',
    kind: 'string',
    schema: z.string().min(1).default('Kore'),
    description: 'Prebuilt Gemini voice for spoken answers (Kore, Puck, Charon, ...)',
  },
  imageModel: {
    env: 'BOTCTL_IMAGE_MODEL',
    kind: 'string',
    schema: z.string().min(1).default('gemini-2.5-flash-image'),
    description: 'Gemini model for /image (pictures and edits)',
  },
  ffmpegPath: {
    env: 'BOTCTL_FFMPEG_PATH',
    kind: 'string',
    schema: z.string().min(1).default('ffmpeg'),
    description: 'ffmpeg binary for spoken answers (PCM -> OGG/Opus); without it answers stay text',
  },
} as const satisfies Record<string, OptionSpec>;
