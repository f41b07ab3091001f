import { Flags } from '@oclif/core';
import { BACKUP_SHAPE, BackupCommand } from '../../cli/backup-command.js';
import { canAsk, destructive } from '../../cli/confirm.js';
import { EXIT_CODES_HELP } from '../../cli/exit-codes.js';
import type { JsonShape } from '../../cli/json-shape.js';
import { parseAge } from '../../domain/backup-rules.js';
import type { PruneResult } from '../../services/backup/index.js';

export default class BackupPrune extends BackupCommand<typeof BackupPrune> {
  static override summary = 'Delete old backups (asks first; --yes off a terminal)';
  static override description =
    'Keeps the newest --keep backups and/or deletes those older than --older-than. With both, a backup goes only ' +
    'when it is outside the newest N and older than the age. --dry-run lists what would go. At a terminal it lists ' +
    'what goes and asks; elsewhere (a pipe, cron, --json) it needs --yes.' +
    EXIT_CODES_HELP;
  static override examples = [
    '<%= config.bin %> backup prune --keep 7',
    '<%= config.bin %> backup prune --keep 14 --yes',
    '<%= config.bin %> backup prune --keep 3 --older-than 30d --dry-run',
  ];
  static override flags = {
    keep: Flags.integer({ description: 'how many of the newest backups to keep', min: 0 }),
    'older-than': Flags.string({ description: 'delete backups older than this: 90m, 12h, 30d, 2w' }),
    'dry-run': Flags.boolean({ description: 'list what would be deleted, delete nothing' }),
    yes: Flags.boolean({ description: 'do not ask (needed off a terminal)' }),
  };

  static jsonShape: JsonShape = { dryRun: 'boolean', removed: [BACKUP_SHAPE], kept: 'number' };

  async run(): Promise<PruneResult> {
    const olderThan = this.flags['older-than'];
    const olderThanMs = olderThan === undefined ? undefined : parseAge(olderThan);
    const dryRun = this.flags['dry-run'];
    const confirmation = destructive({
      yes: this.flags.yes || dryRun,
      interactive: canAsk(this.jsonEnabled()),
      refusal: '`backup prune` deletes backups',
      hint: 'see what would go with --dry-run first',
    });
    const backups = await this.backups();
    const result = await backups.prune({
      keep: this.flags.keep,
      olderThanMs,
      dryRun,
      confirm: (doomed, kept) =>
        confirmation.ask(
          [
            `These backups would be deleted (${kept} kept):`,
            ...doomed.map((b) => `  ${b.id} (${b.createdAt})`),
          ],
          kept === 0
            ? `Delete all ${doomed.length} backups, leaving none?`
            : `Delete ${doomed.length} backup(s)?`,
        ),
    });
    if (result.declined) {
      this.logToStderr('Nothing was deleted.');
      process.exitCode = 1;
      return result;
    }
    const verb = result.dryRun ? 'Would delete' : 'Deleted';
    for (const backup of result.removed) this.say(`${verb} ${backup.id} (${backup.createdAt})`);
    this.say(`${verb} ${result.removed.length}, kept ${result.kept}.`);
    return result;
  }
}
