/** What the operator reads: cost estimates (`botctl stats`), the log level, and where alerts go. */
import { z } from 'zod';
import { EVENT_TYPES } from '../../domain/events.js';
import { INTERFACE_LANGUAGES } from '../../domain/settings-rules.js';
import { DEFAULT_SEARCH_PRICE_PER_THOUSAND } from '../../domain/pricing.js';
import { bool, count, url, type OptionSpec } from '../option-spec.js';

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

const eventEndpoint = z
  .object({
    /** What `botctl events list` and the logs call it; default: the URL's host. */
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, 'a name is letters, digits, dots, dashes (at most 40)')
      .optional(),
    url,
    secret: z.string().min(16, 'the secret must be at least 16 characters (e.g. `openssl rand -hex 32`)'),
    /** Unset: every event type. */
    events: z
      .array(z.enum(EVENT_TYPES.filter((type) => type !== 'test')))
      .min(1)
      .optional(),
  })
  .strict();
export type EventEndpointConfig = z.infer<typeof eventEndpoint>;

/** An endpoint's name: its own, or its URL's host. */
export const endpointName = (endpoint: Pick<EventEndpointConfig, 'name' | 'url'>): string =>
  endpoint.name ?? new URL(endpoint.url).host;

const eventWebhooks = z
  .array(eventEndpoint)
  .default([])
  .superRefine((endpoints, ctx) => {
    const names = endpoints.map(endpointName);
    const twice = names.find((name, i) => names.indexOf(name) !== i);
    if (twice !== undefined)
      ctx.addIssue({
        code: 'custom',
        message: `two endpoints are named ${twice}: give each a distinct "name"`,
      });
  });

export const OPERATIONS_OPTIONS = {
  prices: {
    env: 'BOTCTL_PRICES',
    kind: 'json',
    schema: prices.default(DEFAULT_PRICES),
    description:
      'USD per million tokens by model id or id prefix (longest prefix wins) for `botctl stats` cost estimates; ' +
      'models not listed cost "unknown"',
  },
  searchPricePerThousand: {
    env: 'BOTCTL_SEARCH_PRICE_PER_THOUSAND',
    // A JSON number: a price may have cents.
    kind: 'json',
    schema: z.number().min(0).default(DEFAULT_SEARCH_PRICE_PER_THOUSAND),
    description:
      'USD per 1,000 answers grounded in Google Search, beside their tokens, for `botctl stats` ' +
      '(Gemini 2.5 list price; see domain/pricing.ts)',
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
  eventWebhooks: {
    env: 'BOTCTL_EVENT_WEBHOOKS',
    kind: 'json',
    schema: eventWebhooks,
    description:
      'Endpoints that get signed event webhooks: a JSON array of {"url", "secret", "events"?, "name"?} ' +
      '(no events: all of them); see README "Event webhooks"',
    secret: true,
  },
  eventContent: {
    env: 'BOTCTL_EVENT_CONTENT',
    kind: 'bool',
    schema: bool.default(false),
    description:
      'Put the question and the answer text into message.answered events (off: ids and counts only). ' +
      'Turn on only for a receiver trusted with what users write',
  },
  eventMaxAttempts: {
    env: 'BOTCTL_EVENT_MAX_ATTEMPTS',
    kind: 'int',
    schema: count.min(1).default(10),
    description: 'Attempts to deliver one event before it is dead (`botctl events retry` revives it)',
  },
  eventRetryBaseMs: {
    env: 'BOTCTL_EVENT_RETRY_BASE_MS',
    kind: 'int',
    schema: count.min(1).default(5000),
    description: 'Wait after the first failed delivery; each later wait doubles (with jitter), up to 30 min',
  },
  alertLanguage: {
    env: 'BOTCTL_ALERT_LANGUAGE',
    kind: 'string',
    schema: z.enum(INTERFACE_LANGUAGES).default('en'),
    description: 'Language of operator alerts',
  },
} as const satisfies Record<string, OptionSpec>;
