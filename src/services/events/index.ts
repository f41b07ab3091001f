/** Outbound event webhooks: what the rest of botctl may import from services/events/. */
export * from './publisher.js';
export * from './delivery.js';
export * from './events.js';
