import { Args } from '@oclif/core';
import { BroadcastCommand } from '../../cli/broadcast-command.js';
import { BROADCAST_REPORT_SHAPE } from '../../cli/broadcast-shapes.js';
import { EXIT_CODES_HELP } from '../../cli/exit-codes.js';
import type { JsonShape } from '../../cli/json-shape.js';
import type { BroadcastReport } from '../../services/broadcast/index.js';

export default class BroadcastStatus extends BroadcastCommand<typeof BroadcastStatus> {
  static override summary = 'Show a broadcast and how many deliveries are sent, blocked, failed and pending';
  static override description =
    'Counts deliveries by status: pending, sending (in flight, or left by a crash), sent, failed and blocked. Reads only; needs no lock.' +
    EXIT_CODES_HELP;
  static override examples = ['<%= config.bin %> broadcast status b-20250101-120000-ab12 --json'];
  static jsonShape: JsonShape = BROADCAST_REPORT_SHAPE;
  static override args = {
    id: Args.string({ description: 'broadcast id (see broadcast list)', required: true }),
  };

  async run(): Promise<BroadcastReport> {
    const { id } = (await this.parse(BroadcastStatus)).args;
    const report = await (await this.service()).status(id);
    const { broadcast: b, counts } = report;
    this.say(`${b.id}  ${b.status}  created ${b.createdAt.toISOString()}  ${b.ratePerSecond}/s`);
    if (b.startedAt)
      this.say(
        `  started ${b.startedAt.toISOString()}${b.finishedAt ? `, finished ${b.finishedAt.toISOString()}` : ''}`,
      );
    this.say(`  audience ${JSON.stringify(b.audience)}${b.photo ? `, photo ${b.photo}` : ''}`);
    this.say(
      `  ${Object.entries(counts)
        .map(([status, n]) => `${status} ${n}`)
        .join(', ')}`,
    );
    return report;
  }
}
