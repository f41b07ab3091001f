import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { canAsk, destructive } from '../../cli/confirm.js';
import { EXIT_CODES_HELP } from '../../cli/exit-codes.js';
import type { JsonShape } from '../../cli/json-shape.js';
import { BotctlError } from '../../domain/errors.js';

export default class AdminRevoke extends BaseCommand<typeof AdminRevoke> {
  static override summary = 'End an admin panel session or sign-in link (or all of them) at once';
  static override description =
    'The panel behind it gets 401 on its next request. Asks at a terminal (Enter means no); anywhere else it needs ' +
    '--yes. Recorded in the audit log.' +
    EXIT_CODES_HELP;
  static override examples = [
    '<%= config.bin %> admin revoke 4 --yes',
    '<%= config.bin %> admin revoke --all --yes',
  ];
  static override args = {
    id: Args.integer({ description: 'the id from `botctl admin sessions`', min: 1 }),
  };
  static override flags = {
    all: Flags.boolean({ description: 'every link and session' }),
    yes: Flags.boolean({ description: 'confirm' }),
  };
  static jsonShape: JsonShape = { revoked: 'number' };

  async run(): Promise<{ revoked: number }> {
    const { args, flags } = await this.parse(AdminRevoke);
    if ((args.id === undefined) === !flags.all) {
      throw new BotctlError('USAGE', 'Name one session id or --all', {
        hint: 'see them with `botctl admin sessions`',
      });
    }
    const which = flags.all ? 'all' : args.id!;
    const what = which === 'all' ? 'every sign-in link and session' : `session ${which}`;
    const confirmation = destructive({
      yes: flags.yes,
      interactive: canAsk(this.jsonEnabled()),
      refusal: `Refusing to revoke ${what}`,
      hint: 'add --yes',
    });
    if (!(await confirmation.ask([`This ends ${what} at once.`], `Revoke ${what}?`))) {
      this.logToStderr('Nothing was revoked.');
      process.exitCode = 1;
      return { revoked: 0 };
    }
    const result = await (await this.useCase('adminSessions')).revoke(which);
    this.say(`Revoked ${result.revoked} sign-in link(s) or session(s).`);
    return result;
  }
}
