/** The event outbox (domain/events.ts) and what delivers its rows. */
import type { NewOutboxEvent, OutboxEvent, OutboxStatus } from '../events.js';

/**
 * Rows to write in the same transaction as a change, made from the change's result (a new user's
 * id is known only once it is stored). Must be synchronous and must not throw.
 */
export type OutboxRows<T> = (result: T) => readonly NewOutboxEvent[];

export interface OutboxFilter {
  status?: OutboxStatus;
  limit?: number;
  /** Paging: only rows with a smaller id (the list is newest first). */
  beforeId?: number;
}

export interface OutboxRepository {
  /** Writes rows on their own (events that report no database change: backups, quota refusals). */
  enqueue(rows: readonly NewOutboxEvent[], now?: Date): Promise<void>;
  /**
   * Claims the endpoint's oldest pending row if it is due and unclaimed (or its claim expired),
   * until `leaseUntil`; null otherwise. One conditional update: of several daemons sharing the
   * database one wins, and a later row is never claimed before the head (per-endpoint order).
   */
  claimNext(endpoint: string, now: Date, leaseUntil: Date): Promise<OutboxEvent | null>;
  markDelivered(id: number, now?: Date): Promise<void>;
  /** Counts a failed attempt; retryAt null makes the row dead. Releases the claim. */
  markFailed(id: number, failure: { error: string; retryAt: Date | null }): Promise<void>;
  get(id: number): Promise<OutboxEvent | null>;
  /** Newest first. */
  list(filter?: OutboxFilter): Promise<OutboxEvent[]>;
  /** Makes dead rows pending again, due now, attempts reset: the ids given, or every dead one. Returns how many. */
  retry(which: readonly number[] | 'dead', now?: Date): Promise<number>;
  counts(): Promise<Record<OutboxStatus, number>>;
  /** Deletes rows delivered before the cutoff (dead ones stay until retried); returns how many. */
  pruneDelivered(olderThan: Date): Promise<number>;
}

export type WebhookOutcome = { ok: true } | { ok: false; error: string };

/** Posts a signed body to one configured endpoint. */
export interface EventSender {
  send(endpoint: string, event: { eventId: string; type: string; body: string }): Promise<WebhookOutcome>;
}
