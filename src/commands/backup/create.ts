import { Flags } from '@oclif/core';
import { BACKUP_SHAPE, BackupCommand, passphraseFlags } from '../../cli/backup-command.js';
import { EXIT_CODES_HELP } from '../../cli/exit-codes.js';
import type { JsonShape } from '../../cli/json-shape.js';
import { formatBytes } from '../../domain/backup-rules.js';
import { toBotctlError } from '../../domain/errors.js';
import type { CreateResult } from '../../services/backup/index.js';

export default class BackupCreate extends BackupCommand<typeof BackupCreate> {
  static override summary = 'Back up the database (consistent while the bot runs)';
  static override description =
    'Copies the whole database (SQLite online backup, or pg_dump for PostgreSQL) with its migration ledger into ' +
    '<backupDir>/<id>/: manifest.json and one compressed, optionally encrypted payload, then reads it back to verify it. ' +
    'Safe in cron: another backup running exits 75; nothing but result lines is printed off a terminal.' +
    EXIT_CODES_HELP;
  static override examples = [
    '<%= config.bin %> backup create',
    'BOTCTL_BACKUP_PASSPHRASE_FILE=/run/secrets/backup <%= config.bin %> backup create --json',
  ];
  static override flags = {
    ...passphraseFlags,
    verify: Flags.boolean({
      description: 'read the backup back and open it after writing',
      allowNo: true,
      default: true,
    }),
  };

  static jsonShape: JsonShape = { ...(BACKUP_SHAPE as object), durationMs: 'number', verified: 'boolean' };

  async run(): Promise<CreateResult> {
    const backups = await this.backups();
    const passphrase = this.passphrase();
    const result = await this.withProgress('Backing up', (onStep) =>
      backups.create({ passphrase, verify: this.flags.verify, onStep }),
    ).catch(async (error: unknown) => {
      // Another backup running (LOCKED) is not a failure anyone needs to hear about.
      const { code } = toBotctlError(error);
      if (code !== 'LOCKED') {
        await this.alertOperator({ kind: 'backup-failed', params: { code } });
        await this.publishEvent('backup.failed', { code });
      }
      throw error;
    });
    await this.publishEvent('backup.finished', {
      backup_id: result.id,
      bytes: result.bytes,
      encrypted: result.encrypted,
      verified: result.verified,
      duration_ms: result.durationMs,
    });
    const seconds = (result.durationMs / 1000).toFixed(1);
    this.say(`Backup ${result.id} written to ${result.path}`);
    this.say(
      `  ${formatBytes(result.bytes)} (database ${formatBytes(result.databaseBytes)}), schema ${result.schema.id} ` +
        `${result.schema.tag}, ${result.encrypted ? 'encrypted' : 'not encrypted'}, sha256 ${result.sha256}, ${seconds} s` +
        (result.verified ? ', verified' : ''),
    );
    return result;
  }
}
