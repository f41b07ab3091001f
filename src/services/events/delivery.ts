/**
 * Delivers the outbox (domain/events.ts): for each configured endpoint, claim the head of its line,
 * post it, record the outcome, repeat. A failure waits (exponential backoff with jitter) and holds
 * that endpoint's line, so a receiver sees its events in order; the last allowed failure makes the
 * row dead (`botctl events retry` revives it) and the line moves on. At least once: a daemon that
 * dies mid-post leaves its claim to expire and the row is posted again, with the same event id.
 */
import {
  DEFAULT_RETRY,
  retryDelay,
  type EventEndpoint,
  type OutboxEvent,
  type RetryRule,
} from '../../domain/events.js';
import type { EventSender, OutboxRepository } from '../../domain/ports/index.js';
import type { Log } from '../../domain/telemetry.js';

export type DeliveryOutcome = 'delivered' | 'failed' | 'dead';

export interface EventDeliveryDeps {
  outbox: OutboxRepository;
  sender: EventSender;
  endpoints: readonly EventEndpoint[];
  retry?: RetryRule;
  /**
   * How long a claim holds a row: longer than one post can take (the sender's 10 s timeout), short
   * enough that the line of a daemon killed mid-post moves on soon after it restarts.
   */
  leaseMs?: number;
  now: () => number;
  random: () => number;
  log: Log;
  /** Each attempt's outcome (metrics; an alert on dead). */
  onOutcome?: (outcome: DeliveryOutcome, event: OutboxEvent, error: string | null) => void;
}

export function createEventDelivery(deps: EventDeliveryDeps) {
  const { outbox, sender, endpoints, now, random, log } = deps;
  const rule = deps.retry ?? DEFAULT_RETRY;
  const leaseMs = deps.leaseMs ?? 15_000;
  let running: Promise<number> | null = null;
  let again = false;

  /** Posts the endpoint's due rows in order until its line is empty or waits on a retry. */
  async function drainEndpoint(endpoint: string): Promise<number> {
    let delivered = 0;
    for (;;) {
      const t = now();
      const event = await outbox.claimNext(endpoint, new Date(t), new Date(t + leaseMs));
      if (event === null) return delivered;
      const outcome = await sender.send(endpoint, event);
      if (outcome.ok) {
        await outbox.markDelivered(event.id, new Date(now()));
        deps.onOutcome?.('delivered', event, null);
        delivered += 1;
        continue;
      }
      const wait = retryDelay(event.attempts + 1, rule, random);
      await outbox.markFailed(event.id, {
        error: outcome.error,
        retryAt: wait === null ? null : new Date(now() + wait),
      });
      deps.onOutcome?.(wait === null ? 'dead' : 'failed', event, outcome.error);
      log.warn(
        {
          event: event.eventId,
          type: event.type,
          endpoint,
          attempt: event.attempts + 1,
          error: outcome.error,
        },
        wait === null ? 'event delivery gave up: dead' : 'event delivery failed, will retry',
      );
      if (wait !== null) return delivered;
    }
  }

  async function drainAll(): Promise<number> {
    let total = 0;
    do {
      again = false;
      const counts = await Promise.all(endpoints.map((endpoint) => drainEndpoint(endpoint.name)));
      total += counts.reduce((a, b) => a + b, 0);
    } while (again);
    return total;
  }

  return {
    /**
     * Delivers whatever is due; one run at a time (a call during a run makes it look again, and
     * shares its promise). Resolves to how many were delivered; rejects when the database fails.
     */
    drain(): Promise<number> {
      if (running) {
        again = true;
        return running;
      }
      running = drainAll().finally(() => {
        running = null;
      });
      return running;
    },
    /** Resolves when the current run (if any) ends, for a clean stop. */
    async settled(): Promise<void> {
      await running?.catch(() => undefined);
    },
  };
}

export type EventDelivery = ReturnType<typeof createEventDelivery>;
