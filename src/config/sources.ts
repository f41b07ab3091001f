/**
 * Where each option's value comes from (default, config file or environment) and every
 * problem at once, for `config list|get|validate`, `doctor` and `setup`. Unlike loadConfig,
 * which stops at the first invalid source, this never throws for a bad value: it reports it.
 */
import { BotctlError } from '../domain/errors.js';
import { OPTIONS, type OptionKey } from './schema.js';
import {
  defaultBackupDir,
  defaultDatabasePath,
  loadConfig,
  readEnv,
  type LoadConfigInput,
} from './config.js';
import { OPTION_KEYS, checkOption, parseOption, spec } from './option-values.js';

/** What `botctl start` cannot run without (the schema leaves them optional for the other commands). */
export const REQUIRED_TO_START: readonly OptionKey[] = ['telegramToken', 'geminiApiKey'];

export type OptionSource = 'default' | 'file' | 'env';

export interface ResolvedOption {
  key: OptionKey;
  env: string;
  /** The validated value; for an invalid one, the raw input; undefined when unset. */
  value: unknown;
  source: OptionSource;
  secret: boolean;
  /** Why the value is invalid, if it is. */
  problem?: string;
}

/** Defaults that depend on the data dir (the schema leaves them unset). */
function derivedDefault(key: OptionKey, dataDir: string): string | undefined {
  if (key === 'databaseUrl') return defaultDatabasePath(dataDir);
  if (key === 'backupDir') return defaultBackupDir(dataDir);
  return undefined;
}

export function resolveOptions(input: LoadConfigInput): ResolvedOption[] {
  const file = input.file ?? {};
  return OPTION_KEYS.map((key): ResolvedOption => {
    const base = { key, env: OPTIONS[key].env, secret: spec(key).secret === true };
    let raw: string | undefined;
    try {
      raw = readEnv(key, input.env, input.readFile);
    } catch (error) {
      const problem = error instanceof BotctlError ? error.message : String(error);
      return { ...base, value: undefined, source: 'env', problem };
    }
    if (raw !== undefined) {
      const parsed = parseOption(key, raw);
      return parsed.ok
        ? { ...base, value: parsed.value, source: 'env' }
        : { ...base, value: raw, source: 'env', problem: parsed.problem };
    }
    if (key in file) {
      const parsed = checkOption(key, file[key]);
      return parsed.ok
        ? { ...base, value: parsed.value, source: 'file' }
        : { ...base, value: file[key], source: 'file', problem: parsed.problem };
    }
    const fallback = checkOption(key, undefined);
    const value = (fallback.ok ? fallback.value : undefined) ?? derivedDefault(key, input.dataDir);
    return { ...base, value, source: 'default' };
  });
}

/** Every problem of the effective configuration, one line each; empty when it loads. */
export function configProblems(input: LoadConfigInput): string[] {
  const known = new Set<string>(OPTION_KEYS);
  const unknown = Object.keys(input.file ?? {}).filter((key) => !known.has(key));
  // Worded as loadConfig words it (describeIssues), so both commands say the same.
  const lines = unknown.length ? [`${unknown.join(', ')} (unknown key: remove it)`] : [];
  for (const option of resolveOptions(input)) {
    if (option.problem === undefined) continue;
    lines.push(`${option.key} (${option.env}, from ${option.source}): ${option.problem}`);
  }
  if (lines.length > 0) return lines;
  try {
    loadConfig(input);
    return [];
  } catch (error) {
    // What is left are the rules across keys (e.g. webhook mode needs a URL and a secret).
    if (error instanceof BotctlError) return [error.message.replace(/^Invalid configuration: /, '')];
    throw error;
  }
}
