import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { EXIT_CODES_HELP } from '../../cli/exit-codes.js';
import type { JsonShape } from '../../cli/json-shape.js';

export default class MigrateDown extends BaseCommand<typeof MigrateDown> {
  static override summary = 'Roll back database migrations';
  static override description =
    'Runs the down scripts in reverse order. Without --to, rolls back the last migration; --to -1 empties the schema.' +
    EXIT_CODES_HELP;
  static override examples = [
    '<%= config.bin %> migrate down',
    '<%= config.bin %> migrate down --to 0 --json',
  ];
  static override flags = {
    to: Flags.integer({ description: 'the migration id that stays applied (-1: none)', min: -1 }),
  };
  /** reverted: the tags rolled back, newest first; current: the highest id still applied (-1: none). */
  static jsonShape: JsonShape = { reverted: ['string'], current: 'number' };

  async run(): Promise<{ reverted: string[]; current: number }> {
    const { migrator } = await this.app();
    const reverted = await migrator.down(this.flags.to);
    const status = await migrator.status();
    this.say(
      reverted.length === 0
        ? 'Nothing to roll back.'
        : `Rolled back ${reverted.length}: ${reverted.join(', ')}`,
    );
    return { reverted, current: status.current };
  }
}
