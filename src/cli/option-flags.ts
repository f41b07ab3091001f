/**
 * One flag per config option, generated from OPTIONS (--telegram-token, --gemini-api-key,
 * --database-url, --admins, ...). Every flag is a string parsed like its BOTCTL_* variable,
 * so a flag, the variable (or its *_FILE form), a config key and a wizard answer accept and
 * refuse the same values.
 */
import { Flags } from '@oclif/core';
import { readEnv } from '../config/config.js';
import type { OptionKey } from '../config/schema.js';
import { OPTION_KEYS, flagName, spec } from '../config/option-values.js';

function describe(key: OptionKey): string {
  const { description, env, secret } = spec(key);
  const where = secret
    ? `[env: ${env} or ${env}_FILE; a flag shows in \`ps\`, prefer them]`
    : `[env: ${env}]`;
  return `${description} ${where}`;
}

export const optionFlags = Object.fromEntries(
  OPTION_KEYS.map((key) => [
    flagName(key),
    Flags.string({ description: describe(key), helpGroup: 'CONFIG' }),
  ]),
) as Record<string, ReturnType<typeof Flags.string>>;

interface GivenValue {
  raw: string;
  /** env-file: read from the file BOTCTL_X_FILE names (a Docker or Kubernetes secret). */
  from: 'flag' | 'env' | 'env-file';
}

export interface Given {
  values: Map<OptionKey, GivenValue>;
  /** Variables that could not be read (a *_FILE naming a missing file), one line each. */
  problems: string[];
}

/** What the operator gave up front: flags first, then BOTCTL_X / BOTCTL_X_FILE. */
export function collectGiven(
  flags: Record<string, unknown>,
  env: Record<string, string | undefined>,
  readFile: (file: string) => string,
): Given {
  const values = new Map<OptionKey, GivenValue>();
  const problems: string[] = [];
  for (const key of OPTION_KEYS) {
    const flag = flags[flagName(key)];
    if (typeof flag === 'string') {
      values.set(key, { raw: flag, from: 'flag' });
      continue;
    }
    try {
      const raw = readEnv(key, env, readFile);
      const direct = env[spec(key).env];
      if (raw !== undefined)
        values.set(key, { raw, from: direct !== undefined && direct !== '' ? 'env' : 'env-file' });
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  return { values, problems };
}
