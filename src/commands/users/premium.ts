import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { EXIT_CODES_HELP } from '../../cli/exit-codes.js';
import type { JsonShape } from '../../cli/json-shape.js';
import { USER_SHAPE, userArg, who } from '../../cli/users-command.js';
import { BotctlError } from '../../domain/errors.js';
import { USER_RECHECK_MS } from '../../services/access/index.js';
import type { PremiumStatus } from '../../services/users/index.js';

/** `--until`: YYYY-MM-DD (premium through that UTC day) or an ISO instant; a usage error otherwise. */
function parseUntil(input: string): Date {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(input);
  const at = Date.parse(day ? `${input}T00:00:00Z` : input);
  if (Number.isNaN(at) || !/^\d{4}-\d{2}-\d{2}/.test(input)) {
    throw new BotctlError('USAGE', `--until ${input} is not a date`, {
      hint: 'give YYYY-MM-DD (premium through that day, UTC) or an ISO time such as 2026-01-31T12:00:00Z',
    });
  }
  return new Date(day ? at + 86_400_000 : at);
}

export default class UsersPremium extends BaseCommand<typeof UsersPremium> {
  static override summary = "Show, grant or end a user's premium (the role with the premium quotas)";
  static override description =
    'Without flags, shows the role and when paid premium ends. --until gives premium up to that time (a payment in ' +
    'Telegram Stars later extends it from there); --off ends it now (role user). An admin keeps the admin role. ' +
    `A running bot applies the change within ${USER_RECHECK_MS / 1000} s. Recorded in the audit log.` +
    EXIT_CODES_HELP;
  static override examples = [
    '<%= config.bin %> users premium 123456789',
    '<%= config.bin %> users premium @ann --until 2026-12-31',
    '<%= config.bin %> users premium 123456789 --off --json',
  ];
  static override args = { user: userArg };
  static override flags = {
    until: Flags.string({
      description: 'premium until YYYY-MM-DD (through that UTC day) or an ISO time',
      exclusive: ['off'],
    }),
    off: Flags.boolean({ description: 'end premium now: back to the user role', exclusive: ['until'] }),
  };
  static jsonShape: JsonShape = { user: USER_SHAPE, role: 'string', premiumUntil: 'string|null' };

  async run(): Promise<PremiumStatus> {
    const { args, flags } = await this.parse(UsersPremium);
    const until = flags.until === undefined ? undefined : parseUntil(flags.until);
    if (until !== undefined && until.getTime() <= Date.now()) {
      throw new BotctlError('USAGE', `--until ${flags.until} is in the past`, {
        hint: 'to end premium now use --off',
      });
    }
    const users = await this.useCase('users');
    const status =
      until !== undefined
        ? await users.setPremium(args.user, until)
        : flags.off
          ? await users.setPremium(args.user, null)
          : await users.premiumOf(args.user);
    const ends = status.premiumUntil === null ? '' : ` until ${status.premiumUntil}`;
    this.say(
      status.role === 'premium'
        ? `${who(status.user)}: premium${ends || ' (no end: set by role)'}`
        : `${who(status.user)}: ${status.role}${ends ? ` (paid premium${ends})` : ''}`,
    );
    return status;
  }
}
