import { BaseCommand } from '../../cli/base-command.js';
import { EXIT_CODES_HELP } from '../../cli/exit-codes.js';
import type { JsonShape } from '../../cli/json-shape.js';
import { changeLine, changeShape, userArg } from '../../cli/users-command.js';
import type { UserStatus } from '../../domain/entities.js';
import { USER_RECHECK_MS } from '../../services/access/index.js';
import type { UserChange } from '../../services/users/index.js';

export default class UsersUnban extends BaseCommand<typeof UsersUnban> {
  static override summary = 'Lift a ban';
  static override description =
    'Only a ban is lifted: a user whose status is "blocked" (they blocked the bot) stays so until they write again. ' +
    `A running bot applies it within ${USER_RECHECK_MS / 1000} s. Recorded in the audit log.` +
    EXIT_CODES_HELP;
  static override examples = [
    '<%= config.bin %> users unban 123456789',
    '<%= config.bin %> users unban @ann --json',
  ];
  static override args = { user: userArg };
  static jsonShape: JsonShape = changeShape('string');

  async run(): Promise<UserChange<UserStatus>> {
    const { args } = await this.parse(UsersUnban);
    const result = await (await this.useCase('users')).unban(args.user);
    this.say(changeLine(result, 'status'));
    if (!result.changed && result.from !== 'banned')
      this.note(`${args.user} is not banned (status ${result.from})`);
    return result;
  }
}
