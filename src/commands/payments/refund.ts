import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { canAsk, destructive } from '../../cli/confirm.js';
import { EXIT_CODES_HELP } from '../../cli/exit-codes.js';
import type { JsonShape } from '../../cli/json-shape.js';
import { PAYMENT_SHAPE, paymentView, type PaymentView } from '../../cli/payments-command.js';
import { USER_SHAPE } from '../../cli/users-command.js';
import { summarize, type UserSummary } from '../../services/users/index.js';

export default class PaymentsRefund extends BaseCommand<typeof PaymentsRefund> {
  static override summary = 'Refund a premium payment: the Stars go back to the user, the days it bought end';
  static override description =
    "Calls Telegram (refundStarPayment), then records the refund and takes the payment's days off the user's " +
    'premium: with nothing paid left, the role is user again (an admin stays admin). Telegram refusing records ' +
    'nothing. Asks at a terminal (Enter means no); anywhere else it needs --yes. Recorded in the audit log.' +
    EXIT_CODES_HELP;
  static override examples = ['<%= config.bin %> payments refund stxAbC123 --yes'];
  static override args = {
    chargeId: Args.string({
      description: 'the telegram_payment_charge_id (see `payments list`)',
      required: true,
    }),
  };
  static override flags = {
    yes: Flags.boolean({ description: 'confirm the refund' }),
  };
  static jsonShape: JsonShape = {
    payment: PAYMENT_SHAPE,
    user: USER_SHAPE,
    role: 'string',
    premiumUntil: 'string|null',
  };

  async run(): Promise<{
    payment: PaymentView;
    user: UserSummary;
    role: string;
    premiumUntil: string | null;
  }> {
    const { args, flags } = await this.parse(PaymentsRefund);
    const confirmation = destructive({
      yes: flags.yes,
      interactive: canAsk(this.jsonEnabled()),
      refusal: `Refusing to refund payment ${args.chargeId}`,
      hint: 'look at it first with `botctl payments list`, then add --yes',
    });
    const premium = await this.useCase('premium');
    const found = await premium.get(args.chargeId);
    // An unknown or refunded charge: refund() says so, before anything is asked.
    if (found && found.refundedAt === null) {
      const ok = await confirmation.ask(
        [
          `Payment ${found.chargeId}: ${found.amount} ${found.currency} from user ${found.telegramId} on ` +
            `${found.createdAt.toISOString()} for ${found.periodDays} days.`,
          'Telegram returns the Stars to the user; the days it bought end now.',
        ],
        'Refund it?',
      );
      if (!ok) {
        this.logToStderr('Nothing was refunded.');
        process.exitCode = 1;
        const user = await (await this.useCase('users')).premiumOf(String(found.telegramId));
        return { payment: paymentView(found), ...user };
      }
    }
    const { payment, user } = await premium.refund(args.chargeId);
    const premiumUntil = user.premiumUntil?.toISOString() ?? null;
    this.say(
      `Refunded ${payment.amount} ${payment.currency} to user ${payment.telegramId}; their role is now ${user.role}` +
        (premiumUntil ? ` until ${premiumUntil}.` : '.'),
    );
    return { payment: paymentView(payment), user: summarize(user), role: user.role, premiumUntil };
  }
}
