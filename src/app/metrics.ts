/**
 * Every Prometheus metric, defined in one place, on a per-app Registry (tests create several
 * apps; the global default registry would collide). Services receive the narrow `Metrics`
 * interface from domain/telemetry.ts; this module is its prom-client implementation.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Metrics } from '../domain/telemetry.js';
import { REJECT_REASONS, TELEGRAM_UPDATE_TYPES } from '../daemon/update-shape.js';

// Label values come from a fixed list: an update's keys are the sender's to choose (a webhook
// caller could otherwise create a series per request).
const UPDATE_TYPES = new Set<string>(TELEGRAM_UPDATE_TYPES);
const typeLabel = (type: string) => (UPDATE_TYPES.has(type) ? type : 'other');
const REASONS = new Set<string>(REJECT_REASONS);

export interface AppMetrics extends Metrics {
  readonly registry: Registry;
}

export function createMetrics(options: { activeUsers?: (days: number) => Promise<number> } = {}): AppMetrics {
  const registry = new Registry();
  // Event-loop lag sampled once a second: prom-client's 10 ms default wakes an idle daemon 100 times
  // a second (about 1% of a core on a busy host) for a metric scraped every few seconds at most.
  collectDefaultMetrics({ register: registry, prefix: 'botctl_', eventLoopMonitoringPrecision: 1000 });
  const updates = new Counter({
    name: 'botctl_updates_total',
    help: 'Telegram updates received, by type',
    labelNames: ['type'],
    registers: [registry],
  });
  const rejected = new Counter({
    name: 'botctl_updates_rejected_total',
    help: 'Updates the bot could not route (stored, acknowledged and skipped), by reason',
    labelNames: ['reason'],
    registers: [registry],
  });
  const deferred = new Counter({
    name: 'botctl_updates_deferred_total',
    help: 'Updates whose reply a Telegram flood wait over 120 s refused: held in the inbox, answered when it ends',
    registers: [registry],
  });
  const handlerSeconds = new Histogram({
    name: 'botctl_handler_duration_seconds',
    help: 'Time from update received to handler done',
    labelNames: ['type'],
    buckets: [0.005, 0.025, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const geminiSeconds = new Histogram({
    name: 'botctl_gemini_request_duration_seconds',
    help: 'Gemini request latency, by model and outcome',
    labelNames: ['model', 'outcome'],
    buckets: [0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64],
    registers: [registry],
  });
  const geminiTokens = new Counter({
    name: 'botctl_gemini_tokens_total',
    help: 'Tokens sent to and received from Gemini, by model and direction',
    labelNames: ['model', 'direction'],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'botctl_errors_total',
    help: 'Handler errors, by error code',
    labelNames: ['code'],
    registers: [registry],
  });
  const telegram429 = new Counter({
    name: 'botctl_telegram_429_total',
    help: 'Telegram "Too Many Requests" answers',
    registers: [registry],
  });
  const activeUsers = options.activeUsers;
  new Gauge({
    name: 'botctl_active_users',
    help: 'Users seen within the window',
    labelNames: ['window'],
    registers: [registry],
    async collect() {
      if (!activeUsers) return;
      this.set({ window: '1d' }, await activeUsers(1));
      this.set({ window: '7d' }, await activeUsers(7));
    },
  });
  return {
    registry,
    updateReceived: (type) => updates.inc({ type: typeLabel(type) }),
    updateHandled: (type, seconds) => handlerSeconds.observe({ type: typeLabel(type) }, seconds),
    updateRejected: (reason) => rejected.inc({ reason: REASONS.has(reason) ? reason : 'other' }),
    updateDeferred: () => deferred.inc(),
    geminiCall: ({ model, outcome, seconds, tokensIn, tokensOut }) => {
      geminiSeconds.observe({ model, outcome }, seconds);
      if (tokensIn) geminiTokens.inc({ model, direction: 'in' }, tokensIn);
      if (tokensOut) geminiTokens.inc({ model, direction: 'out' }, tokensOut);
    },
    error: (code) => errors.inc({ code }),
    telegramRateLimited: () => telegram429.inc(),
  };
}
