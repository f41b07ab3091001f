import { BaseCommand } from '../../cli/base-command.js';
import { EXIT_CODES_HELP } from '../../cli/exit-codes.js';
import type { JsonShape } from '../../cli/json-shape.js';
import { QUOTA_SHAPE, quotaLines, userArg } from '../../cli/users-command.js';
import type { QuotaReport } from '../../services/users/index.js';

export default class UsersQuota extends BaseCommand<typeof UsersQuota> {
  static override summary = "Today's usage against the user's role quota";
  static override description =
    'Quotas are per role (config `quotas`, BOTCTL_QUOTAS; 0 is unlimited) and reset at midnight UTC; a user can ' +
    "have limits of their own over the role's (set through the admin API), marked (this user). To give one user " +
    'more, change their role: `botctl users role <user> premium`.' +
    EXIT_CODES_HELP;
  static override examples = [
    '<%= config.bin %> users quota 123456789',
    '<%= config.bin %> users quota @ann --json',
  ];
  static override args = { user: userArg };
  static jsonShape: JsonShape = QUOTA_SHAPE;

  async run(): Promise<QuotaReport> {
    const { args } = await this.parse(UsersQuota);
    const quota = await (await this.useCase('users')).quota(args.user);
    for (const line of quotaLines(quota)) this.say(line);
    return quota;
  }
}
