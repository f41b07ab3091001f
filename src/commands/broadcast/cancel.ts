import { Args } from '@oclif/core';
import { BroadcastCommand } from '../../cli/broadcast-command.js';
import { BROADCAST_REPORT_SHAPE } from '../../cli/broadcast-shapes.js';
import { EXIT_CODES_HELP } from '../../cli/exit-codes.js';
import type { JsonShape } from '../../cli/json-shape.js';
import type { BroadcastReport } from '../../services/broadcast/index.js';

export default class BroadcastCancel extends BroadcastCommand<typeof BroadcastCancel> {
  static override summary = 'Cancel a broadcast: a run in progress stops within about a second';
  static override description =
    'Recipients not yet sent to stay pending and are never sent this broadcast; it cannot be resumed. Needs no lock, so it works while the broadcast runs in another process.' +
    EXIT_CODES_HELP;
  static override examples = ['<%= config.bin %> broadcast cancel b-20250101-120000-ab12'];
  static jsonShape: JsonShape = BROADCAST_REPORT_SHAPE;
  static override args = {
    id: Args.string({ description: 'broadcast id (see broadcast list)', required: true }),
  };

  async run(): Promise<BroadcastReport> {
    const { id } = (await this.parse(BroadcastCancel)).args;
    const report = await (await this.service()).cancel(id);
    this.say(
      `Broadcast ${report.broadcast.id} cancelled: ${report.counts.sent} sent, ${report.counts.pending + report.counts.sending} not sent.`,
    );
    return report;
  }
}
