import { Args } from '@oclif/core';
import { BroadcastCommand, rateFlag, type BroadcastSummary } from '../../cli/broadcast-command.js';
import { BROADCAST_SHAPE } from '../../cli/broadcast-shapes.js';
import { EXIT_CODES_HELP } from '../../cli/exit-codes.js';
import type { JsonShape } from '../../cli/json-shape.js';

export default class BroadcastResume extends BroadcastCommand<typeof BroadcastResume> {
  static override summary = 'Continue a broadcast that was interrupted, killed or stopped by an error';
  static override description =
    'Sends to every recipient still pending. A recipient whose send was in flight when the previous run died is marked failed ("unknown after crash") and not resent: Telegram may already have delivered it, and a broadcast never sends twice.' +
    EXIT_CODES_HELP;
  static override examples = [
    '<%= config.bin %> broadcast resume b-20250101-120000-ab12',
    '<%= config.bin %> broadcast resume b-20250101-120000-ab12 --rate 10 --json',
  ];
  static override args = {
    id: Args.string({ description: 'broadcast id (see broadcast list)', required: true }),
  };
  static override flags = { rate: rateFlag };
  static jsonShape: JsonShape = BROADCAST_SHAPE;

  async run(): Promise<BroadcastSummary> {
    const { id } = (await this.parse(BroadcastResume)).args;
    const service = await this.service();
    return this.locked(async () => {
      if (this.human) this.log(`Resuming broadcast ${id}`);
      return this.report(await this.sendNow(service, id, this.flags.rate));
    });
  }
}
