/**
 * One option value as text: parsed and validated exactly like its environment variable (the
 * same `fromEnvString` and zod schema), so a setup flag, a wizard answer, `config set` and
 * BOTCTL_X accept and refuse the same strings. Also the printable (masked) form of a value.
 */
import { BotctlError } from '../domain/errors.js';
import { OPTIONS, type OptionKey, type OptionSpec } from './schema.js';
import { fromEnvString, maskSecret, secretPart } from './config.js';

export const OPTION_KEYS = Object.keys(OPTIONS) as OptionKey[];

export type ParsedOption = { ok: true; value: unknown } | { ok: false; problem: string };

export function spec(key: OptionKey): OptionSpec {
  return OPTIONS[key];
}

/** telegramToken -> telegram-token */
export function flagName(key: OptionKey): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** Accepts the key (telegramToken), its flag form (telegram-token) or its variable (BOTCTL_TELEGRAM_TOKEN). */
export function resolveOptionKey(name: string): OptionKey | undefined {
  const bare = name.trim().replace(/^--/, '');
  return OPTION_KEYS.find((key) => key === bare || flagName(key) === bare || OPTIONS[key].env === bare);
}

/** Where the option can be given: flag and variable, for messages that say how to fix it. */
export function optionLabel(key: OptionKey): string {
  return `${key} (--${flagName(key)}, ${OPTIONS[key].env})`;
}

export function parseOption(key: OptionKey, raw: string): ParsedOption {
  let input: unknown;
  try {
    input = fromEnvString(key, raw);
  } catch (error) {
    if (error instanceof BotctlError) return { ok: false, problem: 'is not valid JSON' };
    throw error;
  }
  return checkOption(key, input);
}

/** Validates an already-typed value (e.g. from the config file) with the option's schema. */
export function checkOption(key: OptionKey, input: unknown): ParsedOption {
  const parsed = OPTIONS[key].schema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return { ok: false, problem: `${where}${issue?.message ?? 'is invalid'}` };
}

/** The text form `parseOption` reads back: lists comma-separated, objects as JSON. */
export function formatOption(key: OptionKey, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value) && OPTIONS[key].kind !== 'json') return value.join(',');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The schema's default for a key; undefined when it has none. */
export function optionDefault(key: OptionKey): unknown {
  const fallback = checkOption(key, undefined);
  return fallback.ok ? fallback.value : undefined;
}

/** True when printing this value would reveal a secret (a URL without a password reveals nothing). */
export function isSecretValue(key: OptionKey, value: unknown): boolean {
  if (spec(key).secret !== true || value === undefined || value === '') return false;
  return secretPart(key, formatOption(key, value)) !== undefined;
}

/** A value safe to print: secrets masked (only the password of a URL), unless reveal. */
export function displayOption(key: OptionKey, value: unknown, reveal = false): string {
  const text = formatOption(key, value);
  if (reveal || spec(key).secret !== true || text === '') return text;
  return maskSecret(key, text);
}
