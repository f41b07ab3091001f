/**
 * Every Prometheus metric, defined in one place, on a per-app Registry (tests create several
 * apps; the global default registry would collide). Services receive the narrow `Metrics`
 * interface from domain/telemetry.ts; this module is its prom-client implementation.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Metrics } from '../domain/telemetry.js';
import { costOf, priceFor, type ModelPrice, type PriceTable } from '../domain/pricing.js';
import { REJECT_REASONS, TELEGRAM_UPDATE_TYPES } from '../daemon/update-shape.js';

// Label values come from a fixed list: an update's keys are the sender's to choose (a webhook
// caller could otherwise create a series per request).
const UPDATE_TYPES = new Set<string>(TELEGRAM_UPDATE_TYPES);
const typeLabel = (type: string) => (UPDATE_TYPES.has(type) ? type : 'other');
const REASONS = new Set<string>(REJECT_REASONS);

export interface AppMetrics extends Metrics {
  readonly registry: Registry;
  /** One event delivery attempt: delivered, failed (to be retried) or dead (given up). */
  eventDelivery(outcome: 'delivered' | 'failed' | 'dead'): void;
}

/**
 * What is read when Prometheus scrapes, not on a timer: an idle daemon does no work for metrics
 * nobody reads. Each source is optional (tests and commands build metrics without a database).
 */
export interface ScrapeSources {
  activeUsers?: (days: number) => Promise<number>;
  /** Updates recorded in the inbox and not yet answered. */
  inboxPending?: () => Promise<number>;
  /** When the newest backup in the backup dir was made (null: none). */
  lastBackupAt?: () => Promise<Date | null>;
  /** Free and total bytes of the file system holding the data dir (null: cannot tell). */
  dataDirSpace?: () => Promise<{ freeBytes: number; sizeBytes: number } | null>;
  /** The Gemini circuit breaker's state. */
  circuitState?: () => 'closed' | 'open' | 'half-open';
  /** Delivery counts of the newest broadcast, by delivery status (null: none yet). */
  broadcastProgress?: () => Promise<Record<string, number> | null>;
  /** Event webhook deliveries in the outbox, by status (pending, delivered, dead). */
  eventOutbox?: () => Promise<Record<string, number>>;
  /** botctl's version, for botctl_build_info. */
  version?: string;
  /** The price table (config prices) that botctl_gemini_cost_usd_total estimates with. */
  prices?: PriceTable;
}

