/** `botctl events list|retry|test`: the outbox as the operator sees it. */
import { BotctlError } from '../../domain/errors.js';
import { eventBody, type EventEndpoint, type OutboxEvent, type OutboxStatus } from '../../domain/events.js';
import type { EventSender, OutboxRepository } from '../../domain/ports/index.js';

export interface EndpointReport {
  endpoint: string;
  ok: boolean;
  error: string | null;
}

export function createEventsService(deps: {
  outbox: OutboxRepository;
  sender: EventSender;
  endpoints: readonly EventEndpoint[];
  newId: () => string;
  now: () => Date;
}) {
  const { outbox, sender, endpoints, now } = deps;
  return {
    endpoints: endpoints.map((endpoint) => endpoint.name),
    list(filter: { status?: OutboxStatus; limit?: number }): Promise<OutboxEvent[]> {
      return outbox.list(filter);
    },
    counts: () => outbox.counts(),
    /** Makes one dead delivery pending again; NOT_FOUND when there is no such row, USAGE when it is not dead. */
    async retry(id: number): Promise<OutboxEvent> {
      const event = await outbox.get(id);
      if (event === null) {
        throw new BotctlError('NOT_FOUND', `No event delivery ${id}`, {
          hint: 'list them with `botctl events list`',
        });
      }
      if (event.status !== 'dead') {
        throw new BotctlError('USAGE', `Event delivery ${id} is ${event.status}, not dead`, {
          hint: 'only dead deliveries are retried; pending ones are retried by the daemon',
        });
      }
      await outbox.retry([id], now());
      return { ...event, status: 'pending', attempts: 0 };
    },
    retryAllDead: () => outbox.retry('dead', now()),
    /** Posts one signed `test` event (never stored) to each endpoint. */
    async test(): Promise<EndpointReport[]> {
      const eventId = deps.newId();
      const body = eventBody({ id: eventId, type: 'test', occurredAt: now(), data: {} });
      return Promise.all(
        endpoints.map(async ({ name }) => {
          const outcome = await sender.send(name, { eventId, type: 'test', body });
          return { endpoint: name, ok: outcome.ok, error: outcome.ok ? null : outcome.error };
        }),
      );
    },
  };
}

export type EventsService = ReturnType<typeof createEventsService>;
