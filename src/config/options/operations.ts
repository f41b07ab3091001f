/** What the operator reads: cost estimates (`botctl stats`), the log level, and where alerts go. */
import { z } from 'zod';
import { INTERFACE_LANGUAGES } from '../../domain/settings-rules.js';
import { url, type OptionSpec } from '../option-spec.js';

const price = z.object({ inputPerMillion: z.number().min(0), outputPerMillion: z.number().min(0) }).strict();
const prices = z.record(z.string().min(1), price);

/**
 * Gemini API paid-tier list prices (USD per 1M tokens, text input, prompts up to 200k tokens)
 * as published by Google in late 2025. Audio input and long prompts cost more: these are
 * estimates. Keys match a model id exactly or as a prefix (gemini-3-pro matches -preview).
 */
export const DEFAULT_PRICES: Readonly<Record<string, z.input<typeof price>>> = {
  'gemini-3-pro': { inputPerMillion: 2, outputPerMillion: 12 },
  'gemini-3-flash': { inputPerMillion: 0.5, outputPerMillion: 3 },
  'gemini-2.5-pro': { inputPerMillion: 1.25, outputPerMillion: 10 },
  'gemini-2.5-flash': { inputPerMillion: 0.3, outputPerMillion: 2.5 },
  'gemini-2.5-flash-lite': { inputPerMillion: 0.1, outputPerMillion: 0.4 },
  'gemini-2.5-flash-image': { inputPerMillion: 0.3, outputPerMillion: 30 },
  'gemini-2.5-flash-preview-tts': { inputPerMillion: 0.5, outputPerMillion: 10 },
  'gemini-2.0-flash': { inputPerMillion: 0.1, outputPerMillion: 0.4 },
  'gemini-2.0-flash-lite': { inputPerMillion: 0.075, outputPerMillion: 0.3 },
};

export const OPERATIONS_OPTIONS = {
  prices: {
    env: 'BOTCTL_PRICES',
    kind: 'json',
    schema: prices.default(DEFAULT_PRICES),
    description:
      'USD per million tokens by model id or id prefix (longest prefix wins) for `botctl stats` cost estimates; ' +
      'models not listed cost "unknown"',
  },
  logLevel: {
    env: 'BOTCTL_LOG_LEVEL',
    kind: 'string',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    description: 'Log level',
  },
  alertChatId: {
    env: 'BOTCTL_ALERT_CHAT_ID',
    kind: 'int',
    schema: z.number({ error: 'must be a Telegram chat id (a number)' }).int().optional(),
    description:
      'Telegram chat the bot sends operator alerts to (Gemini down, error bursts, backups, broadcasts); ' +
      'a group id is negative. Unset: no Telegram alerts',
  },
  slackWebhookUrl: {
    env: 'BOTCTL_SLACK_WEBHOOK_URL',
    kind: 'string',
    schema: url.optional(),
    description: 'Slack incoming-webhook URL that operator alerts are posted to; unset: no Slack alerts',
    secret: true,
  },
  alertLanguage: {
    env: 'BOTCTL_ALERT_LANGUAGE',
    kind: 'string',
    schema: z.enum(INTERFACE_LANGUAGES).default('en'),
    description: 'Language of operator alerts',
  },
} as const satisfies Record<string, OptionSpec>;
