/**
 * `botctl stats`: the period's numbers from the StatsRepository, shaped for output, with cost
 * estimated from the price table. Errors are the daily counts of failed requests (errors.ts).
 */
import { costOf, priceFor, searchCostOf, type PriceTable } from '../../domain/pricing.js';
import { emptyStatsDay, periodDayList, type StatsPeriod } from '../../domain/stats-period.js';
import type { PaymentRepository, StatsDay, StatsRepository, StatsSummary } from '../../domain/ports/index.js';
import { STARS_CURRENCY } from '../../domain/premium.js';

interface ModelCost {
  /** "(none)" for answers stored without a model id. */
  model: string;
  answers: number;
  tokensIn: number;
  tokensOut: number;
  /** USD; null when the price table has no entry for the model. */
  cost: number | null;
}

export interface StatsReport {
  period: { since: string; until: string; days: number };
  users: StatsSummary['users'] & { active: StatsSummary['active'] };
  messages: StatsSummary['messages'];
  voiceMinutes: number;
  images: number;
  /** Answers grounded in Google Search (daily usage). */
  searches: number;
  /** Every request's tokens (daily usage), including images, speech and inline answers. */
  tokens: { in: number; out: number };
  cost: {
    currency: 'USD';
    /** Sum over the models with a price. */
    estimated: number;
    /** False when some model has no price: the true total is higher than `estimated`. */
    complete: boolean;
    unknownModels: string[];
    byModel: ModelCost[];
    /** Grounded requests, billed beside their tokens (config searchPricePerThousand); in `estimated`. */
    searches: { count: number; perThousand: number; cost: number };
    /** Tokens spent outside stored answers (images, speech, inline answers): no model recorded, not priced. */
    unattributed: { tokensIn: number; tokensOut: number };
  };
  latency: StatsSummary['latency'];
  /** Failed requests in the period (handler errors and failures answered with an apology), by code. */
  errors: StatsSummary['errors'];
  /**
   * Premium paid in Telegram Stars in the period: payments made, Stars earned (refunded ones
   * not counted) and how many of them were refunded.
   */
  stars: { earned: number; payments: number; refunded: number };
  /** Every day of the period, quiet days as zeros. */
  daily: StatsDay[];
}

export function createStatsService(deps: {
  stats: StatsRepository;
  prices: PriceTable;
  /** Stars payments; without them the report says none. */
  payments?: Pick<PaymentRepository, 'totals'>;
  /** USD per 1,000 grounded requests (domain/pricing.ts DEFAULT_SEARCH_PRICE_PER_THOUSAND). */
  searchPricePerThousand: number;
}) {
  /** The report for a period from parsePeriod (domain/stats-period.ts). */
  async function report(period: StatsPeriod): Promise<StatsReport> {
    const [summary, days, stars] = await Promise.all([
      deps.stats.summary(period.since, period.until),
      deps.stats.daily(period.since, period.until),
      deps.payments?.totals(period.since, period.until, STARS_CURRENCY) ??
        Promise.resolve({ payments: 0, amount: 0, refunded: 0 }),
    ]);
    const byModel: ModelCost[] = summary.models.map((m) => {
      const price = priceFor(m.model, deps.prices);
      return {
        ...m,
        model: m.model ?? '(none)',
        cost: price ? costOf(price, m.tokensIn, m.tokensOut) : null,
      };
    });
    const unknownModels = byModel.filter((m) => m.cost === null).map((m) => m.model);
    const searches = {
      count: summary.usage.searches,
      perThousand: deps.searchPricePerThousand,
      cost: searchCostOf(summary.usage.searches, deps.searchPricePerThousand),
    };
    const priced = byModel.reduce((sum, m) => sum + (m.cost ?? 0), 0) + searches.cost;
    const attributed = (key: 'tokensIn' | 'tokensOut') => summary.models.reduce((sum, m) => sum + m[key], 0);
    const byDay = new Map(days.map((d) => [d.day, d]));
    return {
      period: { since: period.since.toISOString(), until: period.until.toISOString(), days: period.days },
      users: { ...summary.users, active: summary.active },
      messages: summary.messages,
      voiceMinutes: Math.round((summary.usage.audioSeconds / 60) * 10) / 10,
      images: summary.usage.images,
      searches: summary.usage.searches,
      tokens: { in: summary.usage.tokensIn, out: summary.usage.tokensOut },
      cost: {
        currency: 'USD',
        estimated: Math.round(priced * 1e6) / 1e6,
        complete: unknownModels.length === 0,
        unknownModels,
        byModel,
        searches,
        unattributed: {
          tokensIn: Math.max(0, summary.usage.tokensIn - attributed('tokensIn')),
          tokensOut: Math.max(0, summary.usage.tokensOut - attributed('tokensOut')),
        },
      },
      latency: summary.latency,
      errors: summary.errors,
      stars: { earned: stars.amount, payments: stars.payments, refunded: stars.refunded },
      daily: periodDayList(period).map((day) => byDay.get(day) ?? emptyStatsDay(day)),
    };
  }

  return { report };
}

export type StatsService = ReturnType<typeof createStatsService>;
