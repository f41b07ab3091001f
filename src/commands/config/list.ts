import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { configInput } from '../../cli/config-input.js';
import { EXIT_CODES_HELP } from '../../cli/exit-codes.js';
import type { JsonShape } from '../../cli/json-shape.js';
import { resolveOptions, type OptionSource } from '../../config/sources.js';
import { displayOption } from '../../config/option-values.js';

interface Row {
  key: string;
  env: string;
  /** Secrets masked unless --reveal (only the password of a URL). */
  value: unknown;
  source: OptionSource;
  secret: boolean;
  problem: string | null;
}

export default class ConfigList extends BaseCommand<typeof ConfigList> {
  static override summary =
    'List every config option with its value and where it comes from (default, file, env)';
  static override description =
    'Secrets print as ******** (a URL shows all but its password) unless --reveal.' + EXIT_CODES_HELP;
  static jsonShape: JsonShape = {
    options: [
      {
        key: 'string',
        env: 'string',
        value: 'unknown',
        source: 'string',
        secret: 'boolean',
        problem: 'string|null',
      },
    ],
  };
  static override examples = [
    '<%= config.bin %> config list',
    '<%= config.bin %> config list --json',
    '<%= config.bin %> config list --reveal',
  ];
  static override flags = { reveal: Flags.boolean({ description: 'print secrets unmasked' }) };

  async run(): Promise<{ options: Row[] }> {
    const resolved = resolveOptions(configInput(this.dataDir));
    const width = Math.max(...resolved.map((o) => o.key.length));
    const options = resolved.map((o): Row => {
      const text = displayOption(o.key, o.value, this.flags.reveal);
      const problem = o.problem ? `  ✗ ${o.problem}` : '';
      this.say(`${o.key.padEnd(width)}  ${o.source.padEnd(7)}  ${text === '' ? '-' : text}${problem}`);
      const value = o.secret && !this.flags.reveal ? text || null : (o.value ?? null);
      return {
        key: o.key,
        env: o.env,
        value,
        source: o.source,
        secret: o.secret,
        problem: o.problem ?? null,
      };
    });
    return { options };
  }
}
