import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { resolvePassphrase } from '../../cli/backup-command.js';
import { EXIT_CODES_HELP } from '../../cli/exit-codes.js';
import type { JsonShape } from '../../cli/json-shape.js';
import type { UpResult } from '../../services/migrations/index.js';

export default class MigrateUp extends BaseCommand<typeof MigrateUp> {
  static override summary = 'Apply pending database migrations';
  static override description =
    'Applies pending migrations in order, each in its own transaction. Refuses a database that is newer than this botctl. ' +
    'When the database already has applied migrations, takes a verified backup first (`botctl backup`, encrypted with ' +
    'BOTCTL_BACKUP_PASSPHRASE[_FILE] when set); --no-backup skips it.' +
    EXIT_CODES_HELP;
  static override examples = [
    '<%= config.bin %> migrate up',
    '<%= config.bin %> migrate up --to 3 --json',
    '<%= config.bin %> migrate up --no-backup',
  ];
  static override flags = {
    to: Flags.integer({ description: 'apply up to and including this migration id', min: 0 }),
    backup: Flags.boolean({
      description: 'back up first when migrations are pending',
      allowNo: true,
      default: true,
    }),
  };

  /** backup is {id, path} or null; backupDecision: backup, empty-database, nothing-pending or skipped. */
  static jsonShape: JsonShape = {
    applied: ['string'],
    current: 'number',
    backup: 'unknown',
    backupDecision: 'string',
  };

  async run(): Promise<{
    applied: string[];
    current: number;
    backup: { id: string; path: string } | null;
    backupDecision: UpResult['backupDecision'];
  }> {
    const migrations = await this.useCase('migrations', { createDatabase: true });
    const result = await migrations.up({
      to: this.flags.to,
      backup: this.flags.backup,
      passphrase: resolvePassphrase({}, process.env),
      onBackup: (backup) => this.say(`Backed up the database first: ${backup.id} in ${backup.path}`),
    });
    const { applied } = result;
    this.say(
      applied.length === 0 ? 'Database is up to date.' : `Applied ${applied.length}: ${applied.join(', ')}`,
    );
    const backup = result.backup ? { id: result.backup.id, path: result.backup.path } : null;
    return { applied, current: result.current, backup, backupDecision: result.backupDecision };
  }
}
