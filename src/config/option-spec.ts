/** What one configuration option is (its row in OPTIONS), and the value shapes several areas share. */
import { z } from 'zod';

/** How an environment string becomes a config value. */
export type EnvKind = 'string' | 'int' | 'bool' | 'list' | 'intList' | 'json';

export interface OptionSpec {
  env: string;
  kind: EnvKind;
  schema: z.ZodType;
  description: string;
  /** Never logged or printed unmasked. */
  secret?: boolean;
}

export const telegramToken = z
  .string()
  .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'must look like 123456789:AA... (from @BotFather)');
export const url = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
/** Strings are mapped to booleans by fromEnvString (config.ts); anything it does not know arrives here as a string. */
export const bool = z.boolean({ error: 'must be true or false (also yes/no, on/off, 1/0)' });
export const port = z.number().int().min(0).max(65535);
export const count = z.number().int().min(0);
