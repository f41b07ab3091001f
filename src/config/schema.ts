/**
 * Every configuration option, defined once. The config file keys, the BOTCTL_* environment
 * variables (and their *_FILE variants), `botctl config get|set` and the setup wizard all
 * read this table, so they validate alike. Defaults are documented here and in README.
 * The rows live by area in options/; this file joins them into one table and one schema.
 */
import { z } from 'zod';
import type { OptionSpec } from './option-spec.js';
import { BOT_OPTIONS } from './options/bot.js';
import { DEPLOYMENT_OPTIONS } from './options/deployment.js';
import { ACCESS_OPTIONS } from './options/access.js';
import { LIMITS_OPTIONS } from './options/limits.js';
import { MEDIA_OPTIONS } from './options/media.js';
import { OPERATIONS_OPTIONS } from './options/operations.js';

export type { EnvKind, OptionSpec } from './option-spec.js';
export { DEFAULT_PRICES } from './options/operations.js';

/** Every option, in the order `config list`, the env file and README show them. */
export const OPTIONS = {
  ...BOT_OPTIONS,
  ...DEPLOYMENT_OPTIONS,
  ...ACCESS_OPTIONS,
  ...LIMITS_OPTIONS,
  ...MEDIA_OPTIONS,
  ...OPERATIONS_OPTIONS,
} as const;

export type OptionKey = keyof typeof OPTIONS;

export const configSchema = z
  .object(
    Object.fromEntries(Object.entries(OPTIONS).map(([key, spec]) => [key, spec.schema])) as {
      [K in OptionKey]: (typeof OPTIONS)[K]['schema'];
    },
  )
  .strict();

export type ConfigValues = z.output<typeof configSchema>;

export const SECRET_KEYS: readonly OptionKey[] = (Object.keys(OPTIONS) as OptionKey[]).filter(
  (key) => (OPTIONS[key] as OptionSpec).secret === true,
);
