/** The access use case: what the rest of botctl may import from services/access/. */
export * from './access.js';
export * from './usage.js';
export * from './holds.js';
