import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { EXIT_CODES_HELP } from '../../cli/exit-codes.js';
import type { JsonShape } from '../../cli/json-shape.js';
import {
  PAYMENT_SHAPE,
  paymentRow,
  PAYMENT_HEADER,
  paymentView,
  type PaymentView,
} from '../../cli/payments-command.js';

export default class PaymentsList extends BaseCommand<typeof PaymentsList> {
  static override summary = 'List premium payments in Telegram Stars, newest first';
  static override description =
    'Each payment with its Telegram charge id (what `payments refund` takes), the user, the Stars paid, the days ' +
    'bought, the premium end it set and when it was refunded.' +
    EXIT_CODES_HELP;
  static override examples = [
    '<%= config.bin %> payments list',
    '<%= config.bin %> payments list --limit 10 --json',
  ];
  static override flags = {
    limit: Flags.integer({ description: 'at most this many', min: 1, default: 100 }),
  };
  static jsonShape: JsonShape = { payments: [PAYMENT_SHAPE] };

  async run(): Promise<{ payments: PaymentView[] }> {
    const { flags } = await this.parse(PaymentsList);
    const payments = (await (await this.useCase('premium')).list({ limit: flags.limit })).map(paymentView);
    if (payments.length === 0) this.say('No payments.');
    else {
      this.say(PAYMENT_HEADER);
      for (const p of payments) this.say(paymentRow(p));
    }
    return { payments };
  }
}
