/**
 * What the setup, config and doctor process tests share: the fake Telegram and Gemini servers,
 * the environment that points a `botctl` process at them, temp data dirs, and a file snapshot
 * to prove that a refused command wrote nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFakeGemini, type FakeGemini } from '../fakes/gemini.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram.js';
import { runCli, type CliResult } from './cli.js';

/**
 * Each test here runs several `botctl` processes (oclif, drizzle, SDK imports); on a loaded CI
 * machine one can take seconds, so these tests get more than vitest's default.
 */
export const PROCESS_TIMEOUT_MS = 180_000;

export const TOKEN = '123456:SETUPtokenSETUPtokenSETUP_xyz';
export const GEMINI_KEY = 'setup-gemini-key-0123456789';

export interface Fakes {
  telegram: FakeTelegram;
  gemini: FakeGemini;
  /** BOTCTL_TELEGRAM_API_ROOT and BOTCTL_GEMINI_BASE_URL pointing at the fakes, plus the data dir. */
  env(dataDir: string, extra?: Record<string, string>): Record<string, string>;
  close(): Promise<void>;
}

export async function startFakes(): Promise<Fakes> {
  const telegram = await startFakeTelegram({ token: TOKEN });
  const gemini = await startFakeGemini({ apiKey: GEMINI_KEY });
  return {
    telegram,
    gemini,
    env: (dataDir, extra = {}) => ({
      BOTCTL_DATA_DIR: dataDir,
      BOTCTL_TELEGRAM_API_ROOT: telegram.apiRoot,
      BOTCTL_GEMINI_BASE_URL: gemini.baseUrl,
      ...extra,
    }),
    async close() {
      await telegram.close();
      await gemini.close();
    },
  };
}

/** A fresh directory; the data dir inside it does not exist yet. */
export function tempDataDir(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-setup-')), 'data');
}

/** Every file under dir with its bytes, so "nothing changed" is one toEqual. */
export function snapshot(dir: string): Record<string, string> {
  if (!fs.existsSync(dir)) return {};
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files[path.relative(dir, file)] = fs.readFileSync(file, 'base64');
  }
  return files;
}

export function readConfig(dataDir: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(dataDir, 'config.json'), 'utf8')) as Record<string, unknown>;
}

export const mode = (file: string): number => fs.statSync(file).mode & 0o777;

/** `botctl setup --no-input` with the token and key as flags. */
export function setupUnattended(
  fakes: Fakes,
  dataDir: string,
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<CliResult> {
  return runCli(
    ['setup', '--no-input', '--telegram-token', TOKEN, '--gemini-api-key', GEMINI_KEY, ...args],
    fakes.env(dataDir, env),
  );
}
