import { BaseCommand } from '../../cli/base-command.js';
import { EXIT_CODES_HELP } from '../../cli/exit-codes.js';
import type { JsonShape } from '../../cli/json-shape.js';
import type { MigrationStatus } from '../../domain/ports/index.js';

/** domain/ports/database.ts MigrationStatus; appliedAt is an ISO string, null while pending. */
export const MIGRATION_STATUS_SHAPE: JsonShape = {
  dialect: 'string',
  current: 'number',
  latest: 'number',
  pending: 'number',
  migrations: [{ id: 'number', tag: 'string', applied: 'boolean', appliedAt: 'string|null' }],
};

export default class MigrateStatus extends BaseCommand<typeof MigrateStatus> {
  static override summary = 'Show applied and pending database migrations';
  static override description =
    'Lists each migration this botctl knows (and any newer one already applied) as applied or pending. `current` is the highest applied id (-1: none), `latest` the highest this botctl knows.' +
    EXIT_CODES_HELP;
  static override examples = ['<%= config.bin %> migrate status', '<%= config.bin %> migrate status --json'];
  static jsonShape: JsonShape = MIGRATION_STATUS_SHAPE;

  async run(): Promise<MigrationStatus> {
    const status = await (await this.useCase('migrations')).status();
    for (const m of status.migrations) {
      this.say(`${m.applied ? 'applied' : 'pending'}  ${String(m.id).padStart(4, '0')}  ${m.tag}`);
    }
    this.say(`${status.dialect}: at ${status.current} of ${status.latest}, ${status.pending} pending`);
    return status;
  }
}
