import { BaseCommand } from '../../cli/base-command.js';
import { configInput } from '../../cli/config-input.js';
import { EXIT_CODES_HELP } from '../../cli/exit-codes.js';
import type { JsonShape } from '../../cli/json-shape.js';
import { configFilePath } from '../../config/file.js';
import { BotctlError } from '../../domain/errors.js';
import { REQUIRED_TO_START, configProblems, resolveOptions } from '../../config/sources.js';

export default class ConfigValidate extends BaseCommand<typeof ConfigValidate> {
  static override summary =
    'Check the configuration (config file + environment): OK, or every problem (exit 2)';
  static override description =
    'Reports every invalid value, unknown key and broken rule at once, one line each, plus the values `start` needs ' +
    'that are not set. Exits 2 when there is any problem; the --json result lists them either way.' +
    EXIT_CODES_HELP;
  static jsonShape: JsonShape = { valid: 'boolean', problems: ['string'], file: 'string' };
  static override examples = [
    '<%= config.bin %> config validate',
    '<%= config.bin %> config validate --json',
  ];

  async run(): Promise<{ valid: boolean; problems: string[]; file: string }> {
    const file = configFilePath(this.dataDir);
    let problems: string[];
    try {
      const input = configInput(this.dataDir);
      const unset = resolveOptions(input).filter(
        (o) => REQUIRED_TO_START.includes(o.key) && o.value === undefined,
      );
      problems = [
        ...configProblems(input),
        ...unset.map((o) => `${o.key} (${o.env}): not set (\`botctl start\` needs it)`),
      ];
    } catch (error) {
      // An unreadable or malformed file is itself the problem to report.
      problems = [(error as Error).message];
    }
    if (problems.length === 0) {
      this.say(`OK: the configuration is valid (${file} and the environment)`);
      return { valid: true, problems, file };
    }
    this.say(`${problems.length} problem(s) in the configuration (${file} and the environment):`);
    for (const line of problems) this.say(`  ${line}`);
    this.failWith(
      new BotctlError('CONFIG_INVALID', `${problems.length} problem(s) in the configuration`, {
        hint: 'fix each with `botctl config set <key> <value>` (or rerun `botctl setup`)',
      }),
    );
    return { valid: false, problems, file };
  }
}
