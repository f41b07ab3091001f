/** What the `botctl events` commands share: the --json shape of a delivery and how one prints. */
import { Args } from '@oclif/core';
import { BotctlError } from '../domain/errors.js';
import type { OutboxEvent } from '../domain/events.js';
import type { JsonShape } from './json-shape.js';

/** A delivery as `events list --json` shows it: no body beyond its type (ids and counts anyway). */
export interface EventView {
  id: number;
  eventId: string;
  type: string;
  endpoint: string;
  status: string;
  attempts: number;
  occurredAt: string;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  lastError: string | null;
}

export const EVENT_SHAPE: JsonShape = {
  id: 'number',
  eventId: 'string',
  type: 'string',
  endpoint: 'string',
  status: 'string',
  attempts: 'number',
  occurredAt: 'string',
  nextAttemptAt: 'string|null',
  deliveredAt: 'string|null',
  lastError: 'string|null',
};

export function eventView(event: OutboxEvent): EventView {
  return {
    id: event.id,
    eventId: event.eventId,
    type: event.type,
    endpoint: event.endpoint,
    status: event.status,
    attempts: event.attempts,
    occurredAt: event.occurredAt.toISOString(),
    nextAttemptAt: event.status === 'pending' ? event.nextAttemptAt.toISOString() : null,
    deliveredAt: event.deliveredAt?.toISOString() ?? null,
    lastError: event.lastError,
  };
}

const time = (iso: string | null) => (iso === null ? '-' : iso.slice(0, 19).replace('T', ' '));

export const EVENT_HEADER = [
  'ID'.padEnd(7),
  'TYPE'.padEnd(18),
  'ENDPOINT'.padEnd(20),
  'STATUS'.padEnd(9),
  'TRIES'.padEnd(5),
  'OCCURRED'.padEnd(19),
  'LAST ERROR',
].join(' ');

export function eventRow(e: EventView): string {
  return [
    String(e.id).padEnd(7),
    e.type.padEnd(18),
    e.endpoint.slice(0, 20).padEnd(20),
    e.status.padEnd(9),
    String(e.attempts).padEnd(5),
    time(e.occurredAt).padEnd(19),
    e.lastError ?? '',
  ].join(' ');
}

/** `<id>` of retry: a positive integer, or a usage error (exit 2) before the database opens. */
export const deliveryIdArg = Args.custom<number>({
  description: 'delivery id (the ID column of events list)',
  parse: async (input) => {
    if (!/^[1-9]\d{0,15}$/.test(input)) {
      throw new BotctlError('USAGE', `"${input}" is not an event delivery id`, {
        hint: 'see `botctl events list --status dead`',
      });
    }
    return Number(input);
  },
})({ required: false });
