import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { EXIT_CODES_HELP } from '../../cli/exit-codes.js';
import type { JsonShape } from '../../cli/json-shape.js';
import { changeLine, changeShape, userArg, who } from '../../cli/users-command.js';
import { ROLES, type Role } from '../../domain/entities.js';
import { USER_RECHECK_MS } from '../../services/access/index.js';
import type { UserChange } from '../../services/users/index.js';

export default class UsersRole extends BaseCommand<typeof UsersRole> {
  static override summary = "Set a user's role (user, premium, admin): it decides their daily quota";
  static override description =
    'Users listed in `admins` (BOTCTL_ADMINS) are made admin again on their next message. ' +
    `A running bot applies the change within ${USER_RECHECK_MS / 1000} s. Recorded in the audit log.` +
    EXIT_CODES_HELP;
  static override examples = [
    '<%= config.bin %> users role 123456789 premium',
    '<%= config.bin %> users role @ann user --json',
  ];
  static override args = {
    user: userArg,
    role: Args.string({ description: 'the new role', required: true, options: [...ROLES] }),
  };
  static jsonShape: JsonShape = changeShape('string');

  async run(): Promise<UserChange<Role>> {
    const { args } = await this.parse(UsersRole);
    const app = await this.app();
    const result = await (await app.services.users()).setRole(args.user, args.role as Role);
    this.say(changeLine(result, 'role'));
    if (result.to !== 'admin' && app.config.admins.includes(result.user.telegramId)) {
      this.note(
        `${who(result.user)} is in admins (BOTCTL_ADMINS): the bot makes them admin again; remove them there too`,
      );
    }
    return result;
  }
}
