import { BaseCommand } from '../../cli/base-command.js';
import type { MigrationStatus } from '../../domain/ports.js';

export default class MigrateStatus extends BaseCommand<typeof MigrateStatus> {
  static override summary = 'Show applied and pending database migrations';
  static override examples = ['<%= config.bin %> migrate status', '<%= config.bin %> migrate status --json'];

  async run(): Promise<MigrationStatus> {
    const { migrator } = await this.app();
    const status = await migrator.status();
    for (const m of status.migrations) {
      this.say(`${m.applied ? 'applied' : 'pending'}  ${String(m.id).padStart(4, '0')}  ${m.tag}`);
    }
    this.say(`${status.dialect}: at ${status.current} of ${status.latest}, ${status.pending} pending`);
    return status;
  }
}
