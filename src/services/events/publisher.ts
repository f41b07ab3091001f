/**
 * Turns what happened into outbox rows (domain/events.ts): one row per endpoint that subscribes to
 * the type, all with the same event id and body. No subscriber: no rows, and `on` gives undefined
 * so the repository writes the change alone, as it did before webhooks existed.
 */
import {
  eventBody,
  subscribes,
  type EventData,
  type EventEndpoint,
  type EventType,
  type NewOutboxEvent,
} from '../../domain/events.js';
import type { OutboxRows } from '../../domain/ports/index.js';

export interface EventPublisherDeps {
  endpoints: readonly EventEndpoint[];
  /** A unique id per event (a UUID): receivers deduplicate by it. */
  newId: () => string;
  now: () => Date;
  /** Told after rows were made, so a worker in this process can look soon. */
  onRows?: () => void;
  /** The operator's opt-in (eventContent): message.answered carries the question and answer text. */
  includeContent?: boolean;
}

export function createEventPublisher(deps: EventPublisherDeps) {
  const { endpoints, newId, now } = deps;
  const subscribed = (type: EventType) => endpoints.some((endpoint) => subscribes(endpoint, type));

  function rows(type: EventType, data: EventData): NewOutboxEvent[] {
    const targets = endpoints.filter((endpoint) => subscribes(endpoint, type));
    if (targets.length === 0) return [];
    const id = newId();
    const occurredAt = now();
    const body = eventBody({ id, type, occurredAt, data });
    deps.onRows?.();
    const telegramId = typeof data.telegram_id === 'number' ? data.telegram_id : null;
    return targets.map((endpoint) => ({
      eventId: id,
      endpoint: endpoint.name,
      type,
      occurredAt,
      body,
      telegramId,
    }));
  }

  return {
    /** Whether events may carry message text (the operator opted in); off: ids and counts only. */
    includeContent: deps.includeContent === true,
    /** Whether any endpoint takes this type. */
    subscribed,
    rows,
    /** The rows a change's result makes, for the repository to write with it; undefined: none. */
    on<T>(type: EventType, data: (result: T) => EventData): OutboxRows<T> | undefined {
      return subscribed(type) ? (result) => rows(type, data(result)) : undefined;
    },
  };
}

export type EventPublisher = ReturnType<typeof createEventPublisher>;

/** Publishes nothing: for use cases built where no endpoint is configured. */
export const NO_EVENTS: EventPublisher = createEventPublisher({
  endpoints: [],
  newId: () => '',
  now: () => new Date(0),
});
