/**
 * Outbound event webhooks: what events exist, what a delivery's body holds, and the retry rule.
 * An event's data is ids and counts only: never message content, never a secret. Each event is
 * stored in the outbox once per endpoint that subscribes to it (one row per delivery), in the
 * same transaction as the change it reports; a worker in the daemon delivers the rows.
 */

export const EVENT_TYPES = [
  'user.created',
  'user.blocked_bot',
  'conversation.started',
  'user.banned',
  'user.unbanned',
  'message.answered',
  'quota.exceeded',
  'broadcast.finished',
  'broadcast.failed',
  'backup.finished',
  'backup.failed',
  // `botctl events test`: never stored, sent at once.
  'test',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The body's `version`: a receiver can tell a later shape apart. The signature scheme is `v1`. */
export const EVENT_VERSION = 1;

export type EventData = Readonly<Record<string, string | number | boolean | null>>;

/** One configured endpoint as the services see it (its URL and secret stay in the sender). */
export interface EventEndpoint {
  readonly name: string;
  /** null: every event type. */
  readonly events: readonly EventType[] | null;
}

export type OutboxStatus = 'pending' | 'delivered' | 'dead';
export const OUTBOX_STATUSES: readonly OutboxStatus[] = ['pending', 'delivered', 'dead'];

/** One delivery to write: an event for one endpoint, its body already serialized (it is signed as is). */
export interface NewOutboxEvent {
  /** The event's id, shared by its rows for every endpoint; receivers deduplicate by it. */
  eventId: string;
  endpoint: string;
  type: EventType;
  occurredAt: Date;
  body: string;
  /** Whose event it is (its data's telegram_id; null: nobody's): forgetting the user deletes it. */
  telegramId?: number | null;
}

export interface OutboxEvent extends NewOutboxEvent {
  /** The delivery's own id (in write order: each endpoint's rows are delivered in this order). */
  id: number;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  deliveredAt: Date | null;
}

/** The JSON a receiver gets. */
export function eventBody(event: { id: string; type: EventType; occurredAt: Date; data: EventData }): string {
  return JSON.stringify({
    id: event.id,
    type: event.type,
    version: EVENT_VERSION,
    occurred_at: event.occurredAt.toISOString(),
    data: event.data,
  });
}

export function subscribes(endpoint: EventEndpoint, type: EventType): boolean {
  return endpoint.events === null || endpoint.events.includes(type);
}

export interface RetryRule {
  /** Attempts in all; the last failure makes the delivery dead. */
  maxAttempts: number;
  /** The wait after the first failure; each later one doubles it, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryRule = { maxAttempts: 10, baseDelayMs: 5_000, maxDelayMs: 30 * 60_000 };

/**
 * The wait before the next attempt after `attempts` failures, or null when that was the last.
 * Exponential with "equal jitter" (half fixed, half random): receivers that went down together
 * are not all retried at the same instant, and no wait shrinks to nothing.
 */
export function retryDelay(attempts: number, rule: RetryRule, random: () => number): number | null {
  if (attempts >= rule.maxAttempts) return null;
  const ceiling = Math.min(rule.maxDelayMs, rule.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
