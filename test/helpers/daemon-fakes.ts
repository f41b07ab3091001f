/**
 * For test files that run `botctl start` as a process: one fake Telegram and one fake Gemini for
 * the whole file, and the environment that points a daemon at them (on a free HTTP port).
 */
import { afterAll, beforeAll } from 'vitest';
import { startFakeGemini, type FakeGemini } from '../fakes/gemini.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram.js';
import { TEST_GEMINI_KEY, TEST_TOKEN } from './bot-harness.js';
import { freePort } from './ports.js';

export interface DaemonFakes {
  readonly telegram: FakeTelegram;
  readonly gemini: FakeGemini;
}

/** Starts the fakes before the file's tests and closes them after; read them inside tests. */
export function useDaemonFakes(): DaemonFakes {
  let telegram: FakeTelegram | undefined;
  let gemini: FakeGemini | undefined;
  beforeAll(async () => {
    telegram = await startFakeTelegram({ token: TEST_TOKEN });
    gemini = await startFakeGemini({ apiKey: TEST_GEMINI_KEY });
  });
  afterAll(async () => {
    await telegram?.close();
    await gemini?.close();
  });
  return {
    get telegram() {
      if (!telegram) throw new Error('the fake Telegram starts in beforeAll');
      return telegram;
    },
    get gemini() {
      if (!gemini) throw new Error('the fake Gemini starts in beforeAll');
      return gemini;
    },
  };
}

/** Token, key and API roots of the fakes, and a free HTTP port: what `botctl start` needs beside a database. */
export async function daemonEnv(fakes: DaemonFakes): Promise<Record<string, string>> {
  return {
    BOTCTL_TELEGRAM_TOKEN: TEST_TOKEN,
    BOTCTL_TELEGRAM_API_ROOT: fakes.telegram.apiRoot,
    BOTCTL_GEMINI_API_KEY: TEST_GEMINI_KEY,
    BOTCTL_GEMINI_BASE_URL: fakes.gemini.baseUrl,
    BOTCTL_HTTP_PORT: String(await freePort()),
  };
}
