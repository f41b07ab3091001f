import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { telegramIdArg } from '../../cli/users-command.js';
import { EXIT_CODES_HELP } from '../../cli/exit-codes.js';
import { USERS_FORGET_SHAPE } from '../../cli/export-shape.js';
import type { JsonShape } from '../../cli/json-shape.js';
import { canAsk, destructive } from '../../cli/confirm.js';
import type { ForgetReport } from '../../services/privacy/index.js';

export default class UsersForget extends BaseCommand<typeof UsersForget> {
  static override summary = 'Delete everything stored about one user (cannot be undone)';
  static override description =
    'Deletes the user, their conversations and messages, audio records, usage, broadcast deliveries, their ' +
    'pending updates and cached state. Backups taken earlier still hold them until pruned. Asks at a ' +
    'terminal (Enter means no); anywhere else it needs --yes.' +
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
    const confirmation = destructive({
      yes: flags.yes,
      interactive: canAsk(this.jsonEnabled()),
      refusal: `Refusing to delete user ${args.telegramId}`,
      hint: `export first if needed (botctl users export ${args.telegramId} --output file), then add --yes`,
    });
    const privacy = await this.useCase('privacy');
    const user = await privacy.byTelegramId(args.telegramId);
    const who = [user.firstName, user.username ? `@${user.username}` : null].filter(Boolean).join(' ');
    const ok = await confirmation.ask(
      [
        `This deletes everything stored about user ${user.telegramId}${who ? ` (${who})` : ''}; it cannot be undone.`,
      ],
      `Delete user ${user.telegramId}?`,
    );
    if (!ok) {
      this.logToStderr('Nothing was deleted.');
      process.exitCode = 1;
      return { telegramId: user.telegramId, conversations: 0, messages: 0, usageDays: 0, payments: 0 };
    }
    const report = await privacy.forget(user);
    this.say(
      `Deleted user ${report.telegramId}: ${report.conversations} conversations, ${report.messages} messages, ` +
        `${report.usageDays} days of usage, ${report.payments} payments.`,
    );
    return report;
  }
}
