/**
 * Runs the real daemon in-process (so coverage sees it) against the fake Telegram and fake
 * Gemini servers, on a fresh SQLite or Postgres database.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/config/config.js';
import { startDaemon, type Daemon, type DaemonOptions } from '../../src/daemon/daemon.js';
import type { Dialect } from '../../src/domain/ports/index.js';
import { startFakeGemini, type FakeGemini } from '../fakes/gemini.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram.js';
import { openTestDatabase, type TestDatabase } from './db.js';
import { captureLogs, type CapturedLogs } from './logs.js';
import { freePort } from './ports.js';

export const TEST_TOKEN = '123456:TESTtokenTESTtokenTESTtoken_abc';
export const TEST_GEMINI_KEY = 'test-gemini-key';
export const WEBHOOK_SECRET = 'webhook_secret_for_tests_123';

export interface Harness {
  telegram: FakeTelegram;
  gemini: FakeGemini;
  db: TestDatabase;
  config: Readonly<Config>;
  daemon: Daemon;
  logs: CapturedLogs;
  dataDir: string;
  /** Stops the daemon (graceful) and starts a new one on the same database and fakes. */
  restart(overrides?: Partial<DaemonOptions>): Promise<Daemon>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  dialect?: Dialect;
  mode?: 'polling' | 'webhook';
  env?: Record<string, string>;
  daemon?: Partial<DaemonOptions>;
  /** Reuse servers and database from an earlier harness (restart tests). */
  telegram?: FakeTelegram;
  gemini?: FakeGemini;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const telegram = options.telegram ?? (await startFakeTelegram({ token: TEST_TOKEN }));
  const gemini = options.gemini ?? (await startFakeGemini({ apiKey: TEST_GEMINI_KEY }));
  const db = await openTestDatabase(options.dialect ?? 'sqlite');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-e2e-'));
  const port = await freePort();
  const mode = options.mode ?? 'polling';
  const config = loadConfig({
    dataDir,
    env: {
      BOTCTL_TELEGRAM_TOKEN: TEST_TOKEN,
      BOTCTL_TELEGRAM_API_ROOT: telegram.apiRoot,
      BOTCTL_GEMINI_API_KEY: TEST_GEMINI_KEY,
      BOTCTL_GEMINI_BASE_URL: gemini.baseUrl,
      BOTCTL_DATABASE_URL: db.url,
      BOTCTL_HTTP_PORT: String(port),
      BOTCTL_MODE: mode,
      ...(mode === 'webhook'
        ? { BOTCTL_WEBHOOK_URL: `http://127.0.0.1:${port}/tg/webhook`, BOTCTL_WEBHOOK_SECRET: WEBHOOK_SECRET }
        : {}),
      BOTCTL_GEMINI_TIMEOUT_MS: '3000',
      ...options.env,
    },
  });
  const logs = captureLogs({ secrets: [TEST_TOKEN, TEST_GEMINI_KEY] });
  const daemonOptions: DaemonOptions = {
    config,
    logger: logs.logger,
    timing: { draftIntervalMs: 40, editIntervalMs: 80, typingDelayMs: 250, typingIntervalMs: 2000 },
    pollTimeoutSeconds: 1,
    shutdownTimeoutMs: 5000,
    ...options.daemon,
  };
  let daemon = await startDaemon(daemonOptions);
  const harness: Harness = {
    telegram,
    gemini,
    db,
    config,
    logs,
    dataDir,
    get daemon() {
      return daemon;
    },
    async restart(overrides = {}) {
      await daemon.stop('restart');
      daemon = await startDaemon({ ...daemonOptions, ...overrides });
      return daemon;
    },
    async close() {
      await daemon.stop('test end');
      if (!options.telegram) await telegram.close();
      if (!options.gemini) await gemini.close();
      await db.cleanup();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

/**
 * A daemon as one of several instances: webhook mode on Postgres and the shared Redis (what
 * several instances need), with a per-user rate limit a test's bursts stay under.
 */
export function startInstanceHarness(
  options: Omit<HarnessOptions, 'dialect' | 'mode'> = {},
): Promise<Harness> {
  return startHarness({
    ...options,
    dialect: 'postgres',
    mode: 'webhook',
    env: {
      BOTCTL_RATE_LIMIT: '{"burst":100,"perMinute":1000}',
      BOTCTL_REDIS_URL: process.env.BOTCTL_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      ...options.env,
    },
  });
}
