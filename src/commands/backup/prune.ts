import { Flags } from '@oclif/core';
import { BACKUP_SHAPE, BackupCommand } from '../../cli/backup-command.js';
import { EXIT_CODES_HELP } from '../../cli/exit-codes.js';
import type { JsonShape } from '../../cli/json-shape.js';
import { parseAge } from '../../domain/backup-rules.js';
import type { PruneResult } from '../../services/backup.js';

export default class BackupPrune extends BackupCommand<typeof BackupPrune> {
  static override summary = 'Delete old backups';
  static override description =
    'Keeps the newest --keep backups and/or deletes those older than --older-than. With both, a backup goes only ' +
    'when it is outside the newest N and older than the age. --dry-run lists what would go.' +
    EXIT_CODES_HELP;
  static override examples = [
    '<%= config.bin %> backup prune --keep 7',
    '<%= config.bin %> backup prune --keep 3 --older-than 30d --dry-run',
  ];
  static override flags = {
    keep: Flags.integer({ description: 'how many of the newest backups to keep', min: 0 }),
    'older-than': Flags.string({ description: 'delete backups older than this: 90m, 12h, 30d, 2w' }),
    'dry-run': Flags.boolean({ description: 'list what would be deleted, delete nothing' }),
  };

  static jsonShape: JsonShape = { dryRun: 'boolean', removed: [BACKUP_SHAPE], kept: 'number' };

  async run(): Promise<PruneResult> {
    const olderThan = this.flags['older-than'];
    const olderThanMs = olderThan === undefined ? undefined : parseAge(olderThan);
    const backups = await this.backups();
    const result = await backups.prune({ keep: this.flags.keep, olderThanMs, dryRun: this.flags['dry-run'] });
    const verb = result.dryRun ? 'Would delete' : 'Deleted';
    for (const backup of result.removed) this.say(`${verb} ${backup.id} (${backup.createdAt})`);
    this.say(`${verb} ${result.removed.length}, kept ${result.kept}.`);
    return result;
  }
}
