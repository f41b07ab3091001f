import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { privacyService, telegramIdArg } from '../../cli/users-command.js';
import { EXIT_CODES_HELP } from '../../cli/exit-codes.js';
import { USERS_FORGET_SHAPE } from '../../cli/export-shape.js';
import type { JsonShape } from '../../cli/json-shape.js';
import { BotctlError } from '../../domain/errors.js';
import type { ForgetReport } from '../../services/privacy.js';

export default class UsersForget extends BaseCommand<typeof UsersForget> {
  static override summary = 'Delete everything stored about one user (cannot be undone)';
  static override description =
    'Deletes the user, their conversations and messages, audio records, usage, broadcast deliveries, their ' +
    'pending updates and cached state. Backups taken earlier still hold them until pruned. Needs --yes.' +
    EXIT_CODES_HELP;
  static override examples = [
    '<%= config.bin %> users export 123456789 --output user.json && <%= config.bin %> users forget 123456789 --yes',
  ];
  static jsonShape: JsonShape = USERS_FORGET_SHAPE;
  static override args = {
    telegramId: telegramIdArg,
  };
  static override flags = {
    yes: Flags.boolean({ description: 'confirm the deletion' }),
  };

  async run(): Promise<ForgetReport> {
    const { args, flags } = await this.parse(UsersForget);
    if (!flags.yes) {
      throw new BotctlError('USAGE', `Refusing to delete user ${args.telegramId} without --yes`, {
        hint: `export first if needed (botctl users export ${args.telegramId} --output file), then add --yes`,
      });
    }
    const privacy = await privacyService(await this.app());
    const report = await privacy.forget(await privacy.byTelegramId(args.telegramId));
    this.say(
      `Deleted user ${report.telegramId}: ${report.conversations} conversations, ${report.messages} messages, ` +
        `${report.usageDays} days of usage.`,
    );
    return report;
  }
}
