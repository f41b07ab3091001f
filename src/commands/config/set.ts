import { Args } from '@oclif/core';
import fs from 'node:fs';
import { BaseCommand } from '../../cli/base-command.js';
import { configInput, keyArg, optionKey } from '../../cli/config-input.js';
import { EXIT_CODES_HELP } from '../../cli/exit-codes.js';
import type { JsonShape } from '../../cli/json-shape.js';
import { BotctlError } from '../../domain/errors.js';
import { configFilePath, readConfigFile, writeConfigFile } from '../../config/file.js';
import { configProblems } from '../../config/sources.js';
import { displayOption, optionLabel, parseOption, spec } from '../../config/option-values.js';

export default class ConfigSet extends BaseCommand<typeof ConfigSet> {
  static override summary = 'Change one option in the config file (validated, written atomically, mode 0600)';
  static override description =
    'The value is parsed like its BOTCTL_* variable: lists comma-separated, quotas and rateLimit as JSON. ' +
    'A value that would make the configuration invalid is refused and nothing is written. Pass - as the value to ' +
    'read it from stdin (keeps a secret out of `ps` and shell history).' +
    EXIT_CODES_HELP;
  static override examples = [
    '<%= config.bin %> config set model gemini-flash-latest',
    '<%= config.bin %> config set admins 12345,67890',
    `<%= config.bin %> config set quotas '{"user":{"messagesPerDay":50}}'`,
    'cat token.txt | <%= config.bin %> config set telegramToken -',
  ];
  static jsonShape: JsonShape = { key: 'string', value: 'string', previous: 'string|null', file: 'string' };
  static override args = {
    key: keyArg,
    value: Args.string({ description: 'the new value, or - for stdin', required: true }),
  };

  async run(): Promise<{ key: string; value: string; previous: string | null; file: string }> {
    const { args } = await this.parse(ConfigSet);
    const key = optionKey(args.key);
    const raw = args.value === '-' ? fs.readFileSync(0, 'utf8').split(/\r?\n/)[0]!.trim() : args.value;
    const parsed = parseOption(key, raw);
    if (!parsed.ok) {
      throw new BotctlError('CONFIG_INVALID', `${optionLabel(key)}: ${parsed.problem}`, {
        hint: spec(key).description,
      });
    }
    const existing = readConfigFile(this.dataDir) ?? {};
    const next = { ...existing, [key]: parsed.value };
    // Refuse only what this change breaks (e.g. mode webhook without a URL), not problems that were already there.
    const before = new Set(configProblems(configInput(this.dataDir, existing)));
    const introduced = configProblems(configInput(this.dataDir, next)).filter((line) => !before.has(line));
    if (introduced.length > 0) {
      throw new BotctlError('CONFIG_INVALID', `Not saved: ${introduced.join('; ')}`, {
        hint: 'set the other keys it needs first',
      });
    }
    writeConfigFile(this.dataDir, next);
    const value = displayOption(key, parsed.value);
    const previous = key in existing ? displayOption(key, existing[key]) : null;
    this.say(`${key} = ${value}${previous === null ? '' : ` (was ${previous})`}`);
    const env = spec(key).env;
    if (process.env[env] || process.env[`${env}_FILE`])
      this.note(`${env} is set in the environment and overrides this value`);
    return { key, value, previous, file: configFilePath(this.dataDir) };
  }
}
