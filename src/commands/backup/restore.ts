import { Args, Flags } from '@oclif/core';
import { BackupCommand, passphraseFlags, RESTORE_SHAPE } from '../../cli/backup-command.js';
import { EXIT_CODES_HELP } from '../../cli/exit-codes.js';
import type { JsonShape } from '../../cli/json-shape.js';
import type { RestoreResult } from '../../services/backup/index.js';

export default class BackupRestore extends BackupCommand<typeof BackupRestore> {
  static override summary = 'Replace the database with a backup';
  static override description =
    'Stop the bot first. Verifies the backup before touching anything and refuses a backup from a newer botctl ' +
    '(SCHEMA_NEWER). An existing database is replaced only with --force, after a safety backup of it. ' +
    'SQLite: the checked copy is renamed over the file (atomic); PostgreSQL: pg_restore --clean in one transaction.' +
    EXIT_CODES_HELP;
  static override examples = [
    '<%= config.bin %> backup restore 20260131-120000-a1b2 --force',
    '<%= config.bin %> backup restore ./backups/20260131-120000-a1b2 --passphrase-file key.txt --json',
  ];
  static override args = {
    backup: Args.string({
      description: 'backup id (see `backup list`) or path to a backup directory',
      required: true,
    }),
  };
  static override flags = {
    ...passphraseFlags,
    force: Flags.boolean({ description: 'replace an existing database (a safety backup is taken first)' }),
  };

  static jsonShape: JsonShape = RESTORE_SHAPE;

  async run(): Promise<RestoreResult> {
    const { args } = await this.parse(BackupRestore);
    const backups = await this.backups();
    const passphrase = this.passphrase();
    const result = await this.withProgress(`Restoring ${args.backup}`, (onStep) =>
      backups.restore(args.backup, { force: this.flags.force, passphrase, onStep }),
    );
    if (result.safetyBackup) {
      this.say(
        `Safety backup of the replaced database: ${result.safetyBackup.id} (${result.safetyBackup.path})`,
      );
    } else if (result.replacedExisting) {
      this.note('the replaced database had no botctl schema, so no safety backup was taken');
    }
    this.say(
      `Restored backup ${result.id} (schema ${result.schema.id} ${result.schema.tag}) into ${result.target}.`,
    );
    if (result.next) this.say(`Next: ${result.next}.`);
    return result;
  }
}
