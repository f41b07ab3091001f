/**
 * Starts the bots the benchmark compares, each as its own process against the given fakes:
 * the built `botctl start` daemon (as an operator runs it) and the floor bot.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFakeGemini, type FakeGemini } from '../../test/fakes/gemini.js';
import { startFakeTelegram, type FakeTelegram } from '../../test/fakes/telegram.js';
import { freePort } from '../../test/helpers/ports.js';
import { startNode, type BotProcess } from './child.js';
import { createScratchDatabase } from './postgres.js';
import type { Target } from './scenarios.js';
import { track } from './tracker.js';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
/** The bot token every benchmark's fake Telegram and bot use. */
export const BENCH_TOKEN = '123456:BENCHtokenBENCHtokenBENCH_abc';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface Fakes {
  telegram: FakeTelegram;
  gemini: FakeGemini;
}

export interface Started {
  bot: BotProcess;
  /** Removes what the start created (temp dir, database); the bot is stopped already. */
  cleanup(): Promise<void>;
}

export interface BotctlVariant {
  mode: 'polling' | 'webhook';
  /** Postgres + Redis instead of SQLite + the in-process cache. */
  pg?: boolean;
  /** Settings this case changes beyond BOTCTL_OVERRIDES; the bench prints them beside the case. */
  env?: Readonly<Record<string, string>>;
}

/**
 * The only settings the benchmarks change from botctl's defaults, printed above their tables: the
 * per-user rate limit and daily quotas would refuse a benchmark's users, which is the operator's
 * policy, not the bot's cost. Pacing, timings and everything else stay as shipped.
 */
export const BOTCTL_OVERRIDES: Readonly<Record<string, string>> = {
  BOTCTL_RATE_LIMIT: '{"burst":1000000,"perMinute":10000000}',
  BOTCTL_QUOTAS: '{"user":{"messagesPerDay":0,"tokensPerDay":0}}',
  // Warnings and errors only: the bot's output is kept for a crash report, not read.
  BOTCTL_LOG_LEVEL: 'warn',
};

/** Resolves once the bot talks to Telegram the way its mode does, or rejects if it exits. */
async function ready(bot: BotProcess, fakes: Fakes, method: 'getUpdates' | 'setWebhook'): Promise<void> {
  await Promise.race([fakes.telegram.waitForCall(method, () => true, 60_000), bot.exited]);
}

/** The engine alone (issue 13's measure): pacing off, so a burst runs as fast as the bot can answer. */
export const PACING_OFF: Readonly<Record<string, string>> = { BOTCTL_TELEGRAM_THROTTLE: 'false' };

/** Runs `<build>/bin/run.js start --auto-migrate` (build: a snapshot from buildSnapshot()). */
export async function startBotctl(fakes: Fakes, variant: BotctlVariant, build: string): Promise<Started> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-bench-'));
  const port = await freePort();
  const database = variant.pg ? await createScratchDatabase() : undefined;
  const env: Record<string, string> = {
    BOTCTL_DATA_DIR: dataDir,
    BOTCTL_TELEGRAM_TOKEN: fakes.telegram.token,
    BOTCTL_TELEGRAM_API_ROOT: fakes.telegram.apiRoot,
    BOTCTL_GEMINI_API_KEY: fakes.gemini.apiKey,
    BOTCTL_GEMINI_BASE_URL: fakes.gemini.baseUrl,
    BOTCTL_HTTP_HOST: '127.0.0.1',
    BOTCTL_HTTP_PORT: String(port),
    BOTCTL_MODE: variant.mode,
    ...BOTCTL_OVERRIDES,
    ...variant.env,
    ...(database ? { BOTCTL_DATABASE_URL: database.url, BOTCTL_REDIS_URL: REDIS_URL } : {}),
    ...(variant.mode === 'webhook'
      ? {
          BOTCTL_WEBHOOK_URL: `http://127.0.0.1:${port}/tg/webhook`,
          BOTCTL_WEBHOOK_SECRET: 'bench_webhook_secret_123',
        }
      : {}),
  };
  const bot = startNode(
    'botctl start',
    [path.join(build, 'bin', 'run.js'), 'start', '--auto-migrate'],
    env,
    build,
  );
  await ready(bot, fakes, variant.mode === 'webhook' ? 'setWebhook' : 'getUpdates');
  return {
    bot,
    async cleanup() {
      await database?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function startFloor(fakes: Fakes): Promise<Started> {
  const bot = startNode(
    'floor bot',
    ['--import', 'tsx', path.join(ROOT, 'bench', 'floor-bot.ts')],
    {
      FLOOR_TOKEN: fakes.telegram.token,
      FLOOR_API_ROOT: fakes.telegram.apiRoot,
      FLOOR_GEMINI_URL: fakes.gemini.baseUrl,
      FLOOR_GEMINI_KEY: fakes.gemini.apiKey,
    },
    ROOT,
  );
  await ready(bot, fakes, 'getUpdates');
  return { bot, cleanup: async () => undefined };
}

/** Fresh fakes and a fresh bot process for one case; everything is closed afterwards. */
export async function withBot<T>(
  start: (fakes: Fakes) => Promise<Started>,
  run: (t: Target) => Promise<T>,
): Promise<T> {
  // Idle connections stay open as long as the real services keep them: with the fakes' 1 s default both
  // HTTP clients open a new TCP connection for every call (see keepAliveTimeoutMs), a cost production
  // does not have; a few seconds is not enough either, as a loaded machine's timers fire late and a
  // client then reuses a connection the fake is just closing ("other side closed").
  const keepAliveTimeoutMs = 60_000;
  const fakes = {
    // Telegram retries a webhook delivery for hours; the fake's default gives up after 10 tries (~6 s),
    // which a busy bot's 503s (its backpressure) would turn into lost updates.
    // Webhook updates go out as Telegram sends them (the fake's default: 40 at once over kept-alive
    // connections, one per chat at a time).
    telegram: await startFakeTelegram({ token: BENCH_TOKEN, keepAliveTimeoutMs, webhookMaxAttempts: 10_000 }),
    gemini: await startFakeGemini({ keepAliveTimeoutMs }),
  };
  const tracker = track(fakes.telegram);
  const started = await start(fakes);
  try {
    return await run({ telegram: fakes.telegram, gemini: fakes.gemini, tracker, bot: started.bot });
  } finally {
    await started.bot.stop();
    await started.cleanup();
    tracker.close();
    await fakes.telegram.close();
    await fakes.gemini.close();
  }
}
