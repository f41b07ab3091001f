/**
 * The config file setup is building: the existing file's values (a rerun edits them), with
 * what was given as flags or BOTCTL_* on top. For --no-input every missing or invalid value
 * is collected, so one run lists them all.
 */
import { randomBytes } from 'node:crypto';
import type { OptionKey } from '../../config/schema.js';
import { defaultDatabasePath } from '../../config/config.js';
import { REQUIRED_TO_START } from '../../config/sources.js';
import {
  OPTION_KEYS,
  checkOption,
  optionDefault,
  optionLabel,
  parseOption,
} from '../../config/option-values.js';
import type { Given } from '../option-flags.js';

export type Draft = Record<string, unknown>;

/** The settings the wizard asks for (an invalid or missing one is asked again, not an error). */
export const ASKED: readonly OptionKey[] = [
  'telegramToken',
  'geminiApiKey',
  'model',
  'databaseUrl',
  'redisUrl',
  'mode',
  'webhookUrl',
  'admins',
  'quotas',
];

export interface Problem {
  key: OptionKey | null;
  line: string;
}

/** Valid values go into the draft; every invalid or missing one becomes a problem line. */
export function resolveDraft(
  existing: Record<string, unknown>,
  given: Given,
): { draft: Draft; problems: Problem[] } {
  const draft: Draft = {};
  const problems: Problem[] = given.problems.map((line) => ({ key: null, line }));
  for (const key of OPTION_KEYS) {
    const input = given.values.get(key);
    if (input) {
      const parsed = parseOption(key, input.raw);
      if (parsed.ok) draft[key] = parsed.value;
      else problems.push({ key, line: `${optionLabel(key)}: ${parsed.problem}` });
    } else if (key in existing) {
      const parsed = checkOption(key, existing[key]);
      if (parsed.ok) draft[key] = existing[key];
      else problems.push({ key, line: `${key} (in config.json): ${parsed.problem}` });
    } else if (REQUIRED_TO_START.includes(key)) {
      problems.push({ key, line: `${optionLabel(key)}: required` });
    }
  }
  for (const key of Object.keys(existing).filter((k) => !(OPTION_KEYS as string[]).includes(k))) {
    problems.push({ key: null, line: `${key} (in config.json): unknown key: remove it` });
  }
  if (
    draft.mode === 'webhook' &&
    draft.webhookUrl === undefined &&
    !problems.some((p) => p.key === 'webhookUrl')
  ) {
    problems.push({ key: 'webhookUrl', line: `${optionLabel('webhookUrl')}: required in webhook mode` });
  }
  return { draft, problems };
}

/** Webhook mode needs a secret Telegram echoes back; made here when there is none. Returns true when made. */
export function ensureWebhookSecret(draft: Draft): boolean {
  if (draft.mode !== 'webhook' || draft.webhookSecret !== undefined) return false;
  // 24 random bytes -> 32 base64url characters, inside Telegram's 1-256 [A-Za-z0-9_-].
  draft.webhookSecret = randomBytes(24).toString('base64url');
  return true;
}

/**
 * The file as written: unset values dropped, and left implicit so later defaults still apply:
 * values equal to their default that were neither in the file nor given, and the default
 * SQLite path (it follows the data dir). Values read through BOTCTL_X_FILE are left out too:
 * that file is where the operator keeps the secret, and the variable keeps pointing at it.
 */
export function finalFile(
  draft: Draft,
  dataDir: string,
  given: Given,
  existing: Record<string, unknown>,
): Draft {
  const file: Draft = {};
  for (const [key, value] of Object.entries(draft) as [OptionKey, unknown][]) {
    const from = given.values.get(key)?.from;
    if (value === undefined || from === 'env-file') continue;
    const implicit = from === undefined && !(key in existing) && isDefault(key, value);
    if (!implicit) file[key] = value;
  }
  if (file.databaseUrl === defaultDatabasePath(dataDir) && existing.databaseUrl === undefined)
    delete file.databaseUrl;
  return file;
}

function isDefault(key: OptionKey, value: unknown): boolean {
  return JSON.stringify(optionDefault(key)) === JSON.stringify(value);
}
