/**
 * What the `config` commands share: the layered input (file + environment) read without
 * loadConfig's stop-at-first-error, and the <key> argument, which accepts the key, its flag
 * form or its variable name.
 */
import fs from 'node:fs';
import { Args } from '@oclif/core';
import { BotctlError } from '../domain/errors.js';
import type { LoadConfigInput } from '../config/config.js';
import type { OptionKey } from '../config/schema.js';
import { readConfigFile } from '../config/file.js';
import { OPTION_KEYS, resolveOptionKey } from '../config/option-values.js';

export const keyArg = Args.string({
  description: 'option key (e.g. model, telegramToken, or its variable BOTCTL_MODEL)',
  required: true,
});

export function optionKey(name: string): OptionKey {
  const key = resolveOptionKey(name);
  if (key === undefined) {
    throw new BotctlError('USAGE', `unknown config key "${name}"`, {
      hint: `one of: ${OPTION_KEYS.join(', ')}`,
    });
  }
  return key;
}

export function configInput(dataDir: string, file = readConfigFile(dataDir)): LoadConfigInput {
  return { dataDir, env: process.env, file, readFile: (p) => fs.readFileSync(p, 'utf8') };
}
