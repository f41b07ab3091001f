/**
 * Builds the daemon's services for the root (container.ts): Gemini model with breaker and retry
 * policy, access, chat, settings, history and media services, the update inbox, metrics and the
 * readiness report. Part of the composition root, so it may import adapters; loaded only by
 * `botctl start`.
 */
import { createGeminiChatModel } from '../adapters/gemini/index.js';
import { zonesAt } from '../adapters/geo/zone-lookup.js';
import { createCircuitBreaker } from '../domain/circuit-breaker.js';
import { isBotctlError } from '../domain/errors.js';
import { createRetryPolicy, isRetryableError } from '../domain/retry-policy.js';
import { createAccessService, createUsageService } from '../services/access/index.js';
import { createChatService, createDeliveryService } from '../services/chat/index.js';
import { createHistoryService } from '../services/history/index.js';
import { createInboxService } from '../services/inbox/index.js';
import type { PrivacyService } from '../services/privacy/index.js';
import type { AlertService } from '../services/alerts/index.js';
import type { PremiumService } from '../services/premium/index.js';
import { createSettingsService } from '../services/settings/index.js';
import { createErrorCounter } from '../services/stats/index.js';
import { createModelCaller } from '../services/model/index.js';
import { createMediaServices } from './media-services.js';
import type { Cache, Repositories } from '../domain/ports/index.js';
import type { EventData, EventType } from '../domain/events.js';
import type { Config } from '../config/config.js';
import type { FloodGate } from '../adapters/telegram/flood-gate.js';
import type { ReadinessReport } from '../http/routes/health.js';
import type { Logger } from './logger.js';
import { createEventWorker, createPublisher, createSender } from './events.js';
import { createMetrics } from './metrics.js';
import { cachedFor, fileSystemSpace } from './scrape-sources.js';

const DAY_MS = 86_400_000;

/** What the daemon knows of its own health, for /readyz. Times are epoch ms. */
export interface ReadinessState {
  lastTelegramContact: number;
  /** Contact older than this makes the daemon unready; null: no bound (webhook mode). */
  maxContactAgeSeconds: number | null;
  /** Since when every call to Telegram has failed on the network (null: it answers). */
  telegramDownSince?: number | null;
  /** Polling: when the last getUpdates round ended, and how old that may get. */
  lastPolledAt?: number | null;
  pollStallSeconds?: number;
  /** Since when storing updates has failed (a full disk, a read-only database); null: it works. */
  writesFailingSince?: number | null;
}

const secondsSince = (at: number | null): number | null =>
  at === null ? null : Math.round((Date.now() - at) / 1000);
/** Telegram unreachable this long makes the daemon unready (an orchestrator may move it elsewhere). */
const TELEGRAM_DOWN_UNREADY_SECONDS = 30;

export interface DaemonServiceDeps {
  config: Readonly<Config>;
  logger: Logger;
  repos: Repositories;
  cache: Cache;
  /** Built by the root, which the operator commands share. */
  privacy: PrivacyService;
  /**
   * Telegram's flood wait for this bot, shared through the database with every process using the
   * token; the daemon's Api and the messenger both go through it.
   */
  floodGate: FloodGate;
  /** When the newest backup was made (null: none): the root lists the backup dir's manifests. */
  lastBackupAt: () => Promise<Date | null>;
  /** botctl's version, for botctl_build_info. */
  version: string;
  /** Operator alerts: the circuit, error bursts and quota refusals feed it. */
  alerts: AlertService;
  /** Premium through Telegram Stars (built by the root, which `botctl payments` shares). */
  premium: PremiumService;
}

