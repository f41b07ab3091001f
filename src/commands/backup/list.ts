import { BACKUP_SHAPE, BackupCommand } from '../../cli/backup-command.js';
import { EXIT_CODES_HELP } from '../../cli/exit-codes.js';
import type { JsonShape } from '../../cli/json-shape.js';
import { formatBytes } from '../../domain/backup-rules.js';
import type { BackupSummary } from '../../services/backup/index.js';

export default class BackupList extends BackupCommand<typeof BackupList> {
  static override summary = 'List backups, newest first';
  static override description =
    'Reads each manifest.json in the backup directory; nothing is decrypted or unpacked.' + EXIT_CODES_HELP;
  static override examples = ['<%= config.bin %> backup list', '<%= config.bin %> backup list --json'];
  static jsonShape: JsonShape = { dir: 'string', backups: [BACKUP_SHAPE], unreadable: ['string'] };

  async run(): Promise<{ dir: string; backups: BackupSummary[]; unreadable: string[] }> {
    const backups = await this.backups();
    const { backups: list, unreadable } = await backups.list();
    for (const path of unreadable)
      this.note(`${path} has no readable manifest.json (not a backup, or damaged)`);
    if (list.length === 0) {
      this.say(`No backups in ${backups.dir}.`);
    } else {
      const rows = list.map((b) => [
        b.id,
        b.createdAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
        b.dialect,
        `${b.schema.id} ${b.schema.tag}`,
        formatBytes(b.bytes),
        b.encrypted ? 'yes' : 'no',
        b.reason,
      ]);
      const table = [['ID', 'CREATED', 'DIALECT', 'SCHEMA', 'SIZE', 'ENCRYPTED', 'REASON'], ...rows];
      const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
      for (const row of table)
        this.say(
          row
            .map((cell, i) => cell.padEnd(widths[i]!))
            .join('  ')
            .trimEnd(),
        );
    }
    return { dir: backups.dir, backups: list, unreadable };
  }
}
