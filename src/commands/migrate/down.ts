import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { resolvePassphrase } from '../../cli/backup-command.js';
import { canAsk, destructive } from '../../cli/confirm.js';
import { EXIT_CODES_HELP } from '../../cli/exit-codes.js';
import type { JsonShape } from '../../cli/json-shape.js';

export default class MigrateDown extends BaseCommand<typeof MigrateDown> {
  static override summary = 'Roll back database migrations (asks first; --yes off a terminal)';
  static override description =
    'Runs the down scripts in reverse order, dropping what those migrations added (tables and their data). ' +
    'Without --to, rolls back the newest migration; migration 0 always stays. At a terminal it lists what goes and ' +
    'asks; elsewhere (a pipe, cron, --json) it needs --yes. Takes a verified backup first (`botctl backup`, ' +
    'encrypted with BOTCTL_BACKUP_PASSPHRASE[_FILE] when set); --no-backup skips it.' +
    EXIT_CODES_HELP;
  static override examples = [
    '<%= config.bin %> migrate down',
    '<%= config.bin %> migrate down --to 1 --yes --json',
  ];
  static override flags = {
    to: Flags.integer({ description: 'the migration id that stays applied (0 or more)' }),
    yes: Flags.boolean({ description: 'do not ask (needed off a terminal)' }),
    backup: Flags.boolean({
      description: 'back up first',
      allowNo: true,
      default: true,
    }),
  };
  /**
   * reverted: the tags rolled back, newest first; current: the highest id still applied;
   * backup: {id, path} of the backup taken first, or null.
   */
  static jsonShape: JsonShape = { reverted: ['string'], current: 'number', backup: 'unknown' };

  async run(): Promise<{ reverted: string[]; current: number; backup: { id: string; path: string } | null }> {
    const { checkDownTarget, planDown } = await import('../../services/migrations/index.js');
    checkDownTarget(this.flags.to);
    const confirmation = destructive({
      yes: this.flags.yes,
      interactive: canAsk(this.jsonEnabled()),
      refusal: '`migrate down` drops the tables and data of the migrations it rolls back',
      hint: 'see what is applied with `botctl migrate status`; a backup is taken first unless --no-backup',
    });
    const migrations = await this.useCase('migrations');
    const plan = planDown(await migrations.status(), this.flags.to);
    if (plan.reverted.length === 0) {
      this.say('Nothing to roll back.');
      return { reverted: [], current: (await migrations.status()).current, backup: null };
    }
    const going = plan.reverted.map((m) => `  ${m.tag}`);
    const ok = await confirmation.ask(
      [`Rolling back drops what these migrations added, with its data (newest first):`, ...going],
      `Roll back ${plan.reverted.length} migration(s) to ${plan.to}${this.flags.backup ? ' after a backup' : ' WITHOUT a backup'}?`,
    );
    if (!ok) {
      this.logToStderr('Nothing was rolled back.');
      process.exitCode = 1;
      return { reverted: [], current: (await migrations.status()).current, backup: null };
    }
    const result = await migrations.down({
      to: plan.to,
      backup: this.flags.backup,
      passphrase: resolvePassphrase({}, process.env),
      onBackup: (backup) => this.say(`Backed up the database first: ${backup.id} in ${backup.path}`),
    });
    this.say(
      result.reverted.length === 0
        ? 'Nothing to roll back.'
        : `Rolled back ${result.reverted.length}: ${result.reverted.join(', ')}`,
    );
    const backup = result.backup ? { id: result.backup.id, path: result.backup.path } : null;
    return { reverted: result.reverted, current: result.current, backup };
  }
}
