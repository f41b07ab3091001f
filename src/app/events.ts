/**
 * Event webhooks for this app (services/events/): the configured endpoints, the publisher that
 * turns changes into outbox rows, the signed sender, and the daemon's delivery worker (a timer,
 * woken early when this process writes events). Part of the composition root.
 */
import { randomUUID } from 'node:crypto';
import { createWebhookSender } from '../adapters/webhooks/sender.js';
import type { EventEndpoint } from '../domain/events.js';
import type { EventSender, OutboxRepository } from '../domain/ports/index.js';
import type { Config } from '../config/config.js';
import { endpointName } from '../config/options/operations.js';
import {
  createEventDelivery,
  createEventPublisher,
  type DeliveryOutcome,
  type EventPublisher,
} from '../services/events/index.js';
import type { OutboxEvent } from '../domain/events.js';
import type { Logger } from './logger.js';

/** How often the worker looks for due deliveries (retries, rows other processes wrote). */
const POLL_MS = 1_000;
/** Delivered rows are kept this long (to look into with `events list`), then pruned hourly. */
const KEEP_DELIVERED_MS = 7 * 86_400_000;
const PRUNE_EVERY_MS = 60 * 60_000;

export function eventEndpoints(config: Readonly<Config>): EventEndpoint[] {
  return config.eventWebhooks.map((endpoint) => ({
    name: endpointName(endpoint),
    events: endpoint.events ?? null,
  }));
}

export function createPublisher(config: Readonly<Config>, onRows?: () => void): EventPublisher {
  return createEventPublisher({
    endpoints: eventEndpoints(config),
    newId: randomUUID,
    now: () => new Date(),
    includeContent: config.eventContent,
    ...(onRows ? { onRows } : {}),
  });
}

export function createSender(config: Readonly<Config>, version: string): EventSender {
  return createWebhookSender(
    config.eventWebhooks.map((endpoint) => ({ ...endpoint, name: endpointName(endpoint) })),
    { userAgent: `botctl/${version}` },
  );
}

export interface EventWorker {
  /** Looks for due deliveries soon (after the write that made them commits). */
  wake(): void;
  start(): void;
  /** Stops the timer and waits for the delivery in flight. */
  stop(): Promise<void>;
}

export function createEventWorker(deps: {
  config: Readonly<Config>;
  outbox: OutboxRepository;
  sender: EventSender;
  logger: Logger;
  onOutcome: (outcome: DeliveryOutcome, event: OutboxEvent, error: string | null) => void;
}): EventWorker {
  const { config, logger } = deps;
  const endpoints = eventEndpoints(config);
  const log = logger.child({ component: 'events' });
  const delivery = createEventDelivery({
    outbox: deps.outbox,
    sender: deps.sender,
    endpoints,
    retry: {
      maxAttempts: config.eventMaxAttempts,
      baseDelayMs: config.eventRetryBaseMs,
      maxDelayMs: 30 * 60_000,
    },
    now: Date.now,
    random: Math.random,
    log,
    onOutcome: deps.onOutcome,
  });
  let timer: NodeJS.Timeout | undefined;
  let pruneTimer: NodeJS.Timeout | undefined;
  const prune = () =>
    deps.outbox
      .pruneDelivered(new Date(Date.now() - KEEP_DELIVERED_MS))
      .then((count) => count > 0 && log.info({ count }, 'pruned delivered events'))
      .catch((error: unknown) => log.warn({ err: error }, 'pruning delivered events failed'));
  let soon: NodeJS.Timeout | undefined;
  let stopped = true;
  let lastFailureAt = 0;
  const run = () => {
    if (stopped) return;
    delivery.drain().catch((error: unknown) => {
      // The database away for a while: one warning a minute, and the next tick tries again.
      if (Date.now() - lastFailureAt < 60_000) return;
      lastFailureAt = Date.now();
      log.warn({ err: error }, 'event delivery could not read the outbox');
    });
  };
  return {
    wake() {
      if (stopped || soon) return;
      // A little later than at once: the write that made the rows commits first.
      soon = setTimeout(() => {
        soon = undefined;
        run();
      }, 10);
      soon.unref();
    },
    start() {
      if (endpoints.length === 0 || !stopped) return;
      stopped = false;
      timer = setInterval(run, POLL_MS);
      timer.unref();
      pruneTimer = setInterval(() => void prune(), PRUNE_EVERY_MS);
      pruneTimer.unref();
      run();
      void prune();
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      clearInterval(pruneTimer);
      clearTimeout(soon);
      await delivery.settled();
    },
  };
}