export function createMetrics(options: ScrapeSources = {}): AppMetrics {
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
    help: 'Time from the update reaching the bot to handler done (a chat waits for its earlier updates before that)',
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
  const cost = new Counter({
    name: 'botctl_gemini_cost_usd_total',
    help: 'Estimated Gemini spend in USD from config prices, by model (models without a price are not counted)',
    labelNames: ['model'],
    registers: [registry],
  });
  // The longest-prefix lookup once per model, not once per call.
  const prices = new Map<string, ModelPrice | null>();
  const priceOf = (model: string) => {
    if (!prices.has(model)) prices.set(model, options.prices ? priceFor(model, options.prices) : null);
    return prices.get(model)!;
  };
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
  const eventDeliveries = new Counter({
    name: 'botctl_event_deliveries_total',
    help: 'Event webhook delivery attempts, by outcome (delivered; failed: retried later; dead: given up)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  registerScrapeGauges(registry, options);
  return {
    eventDelivery: (outcome) => eventDeliveries.inc({ outcome }),
    registry,
    updateReceived: (type) => updates.inc({ type: typeLabel(type) }),
    updateHandled: (type, seconds) => handlerSeconds.observe({ type: typeLabel(type) }, seconds),
    updateRejected: (reason) => rejected.inc({ reason: REASONS.has(reason) ? reason : 'other' }),
    updateDeferred: () => deferred.inc(),
    geminiCall: ({ model, outcome, seconds, tokensIn, tokensOut }) => {
      geminiSeconds.observe({ model, outcome }, seconds);
      if (tokensIn) geminiTokens.inc({ model, direction: 'in' }, tokensIn);
      if (tokensOut) geminiTokens.inc({ model, direction: 'out' }, tokensOut);
      const price = priceOf(model);
      if (price && (tokensIn || tokensOut)) cost.inc({ model }, costOf(price, tokensIn, tokensOut));
    },
    error: (code) => errors.inc({ code }),
    telegramRateLimited: () => telegram429.inc(),
  };
}

/**
 * A source that fails (the database away for a moment) leaves its gauge out of this scrape
 * instead of failing the whole of /metrics; undefined marks the failure.
 */
const settle = <T>(value: Promise<T>): Promise<T | undefined> => value.catch(() => undefined);

/** The gauges filled in at scrape time from the sources given; a source that fails leaves its gauge unset. */
function registerScrapeGauges(registry: Registry, sources: ScrapeSources): void {
  new Gauge({
    name: 'botctl_build_info',
    help: 'Always 1: the botctl version and Node.js version this process runs',
    labelNames: ['version', 'node'],
    registers: [registry],
  }).set({ version: sources.version ?? 'unknown', node: process.versions.node }, 1);
  const { inboxPending, lastBackupAt, dataDirSpace, circuitState, broadcastProgress, eventOutbox } = sources;
  if (eventOutbox) {
    new Gauge({
      name: 'botctl_events',
      help: 'Event webhook deliveries in the outbox, by status (pending: not delivered yet; dead: given up)',
      labelNames: ['status'],
      registers: [registry],
      async collect() {
        const counts = await settle(eventOutbox());
        if (counts === undefined) return;
        for (const [status, count] of Object.entries(counts)) this.set({ status }, count);
      },
    });
  }
  if (inboxPending) {
    new Gauge({
      name: 'botctl_inbox_pending',
      help: 'Updates stored in the inbox and not answered yet (a growing number: answers fall behind)',
      registers: [registry],
      async collect() {
        const pending = await settle(inboxPending());
        if (pending !== undefined) this.set(pending);
      },
    });
  }
  if (lastBackupAt) {
    new Gauge({
      name: 'botctl_last_backup_timestamp_seconds',
      help: 'Unix time of the newest backup in the backup dir (0: none)',
      registers: [registry],
      async collect() {
        const at = await settle(lastBackupAt());
        if (at !== undefined) this.set(at ? at.getTime() / 1000 : 0);
      },
    });
  }
  if (dataDirSpace) {
    // Two statfs calls per scrape: microseconds, not worth sharing.
    new Gauge({
      name: 'botctl_data_dir_free_bytes',
      help: 'Bytes free to botctl on the file system of the data dir',
      registers: [registry],
      async collect() {
        const space = await settle(dataDirSpace());
        if (space) this.set(space.freeBytes);
      },
    });
    new Gauge({
      name: 'botctl_data_dir_size_bytes',
      help: 'Size in bytes of the file system of the data dir',
      registers: [registry],
      async collect() {
        const space = await settle(dataDirSpace());
        if (space) this.set(space.sizeBytes);
      },
    });
  }
  if (circuitState) {
    new Gauge({
      name: 'botctl_gemini_circuit_open',
      help: '1 while the Gemini circuit breaker is open or half-open (calls fail fast), else 0',
      registers: [registry],
      collect() {
        this.set(circuitState() === 'closed' ? 0 : 1);
      },
    });
  }
  if (broadcastProgress) {
    new Gauge({
      name: 'botctl_broadcast_deliveries',
      help: 'Deliveries of the newest broadcast, by status (pending, sending, sent, failed, blocked)',
      labelNames: ['status'],
      registers: [registry],
      async collect() {
        const counts = await settle(broadcastProgress());
        this.reset();
        for (const [status, count] of Object.entries(counts ?? {})) this.set({ status }, count);
      },
    });
  }
}
