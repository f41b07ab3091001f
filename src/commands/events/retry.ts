import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { deliveryIdArg } from '../../cli/events-command.js';
import { EXIT_CODES_HELP } from '../../cli/exit-codes.js';
import type { JsonShape } from '../../cli/json-shape.js';
import { BotctlError } from '../../domain/errors.js';

export default class EventsRetry extends BaseCommand<typeof EventsRetry> {
  static override summary = 'Deliver dead event webhooks again: one by id, or every dead one';
  static override description =
    'Makes the delivery pending again with its attempts reset; the running daemon sends it within a second, ' +
    'in order with the rest of its endpoint, with the same event id (receivers deduplicate by it). ' +
    'Exits 1 when the id is not a delivery, 2 when it is not dead or neither an id nor --all-dead is given.' +
    EXIT_CODES_HELP;
  static override examples = [
    '<%= config.bin %> events retry 42',
    '<%= config.bin %> events retry --all-dead',
  ];
  static override args = { id: deliveryIdArg };
  static override flags = {
    'all-dead': Flags.boolean({ description: 'every dead delivery' }),
  };
  static jsonShape: JsonShape = { retried: 'number' };

  async run(): Promise<{ retried: number }> {
    const { args, flags } = await this.parse(EventsRetry);
    if ((args.id === undefined) === !flags['all-dead']) {
      throw new BotctlError('USAGE', 'Give either a delivery id or --all-dead', {
        hint: 'see the dead ones with `botctl events list --status dead`',
      });
    }
    const service = await this.useCase('events');
    if (args.id !== undefined) {
      const event = await service.retry(args.id);
      this.say(`Delivery ${event.id} (${event.type} to ${event.endpoint}) is pending again.`);
      return { retried: 1 };
    }
    const retried = await service.retryAllDead();
    this.say(retried === 0 ? 'No dead deliveries.' : `${retried} dead deliveries are pending again.`);
    return { retried };
  }
}
