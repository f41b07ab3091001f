/** What the outbox repositories of both dialects share: the row's shape and its mapping. */
import type { NewOutboxEvent, OutboxEvent, OutboxStatus } from '../../../domain/events.js';

export interface OutboxRow extends NewOutboxEvent {
  id: number;
  telegramId: number | null;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  claimedUntil: Date | null;
  lastError: string | null;
  deliveredAt: Date | null;
}

export function toOutboxEvent(row: OutboxRow): OutboxEvent {
  const { claimedUntil: _claim, ...event } = row;
  return { ...event, id: Number(row.id) };
}

/** The insert values of new rows: pending, due at once. */
export function outboxValues(rows: readonly NewOutboxEvent[], now: Date) {
  return rows.map((row) => ({
    ...row,
    telegramId: row.telegramId ?? null,
    status: 'pending' as const,
    attempts: 0,
    nextAttemptAt: now,
  }));
}

export function emptyCounts(): Record<OutboxStatus, number> {
  return { pending: 0, delivered: 0, dead: 0 };
}
