/** Runtime limits: context budget, timeouts, Telegram pacing, broadcast rate, shutdown, file sizes, audio. */
import { z } from 'zod';
import { bool, type OptionSpec } from '../option-spec.js';

export const LIMITS_OPTIONS = {
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
  geminiCircuitOpenMs: {
    env: 'BOTCTL_GEMINI_CIRCUIT_OPEN_MS',
    kind: 'int',
    schema: z.number().int().min(1000).default(30_000),
    description:
      'After repeated Gemini failures, how long calls fail fast before one trial call, in milliseconds',
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
} as const satisfies Record<string, OptionSpec>;
