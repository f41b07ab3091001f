/**
 * Every configuration option, defined once. The config file keys, the BOTCTL_* environment
 * variables (and their *_FILE variants), `botctl config get|set` and the setup wizard all
 * read this table, so they validate alike. Defaults are documented here and in README.
 */
import { z } from 'zod';
import { databaseUrlProblem } from './database-url.js';
import { encryptionKeysProblem } from '../domain/encryption-keys.js';

/** How an environment string becomes a config value. */
export type EnvKind = 'string' | 'int' | 'bool' | 'list' | 'intList' | 'json';

export interface OptionSpec {
  env: string;
  kind: EnvKind;
  schema: z.ZodType;
  description: string;
  /** Never logged or printed unmasked. */
  secret?: boolean;
}

const telegramToken = z
  .string()
  .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'must look like 123456789:AA... (from @BotFather)');
const url = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
/** Strings are mapped to booleans by fromEnvString (config.ts); anything it does not know arrives here as a string. */
const bool = z.boolean({ error: 'must be true or false (also yes/no, on/off, 1/0)' });
const port = z.number().int().min(0).max(65535);
const count = z.number().int().min(0);

const quota = z.object({
  messagesPerDay: count.default(100),
  tokensPerDay: count.default(200_000),
  imagesPerDay: count.default(10),
  audioSecondsPerDay: count.default(1800),
});
const quotas = z
  .object({
    user: quota.default(quota.parse({})),
    premium: quota.default({
      messagesPerDay: 1000,
      tokensPerDay: 2_000_000,
      imagesPerDay: 50,
      audioSecondsPerDay: 7200,
    }),
    admin: quota.default({ messagesPerDay: 0, tokensPerDay: 0, imagesPerDay: 0, audioSecondsPerDay: 0 }),
  })
  .describe('0 means unlimited');

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