export function createDaemonServices(deps: DaemonServiceDeps) {
  const { config, repos, logger, cache, privacy, alerts } = deps;
  const now = () => new Date();
  const model = createGeminiChatModel({
    apiKey: config.geminiApiKey!,
    baseUrl: config.geminiBaseUrl,
    timeoutMs: config.geminiTimeoutMs,
  });
  const breaker = createCircuitBreaker({
    failureThreshold: 5,
    windowMs: 60_000,
    openMs: config.geminiCircuitOpenMs,
    now: () => Date.now(),
    // A 429 already fails fast (no long retry wait) and says nothing of Gemini being down.
    isFailure: (error) => isRetryableError(error) && !(isBotctlError(error) && error.code === 'GEMINI_BUSY'),
    onChange: alerts.circuitChanged,
  });
  const recorded = createMetrics({
    activeUsers: (days) => repos.users.count({ activeSince: new Date(Date.now() - days * DAY_MS) }),
    inboxPending: () => repos.updates.countPending(),
    // Listing manifests reads a file per backup: once a minute is plenty for a 26 h alert.
    lastBackupAt: cachedFor(60_000, deps.lastBackupAt),
    dataDirSpace: () => fileSystemSpace(config.dataDir),
    circuitState: () => breaker.state(),
    // A count over the outbox by status: not on every scrape of a busy daemon.
    ...(config.eventWebhooks.length > 0
      ? { eventOutbox: cachedFor(15_000, () => repos.outbox.counts()) }
      : {}),
    broadcastProgress: cachedFor(15_000, async () => {
      const [newest] = await repos.broadcasts.list();
      return newest ? repos.broadcasts.deliveryCounts(newest.id) : null;
    }),
    version: deps.version,
    prices: config.prices,
  });
  // Failed requests per day in the database, for the stats' error series (services/stats/errors.ts).
  const errors = createErrorCounter({ stats: repos.stats, now, log: logger });
  // Every handler error is counted here; the alert service also watches them for bursts.
  const metrics: typeof recorded = {
    ...recorded,
    error: (code) => {
      recorded.error(code);
      errors.record(code);
      alerts.errorOccurred(code);
    },
  };
  // Someone is waiting in a chat: a server that asks for more than a few seconds (a Gemini 429's
  // retryDelay is often 15-60 s) gets no wait at all; the user is told at once and keeps /retry.
  const policy = createRetryPolicy({
    maxAttempts: 3,
    baseDelayMs: 500,
    maxDelayMs: 3_000,
    random: Math.random,
  });
  const caller = createModelCaller({
    model,
    breaker,
    policy,
    metrics,
    log: logger,
    sleep: (ms, signal) =>
      new Promise((resolve) => {
        const timer = setTimeout(resolve, ms);
        signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      }),
  });
  // Event webhooks: rows written with the changes they report, delivered by this worker.
  const events = createPublisher(config, () => eventWorker.wake());
  const eventWorker = createEventWorker({
    config,
    outbox: repos.outbox,
    sender: createSender(config, deps.version),
    logger,
    onOutcome: (outcome, event) => {
      metrics.eventDelivery(outcome);
      if (outcome === 'dead') {
        alerts.notify({
          kind: 'event-dead',
          params: { id: event.id, type: event.type, endpoint: event.endpoint, attempts: event.attempts + 1 },
        });
      }
    },
  });
  const publish = (type: EventType, data: EventData) => {
    const rows = events.rows(type, data);
    if (rows.length === 0) return;
    repos.outbox
      .enqueue(rows)
      .catch((error: unknown) => logger.warn({ err: error, type }, 'event not stored: database failed'));
  };
  const access = createAccessService({
    events,
    publish,
    users: repos.users,
    usage: repos.usage,
    cache,
    config,
    now,
    onQuotaRefused: alerts.quotaRefused,
    admissions: repos.updates,
  });
  const history = createHistoryService({
    conversations: repos.conversations,
    caller,
    cache,
    log: logger,
    defaultModel: config.model,
    now,
  });
  const chat = createChatService({ repos, caller, config, usage: repos.usage, now, events });
  const delivery = createDeliveryService({
    conversations: repos.conversations,
    updates: repos.updates,
    now,
    onDelivered: history.titleAfterAnswer,
  });
  const settings = createSettingsService({ users: repos.users, access, cache, config, zonesAt });
  const usage = createUsageService({
    usage: repos.usage,
    quotas: config.quotas,
    now,
    searchGrounding: config.searchGrounding,
  });
  const media = createMediaServices({ config, repos, logger, model, caller, cache, chat, access, now });
  const inbox = createInboxService({ updates: repos.updates, now });

  /** maxContactAgeSeconds: polling contacts Telegram every 30 s; a quiet webhook bot may not. */
  async function readiness(state: ReadinessState): Promise<ReadinessReport> {
    const { lastTelegramContact, maxContactAgeSeconds, telegramDownSince = null } = state;
    const writesFailingFor = secondsSince(state.writesFailingSince ?? null);
    const database =
      writesFailingFor !== null
        ? { ok: false, detail: `storing updates has failed for ${writesFailingFor}s` }
        : await repos.ping().then(
            () => ({ ok: true }),
            (error: unknown) => ({
              ok: false,
              detail: error instanceof Error ? error.message : String(error),
            }),
          );
    // A cache outage degrades, it does not make the bot unready.
    const cacheOk = await cache.ping();
    const telegramAge = lastTelegramContact ? Math.round((Date.now() - lastTelegramContact) / 1000) : null;
    const fresh =
      telegramAge !== null && (maxContactAgeSeconds === null || telegramAge <= maxContactAgeSeconds);
    const downFor = secondsSince(telegramDownSince) ?? 0;
    const polledAgo = secondsSince(state.lastPolledAt ?? null);
    const telegram =
      downFor > TELEGRAM_DOWN_UNREADY_SECONDS
        ? { ok: false, detail: `unreachable for ${downFor}s` }
        : state.pollStallSeconds !== undefined && polledAgo !== null && polledAgo > state.pollStallSeconds
          ? { ok: false, detail: `polling stalled: no getUpdates for ${polledAgo}s` }
          : { ok: fresh, detail: telegramAge === null ? 'no contact yet' : `${telegramAge}s ago` };
    return {
      ready: database.ok && telegram.ok,
      checks: {
        database,
        cache: { ok: cacheOk, detail: cache.kind },
        telegram,
        gemini: { ok: caller.breakerState() !== 'open', detail: `circuit ${caller.breakerState()}` },
      },
    };
  }

  return {
    access,
    chat,
    delivery,
    settings,
    history,
    privacy,
    usage,
    premium: deps.premium,
    ...media,
    inbox,
    metrics,
    /** Failures the bot answers itself (model down, speech failed), counted with the handler errors. */
    errors,
    readiness,
    /** Delivers event webhooks: started once the daemon runs, stopped before the database closes. */
    eventWorker,
    floodGate: deps.floodGate,
    cacheKind: cache.kind,
    /** Counts for the admin API's rate limits, in the shared cache (Redis: one count for every daemon). */
    rateCounter: { hit: (key: string, windowMs: number) => cache.hit(key, windowMs) },
    /** Messages between the instances on one Redis (daemon/stop-relay.ts); this process only in memory. */
    instanceBus: {
      publish: (channel: string, message: string) => cache.publish(channel, message),
      subscribe: (channel: string, handler: (message: string) => void) => cache.subscribe(channel, handler),
    },
  };
}

export type DaemonServices = ReturnType<typeof createDaemonServices>;
