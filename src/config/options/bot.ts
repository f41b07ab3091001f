/** Telegram and Gemini: credentials, endpoints, the chat models and personas users may pick. */
import { z } from 'zod';
import { telegramToken, url, type OptionSpec } from '../option-spec.js';
import { SEARCH_GROUNDING_MODES } from '../../domain/grounding.js';

export const BOT_OPTIONS = {
  telegramToken: {
    env: 'BOTCTL_TELEGRAM_TOKEN',
    kind: 'string',
    schema: telegramToken.optional(),
    description: 'Bot token from @BotFather',
    secret: true,
  },
  telegramApiRoot: {
    env: 'BOTCTL_TELEGRAM_API_ROOT',
    kind: 'string',
    schema: url.default('https://api.telegram.org'),
    description: 'Bot API server (a self-hosted one lifts the 20 MB download limit)',
  },
  geminiApiKey: {
    env: 'BOTCTL_GEMINI_API_KEY',
    kind: 'string',
    schema: z.string().min(10, 'is too short to be a Gemini API key').optional(),
    description: 'Google Gemini API key',
    secret: true,
  },
  geminiBaseUrl: {
    env: 'BOTCTL_GEMINI_BASE_URL',
    kind: 'string',
    schema: url.optional(),
    description: 'Gemini API base URL (a proxy or gateway); default: Google',
  },
  model: {
    env: 'BOTCTL_MODEL',
    kind: 'string',
    schema: z.string().min(1).default('gemini-flash-latest'),
    description: 'Default chat model; an alias that follows the current generation',
  },
  models: {
    env: 'BOTCTL_MODELS',
    kind: 'list',
    schema: z.array(z.string().min(1)).default([]),
    description: 'Models users may pick in /settings (comma-separated); empty: only the default',
  },
  personas: {
    env: 'BOTCTL_PERSONAS',
    kind: 'json',
    schema: z
      .record(
        z.string().regex(/^[a-z0-9_-]{1,32}$/, 'persona ids are 1-32 characters of a-z 0-9 _ -'),
        z.string().trim().min(1).max(4000),
      )
      .default({}),
    description:
      'Extra personas users may pick in /settings (JSON object: id -> system prompt); they can replace built-in ones',
  },
  searchGrounding: {
    env: 'BOTCTL_SEARCH_GROUNDING',
    kind: 'string',
    schema: z.enum(SEARCH_GROUNDING_MODES).default('off'),
    description:
      "Google Search grounding of answers (sources shown under them): off; auto: each user's choice in /settings (on by default); always",
  },
} as const satisfies Record<string, OptionSpec>;
