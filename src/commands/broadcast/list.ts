import { BroadcastCommand } from '../../cli/broadcast-command.js';
import { BROADCAST_REPORT_SHAPE } from '../../cli/broadcast-shapes.js';
import { EXIT_CODES_HELP } from '../../cli/exit-codes.js';
import type { JsonShape } from '../../cli/json-shape.js';
import type { BroadcastReport } from '../../services/broadcast/index.js';

export default class BroadcastList extends BroadcastCommand<typeof BroadcastList> {
  static override summary = 'List broadcasts, newest first, with their delivery counts';
  static override description =
    'Each broadcast as `broadcast status` reports it. Reads only; needs no lock.' + EXIT_CODES_HELP;
  static override examples = ['<%= config.bin %> broadcast list', '<%= config.bin %> broadcast list --json'];
  static jsonShape: JsonShape = [BROADCAST_REPORT_SHAPE];

  async run(): Promise<BroadcastReport[]> {
    const service = await this.service();
    const reports: BroadcastReport[] = [];
    for (const broadcast of await service.list()) reports.push(await service.status(broadcast.id));
    if (reports.length === 0) this.say('No broadcasts yet.');
    for (const { broadcast: b, counts } of reports) {
      const total = Object.values(counts).reduce((a, n) => a + n, 0);
      const preview = b.text.replace(/\s+/g, ' ').slice(0, 40);
      this.say(
        `${b.id}  ${b.status.padEnd(9)}  ${counts.sent}/${total} sent  ${counts.pending + counts.sending} pending  ${preview}`,
      );
    }
    return reports;
  }
}
