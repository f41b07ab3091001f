import { BaseCommand } from '../../cli/base-command.js';
import { EXIT_CODES_HELP } from '../../cli/exit-codes.js';
import type { JsonShape } from '../../cli/json-shape.js';
import { changeLine, changeShape, userArg } from '../../cli/users-command.js';
import type { UserStatus } from '../../domain/entities.js';
import { USER_RECHECK_MS } from '../../services/access/index.js';
import type { UserChange } from '../../services/users/index.js';

export default class UsersBan extends BaseCommand<typeof UsersBan> {
  static override summary = 'Ban a user: the bot answers once with a notice, then ignores them';
  static override description =
    `A running bot re-reads cached users at least every ${USER_RECHECK_MS / 1000} s, so the ban applies within ` +
    'that time. Recorded in the audit log. `botctl users unban` lifts it.' +
    EXIT_CODES_HELP;
  static override examples = [
    '<%= config.bin %> users ban 123456789',
    '<%= config.bin %> users ban @spammer --json',
  ];
  static override args = { user: userArg };
  static jsonShape: JsonShape = changeShape('string');

  async run(): Promise<UserChange<UserStatus>> {
    const { args } = await this.parse(UsersBan);
    const result = await (await this.useCase('users')).ban(args.user);
    this.say(changeLine(result, 'status'));
    if (result.changed) this.say(`A running bot applies it within ${USER_RECHECK_MS / 1000} s.`);
    return result;
  }
}
