import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';

export default class MigrateUp extends BaseCommand<typeof MigrateUp> {
  static override summary = 'Apply pending database migrations';
  static override description =
    'Applies pending migrations in order, each in its own transaction. Refuses a database that is newer than this botctl.';
  static override examples = ['<%= config.bin %> migrate up', '<%= config.bin %> migrate up --to 3 --json'];
  static override flags = {
    to: Flags.integer({ description: 'apply up to and including this migration id', min: 0 }),
  };

  async run(): Promise<{ applied: string[]; current: number }> {
    const { migrator } = await this.app();
    const applied = await migrator.up(this.flags.to);
    const status = await migrator.status();
    this.say(applied.length === 0 ? 'Database is up to date.' : `Applied ${applied.length}: ${applied.join(', ')}`);
    return { applied, current: status.current };
  }
}
