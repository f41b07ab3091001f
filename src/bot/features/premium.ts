/**
 * Premium through Telegram Stars: /premium shows the offer and sends an invoice in XTR (Stars
 * need no payment provider: the provider token is empty); a pre-checkout query is answered yes
 * only for the current offer, sent to this user (else with the reason Telegram shows them); a
 * successful payment grants the premium role until its period ends, once per charge id.
 */
import { Composer } from 'grammy';
import { formatInZone } from '../../domain/quota.js';
import { STARS_CURRENCY } from '../../domain/premium.js';
import type { PremiumService } from '../../services/premium/index.js';
import { threadOptions, type BotContext } from '../context.js';

export function premiumFeature(deps: { premium: PremiumService }): Composer<BotContext> {
  const { premium } = deps;
  const composer = new Composer<BotContext>();

  composer.command('premium', async (ctx) => {
    const user = ctx.state.user;
    if (!user) return;
    const invoice = premium.invoiceFor(user);
    if (invoice === null) {
      await ctx.reply(ctx.t('premium-off'), threadOptions(ctx));
      return;
    }
    if (user.role === 'admin') {
      await ctx.reply(ctx.t('premium-admin'), threadOptions(ctx));
      return;
    }
    const limit = (value: number) => (value === 0 ? ctx.t('premium-unlimited') : String(value));
    const { stars, days } = invoice.offer;
    const until = user.role === 'premium' && user.premiumUntil !== null ? user.premiumUntil : null;
    const status =
      until !== null
        ? ctx.t('premium-active', { until: formatInZone(until, user.settings.timezone, user.language) })
        : user.role === 'premium'
          ? ctx.t('premium-granted')
          : '';
    const offer = ctx.t('premium-offer', {
      stars,
      days,
      messages: limit(premium.limits.messagesPerDay),
      images: limit(premium.limits.imagesPerDay),
      minutes: limit(Math.floor(premium.limits.audioSecondsPerDay / 60)),
    });
    await ctx.reply(status ? `${status}\n\n${offer}` : offer, threadOptions(ctx));
    await ctx.replyWithInvoice(
      ctx.t('premium-invoice-title', { days }),
      ctx.t('premium-invoice-description', { days }),
      invoice.payload,
      STARS_CURRENCY,
      [{ label: ctx.t('premium-invoice-label', { days }), amount: stars }],
      // Digital goods paid in Stars: no payment provider, so the token is empty.
      { provider_token: '', ...threadOptions(ctx) },
    );
  });

  composer.on('pre_checkout_query', async (ctx) => {
    const query = ctx.preCheckoutQuery;
    const check = await premium.preCheckout({
      payload: query.invoice_payload,
      currency: query.currency,
      totalAmount: query.total_amount,
      fromId: query.from.id,
    });
    if (check.ok) await ctx.answerPreCheckoutQuery(true);
    else await ctx.answerPreCheckoutQuery(false, { error_message: ctx.t(`premium-refused-${check.reason}`) });
  });

  composer.on('message:successful_payment', async (ctx) => {
    const user = ctx.state.user;
    if (!user) return;
    const paid = ctx.message.successful_payment;
    const result = await premium.paid(user, {
      chargeId: paid.telegram_payment_charge_id,
      currency: paid.currency,
      totalAmount: paid.total_amount,
      payload: paid.invoice_payload,
    });
    // Telegram repeated the update: the thanks went with the first one. A replay after a crash (the
    // update taken in, never marked done) may have stopped between the record and the thanks: it
    // thanks again, as a second thanks is better than a payment nobody confirmed.
    if (!result.recorded && ctx.state.replayed !== true) return;
    ctx.state.user = result.user;
    const until = result.user.premiumUntil;
    await ctx.reply(
      until === null
        ? ctx.t('premium-thanks-admin')
        : ctx.t('premium-thanks', { until: formatInZone(until, user.settings.timezone, user.language) }),
      threadOptions(ctx),
    );
  });

  return composer;
}
