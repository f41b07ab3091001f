import { Args } from '@oclif/core';
import { BackupCommand, passphraseFlags, VERIFY_SHAPE } from '../../cli/backup-command.js';
import { EXIT_CODES_HELP } from '../../cli/exit-codes.js';
import type { JsonShape } from '../../cli/json-shape.js';
import type { VerifyResult } from '../../services/backup/index.js';

export default class BackupVerify extends BackupCommand<typeof BackupVerify> {
  static override summary = 'Check that a backup can be restored';
  static override description =
    'Checks the size and sha256 checksum, decrypts if needed, unpacks to a temporary file and opens it: ' +
    'SQLite integrity_check and foreign_key_check, or pg_restore reading every block; the migration ledger must be there. ' +
    'A damaged backup exits 1 with BACKUP_CORRUPT.' +
    EXIT_CODES_HELP;
  static override examples = [
    '<%= config.bin %> backup verify 20260131-120000-a1b2',
    '<%= config.bin %> backup verify /mnt/offsite/20260131-120000-a1b2 --passphrase-file key.txt',
  ];
  static override args = {
    backup: Args.string({
      description: 'backup id (see `backup list`) or path to a backup directory',
      required: true,
    }),
  };
  static override flags = { ...passphraseFlags };
  static jsonShape: JsonShape = VERIFY_SHAPE;

  async run(): Promise<VerifyResult> {
    const { args } = await this.parse(BackupVerify);
    const backups = await this.backups();
    const passphrase = this.passphrase();
    const result = await this.withProgress(`Verifying ${args.backup}`, (onStep) =>
      backups.verify(args.backup, { passphrase, onStep }),
    );
    this.say(
      `Backup ${result.id} is good: ${result.checks.join(', ')} passed (schema ${result.schema.id} ${result.schema.tag}).`,
    );
    return result;
  }
}
