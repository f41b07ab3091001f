/** The chat use case: what the rest of botctl may import from services/chat/. */
export * from './chat.js';
export * from './delivery.js';
export * from './inline.js';
export * from './suggestions.js';
