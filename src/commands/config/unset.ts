import { BaseCommand } from '../../cli/base-command.js';
import { configInput, keyArg, optionKey } from '../../cli/config-input.js';
import { EXIT_CODES_HELP } from '../../cli/exit-codes.js';
import type { JsonShape } from '../../cli/json-shape.js';
import { BotctlError } from '../../domain/errors.js';
import { configFilePath, readConfigFile, writeConfigFile } from '../../config/file.js';
import { configProblems } from '../../config/sources.js';
import { displayOption, spec } from '../../config/option-values.js';

export default class ConfigUnset extends BaseCommand<typeof ConfigUnset> {
  static override summary = 'Remove one option from the config file, so its default applies again';
  static override description =
    'Written atomically like `config set` (mode 0600, the previous file kept as config.json.bak). A key that is ' +
    'not in the file changes nothing (exit 0). A removal that would make the configuration invalid (e.g. ' +
    'webhookUrl while mode is webhook) is refused and nothing is written. An unknown key is a usage error.' +
    EXIT_CODES_HELP;
  static override examples = [
    '<%= config.bin %> config unset telegramThrottle',
    '<%= config.bin %> config unset BOTCTL_REDIS_URL',
  ];
  static jsonShape: JsonShape = {
    key: 'string',
    removed: 'boolean',
    previous: 'string|null',
    file: 'string',
  };
  static override args = { key: keyArg };

  async run(): Promise<{ key: string; removed: boolean; previous: string | null; file: string }> {
    const { args } = await this.parse(ConfigUnset);
    const key = optionKey(args.key);
    const file = configFilePath(this.dataDir);
    // No file means nothing to remove: never create a data dir or a file for that.
    const existing = readConfigFile(this.dataDir);
    if (existing === undefined || !(key in existing)) {
      this.say(`${key} is not set in ${file}; nothing changed (the default applies)`);
      this.warnAboutEnv(key);
      return { key, removed: false, previous: null, file };
    }
    const { [key]: removedValue, ...next } = existing;
    const before = new Set(configProblems(configInput(this.dataDir, existing)));
    const introduced = configProblems(configInput(this.dataDir, next)).filter((line) => !before.has(line));
    if (introduced.length > 0) {
      throw new BotctlError('CONFIG_INVALID', `Not removed: ${introduced.join('; ')}`, {
        hint: 'change or remove the keys that need it first',
      });
    }
    writeConfigFile(this.dataDir, next);
    const previous = displayOption(key, removedValue);
    this.say(`${key} removed from ${file} (was ${previous}); the default applies`);
    this.warnAboutEnv(key);
    return { key, removed: true, previous, file };
  }

  private warnAboutEnv(key: Parameters<typeof spec>[0]): void {
    const env = spec(key).env;
    if (process.env[env] || process.env[`${env}_FILE`])
      this.note(`${env} is set in the environment and overrides the config file`);
  }
}