export const OPTIONS = {
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
  databaseUrl: {
    env: 'BOTCTL_DATABASE_URL',
    kind: 'string',
    schema: z
      .string()
      .min(1)
      .superRefine((value, ctx) => {
        const problem = databaseUrlProblem(value);
        if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
    description:
      'postgres://... or a SQLite file path (file: or sqlite: before it is fine; relative to the data dir); default: <data dir>/botctl.sqlite',
    secret: true,
  },
  backupDir: {
    env: 'BOTCTL_BACKUP_DIR',
    kind: 'string',
    schema: z.string().min(1).optional(),
    description: 'Where `botctl backup` stores backups; default: <data dir>/backups',
  },
  redisUrl: {
    env: 'BOTCTL_REDIS_URL',
    kind: 'string',
    schema: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// URL' }).optional(),
    description: 'Redis for shared cache and rate limits; default: in-memory',
    secret: true,
  },
  httpHost: {
    env: 'BOTCTL_HTTP_HOST',
    kind: 'string',
    schema: z.string().min(1).default('127.0.0.1'),
    description: 'Address the HTTP server (webhook, health, metrics) binds to',
  },
  httpPort: {
    env: 'BOTCTL_HTTP_PORT',
    kind: 'int',
    schema: port.default(8080),
    description: 'Port of the HTTP server',
  },
  mode: {
    env: 'BOTCTL_MODE',
    kind: 'string',
    schema: z.enum(['polling', 'webhook']).default('polling'),
    description: 'How updates arrive: polling or webhook',
  },
  webhookUrl: {
    env: 'BOTCTL_WEBHOOK_URL',
    kind: 'string',
    schema: url.optional(),
    description: 'Public HTTPS URL Telegram posts updates to (webhook mode)',
  },
  webhookSecret: {
    env: 'BOTCTL_WEBHOOK_SECRET',
    kind: 'string',
    schema: z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/, 'must be 16-256 characters of A-Z a-z 0-9 _ -')
      .optional(),
    description: 'Secret Telegram sends in X-Telegram-Bot-Api-Secret-Token',
    secret: true,
  },
  encryptionKeys: {
    env: 'BOTCTL_ENCRYPTION_KEYS',
    kind: 'string',
    // The same reading `start` builds the cipher from, so validate and doctor refuse what start would.
    schema: z
      .string()
      .superRefine((spec, ctx) => {
        const problem = encryptionKeysProblem(spec);
        if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
    description: 'id:base64key[,id:base64key] (32-byte keys; the first encrypts, all decrypt)',
    secret: true,
  },
  admins: {
    env: 'BOTCTL_ADMINS',
    kind: 'intList',
    schema: z.array(z.number().int().positive()).default([]),
    description: 'Telegram user ids with the admin role (comma-separated)',
  },
  access: {
    env: 'BOTCTL_ACCESS',
    kind: 'string',
    schema: z.enum(['open', 'allowlist']).default('open'),
    description: 'open: anyone may chat; allowlist: only ids in allowlist and admins',
  },
  allowlist: {
    env: 'BOTCTL_ALLOWLIST',
    kind: 'intList',
    schema: z.array(z.number().int().positive()).default([]),
    description: 'Telegram user ids allowed in allowlist mode (comma-separated)',
  },
  quotas: {
    env: 'BOTCTL_QUOTAS',
    kind: 'json',
    schema: quotas.default(quotas.parse({})),
    description: 'Daily quotas per role (JSON); 0 means unlimited',
  },
  rateLimit: {
    env: 'BOTCTL_RATE_LIMIT',
    kind: 'json',
    schema: z
      .object({ burst: z.number().int().min(1).default(5), perMinute: z.number().int().min(1).default(20) })
      .default({ burst: 5, perMinute: 20 }),
    description: 'Per-user message rate limit: burst and sustained per minute (JSON)',
  },
  contextTokens: {
    env: 'BOTCTL_CONTEXT_TOKENS',
    kind: 'int',
    schema: z.number().int().min(500).default(8000),
    description: 'Token budget for conversation history sent to the model',
  },
  geminiTimeoutMs: {
    env: 'BOTCTL_GEMINI_TIMEOUT_MS',
    kind: 'int',
    schema: z.number().int().min(1000).default(60_000),
    description: 'Per-request timeout for Gemini calls, in milliseconds',
  },
  telegramThrottle: {
    env: 'BOTCTL_TELEGRAM_THROTTLE',
    kind: 'bool',
    schema: bool.default(true),
    description:
      'Pace messages below Telegram flood limits: 30/s per bot; per group 20/min and 1/s after a burst of 3. Typing and drafts never wait; 429s are retried either way',
  },
  broadcastRate: {
    env: 'BOTCTL_BROADCAST_RATE',
    kind: 'int',
    schema: z.number().int().min(1).max(1000).default(25),
    description:
      'Broadcast messages per second (Telegram allows about 30 per bot; more only with paid broadcasts)',
  },
  shutdownTimeoutMs: {
    env: 'BOTCTL_SHUTDOWN_TIMEOUT_MS',
    kind: 'int',
    schema: z.number().int().min(0).default(25_000),
    description: 'How long a stop waits for answers in flight before exiting',
  },
  maxFileBytes: {
    env: 'BOTCTL_MAX_FILE_BYTES',
    kind: 'int',
    schema: z
      .number()
      .int()
      .min(1024)
      .default(20 * 1024 * 1024),
    description:
      'Largest file (voice, photo, document) the bot downloads; the cloud Bot API caps it at 20 MB',
  },
  maxVoiceSeconds: {
    env: 'BOTCTL_MAX_VOICE_SECONDS',
    kind: 'int',
    schema: z.number().int().min(1).default(300),
    description: 'Longest voice note, audio file or video note the bot listens to, in seconds',
  },
  keepAudio: {
    env: 'BOTCTL_KEEP_AUDIO',
    kind: 'bool',
    schema: bool.default(false),
    description: "Keep copies of users' voice notes under <data dir>/audio (default: not kept)",
  },
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
} as const satisfies Record<string, OptionSpec>;

export type OptionKey = keyof typeof OPTIONS;

export const configSchema = z
  .object(
    Object.fromEntries(Object.entries(OPTIONS).map(([key, spec]) => [key, spec.schema])) as {
      [K in OptionKey]: (typeof OPTIONS)[K]['schema'];
    },
  )
  .strict();

export type ConfigValues = z.output<typeof configSchema>;

export const SECRET_KEYS: readonly OptionKey[] = (Object.keys(OPTIONS) as OptionKey[]).filter(
  (key) => (OPTIONS[key] as OptionSpec).secret === true,
);
