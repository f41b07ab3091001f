/**
 * The checks setup runs on what it was given, through the probes (commands never import
 * adapters): the token (getMe), the Gemini key (its model list, which the model must be in),
 * the database and Redis. The wizard runs them one by one as answers come in; --no-input
 * runs them together and reports every failure at once.
 */
import { BotctlError } from '../../domain/errors.js';
import type { ModelInfo } from '../../domain/ports/index.js';
import type { Probes } from '../../probes/probes.js';
import type { BotIdentity } from '../../services/doctor/index.js';
import { defaultDatabasePath } from '../../config/config.js';
import { optionDefault } from '../../config/option-values.js';
import type { Draft } from './draft.js';

/** The config schema's defaults: what the daemon uses when setup writes nothing for them. */
const DEFAULT_MODEL = optionDefault('model') as string;
const TELEGRAM_ROOT = optionDefault('telegramApiRoot') as string;
/** Gemini's model list; Telegram's probes keep their own deadline. */
const CHECK_TIMEOUT_MS = 20_000;

export function checkTelegram(probes: Probes, draft: Draft): Promise<BotIdentity> {
  const apiRoot = (draft.telegramApiRoot as string | undefined) ?? TELEGRAM_ROOT;
  return probes.telegramBot({ token: draft.telegramToken as string, apiRoot });
}

export function listModels(probes: Probes, draft: Draft): Promise<ModelInfo[]> {
  const baseUrl = draft.geminiBaseUrl as string | undefined;
  return probes.geminiModels({ apiKey: draft.geminiApiKey as string, baseUrl, timeoutMs: CHECK_TIMEOUT_MS });
}

/** Ids of models that can chat (generateContent), in the order the API lists them. */
export function chatModels(models: readonly ModelInfo[]): string[] {
  return models
    .filter((m) => m.methods.length === 0 || m.methods.includes('generateContent'))
    .map((m) => m.id);
}

/** The configured model when offered, else the default alias when offered. */
export function pickModel(models: readonly ModelInfo[], wanted: unknown): string | undefined {
  const ids = chatModels(models);
  if (typeof wanted === 'string') return ids.includes(wanted) ? wanted : undefined;
  return ids.includes(DEFAULT_MODEL) ? DEFAULT_MODEL : undefined;
}

export function modelMissing(models: readonly ModelInfo[], wanted: unknown): BotctlError {
  const name = typeof wanted === 'string' ? wanted : DEFAULT_MODEL;
  return new BotctlError('CONFIG_INVALID', `model ${name} is not available to this Gemini key`, {
    hint: `pass --model with one of: ${chatModels(models).slice(0, 8).join(', ')}`,
  });
}

export async function checkDatabase(probes: Probes, draft: Draft, dataDir: string): Promise<string> {
  const url = (draft.databaseUrl as string | undefined) ?? defaultDatabasePath(dataDir);
  await probes.databaseReachable(url, dataDir);
  return probes.dialectOf(url) === 'postgres' ? 'PostgreSQL answers' : `SQLite file ${url}`;
}

export async function checkRedis(probes: Probes, url: string): Promise<void> {
  if (!(await probes.redis(url, 5000))) {
    throw new BotctlError('CONFIG_INVALID', 'Redis does not answer at redisUrl (BOTCTL_REDIS_URL)', {
      hint: 'check the URL and that Redis runs, or leave redisUrl unset for an in-memory cache',
    });
  }
}

/** Every check at once; fills in the model; throws one error listing each failure, in a stable order. */
export async function verifyDraft(
  probes: Probes,
  draft: Draft,
  dataDir: string,
): Promise<{ bot: BotIdentity }> {
  const [bot, ...rest] = await Promise.allSettled([
    checkTelegram(probes, draft),
    listModels(probes, draft).then((models) => {
      const model = pickModel(models, draft.model);
      if (model === undefined) throw modelMissing(models, draft.model);
      draft.model = model;
    }),
    checkDatabase(probes, draft, dataDir),
    draft.redisUrl === undefined ? Promise.resolve() : checkRedis(probes, draft.redisUrl as string),
  ]);
  const failures = [bot, ...rest]
    .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    .map((r) => (r.reason instanceof BotctlError ? r.reason : new BotctlError('INTERNAL', String(r.reason))));
  const [first] = failures;
  if (first && failures.length === 1) throw first;
  if (first)
    throw new BotctlError(first.code, failures.map((f) => f.message).join('\n'), { hint: first.hint });
  return { bot: (bot as PromiseFulfilledResult<BotIdentity>).value };
}
