import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { configInput, keyArg, optionKey } from '../../cli/config-input.js';
import { EXIT_CODES_HELP } from '../../cli/exit-codes.js';
import type { JsonShape } from '../../cli/json-shape.js';
import { resolveOptions, type OptionSource } from '../../config/sources.js';
import { displayOption } from '../../config/option-values.js';

export default class ConfigGet extends BaseCommand<typeof ConfigGet> {
  static override summary = 'Print the value of one config option (secrets masked unless --reveal)';
  static override description =
    'Prints the effective value: the environment overrides the config file, which overrides the default. ' +
    'Lists print comma-separated and objects as JSON, the same text `config set` accepts.' +
    EXIT_CODES_HELP;
  static override examples = [
    '<%= config.bin %> config get model',
    '<%= config.bin %> config get telegramToken --reveal',
    '<%= config.bin %> config get quotas --json',
  ];
  static jsonShape: JsonShape = {
    key: 'string',
    env: 'string',
    value: 'unknown',
    source: 'string',
    problem: 'string|null',
  };
  static override args = { key: keyArg };
  static override flags = { reveal: Flags.boolean({ description: 'print secrets unmasked' }) };

  async run(): Promise<{
    key: string;
    env: string;
    value: unknown;
    source: OptionSource;
    problem: string | null;
  }> {
    const { args } = await this.parse(ConfigGet);
    const key = optionKey(args.key);
    const option = resolveOptions(configInput(this.dataDir)).find((o) => o.key === key)!;
    const shown = displayOption(key, option.value, this.flags.reveal);
    if (option.problem) this.note(`${key} is invalid (${option.source}): ${option.problem}`);
    this.say(shown);
    const value =
      option.secret && !this.flags.reveal ? (shown === '' ? null : shown) : (option.value ?? null);
    return { key, env: option.env, value, source: option.source, problem: option.problem ?? null };
  }
}
